import { ChildProcessWithoutNullStreams, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { buildAppModel, deployOrder, loadAppModel, type ModelStack } from '../../src/report/model';
import { vmInventory } from '../../src/report/inventory';
import { architectureDiagram } from '../../src/report/diagram';
import { buildArchitectureReport, renderArchitectureMarkdown, writeArchitectureReport } from '../../src/report/report';
import { synthApp } from '../support/synth';

/** A small app written by hand: network (VNets, subnets, peering) → storage (cache) → compute (VMs, scale set). */
function fixture(): ModelStack[] {
  const network: ModelStack = {
    name: 'network',
    dependencies: [],
    json: {
      resource: {
        azurerm_virtual_network: { a: { name: 'vnet-a', address_space: ['10.0.0.0/16'] }, b: { name: 'vnet-b', address_space: ['10.1.0.0/16'] } },
        azurerm_subnet: {
          compute: { name: 'snet-compute', virtual_network_name: '${azurerm_virtual_network.a.name}', address_prefixes: ['10.0.1.0/24'] },
          jump: { name: 'snet-jump', virtual_network_name: '${azurerm_virtual_network.a.name}', address_prefixes: ['10.0.0.0/24'] },
          cache: { name: 'snet-cache', virtual_network_name: '${azurerm_virtual_network.b.name}', address_prefixes: ['10.1.0.0/24'] },
        },
        azurerm_virtual_network_peering: {
          ab: { virtual_network_name: '${azurerm_virtual_network.a.name}', remote_virtual_network_id: '${azurerm_virtual_network.b.id}' },
          ba: { virtual_network_name: '${azurerm_virtual_network.b.name}', remote_virtual_network_id: '${azurerm_virtual_network.a.id}' },
        },
        azurerm_key_vault: { kv: { name: 'kv-pgm-${random_string.suffix.result}' } },
        azurerm_key_vault_secret: { code: { name: 'activation-code', key_vault_id: '${azurerm_key_vault.kv.id}' } },
        azurerm_private_dns_zone: { zone: { name: 'hpc.internal' } },
        azurerm_private_dns_a_record: { vfxt: { name: 'vfxt', zone_name: '${azurerm_private_dns_zone.zone.name}', records: ['10.1.0.17', '10.1.0.18'] } },
        azurerm_windows_virtual_machine: { dc: { name: 'vm-dc01', size: 'Standard_D2s_v5', network_interface_ids: ['${azurerm_network_interface.dcnic.id}'] } },
        azurerm_network_interface: { dcnic: { ip_configuration: [{ subnet_id: '${azurerm_subnet.compute.id}' }] } },
      },
      output: {
        'cross-stack-output-compute': { value: '${azurerm_subnet.compute.id}', sensitive: true },
        'cross-stack-output-jump': { value: '${azurerm_subnet.jump.id}', sensitive: true },
        'cross-stack-output-cache': { value: '${azurerm_subnet.cache.name}', sensitive: true },
        'cross-stack-output-secret': { value: '${azurerm_key_vault_secret.code.resource_versionless_id}', sensitive: true },
        'cross-stack-output-vault': { value: '${azurerm_key_vault.kv.id}', sensitive: true },
      },
    },
  };
  const remote = (o: string) => `\${data.terraform_remote_state.cross-stack-reference-input-network.outputs.${o}}`;
  const storage: ModelStack = {
    name: 'storage',
    dependencies: ['network'],
    json: {
      locals: { cache_subnet: remote('cross-stack-output-cache') },
      resource: {
        azurerm_storage_account: { filer: { name: 'stpgmfiler${random_string.suffix.result}' } },
        azurerm_storage_container: { data: { name: 'data', storage_account_id: '${azurerm_storage_account.filer.id}' } },
        avere_vfxt: {
          cache: {
            vfxt_cluster_name: 'vfxt',
            vfxt_node_count: 3,
            vserver_first_ip: '10.1.0.17',
            vserver_ip_count: 2,
            azure_subnet_name: '${local.cache_subnet}',
            azure_storage_filer: [{ account_name: '${azurerm_storage_account.filer.name}' }],
          },
        },
        azurerm_linux_virtual_machine: { controller: { name: 'vm-ctl', size: 'Standard_A1_v2', network_interface_ids: [] } },
      },
    },
  };
  const compute: ModelStack = {
    name: 'compute',
    dependencies: ['storage', 'network'],
    json: {
      locals: { boot: 'mount.exe -o anon \\\\vfxt.hpc.internal\\!\\data Z:' },
      resource: {
        azurerm_linux_virtual_machine_scale_set: {
          nodes: {
            name: 'vmss-nodes',
            sku: 'Standard_NC24ads_A100_v4',
            instances: 5,
            custom_data: 'SERVER_ADDRESSES=(10.1.0.17 10.1.0.18)',
            network_interface: [{ ip_configuration: [{ subnet_id: remote('cross-stack-output-compute') }] }],
          },
          spare: { name: 'vmss-x', sku: 'Standard_Imaginary', instances: 2 },
          counted: { name: 'vmss-y', sku: 'Standard_D2s_v5', instances: '${var.n}' },
        },
        azurerm_windows_virtual_machine: {
          jump: {
            name: 'vm-jump',
            size: 'Standard_D2s_v5',
            custom_data: 'route 10.1.0.170',
            network_interface_ids: ['${azurerm_network_interface.jumpnic.id}'],
          },
          sched: { name: 'vm-sched', size: 'Standard_D8s_v5', network_interface_ids: [] },
        },
        azurerm_virtual_machine_extension: {
          boot: { virtual_machine_id: '${azurerm_windows_virtual_machine.sched.id}', settings: '${jsonencode({ c = base64gzip(local.boot) })}' },
        },
        azurerm_role_assignment: {
          nodes: { scope: remote('cross-stack-output-secret'), principal_id: '${azurerm_linux_virtual_machine_scale_set.nodes.identity[0].principal_id}' },
          sched: { scope: remote('cross-stack-output-vault'), principal_id: '${azurerm_windows_virtual_machine.sched.identity[0].principal_id}' },
          deployer: { scope: remote('cross-stack-output-vault'), principal_id: '${data.azurerm_client_config.c.object_id}' },
        },
        azurerm_network_interface: {
          jumpnic: { ip_configuration: { subnet_id: remote('cross-stack-output-jump'), public_ip_address_id: '${azurerm_public_ip.jump.id}' } },
        },
        azurerm_public_ip: { jump: { name: 'pip-jump' } },
      },
    },
  };
  return [compute, network, storage];
}

describe('model', () => {
  const model = buildAppModel(fixture());

  test('resolves references in the stack, through locals and through cross-stack outputs', () => {
    expect(model.resolve('network', '${azurerm_subnet.compute.id}')?.key).toBe('network/azurerm_subnet.compute');
    expect(model.resolve('storage', '${local.cache_subnet}')?.key).toBe('network/azurerm_subnet.cache');
    expect(model.resolve('compute', '${data.terraform_remote_state.cross-stack-reference-input-network.outputs.cross-stack-output-jump}')?.key).toBe(
      'network/azurerm_subnet.jump',
    );
    expect(model.resolve('compute', '${azurerm_subnet.compute.id}')).toBeUndefined(); // not in that stack
    expect(model.resolve('compute', 'plain text')).toBeUndefined();
  });

  test('deploy order puts producers first; a cycle is an error', () => {
    expect(deployOrder(fixture())).toEqual(['network', 'storage', 'compute']);
    expect(() =>
      deployOrder([
        { name: 'a', dependencies: ['b'] },
        { name: 'b', dependencies: ['a'] },
      ]),
    ).toThrow(/cycle: a, b/);
  });
});

test('inventory: sizes × counts, vCPUs and GPUs per quota family, unknown sizes and apply-time counts listed', () => {
  const inv = vmInventory(buildAppModel(fixture()));
  expect(inv.lines.map((l) => [l.stack, l.name, l.kind, l.size, l.count])).toEqual(
    expect.arrayContaining([
      ['compute', 'vmss-nodes', 'scale set', 'Standard_NC24ads_A100_v4', 5],
      ['storage', 'vfxt', 'cache node', 'Standard_E32s_v3', 3],
      ['network', 'vm-dc01', 'vm', 'Standard_D2s_v5', 1],
    ]),
  );
  expect(inv.families).toEqual([
    { family: 'StandardNCADSA100v4Family', vms: 5, vcpus: 120, gpus: 5 },
    { family: 'standardESv3Family', vms: 3, vcpus: 96, gpus: 0 },
    { family: 'standardDSv5Family', vms: 3, vcpus: 12, gpus: 0 },
    { family: 'standardAv2Family', vms: 1, vcpus: 1, gpus: 0 },
  ]);
  expect(inv.totals).toEqual({ vms: 12, vcpus: 229, gpus: 5 });
  expect(inv.unknownSizes).toEqual(['Standard_Imaginary']);
  expect(inv.uncountedLines).toEqual(['compute/azurerm_linux_virtual_machine_scale_set.counted (count ${var.n})']);
});

/** mermaid's own parser, in one child process for the whole file (mermaid + jsdom, see fixtures/parse-mermaid.mjs). */
let parser: ChildProcessWithoutNullStreams | undefined;
const waiting: Array<(r: { ok: boolean; diagramType?: string; error?: string }) => void> = [];
function mermaidParse(text: string): Promise<{ ok: boolean; diagramType?: string; error?: string }> {
  if (!parser) {
    parser = spawn(process.execPath, [path.join(__dirname, 'fixtures', 'parse-mermaid.mjs')]);
    let pending = '';
    parser.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      for (let i = pending.indexOf('\n'); i >= 0; i = pending.indexOf('\n')) {
        const line = pending.slice(0, i);
        pending = pending.slice(i + 1);
        waiting.shift()?.(JSON.parse(line));
      }
    });
  }
  return new Promise((resolve) => {
    waiting.push(resolve);
    parser!.stdin.write(`${JSON.stringify(text)}\n`);
  });
}
afterAll(() => parser?.stdin.end());

