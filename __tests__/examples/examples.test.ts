/**
 * The example configurations in `examples/`: every `*.json` there is a valid configuration file, synthesizes the
 * whole app with no error annotation, passes the offline validation, and shows what its name promises.
 * Each example is synthesized once (beforeAll) and shared by the tests.
 */
import * as fs from 'fs';
import * as path from 'path';
import { readConfigFile } from '../../src/config/load';
import { formatProblem, validateOutdirDetailed } from '../../src/validation';
import { STACK_NAMES } from '../../stacks/app';
import { azurermStateKey } from '../../stacks/backend';
import { resourcesOf, synthApp, SynthesizedApp, TfJson } from '../support/synth';

const EXAMPLES_DIR = path.join(__dirname, '..', '..', 'examples');
/** Every example file, found by globbing the folder (new examples are picked up automatically). */
const FILES = fs
  .readdirSync(EXAMPLES_DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();
const REQUIRED = [
  'azurerm-backend.json',
  'bastion-linux-jumpbox.json',
  'custom-address-plan.json',
  'managed-lustre.json',
  'spot-autoscale.json',
  'windows-workers-license-server.json',
];

const apps = new Map<string, SynthesizedApp>();

beforeAll(() => {
  for (const file of FILES) {
    const input = JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8'));
    apps.set(file, synthApp(input));
  }
});

afterAll(() => {
  for (const app of apps.values()) fs.rmSync(app.outdir, { recursive: true, force: true });
});

function example(file: string): SynthesizedApp {
  const app = apps.get(file);
  if (!app) throw new Error(`example ${file} was not synthesized`);
  return app;
}

/** All resources of `type` across the three stacks. */
function everywhere(app: SynthesizedApp, type: string): Array<Record<string, any>> {
  return STACK_NAMES.flatMap((s) => resourcesOf(app.stacks[s], type).map(([, r]) => r));
}

function warnings(app: SynthesizedApp): string[] {
  return Object.values(app.manifest.stacks).flatMap((s) => s.annotations.filter((a) => a.level === '@cdktf/warn').map((a) => a.message));
}

/** The text of the local an expression such as `${base64encode(local.NAME)}` refers to (scripts are locals). */
function localBehind(stack: TfJson, expression: string): string {
  const name = /local\.([\w-]+)/.exec(expression)?.[1];
  expect(name).toBeDefined();
  return stack.locals?.[name!] as string;
}

describe('examples/', () => {
  test('holds at least the six documented examples, each documented in examples/README.md', () => {
    expect(FILES).toEqual(expect.arrayContaining(REQUIRED));
    const readme = fs.readFileSync(path.join(EXAMPLES_DIR, 'README.md'), 'utf8');
    for (const file of FILES) expect(readme).toContain(`examples/${file}`);
  });

  test.each(FILES)('%s is a valid configuration file (as main.ts reads it)', (file) => {
    expect(() => readConfigFile(path.join(EXAMPLES_DIR, file))).not.toThrow();
  });

  test.each(FILES)('%s: three stacks, no error annotation, offline validation reports 0 problems', (file) => {
    const app = example(file);
    expect(Object.keys(app.manifest.stacks).sort()).toEqual(['compute', 'network', 'storage']);
    const errors = Object.values(app.manifest.stacks).flatMap((s) => s.annotations.filter((a) => a.level === '@cdktf/error'));
    expect(errors).toEqual([]);
    const result = validateOutdirDetailed(app.outdir);
    expect(result.problems.map(formatProblem)).toEqual([]);
    expect(result.stacks.map((s) => s.stack).sort()).toEqual(['compute', 'network', 'storage']);
  });

  test.each(FILES)('%s: the vault firewall lists an IP range, and admin networks are named unless Bastion is on', (file) => {
    const app = example(file);
    const warned = warnings(app);
    expect(warned.filter((w) => w.includes('Key Vault firewall'))).toEqual([]);
    if (!app.config.compute.bastion.enabled) {
      expect(app.config.network.adminSourceCidrs.length).toBeGreaterThan(0);
      expect(warned.filter((w) => w.includes('adminSourceCidrs is empty'))).toEqual([]);
    } else {
      // Bastion admits RDP/SSH into the jump box subnet: the jump boxes are reachable, no warning.
      expect(warned.filter((w) => w.includes('pgm:hpc-network:no-admin-sources'))).toEqual([]);
    }
  });
});

describe('managed-lustre.json', () => {
  const file = 'managed-lustre.json';

  test('an Azure Managed Lustre file system with the configured SKU, capacity, zone and subnet; no Avere', () => {
    const app = example(file);
    const storage = app.stacks.storage;
    const [[, fsys], ...more] = resourcesOf(storage, 'azurerm_managed_lustre_file_system');
    expect(more).toEqual([]);
    expect(fsys).toMatchObject({
      sku_name: 'AMLFS-Durable-Premium-125',
      storage_capacity_in_tb: 32,
      zones: ['1'],
      maintenance_window: { day_of_week: 'Sunday', time_of_day_in_utc: '02:00' },
      hsm_setting: expect.objectContaining({ container_id: expect.stringContaining('azurerm_storage_container') }),
    });
    expect(resourcesOf(storage, 'azurerm_subnet').map(([, s]) => s.address_prefixes)).toEqual([['10.1.1.0/26']]);
    expect(everywhere(app, 'avere_vfxt')).toEqual([]);
    expect(warnings(app).filter((w) => w.includes('Avere'))).toEqual([]);
  });

  test('HSM roles for the HPC Cache resource provider come from the Terraform variable; Linux nodes mount the MGS from the storage stack', () => {
    const app = example(file);
    expect(Object.keys(app.stacks.storage.variable ?? {})).toContain('hpc_cache_rp_object_id');
    const roles = resourcesOf(app.stacks.storage, 'azurerm_role_assignment').map(([, r]) => r);
    expect(roles.map((r) => r.role_definition_name).sort()).toEqual(['Storage Account Contributor', 'Storage Blob Data Contributor']);
    for (const r of roles) expect(r.principal_id).toBe('${var.hpc_cache_rp_object_id}');
    const compute = app.stacks.compute;
    expect(resourcesOf(compute, 'azurerm_linux_virtual_machine_scale_set')).toHaveLength(1);
    expect(resourcesOf(compute, 'azurerm_windows_virtual_machine_scale_set')).toEqual([]);
    expect(Object.keys(compute.data?.terraform_remote_state ?? {})).toContain('cross-stack-reference-input-storage');
    expect(JSON.stringify(compute.locals)).toMatch(/lustre/);
  });
});

describe('windows-workers-license-server.json', () => {
  const file = 'windows-workers-license-server.json';

  test('a Windows scale set of workers and no Linux scale set', () => {
    const compute = example(file).stacks.compute;
    const [[, vmss], ...more] = resourcesOf(compute, 'azurerm_windows_virtual_machine_scale_set');
    expect(more).toEqual([]);
    expect(vmss.instances).toBe(4);
    expect(vmss.extension.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['NvidiaGpuDriverWindows', 'CustomScriptExtension']));
    expect(resourcesOf(compute, 'azurerm_linux_virtual_machine_scale_set')).toEqual([]);
  });

  test("the licence server reaches the workers' and the scheduler's bootstrap; no activation code variable or secret", () => {
    const app = example(file);
    const compute = app.stacks.compute;
    const [[, vmss]] = resourcesOf(compute, 'azurerm_windows_virtual_machine_scale_set');
    const worker = localBehind(compute, vmss.custom_data);
    expect(worker).toContain("$Licensing = 'license-server'");
    expect(worker).toContain("$LicenseServer = 'lic01.photoscan.local:5842'");
    expect(worker).toContain("$KeyVaultUri = ''");

    // The scheduler's script travels gzip + base64 inside its CustomScriptExtension command.
    const [scheduler] = resourcesOf(compute, 'azurerm_virtual_machine_extension').filter(([, e]) => e.type === 'CustomScriptExtension');
    expect(scheduler).toBeDefined();
    expect(scheduler[1].settings).toMatch(/base64gzip\(local\.[\w-]+\)/);
    expect(localBehind(compute, scheduler[1].settings)).toContain("$LicenseServer = 'lic01.photoscan.local:5842'");

    for (const s of STACK_NAMES) expect(Object.keys(app.stacks[s].variable ?? {})).not.toContain('photoscan_activation_code');
    expect(JSON.stringify(resourcesOf(app.stacks.network, 'azurerm_key_vault_secret'))).not.toContain('activation');
  });
});

