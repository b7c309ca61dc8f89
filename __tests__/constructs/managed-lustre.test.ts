import { parseConfig } from '../../src/config/load';
import { lustreCapacityIssues, lustreMinimumPrefix } from '../../src/storage/lustre';
import { mountSource } from '../../src/storage/shared-file-system';
import { avereFileSystem, lustreFileSystem, addressRange } from '../../src/storage/file-systems';
import { validateOutdirDetailed } from '../../src/validation';
import { resourcesOf, synthApp } from '../support/synth';
import { maskVersions } from '../support/toolchain';

const RP = '11111111-2222-3333-4444-555555555555';
const app = synthApp({ storage: { backend: 'managed-lustre', lustre: { hpcCacheResourceProviderObjectId: RP } } });
const storage = app.stacks.storage;
const only = (type: string) => {
  const all = resourcesOf(storage, type);
  expect(all).toHaveLength(1);
  return all[0][1];
};

describe('Azure Managed Lustre backend', () => {
  test('file system: SKU, capacity, zone, maintenance window, HSM on the data container with a logging container', () => {
    const fs = only('azurerm_managed_lustre_file_system');
    expect(fs).toMatchObject({
      name: 'amlfs-pgm-data',
      sku_name: 'AMLFS-Durable-Premium-125',
      storage_capacity_in_tb: 16,
      zones: ['1'],
      maintenance_window: { day_of_week: 'Sunday', time_of_day_in_utc: '02:00' },
      hsm_setting: {
        container_id: expect.stringMatching(/azurerm_storage_container\.core-filer_container-data_\w+\.resource_manager_id/),
        logging_container_id: expect.stringMatching(/azurerm_storage_container\.core-filer_container-lustre-logs_\w+\.resource_manager_id/),
        import_prefix: '/',
      },
    });
    expect(fs.subnet_id).toMatch(/azurerm_subnet\.lustre_subnet_\w+\.id/);
    expect(fs.depends_on).toHaveLength(3);
  });

  test('its own subnet in the storage VNet (service endpoint for Storage), with an NSG that admits only the compute subnet on the Lustre ports', () => {
    const subnet = only('azurerm_subnet');
    expect(subnet).toMatchObject({ name: 'snet-pgm-lustre', address_prefixes: ['10.1.1.0/24'], service_endpoints: ['Microsoft.Storage'] });
    expect(subnet.virtual_network_name).toMatch(/remote_state.*storage-vnet/);
    const nsg = only('azurerm_network_security_group');
    expect(nsg.security_rule).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: 'allow-lustre-clients',
          access: 'Allow',
          destination_port_ranges: ['988', '1019-1023'],
          source_address_prefixes: ['10.0.1.0/24'],
        }),
        expect.objectContaining({ name: 'deny-internet', access: 'Deny', source_address_prefix: 'Internet' }),
      ]),
    );
    expect(only('azurerm_subnet_network_security_group_association')).toBeDefined();
    expect(only('azurerm_storage_account').network_rules.virtual_network_subnet_ids).toEqual([expect.stringMatching(/azurerm_subnet\.lustre_subnet_\w+\.id/)]);
  });

  test('the HPC Cache resource provider gets Storage Account Contributor and Storage Blob Data Contributor on the core filer', () => {
    const roles = resourcesOf(storage, 'azurerm_role_assignment').map(([, r]) => r);
    expect(roles.map((r) => r.role_definition_name).sort()).toEqual(['Storage Account Contributor', 'Storage Blob Data Contributor']);
    for (const r of roles) expect(r).toMatchObject({ principal_id: RP, scope: expect.stringMatching(/azurerm_storage_account\.\S+\.id/) });
  });

  test('without the object id in the configuration, it is a Terraform variable', () => {
    const a = synthApp({ storage: { backend: 'managed-lustre' } });
    expect(a.stacks.storage.variable?.hpc_cache_rp_object_id).toMatchObject({ type: 'string' });
    expect(resourcesOf(a.stacks.storage, 'azurerm_role_assignment')[0][1].principal_id).toBe('${var.hpc_cache_rp_object_id}');
  });

  test('no Avere resources, no Avere warning; the Windows limitation is a warning', () => {
    expect(resourcesOf(storage, 'avere_vfxt')).toEqual([]);
    expect(resourcesOf(storage, 'azurerm_marketplace_agreement')).toEqual([]);
    expect(storage.terraform?.required_providers).not.toHaveProperty('avere');
    const messages = app.manifest.stacks.storage.annotations.map((a) => a.message);
    expect(messages).toEqual([expect.stringMatching(/no Windows client, so the Windows scheduler cannot mount it/)]);
  });

  test('passes the offline validation', () => {
    expect(validateOutdirDetailed(app.outdir).problems).toEqual([]);
  });
});

