/**
 * The VM-based storage backends (GlusterFS, BeeGFS) and their Samba gateways, synthesized from the examples: servers
 * and gateways with static addresses in the file server subnet, NSG rules for exactly their ports, the internal load
 * balancer and its name, the secrets through Key Vault, and the compute side mounting them.
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadAppModel } from '../../src/report/model';
import { buildArchitectureReport, renderArchitectureMarkdown } from '../../src/report/report';
import { resourcesOf, synthApp, SynthesizedApp, TfJson } from '../support/synth';

const EXAMPLES = path.join(__dirname, '..', '..', 'examples');
const load = (f: string) => JSON.parse(fs.readFileSync(path.join(EXAMPLES, f), 'utf8'));

let gluster: SynthesizedApp;
let beegfs: SynthesizedApp;
beforeAll(() => {
  gluster = synthApp(load('glusterfs.json'));
  beegfs = synthApp(load('beegfs.json'));
});
afterAll(() => {
  for (const a of [gluster, beegfs]) fs.rmSync(a.outdir, { recursive: true, force: true });
});

const all = (stack: TfJson, type: string) => resourcesOf(stack, type).map(([, r]) => r as Record<string, any>);
const rules = (app: SynthesizedApp) => [
  ...all(app.stacks.storage, 'azurerm_network_security_rule'),
  ...all(app.stacks.network, 'azurerm_network_security_rule'),
];
const warnings = (app: SynthesizedApp) =>
  Object.values(app.manifest.stacks).flatMap((s: any) => s.annotations.filter((a: any) => a.level === '@cdktf/warn').map((a: any) => a.message));
const localsText = (stack: TfJson) => JSON.stringify((stack as any).locals ?? {});

describe('GlusterFS', () => {
  test('3 servers with 4 data disks each and 2 gateways, static addresses in the file server subnet, zones 1–3', () => {
    const vms = all(gluster.stacks.storage, 'azurerm_linux_virtual_machine');
    expect(vms.map((v) => v.name).sort()).toEqual(['vm-pgmglu-gluster1', 'vm-pgmglu-gluster2', 'vm-pgmglu-gluster3', 'vm-pgmglu-smb1', 'vm-pgmglu-smb2']);
    expect(vms.map((v) => v.zone).sort()).toEqual(['1', '1', '2', '2', '3']);
    for (const vm of vms) {
      expect(vm.disable_password_authentication).toBe(true);
      expect(vm.encryption_at_host_enabled).toBe(true);
      expect(vm.identity).toEqual({ type: 'SystemAssigned' });
    }
    expect(all(gluster.stacks.storage, 'azurerm_managed_disk')).toHaveLength(12);
    expect(all(gluster.stacks.storage, 'azurerm_virtual_machine_data_disk_attachment')).toHaveLength(12);
    const nics = all(gluster.stacks.storage, 'azurerm_network_interface');
    expect(nics.map((n) => n.ip_configuration[0].private_ip_address).sort()).toEqual(['10.1.3.10', '10.1.3.100', '10.1.3.101', '10.1.3.11', '10.1.3.12']);
    expect(nics.every((n) => n.accelerated_networking_enabled === true)).toBe(true);
  });

  test('NSG: glusterd 24007–24008 and the brick ports from compute + file servers, SMB 445 from compute only', () => {
    const byName = Object.fromEntries(rules(gluster).map((r) => [r.name, r]));
    expect(byName['allow-glusterd'].destination_port_range).toBe('24007-24008');
    expect(byName['allow-glusterd'].source_address_prefixes).toEqual(['10.0.1.0/24', '10.1.3.0/24']);
    expect(byName['allow-gluster-bricks'].destination_port_range).toBe('49152-49155');
    expect(byName['allow-smb-from-photoscan'].destination_port_range).toBe('445');
    expect(byName['allow-smb-from-photoscan'].source_address_prefix).toBe('10.0.1.0/24');
    expect(Object.keys(byName)).not.toContain('allow-beegfs-services');
    // Everything else from the VNets is refused (Azure's AllowVnetInBound would admit it).
    expect(byName['deny-other-vnet-inbound']).toMatchObject({
      access: 'Deny',
      priority: 4050,
      source_address_prefix: 'VirtualNetwork',
      destination_port_range: '*',
    });
  });

  test('npm run report: capacity and throughput estimate of the servers', () => {
    const report = buildArchitectureReport(loadAppModel(gluster.outdir));
    expect(report.storage.fileServers).toEqual([
      { stack: 'storage', role: 'glusterfs-server', servers: 3, rawGib: 12288, usableGib: 4096, mbps: 800, perNodeMbps: 160 },
    ]);
    expect(renderArchitectureMarkdown(report)).toContain('| glusterfs-server | 3 | 12288 | 4096 | 800 | 160 |');
  });

  test('internal load balancer (static 10.1.3.99, probe on 445) and its name in the private zone; servers round robin', () => {
    const [lb] = all(gluster.stacks.storage, 'azurerm_lb');
    expect(lb.sku).toBe('Standard');
    expect(lb.frontend_ip_configuration[0]).toMatchObject({ private_ip_address: '10.1.3.99', private_ip_address_allocation: 'Static' });
    expect(all(gluster.stacks.storage, 'azurerm_lb_probe')[0]).toMatchObject({ port: 445, protocol: 'Tcp' });
    const records = all(gluster.stacks.storage, 'azurerm_private_dns_a_record');
    expect(records.map((r) => [r.name, r.records])).toEqual(
      expect.arrayContaining([
        ['smb', ['10.1.3.99']],
        ['gluster', ['10.1.3.10', '10.1.3.11', '10.1.3.12']],
      ]),
    );
  });

  test('the file server subnet has egress through a NAT gateway (the internal load balancer takes default outbound away)', () => {
    const [nat] = all(gluster.stacks.storage, 'azurerm_nat_gateway');
    expect(nat).toMatchObject({ sku_name: 'Standard', name: 'ng-pgmglu-fileserver' });
    const [assoc] = all(gluster.stacks.storage, 'azurerm_subnet_nat_gateway_association');
    expect(assoc.subnet_id).toMatch(/fileserver-subnet/);
    expect(all(gluster.stacks.storage, 'azurerm_public_ip')).toEqual([expect.objectContaining({ sku: 'Standard', allocation_method: 'Static' })]);
  });

  test('the gateways read the join password from Key Vault (never in custom data); the vault admits the file server subnet', () => {
    const grants = all(gluster.stacks.storage, 'azurerm_role_assignment').filter((r) => r.role_definition_name === 'Key Vault Secrets User');
    expect(grants).toHaveLength(2);
    const [vault] = all(gluster.stacks.network, 'azurerm_key_vault');
    expect(vault.network_acls.virtual_network_subnet_ids).toContainEqual(expect.stringMatching(/azurerm_subnet\.hpc-network_fileserver-subnet_\w+\.id/));
    expect(JSON.stringify(gluster.stacks.storage)).not.toMatch(/random_password/);
  });

  test('synth warns about upstream maintenance; the nodes mount the volumes with backup volfile servers; Windows maps the SMB name', () => {
    expect(warnings(gluster).some((w) => w.includes('pgm:glusterfs:maintenance-status'))).toBe(true);
    const compute = localsText(gluster.stacks.compute);
    expect(compute).toContain("FS_TYPE='glusterfs'");
    expect(compute).toContain('backup-volfile-servers=10.1.3.11:10.1.3.12');
    expect(compute).toContain('\\\\\\\\smb.');
    expect(compute).toContain("$StorageMode = 'smb'");
  });

  test('the Windows scheduler bootstrap maps \\\\smb.hpc.internal\\data (the load balancer name) to S: over SMB', () => {
    const locals = Object.values(((gluster.stacks.compute as any).locals ?? {}) as Record<string, unknown>);
    const ps = locals.find((l): l is string => typeof l === 'string' && l.includes('$StorageMode ='));
    expect(ps).toBeDefined();
    expect(ps).toContain("$StorageMode = 'smb'");
    expect(ps).toContain(String.raw`$UncPath = '\\smb.hpc.internal\data'`);
    expect(ps).toContain('New-SmbGlobalMapping -RemotePath $UncPath -LocalPath $DataDrive');
    expect(ps).toContain(String.raw`$Root = 'S:\'`);
  });
});

describe('BeeGFS', () => {
  test('management + 2 metadata + 2 storage (NVMe: no managed data disks) + 2 gateways; proximity placement group', () => {
    const vms = all(beegfs.stacks.storage, 'azurerm_linux_virtual_machine');
    expect(vms.map((v) => v.name).sort()).toEqual([
      'vm-pgmbee-beegfs-meta1',
      'vm-pgmbee-beegfs-meta2',
      'vm-pgmbee-beegfs-mgmt',
      'vm-pgmbee-beegfs-stor1',
      'vm-pgmbee-beegfs-stor2',
      'vm-pgmbee-smb1',
      'vm-pgmbee-smb2',
    ]);
    expect(all(beegfs.stacks.storage, 'azurerm_managed_disk')).toHaveLength(4);
    expect(all(beegfs.stacks.storage, 'azurerm_proximity_placement_group')).toHaveLength(1);
    expect(vms.every((v) => v.zone === undefined && typeof v.proximity_placement_group_id === 'string')).toBe(true);
    // The processing nodes join the group (nodesInProximityPlacementGroup), through the storage stack's output.
    const [nodes] = all(beegfs.stacks.compute, 'azurerm_linux_virtual_machine_scale_set');
    expect(nodes.proximity_placement_group_id).toMatch(/terraform_remote_state\.cross-stack-reference-input-storage|remote_state/);
  });

  test('NSG: 8003/8005/8008 (TCP+UDP) into the file servers, 8004/UDP from them into compute, SMB 445', () => {
    const byName = Object.fromEntries(rules(beegfs).map((r) => [r.name, r]));
    expect(byName['allow-beegfs-services']).toMatchObject({ protocol: '*', destination_port_ranges: ['8003', '8005', '8008'] });
    expect(byName['allow-beegfs-client-from-servers']).toMatchObject({ protocol: 'Udp', destination_port_range: '8004', source_address_prefix: '10.1.3.0/24' });
    expect(byName['allow-smb-from-photoscan'].destination_port_range).toBe('445');
    expect(Object.keys(byName)).not.toContain('allow-glusterd');
    expect(byName['deny-other-vnet-inbound'].priority).toBe(4050);
  });

  test('npm run report: storage servers on local NVMe (2 × L16s_v3: 2 disks of 1788 GiB each), throughput unknown', () => {
    const report = buildArchitectureReport(loadAppModel(beegfs.outdir));
    expect(report.storage.fileServers).toEqual([
      { stack: 'storage', role: 'beegfs-storage', servers: 2, rawGib: 7152, usableGib: 7152, mbps: undefined, perNodeMbps: undefined },
    ]);
  });

  test('the connection authentication secret: random_password → Key Vault, read by servers, gateways and nodes; not in custom data', () => {
    const secrets = all(beegfs.stacks.network, 'azurerm_key_vault_secret').map((s) => s.name);
    expect(secrets).toContain('beegfs-connauth');
    const storageGrants = all(beegfs.stacks.storage, 'azurerm_role_assignment').filter((r) => r.role_definition_name === 'Key Vault Secrets User');
    // 5 servers + 2 gateways (connauth) + 2 gateways (join password)
    expect(storageGrants).toHaveLength(9);
    const nodeGrants = all(beegfs.stacks.compute, 'azurerm_role_assignment').filter((r) => r.role_definition_name === 'Key Vault Secrets User');
    expect(nodeGrants.length).toBeGreaterThanOrEqual(2);
    const storage = localsText(beegfs.stacks.storage);
    expect(storage).toContain('beegfs-connauth');
    expect(storage).not.toMatch(/random_password\./);
    expect(localsText(beegfs.stacks.compute)).toContain("FS_TYPE='beegfs'");
  });

  test('no GlusterFS resources or warnings in the BeeGFS variant, and no file server subnet in the default app', () => {
    expect(warnings(beegfs).some((w) => w.includes('glusterfs'))).toBe(false);
    const def = synthApp({});
    try {
      expect(all(def.stacks.network, 'azurerm_subnet').map((s) => s.name)).not.toContain('snet-pgm-fileserver');
      expect(all(def.stacks.network, 'azurerm_key_vault_secret').map((s) => s.name)).not.toContain('beegfs-connauth');
    } finally {
      fs.rmSync(def.outdir, { recursive: true, force: true });
    }
  });
});

describe('policy pack', () => {
  test.each([
    ['glusterfs', () => gluster],
    ['beegfs', () => beegfs],
  ])('%s: no failure, only the jump box public IP suppressions; the new VMs, disks, NICs and load balancer are checked', (_, app) => {
    const report = JSON.parse(fs.readFileSync(path.join(app().outdir, 'policy-report.json'), 'utf8'));
    // The jump box's public IP and NIC, and the file server subnet's NAT gateway IP (egress only).
    expect(report.summary).toMatchObject({ fail: 0, suppressed: 3 });
    const suppressed = report.findings.filter((f: { result: string }) => f.result === 'suppressed').map((f: { suppressedAt: string }) => f.suppressedAt);
    expect(suppressed.sort()).toEqual(['compute/jumpboxes', 'compute/jumpboxes', expect.stringMatching(/^storage\/.*\/gateways\/egress$/)]);
    const checked = (prefix: string) => report.findings.filter((f: { address: string; result: string }) => f.address.startsWith(prefix) && f.result === 'pass');
    for (const type of ['azurerm_linux_virtual_machine.', 'azurerm_managed_disk.', 'azurerm_network_interface.', 'azurerm_lb.'])
      expect(checked(type).length).toBeGreaterThan(0);
  });
});

describe('other orchestrators', () => {
  test.each(['batch', 'cyclecloud'] as const)('%s nodes read the BeeGFS connection authentication secret too', (orchestrator) => {
    const app = synthApp({ storage: { backend: 'beegfs' }, compute: { orchestrator } });
    try {
      const grants = all(app.stacks.compute, 'azurerm_role_assignment').filter((r) => r.role_definition_name === 'Key Vault Secrets User');
      expect(grants.some((g) => /beegfs-connauth|key_vault_secret\.secrets_beegfs-connauth/.test(JSON.stringify(g.scope)))).toBe(true);
    } finally {
      fs.rmSync(app.outdir, { recursive: true, force: true });
    }
  });
});