/** The lines of a diagram, and the node id whose line contains `text`. */
function diagramIndex(d: string) {
  const lines = d.split('\n');
  const at = (text: string) => lines.findIndex((l) => l.includes(text));
  const idOf = (text: string) => /^\s*(?:subgraph )?(r\d+)/.exec(lines[at(text)] ?? '')?.[1];
  return { lines, at, idOf };
}

describe('diagram', () => {
  const d = architectureDiagram(buildAppModel(fixture()));
  const { lines, at, idOf } = diagramIndex(d);

  test('VNets contain their subnets, machines sit in their subnets, relations drawn once', () => {
    expect(d.startsWith('flowchart LR\n')).toBe(true);
    // vm-dc01 inside snet-compute inside vnet-a; the scale set (cross-stack subnet) too.
    expect(at('VNet vnet-a')).toBeLessThan(at('subnet snet-compute'));
    expect(at('subnet snet-compute')).toBeLessThan(at('vm-dc01'));
    expect(at('subnet snet-compute')).toBeLessThan(at('vmss-nodes'));
    expect(lines[at('vmss-nodes')]).toContain('5 × Standard_NC24ads_A100_v4');
    expect(at('subnet snet-cache')).toBeLessThan(at('Avere vFXT cache'));
    expect(lines.filter((l) => l.includes('peering'))).toHaveLength(1);
    expect(d).toContain(`${idOf('Avere vFXT cache')} -- core filer --> ${idOf('Storage account')}`);
    expect(d).toContain(`${idOf('Public IP')} --> ${idOf('vm-jump<')}`);
  });

  test('every VNet and subnet box carries its name and CIDR on one line of its title', () => {
    const titles = lines.filter((l) => /^\s*subgraph /.test(l));
    expect(titles).toHaveLength(5);
    for (const t of titles) expect(t).toMatch(/^\s*subgraph r\d+\["(VNet|subnet) [\w-]+ \d+\.\d+\.\d+\.\d+\/\d+(, \d+\.\d+\.\d+\.\d+\/\d+)*"\]$/);
    expect(d).toContain('subgraph r0["VNet vnet-a 10.0.0.0/16"]');
    expect(d).toMatch(/subgraph r\d+\["subnet snet-cache 10\.1\.0\.0\/24"\]/);
  });

  test('the vault and the storage account are labelled with their Azure names (apply-time parts as …) and what they hold', () => {
    expect(lines[at('Key Vault')]).toMatch(/\{\{"Key Vault<br\/>kv-pgm-…<br\/>1 secret: activation-code"\}\}$/);
    expect(lines[at('Storage account')]).toMatch(/\[\("Storage account<br\/>stpgmfiler…<br\/>core filer: data"\)\]$/);
    expect(d).not.toMatch(/<br\/>(kv|filer)<br\/>|random_string/); // not the Terraform (logical) names
  });

  test('who reads the vault: the identities with a role on it or on one of its secrets (not the deployer)', () => {
    const vault = idOf('Key Vault');
    expect(lines.filter((l) => l.endsWith(`.-> ${vault}`)).sort()).toEqual(
      [`  ${idOf('vmss-nodes')} -. "reads activation-code" .-> ${vault}`, `  ${idOf('vm-sched')} -. "reads secrets" .-> ${vault}`].sort(),
    );
  });

  test('mounts: by the cache addresses or its DNS name in what the machine is told at boot (extensions and locals included)', () => {
    const cache = idOf('Avere vFXT cache');
    const mounting = lines.filter((l) => l.endsWith(`-- mounts --> ${cache}`)).map((l) => l.trim().split(' ')[0]);
    expect(mounting.sort()).toEqual([idOf('vmss-nodes'), idOf('vm-sched')].sort());
    // 10.1.0.170 is not 10.1.0.17: the jump box does not mount.
    expect(mounting).not.toContain(idOf('vm-jump<'));
  });

  test("mermaid's own parser accepts the diagram and rejects a broken one", async () => {
    expect(await mermaidParse(d)).toEqual({ ok: true, diagramType: 'flowchart-v2' });
    expect(await mermaidParse('flowchart LR\n  subgraph r0["VNet x"]\n  a --> \n')).toMatchObject({ ok: false });
  });
});