describe('bastion-linux-jumpbox.json', () => {
  const file = 'bastion-linux-jumpbox.json';

  test('Azure Bastion in AzureBastionSubnet with the only public IP; no VM or NIC has a public IP', () => {
    const app = example(file);
    const compute = app.stacks.compute;
    const [[, bastion], ...more] = resourcesOf(compute, 'azurerm_bastion_host');
    expect(more).toEqual([]);
    const [[pipName]] = resourcesOf(compute, 'azurerm_public_ip');
    expect(everywhere(app, 'azurerm_public_ip')).toHaveLength(1);
    expect(bastion.ip_configuration.public_ip_address_id).toBe(`\${azurerm_public_ip.${pipName}.id}`);
    expect(resourcesOf(compute, 'azurerm_subnet').map(([, s]) => [s.name, s.address_prefixes])).toEqual([['AzureBastionSubnet', ['10.0.3.0/26']]]);

    const nics = everywhere(app, 'azurerm_network_interface');
    expect(nics.length).toBeGreaterThanOrEqual(5);
    for (const nic of nics) for (const ip of nic.ip_configuration) expect(ip.public_ip_address_id).toBeUndefined();
    expect(JSON.stringify(everywhere(app, 'azurerm_linux_virtual_machine'))).not.toContain('azurerm_public_ip');
    expect(JSON.stringify(everywhere(app, 'azurerm_windows_virtual_machine'))).not.toContain('azurerm_public_ip');
  });

  test("a Linux jump box with the example's SSH key and password authentication off", () => {
    const app = example(file);
    const key = app.config.adminSshPublicKey!;
    expect(key).toMatch(/^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI[A-Za-z0-9+/]{43} /);
    const linux = resourcesOf(app.stacks.compute, 'azurerm_linux_virtual_machine').map(([, vm]) => vm);
    expect(linux).toHaveLength(1);
    expect(linux[0]).toMatchObject({ size: 'Standard_B2s', disable_password_authentication: true });
    expect(JSON.stringify(linux[0].admin_ssh_key)).toContain(key);
    expect(Object.keys(app.stacks.compute.variable ?? {})).not.toContain('admin_ssh_public_key');
  });
});

