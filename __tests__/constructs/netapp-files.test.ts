import { renderWindowsBootstrap } from '../../src/compute/windows-bootstrap';
import { renderNodeSetupScript } from '../../src/compute/cloud-init';
import { parseConfig } from '../../src/config/load';
import { netappFileSystem } from '../../src/storage/file-systems';
import { netappSizeIssues, netappThroughputMibps } from '../../src/storage/netapp';
import { mountSource } from '../../src/storage/shared-file-system';
import { validateOutdirDetailed } from '../../src/validation';
import { resourcesOf, synthApp, type TfJson } from '../support/synth';

// The vault needs a place Terraform runs; the rest is the default configuration (Azure NetApp Files).
const BASE = { secrets: { allowedIpRanges: ['198.51.100.0/24'] } };
const app = synthApp(BASE);
const storage = app.stacks.storage;
const only = (json: TfJson, type: string) => {
  const all = resourcesOf(json, type);
  expect(all).toHaveLength(1);
  return all[0][1];
};
const volumes = (json: TfJson) => Object.fromEntries(resourcesOf(json, 'azurerm_netapp_volume').map(([, v]) => [v.name as string, v]));

describe('Azure NetApp Files, the default backend', () => {
  test('the default configuration chooses it; no Avere, no Lustre, no core filer', () => {
    expect(app.config.storage.backend).toBe('netapp-files');
    for (const stack of Object.values(app.stacks)) {
      for (const type of ['avere_vfxt', 'azurerm_marketplace_agreement', 'azurerm_managed_lustre_file_system', 'azurerm_storage_account'])
        expect(resourcesOf(stack, type)).toEqual([]);
      expect(stack.terraform?.required_providers).not.toHaveProperty('avere');
    }
    expect(resourcesOf(app.stacks.network, 'azurerm_subnet').map(([, s]) => s.name)).not.toContain('snet-pgm-cache');
    expect(app.manifest.stacks.storage.annotations).toEqual([]);
  });

  test('a subnet of the storage VNet delegated to Microsoft.NetApp/volumes, with an NSG admitting NFS from the compute subnet only', () => {
    const subnet = only(storage, 'azurerm_subnet');
    expect(subnet).toMatchObject({
      name: 'snet-pgm-netapp',
      address_prefixes: ['10.1.2.0/26'],
      delegation: [
        {
          name: 'netapp',
          service_delegation: {
            name: 'Microsoft.NetApp/volumes',
            actions: ['Microsoft.Network/networkinterfaces/*', 'Microsoft.Network/virtualNetworks/subnets/join/action'],
          },
        },
      ],
    });
    expect(subnet.virtual_network_name).toMatch(/remote_state.*storage-vnet/);
    const rules = only(storage, 'azurerm_network_security_group').security_rule;
    expect(rules).toEqual([
      expect.objectContaining({
        name: 'allow-nfs-clients',
        access: 'Allow',
        destination_port_ranges: ['111', '635', '2049', '4045', '4046', '4049'],
        source_address_prefixes: ['10.0.1.0/24'],
      }),
      expect.objectContaining({ name: 'deny-internet', access: 'Deny', source_address_prefix: 'Internet' }),
    ]);
    expect(only(storage, 'azurerm_subnet_network_security_group_association').subnet_id).toMatch(/azurerm_subnet\.netapp_subnet_\w+\.id/);
  });

  test('account, a Premium auto-QoS pool of 4 TiB, and a daily/weekly snapshot policy', () => {
    expect(only(storage, 'azurerm_netapp_account')).toMatchObject({ name: 'naa-pgm-hpc' });
    expect(only(storage, 'azurerm_netapp_pool')).toMatchObject({ name: 'cp-pgm-premium', service_level: 'Premium', size_in_tb: 4, qos_type: 'Auto' });
    expect(only(storage, 'azurerm_netapp_snapshot_policy')).toMatchObject({
      enabled: true,
      daily_schedule: { hour: 1, minute: 0, snapshots_to_keep: 7 },
      weekly_schedule: { days_of_week: ['Sunday'], snapshots_to_keep: 4 },
    });
  });

  test('one NFSv3 volume per export: quotas, Standard network features, export rules for the compute subnet only, root kept for the compute subnet', () => {
    const v = volumes(storage);
    expect(Object.keys(v).sort()).toEqual(['vol-pgm-data', 'vol-pgm-home']);
    for (const [name, quota, root] of [
      ['vol-pgm-data', 3072, true],
      ['vol-pgm-home', 1024, true], // rootSquash "none" (default): the node setup hands both roots to hpcuser
    ] as const) {
      expect(v[name]).toMatchObject({
        volume_path: name,
        service_level: 'Premium',
        protocols: ['NFSv3'],
        network_features: 'Standard',
        storage_quota_in_gb: quota,
        snapshot_directory_visible: true,
        export_policy_rule: [{ rule_index: 1, allowed_clients: ['10.0.1.0/24'], protocol: ['NFSv3'], unix_read_write: true, root_access_enabled: root }],
        data_protection_snapshot_policy: { snapshot_policy_id: expect.stringMatching(/azurerm_netapp_snapshot_policy\.\S+\.id/) },
      });
      expect(v[name].subnet_id).toMatch(/azurerm_subnet\.netapp_subnet_\w+\.id/);
    }
  });

  test('nodes mount each volume from its mount_ip_addresses with nconnect; the scheduler maps the data volume through Client for NFS', () => {
    const compute = JSON.stringify(app.stacks.compute);
    const outputs = Object.values((storage.output ?? {}) as Record<string, { value: string }>).map((o) => o.value);
    // The storage stack publishes each volume's mount addresses; the compute stack mounts the first of each.
    expect(outputs).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/azurerm_netapp_volume\.netapp_volume-data_\w+\.mount_ip_addresses/),
        expect.stringMatching(/azurerm_netapp_volume\.netapp_volume-home_\w+\.mount_ip_addresses/),
      ]),
    );
    expect(compute).toMatch(/element\(data\.terraform_remote_state\.[^)]*mount_ip_addresses[^)]*, 0\)/);
    expect(compute).toContain('nconnect=8');
    expect(compute).toContain('/vol-pgm-data|/mnt/anf-data|');
    // The scheduler's bootstrap travels compressed: render it from the same interface instead.
    const fs = netappFileSystem({ exports: [{ name: 'data', volumePath: 'vol-pgm-data', address: '10.1.2.4' }] });
    const ps = renderWindowsBootstrap(
      {
        role: 'server',
        fileSystem: fs,
        schedulerIp: '10.0.1.250',
        computeSubnet: '10.0.1.0/24',
        metashapeVersion: '2.1.3',
        installerUrl: 'https://x/y.msi',
        licensing: { kind: 'none' },
      },
      false,
    );
    expect(ps).toContain("$StorageMode = 'nfs-client'");
    expect(ps).toContain("$UncPath = '\\\\10.1.2.4\\vol-pgm-data'");
    expect(ps).toContain('Install-WindowsFeature -Name NFS-Client');
  });

  test('the interface: per-export addresses, NetApp options, no spreading', () => {
    const fs = netappFileSystem({
      exports: [
        { name: 'data', volumePath: 'vol-a', address: '10.1.2.4' },
        { name: 'home', volumePath: 'vol-b', address: '10.1.2.5' },
      ],
    });
    expect(fs.addresses).toEqual(['10.1.2.4', '10.1.2.5']);
    expect(fs.linux).toEqual({
      fsType: 'nfs',
      options: ['rw', 'hard', 'vers=3', 'proto=tcp', 'rsize=262144', 'wsize=262144', 'nconnect=8', 'noatime', '_netdev'],
      spreadOverAddresses: false,
    });
    expect(mountSource(fs, fs.exports[1], '10.9.9.9')).toBe('10.1.2.5:/vol-b');
    expect(
      renderNodeSetupScript(
        { fileSystem: fs, schedulerIp: '10.0.1.250', metashapeVersion: '2.1.3', installerUrl: 'https://x/y', gpuMask: 1, licensing: { kind: 'none' } },
        false,
      ),
    ).toContain("EXPORTS=('/vol-a|/mnt/anf-data|10.1.2.4' '/vol-b|/mnt/anf-home|10.1.2.5')");
  });

  test('passes the offline validation', () => {
    expect(validateOutdirDetailed(app.outdir).problems).toEqual([]);
  });
});