test('markdown: deploy order, stack table, inventory, quota totals, seed comparison and a mermaid block', () => {
  const md = renderArchitectureMarkdown(buildArchitectureReport(buildAppModel(fixture())));
  expect(md).toContain('Deploy order: `network` → `storage` → `compute`');
  expect(md).toContain('| compute | 11 | 0 | network, storage |');
  expect(md).toContain('| StandardNCADSA100v4Family | 5 | 120 | 5 |');
  expect(md).toContain('| **total** | **12** | **229** | **5** |');
  expect(md).toContain('| GPU processing nodes | Standard_NC24 | 5 | 120 | 20 |');
  expect(md).toMatch(/```mermaid\nflowchart LR\n[\s\S]*\n```\n$/);
});

test('the default app: report written into the outdir, every stack and the network drawn', async () => {
  const app = synthApp({ storage: { backend: 'avere' } });
  const { report, files } = writeArchitectureReport(app.outdir);
  expect(report.deployOrder).toEqual(['network', 'storage', 'compute']);
  expect(report.stacks.find((s) => s.name === 'compute')?.dependsOn).toEqual(['network', 'storage']);
  expect(report.stacks.find((s) => s.name === 'network')?.resourceCounts.azurerm_subnet).toBeGreaterThanOrEqual(4);
  expect(report.diagram).toContain('subgraph r0["VNet vnet-pgm-photoscan 10.0.0.0/16"]');
  expect(report.diagram).toMatch(/subgraph r\d+\["subnet snet-pgm-cache 10\.1\.0\.0\/24"\]/);
  expect(report.diagram).toMatch(/peering/);
  expect(await mermaidParse(report.diagram)).toEqual({ ok: true, diagramType: 'flowchart-v2' });
  expect(fs.readFileSync(files[0], 'utf8')).toContain('# Architecture report');
  expect(JSON.parse(fs.readFileSync(files[1], 'utf8')).deployOrder).toEqual(['network', 'storage', 'compute']);
});