describe('the storage interface of each backend', () => {
  test('Avere: NFSv3 /data and /home, spread over the vservers, Windows through the NFS client', () => {
    const fs = avereFileSystem({ dnsName: 'vfxt.hpc.internal', vserverAddresses: addressRange('10.1.0.17', 4) });
    expect(fs.addresses).toEqual(['10.1.0.17', '10.1.0.18', '10.1.0.19', '10.1.0.20']);
    expect(fs.linux).toEqual({
      fsType: 'nfs',
      options: ['vers=3', 'hard', 'proto=tcp', 'mountproto=tcp', 'retry=30', 'noatime', '_netdev'],
      spreadOverAddresses: true,
    });
    expect(fs.exports.map((e) => [e.path, e.linuxMountPoint])).toEqual([
      ['/data', '/mnt/vfxt-data'],
      ['/home', '/mnt/vfxt-home'],
    ]);
    expect(fs.windows).toEqual({ supported: true, method: 'nfs-client', uncPath: '\\\\vfxt.hpc.internal\\!\\data' });
    expect(mountSource(fs, fs.exports[0], '10.1.0.18')).toBe('10.1.0.18:/data');
  });

  test('Lustre: one namespace from the MGS, not mountable from Windows (with the reason)', () => {
    const fs = lustreFileSystem({ mgsAddress: '10.1.1.5' });
    expect(fs.linux.fsType).toBe('lustre');
    expect(fs.linux.options).toEqual(expect.arrayContaining(['noatime', 'flock', '_netdev']));
    expect(mountSource(fs, fs.exports[0], '10.1.1.5')).toBe('10.1.1.5@tcp:/lustrefs');
    expect(mountSource(fs, { path: '/home' }, '10.1.1.5')).toBe('10.1.1.5@tcp:/lustrefs/home');
    expect(fs.windows).toEqual({ supported: false, reason: expect.stringContaining('no Windows client') });
  });

  test('the storage stack exposes the selected backend through the same interface', () => {
    expect(app.config.storage.backend).toBe('managed-lustre');
  });
});

describe('bad input → an error naming the field', () => {
  test.each([
    ['AMLFS-Durable-Premium-125', 16, []],
    ['AMLFS-Durable-Premium-125', 128, []],
    ['AMLFS-Durable-Premium-40', 96, []],
    ['AMLFS-Durable-Premium-500', 4, []],
    ['AMLFS-Durable-Premium-250', 12, [/capacityTb: 12 TiB is not allowed for AMLFS-Durable-Premium-250: use 8–128 TiB in steps of 8/]],
    ['AMLFS-Durable-Premium-125', 8, [/use 16–128 TiB in steps of 16/]],
    ['AMLFS-Durable-Premium-40', 47, [/use 48–768 TiB in steps of 48/]],
    ['AMLFS-Standard-10', 16, [/sku: "AMLFS-Standard-10" is not an Azure Managed Lustre SKU/]],
  ] as Array<[string, number, RegExp[]]>)('%s with %d TiB', (sku, tb, expected) => {
    const issues = lustreCapacityIssues('sku', 'capacityTb', sku, tb).map((i) => `${i.path}: ${i.message}`);
    expect(issues).toHaveLength(expected.length);
    expected.forEach((re, i) => expect(issues[i]).toMatch(re));
  });

  test('subnet size follows the capacity', () => {
    expect([4, 16, 20, 40, 44, 92, 96, 196, 200, 400, 768].map(lustreMinimumPrefix)).toEqual([27, 27, 26, 26, 25, 25, 24, 24, 23, 23, 22]);
  });

  test.each([
    [{ storage: { backend: 'managed-lustre', lustre: { sku: 'AMLFS-Basic' } } }, /storage.lustre.sku: expected one of AMLFS-Durable-Premium-40/],
    [{ storage: { backend: 'managed-lustre', lustre: { capacityTb: 20 } } }, /storage.lustre.capacityTb: 20 TiB is not allowed for AMLFS-Durable-Premium-125/],
    [
      { storage: { backend: 'managed-lustre', lustre: { sku: 'AMLFS-Durable-Premium-125', capacityTb: 128 } }, addressPlan: { lustreSubnet: '10.1.1.0/26' } },
      /addressPlan.lustreSubnet: "10.1.1.0\/26" is too small for 128 TiB of Azure Managed Lustre: use a \/24 or larger/,
    ],
    [
      { storage: { backend: 'managed-lustre', lustre: { hpcCacheResourceProviderObjectId: 'hpc-rp' } } },
      /storage.lustre.hpcCacheResourceProviderObjectId: expected a GUID/,
    ],
    [
      { storage: { backend: 'managed-lustre' }, addressPlan: { lustreSubnet: '10.0.1.128/25', storageVnet: '10.1.0.0/16' } },
      /addressPlan.lustreSubnet.*is not inside storageVnet/,
    ],
    [
      { storage: { backend: 'managed-lustre' }, addressPlan: { lustreSubnet: '10.2.0.0/24' } },
      /addressPlan.lustreSubnet: "10.2.0.0\/24" is not inside storageVnet/,
    ],
    [{ storage: { backend: 'ceph' } }, /storage.backend/],
  ])('config %j', (input, message) => expect(() => parseConfig(input)).toThrow(message));
  test('with Managed Lustre there is no cache subnet, so the Lustre subnet may take its place', () => {
    expect(() => parseConfig({ storage: { backend: 'managed-lustre' }, addressPlan: { lustreSubnet: '10.1.0.128/25' } })).not.toThrow();
  });

  test('with the Avere backend the Lustre subnet is not used, so it is not checked', () => {
    expect(() =>
      parseConfig({
        storage: { backend: 'avere' },
        addressPlan: { storageVnet: '172.21.0.0/16', cacheSubnet: '172.21.0.0/24', cacheVserverFirstIp: '172.21.0.17' },
      }),
    ).not.toThrow();
  });
});

test('snapshot of the storage stack with the Managed Lustre backend', () => {
  expect(maskVersions(storage)).toMatchSnapshot();
});