describe('options', () => {
  test('allowJumpbox: a second export rule for the jump box subnet, root always squashed; the NSG admits it too', () => {
    const a = synthApp({ ...BASE, storage: { netappFiles: { allowJumpbox: true, rootSquash: 'none' } } });
    for (const v of Object.values(volumes(a.stacks.storage))) {
      expect(v.export_policy_rule).toEqual([
        expect.objectContaining({ rule_index: 1, allowed_clients: ['10.0.1.0/24'], root_access_enabled: true }),
        expect.objectContaining({ rule_index: 2, allowed_clients: ['10.0.0.0/24'], root_access_enabled: false, unix_read_write: true }),
      ]);
    }
    expect(only(a.stacks.storage, 'azurerm_network_security_group').security_rule[0].source_address_prefixes).toEqual(['10.0.1.0/24', '10.0.0.0/24']);
  });

  test('Ultra, 8 TiB, bigger quotas, root squashed everywhere, no snapshot policy', () => {
    const a = synthApp({
      ...BASE,
      storage: {
        netappFiles: { serviceLevel: 'Ultra', poolSizeTib: 8, dataQuotaGib: 6144, homeQuotaGib: 2048, rootSquash: 'all', snapshotPolicy: { enabled: false } },
      },
    });
    expect(only(a.stacks.storage, 'azurerm_netapp_pool')).toMatchObject({ service_level: 'Ultra', size_in_tb: 8 });
    expect(resourcesOf(a.stacks.storage, 'azurerm_netapp_snapshot_policy')).toEqual([]);
    const v = volumes(a.stacks.storage);
    expect(v['vol-pgm-data']).toMatchObject({ service_level: 'Ultra', storage_quota_in_gb: 6144, export_policy_rule: [{ root_access_enabled: false }] });
    expect(v['vol-pgm-data'].data_protection_snapshot_policy).toBeUndefined();
  });
});