test('a second configuration: Lustre, Bastion, Linux jump box, 10 T4 nodes — inventory, quota and diagram follow', async () => {
  const app = synthApp({
    storage: { backend: 'managed-lustre' },
    compute: { bastion: { enabled: true }, jumpboxes: { linux: true }, nodes: { count: 10, size: 'Standard_NC64as_T4_v3' } },
  });
  const report = buildArchitectureReport(loadAppModel(app.outdir));
  const line = (name: string) => report.inventory.lines.find((l) => l.name === name);
  expect(line('vmss-pgm-nodes')).toMatchObject({
    kind: 'scale set',
    size: 'Standard_NC64as_T4_v3',
    count: 10,
    gpusPerVm: 4,
    family: 'Standard NCASv3_T4 Family',
  });
  expect(line('vm-pgm-jumplnx')).toMatchObject({ os: 'linux', size: 'Standard_B2s' });
  expect(report.inventory.lines.some((l) => l.kind === 'cache node')).toBe(false);
  expect(report.inventory.families.find((f) => f.family === 'Standard NCASv3_T4 Family')).toEqual({
    family: 'Standard NCASv3_T4 Family',
    vms: 10,
    vcpus: 640,
    gpus: 40,
  });
  expect(report.inventory.unknownSizes).toEqual(['Standard_B2s']);
  expect(report.diagram).toContain('Azure Managed Lustre');
  expect(report.diagram).toContain('Azure Bastion');
  expect(report.diagram).toMatch(/-- HSM -->/);
  // The Linux nodes mount Lustre (its MGS address reaches their cloud-init); Windows does not mount Lustre.
  const { lines, idOf } = diagramIndex(report.diagram);
  expect(lines.filter((l) => l.includes('-- mounts -->')).map((l) => l.trim())).toEqual([
    `${idOf('vmss-pgm-nodes')} -- mounts --> ${idOf('Azure Managed Lustre')}`,
  ]);
  expect(report.diagram).toContain('Lustre HSM store: data, lustre-logs');
  expect(await mermaidParse(report.diagram)).toEqual({ ok: true, diagramType: 'flowchart-v2' });
});