describe('batch-pool.json', () => {
  const file = 'batch-pool.json';

  test('a Batch pool instead of the scale set: 6 workers 07:00–19:00 W. Europe on weekdays, 1 otherwise, the same node setup', () => {
    const compute = example(file).stacks.compute;
    expect(resourcesOf(compute, 'azurerm_linux_virtual_machine_scale_set')).toEqual([]);
    const [[, pool], ...more] = resourcesOf(compute, 'azurerm_batch_pool');
    expect(more).toEqual([]);
    expect(pool.auto_scale.formula).toBe(
      [
        '$now = time() + 60 * TimeInterval_Minute;',
        '$workday = $now.weekday == 1 || $now.weekday == 2 || $now.weekday == 3 || $now.weekday == 4 || $now.weekday == 5;',
        '$working = $workday && $now.hour >= 7 && $now.hour < 19;',
        '$TargetDedicatedNodes = $working ? 6 : 1;',
        '$TargetLowPriorityNodes = 0;',
        '$NodeDeallocationOption = requeue;',
      ].join('\n'),
    );
    expect(resourcesOf(compute, 'azurerm_batch_account')[0][1].pool_allocation_mode).toBe('BatchService');
    expect(localBehind(compute, pool.start_task.command_line)).toContain("write_file '/opt/photogrammetry/node-setup.sh' 0755");
  });
});

describe('cyclecloud.json', () => {
  const file = 'cyclecloud.json';

  test('a CycleCloud server that starts the worker cluster with 2 workers, at most 6; terms accepted beforehand', () => {
    const compute = example(file).stacks.compute;
    expect(resourcesOf(compute, 'azurerm_linux_virtual_machine_scale_set')).toEqual([]);
    expect(resourcesOf(compute, 'azurerm_marketplace_agreement')).toEqual([]);
    const [[, server]] = resourcesOf(compute, 'azurerm_linux_virtual_machine');
    expect(server.plan).toEqual({ name: 'cyclecloud8-gen2', product: 'azure-cyclecloud', publisher: 'azurecyclecloud' });
    const cloudConfig = localBehind(compute, server.custom_data);
    expect(cloudConfig).toContain('"InitialCount": 2');
    expect(cloudConfig).toContain('"MaxCount": 6');
  });
});

describe('spot-autoscale.json', () => {
  const file = 'spot-autoscale.json';

  test('Spot nodes evicted by Delete, capacity owned by the autoscale setting', () => {
    const compute = example(file).stacks.compute;
    const [[vmssName, vmss]] = resourcesOf(compute, 'azurerm_linux_virtual_machine_scale_set');
    expect(vmss).toMatchObject({ priority: 'Spot', eviction_policy: 'Delete', max_bid_price: -1, instances: 8 });
    expect(vmss.lifecycle?.ignore_changes).toContain('instances');

    const [[, autoscale], ...more] = resourcesOf(compute, 'azurerm_monitor_autoscale_setting');
    expect(more).toEqual([]);
    expect(autoscale.target_resource_id).toBe(`\${azurerm_linux_virtual_machine_scale_set.${vmssName}.id}`);
    const weekdays = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'];
    expect(autoscale.profile).toEqual([
      expect.objectContaining({
        capacity: { default: 8, minimum: 8, maximum: 8 },
        recurrence: { days: weekdays, hours: [7], minutes: [0], timezone: 'W. Europe Standard Time' },
      }),
      expect.objectContaining({
        capacity: { default: 0, minimum: 0, maximum: 0 },
        recurrence: { days: weekdays, hours: [19], minutes: [0], timezone: 'W. Europe Standard Time' },
      }),
    ]);
  });
});