describe('bad input → an error naming the field', () => {
  test.each([
    [{ storage: { netappFiles: { poolSizeTib: 0 } } }, /storage.netappFiles.poolSizeTib: 0 TiB is not allowed: a capacity pool is 1–2048 TiB/],
    [{ storage: { netappFiles: { poolSizeTib: 2.5 } } }, /storage.netappFiles.poolSizeTib: 2.5 TiB is not allowed/],
    [{ storage: { netappFiles: { poolSizeTib: 4096 } } }, /storage.netappFiles.poolSizeTib: 4096 TiB is not allowed/],
    [
      { storage: { netappFiles: { poolSizeTib: 2, dataQuotaGib: 3072 } } },
      /storage.netappFiles.poolSizeTib: 2 TiB \(2048 GiB\) cannot hold the volumes' quotas .* = 4096 GiB\); use at least 4 TiB/,
    ],
    [{ storage: { netappFiles: { homeQuotaGib: 10 } } }, /storage.netappFiles.homeQuotaGib: 10 GiB is not allowed: a volume quota is 50–102400 GiB/],
    [{ storage: { netappFiles: { serviceLevel: 'Flexible' } } }, /storage.netappFiles.serviceLevel: expected one of Standard, Premium, Ultra/],
    [{ storage: { netappFiles: { snapshotPolicy: { dailyToKeep: 0 } } } }, /storage.netappFiles.snapshotPolicy.dailyToKeep: keep at least 1 snapshot/],
    [{ storage: { netappFiles: { rootSquash: 'some' } } }, /storage.netappFiles.rootSquash/],
    [{ addressPlan: { netappSubnet: '10.1.2.0/29' } }, /addressPlan.netappSubnet: "10.1.2.0\/29" is too small for Azure NetApp Files/],
    [{ addressPlan: { netappSubnet: '10.0.1.0/26' } }, /addressPlan.netappSubnet: "10.0.1.0\/26" is not inside storageVnet/],
  ])('config %j', (input, message) => expect(() => parseConfig({ ...BASE, ...input })).toThrow(message));

  test('the NetApp subnet is checked only with that backend; with Avere the cache subnet may take its place', () => {
    expect(() => parseConfig({ storage: { backend: 'avere' }, addressPlan: { netappSubnet: '10.1.0.0/26' } })).not.toThrow();
    expect(() => parseConfig({ addressPlan: { netappSubnet: '10.1.0.0/26' } })).not.toThrow();
  });

  test('pool size rules name their fields', () => {
    const fields = { serviceLevel: 'sl', poolSizeTib: 'pool', quotas: { data: 'dq', home: 'hq' } };
    expect(netappSizeIssues(fields, 'Premium', 4, { data: 3072, home: 1024 })).toEqual([]);
    expect(netappSizeIssues(fields, 'Premium', 1, { data: 1024, home: 50 }).map((i) => i.path)).toEqual(['pool']);
    expect(netappSizeIssues(fields, 'Gold', 4, { data: 40, home: 1024 }).map((i) => i.path)).toEqual(['sl', 'dq']);
  });

  test('throughput: service level rate × quota TiB', () => {
    expect(netappThroughputMibps('Standard', 1024)).toBe(16);
    expect(netappThroughputMibps('Premium', 3072)).toBe(192);
    expect(netappThroughputMibps('Ultra', 512)).toBe(64);
  });
});