test('the default app (Azure NetApp Files): volumes in the delegated subnet, mounted by nodes and scheduler; throughput estimate', () => {
  const app = synthApp();
  const report = buildArchitectureReport(loadAppModel(app.outdir));
  const d = report.diagram;
  const lines = d.split('\n');
  const at = (t: string) => lines.findIndex((l) => l.includes(t));
  expect(at('subnet snet-pgm-netapp 10.1.2.0/26')).toBeLessThan(at('NetApp volume<br/>vol-pgm-data<br/>3072 GiB Premium NFSv3'));
  const { idOf } = diagramIndex(d);
  // The nodes mount both volumes; the scheduler maps the data volume only.
  for (const volume of ['vol-pgm-data', 'vol-pgm-home']) expect(d).toContain(`${idOf('vmss-pgm-nodes')} -- mounts --> ${idOf(volume)}`);
  expect(d).toContain(`${idOf('vm-pgm-scheduler')} -- mounts --> ${idOf('vol-pgm-data')}`);
  expect(d).not.toContain(`${idOf('vm-pgm-scheduler')} -- mounts --> ${idOf('vol-pgm-home')}`);
  expect(d).not.toContain('Avere');
  expect(report.storage).toEqual({
    nodes: 5,
    volumes: [
      { stack: 'storage', name: 'vol-pgm-data', serviceLevel: 'Premium', quotaGib: 3072, mibps: 192, perNodeMibps: 38.4 },
      { stack: 'storage', name: 'vol-pgm-home', serviceLevel: 'Premium', quotaGib: 1024, mibps: 64, perNodeMibps: 12.8 },
    ],
  });
  const md = renderArchitectureMarkdown(report);
  expect(md).toContain('## Storage throughput (Azure NetApp Files, auto QoS: service level rate × quota; shared by 5 processing nodes)');
  expect(md).toContain('| vol-pgm-data | Premium | 3072 | 192 | 38.4 |');
});

test('the Avere app: every role of the architecture is in the diagram, in its subnet', () => {
  const app = synthApp({ storage: { backend: 'avere' } });
  const d = buildArchitectureReport(loadAppModel(app.outdir)).diagram;
  for (const text of [
    'vm-pgm-dc01',
    'vm-pgm-dc02',
    'vm-pgm-scheduler',
    'vmss-pgm-nodes',
    'Avere vFXT cache',
    'vm-pgm-vfxt-controller',
    'Key Vault',
    'vm-pgm-jumpwin',
    'Public IP',
    'Private DNS zone',
  ]) {
    expect(d).toContain(text);
  }
  const lines = d.split('\n');
  const at = (t: string) => lines.findIndex((l) => l.includes(t));
  expect(at('subnet snet-pgm-ad')).toBeLessThan(at('vm-pgm-dc01'));
  expect(at('subnet snet-pgm-compute')).toBeLessThan(at('vmss-pgm-nodes'));
  expect(at('subnet snet-pgm-cache')).toBeLessThan(at('Avere vFXT cache'));
  expect(d).toMatch(/-- core filer -->/);
  // Who mounts the cache (nodes and scheduler), who reads the vault, and the vault and filer by their Azure names.
  const { idOf } = diagramIndex(d);
  const cache = idOf('Avere vFXT cache');
  const vault = idOf('Key Vault');
  for (const machine of ['vmss-pgm-nodes', 'vm-pgm-scheduler']) {
    expect(d).toContain(`${idOf(machine)} -- mounts --> ${cache}`);
    expect(d).toContain(`${idOf(machine)} -. "reads photoscan-activation-code" .-> ${vault}`);
  }
  expect(d).not.toContain(`${idOf('vm-pgm-dc01')} -- mounts`);
  expect(d).toMatch(/\{\{"Key Vault<br\/>kv-pgm-…<br\/>5 secrets: photoscan-activation-code, /);
  expect(d).toContain('"Storage account<br/>stpgmfiler…<br/>core filer: data, home"');
  expect(d).not.toMatch(/secrets_vault_|core-filer_account_/);
  const report = buildArchitectureReport(loadAppModel(app.outdir));
  expect(report.inventory.lines.find((l) => l.kind === 'cache node')).toMatchObject({ size: 'Standard_E32s_v3', count: 3, family: 'standardESv3Family' });
});