describe('azurerm-backend.json', () => {
  const file = 'azurerm-backend.json';
  const state = {
    resource_group_name: 'rg-tfstate',
    storage_account_name: 'sttfstateprod01',
    container_name: 'tfstate',
    use_oidc: true,
    use_azuread_auth: true,
  };

  test('every stack keeps its state under its own key in the same container', () => {
    const app = example(file);
    for (const name of STACK_NAMES) {
      expect(app.stacks[name].terraform?.backend).toEqual({ azurerm: { ...state, key: azurermStateKey(name, 'photogrammetry/prod') } });
    }
    expect(azurermStateKey('compute', 'photogrammetry/prod')).toBe('photogrammetry/prod/compute.tfstate');
  });

  test("consumers read the network stack's outputs through terraform_remote_state with the azurerm backend", () => {
    const app = example(file);
    for (const consumer of ['storage', 'compute'] as const) {
      const remote = app.stacks[consumer].data?.terraform_remote_state ?? {};
      expect(Object.keys(remote).length).toBeGreaterThan(0);
      for (const [name, r] of Object.entries(remote)) {
        const producer = /cross-stack-reference-input-(\w+)/.exec(name)![1];
        expect(r).toEqual({ backend: 'azurerm', config: { ...state, key: `photogrammetry/prod/${producer}.tfstate` }, workspace: '${terraform.workspace}' });
      }
    }
    expect(JSON.stringify(app.stacks)).not.toContain('"local"');
  });
});

describe('custom-address-plan.json', () => {
  const file = 'custom-address-plan.json';

  test('both VNets, every subnet and the DNS servers follow the 172.20/172.21 plan', () => {
    const network = example(file).stacks.network;
    const vnets = Object.fromEntries(resourcesOf(network, 'azurerm_virtual_network').map(([, v]) => [v.name, v.address_space]));
    expect(vnets).toEqual({ 'vnet-pgmnet-photoscan': ['172.20.0.0/16'], 'vnet-pgmnet-storage': ['172.21.0.0/16'] });
    const subnets = Object.fromEntries(resourcesOf(network, 'azurerm_subnet').map(([, s]) => [s.name, s.address_prefixes]));
    expect(subnets).toEqual({
      'snet-pgmnet-jumpbox': ['172.20.0.0/24'],
      'snet-pgmnet-compute': ['172.20.1.0/24'],
      'snet-pgmnet-ad': ['172.20.2.0/24'],
      // The runner subnet (deploy.from "runner-subnet"): the last /27 of the PhotoScan VNet.
      'snet-pgmnet-runner': ['172.20.255.224/27'],
    });
    // The default backend's delegated subnet lives in the storage stack.
    expect(resourcesOf(example(file).stacks.storage, 'azurerm_subnet').map(([, s]) => [s.name, s.address_prefixes])).toEqual([
      ['snet-pgmnet-netapp', ['172.21.2.0/26']],
    ]);
    for (const [, d] of resourcesOf(network, 'azurerm_virtual_network_dns_servers')) expect(d.dns_servers).toEqual(['172.20.2.4', '172.20.2.5']);
    // Nothing of the default plan is left in any stack.
    expect(JSON.stringify(example(file).stacks)).not.toMatch(/\b10\.[01]\.\d+\.\d+/);
  });

  test('static addresses: domain controllers, scheduler, jump box; the NetApp volumes admit the compute subnet', () => {
    const app = example(file);
    const privateIps = (json: TfJson) =>
      Object.fromEntries(
        resourcesOf(json, 'azurerm_network_interface').map(([name, n]) => [name.replace(/_[0-9A-F]{8}$/, ''), n.ip_configuration[0].private_ip_address]),
      );
    expect(privateIps(app.stacks.network)).toEqual({ 'domain_dc01-nic': '172.20.2.4', 'domain_dc02-nic': '172.20.2.5' });
    expect(privateIps(app.stacks.compute)).toEqual({ 'cluster_scheduler-nic': '172.20.1.250', 'jumpboxes_jumpwin-nic': '172.20.0.4' });
    for (const [, v] of resourcesOf(app.stacks.storage, 'azurerm_netapp_volume')) expect(v.export_policy_rule[0].allowed_clients).toEqual(['172.20.1.0/24']);
    // The nodes dispatch to the scheduler's new address.
    const [[, vmss]] = resourcesOf(app.stacks.compute, 'azurerm_linux_virtual_machine_scale_set');
    expect(JSON.stringify(vmss) + JSON.stringify(app.stacks.compute.locals)).toContain('172.20.1.250:5841');
  });
});
