/**
 * compute.orchestrator "batch" and "cyclecloud": the pure rules (node agent, autoscale formula, bounds), the
 * configuration's errors, and the synthesized compute stack of each variant (pool / server settings, identities,
 * roles, hardened storage, NSG rules), whose workers boot with the scale set's own rendered setup.
 */
import * as zlib from 'zlib';
import { batchAutoscaleFormula, batchNodeAgentSku, cycleCloudNodeBounds } from '../../src/compute/orchestrators';
import { CYCLECLOUD_ROLE_ACTIONS, CYCLECLOUD_SUBSCRIPTION_READ_ACTIONS } from '../../constructs/cyclecloud-cluster';
import { parseConfig } from '../../src/config/load';
import { architectureReport, renderArchitectureMarkdown } from '../../src/report/report';
import { PREREQUISITES } from '../../src/report/prerequisites';
import { resourcesOf, synthApp, type SynthesizedApp, type TfJson } from '../support/synth';

const base = {
  namePrefix: 'pgmt',
  location: 'westeurope',
  network: { adminSourceCidrs: ['203.0.113.0/24'] },
  secrets: { allowedIpRanges: ['198.51.100.0/24'] },
};
const one = (stack: TfJson, type: string): Record<string, any> => {
  const rs = resourcesOf(stack, type);
  expect(rs).toHaveLength(1);
  return rs[0][1];
};
const errorsOf = (input: unknown): string => {
  try {
    parseConfig(input);
    return '';
  } catch (e) {
    return (e as Error).message;
  }
};

describe('pure rules', () => {
  test('node agent SKU from the HPC image', () => {
    expect(batchNodeAgentSku({ publisher: 'microsoft-dsvm', offer: 'ubuntu-hpc', sku: '2204', version: 'latest' })).toBe('batch.node.ubuntu 22.04');
    expect(batchNodeAgentSku({ publisher: 'microsoft-dsvm', offer: 'ubuntu-hpc', sku: '2004', version: 'latest' })).toBe('batch.node.ubuntu 20.04');
    expect(batchNodeAgentSku({ publisher: 'almalinux', offer: 'almalinux-hpc', sku: '8_7-hpc-gen2', version: 'latest' })).toBe('batch.node.el 8');
    expect(batchNodeAgentSku({ publisher: 'x', offer: 'windows', sku: '2022', version: 'latest' })).toBeUndefined();
  });

  test('the schedule as a Batch formula: working hours in the zone (standard offset), idle floor, no queue', () => {
    const f = batchAutoscaleFormula({
      count: 6,
      spot: false,
      autoscale: { enabled: true, timeZone: 'Pacific Standard Time', days: ['Monday', 'Sunday'], startHour: 7, stopHour: 19, idleCount: 1 },
    });
    expect(f.split('\n')).toEqual([
      '$now = time() - 480 * TimeInterval_Minute;',
      '$workday = $now.weekday == 0 || $now.weekday == 1;',
      '$working = $workday && $now.hour >= 7 && $now.hour < 19;',
      '$TargetDedicatedNodes = $working ? 6 : 1;',
      '$TargetLowPriorityNodes = 0;',
      '$NodeDeallocationOption = requeue;',
    ]);
    expect(f).not.toMatch(/PendingTasks|ActiveTasks/);
  });

  test('without a schedule: the count all the time; spot targets $TargetLowPriorityNodes (Spot VMs in a user-subscription account)', () => {
    expect(batchAutoscaleFormula({ count: 3, spot: true })).toBe(
      '$TargetLowPriorityNodes = 3;\n$TargetDedicatedNodes = 0;\n$NodeDeallocationOption = requeue;',
    );
    expect(batchAutoscaleFormula({ count: 3, spot: false, autoscale: { enabled: true } })).toContain('$now = time();');
  });

  test('CycleCloud bounds: the idle count to start with under a schedule, at most count', () => {
    expect(cycleCloudNodeBounds(6)).toEqual({ initial: 6, max: 6 });
    expect(cycleCloudNodeBounds(6, { enabled: true, idleCount: 2 })).toEqual({ initial: 2, max: 6 });
  });
});

describe('configuration', () => {
  test('defaults: the scale set', () => {
    const c = parseConfig({}).compute;
    expect(c.orchestrator).toBe('scale-set');
    expect(c.batch.poolAllocationMode).toBe('BatchService');
    expect(c.cyclecloud).toEqual({ serverSize: 'Standard_D4s_v5', acceptMarketplaceTerms: false });
  });

  test('errors name the field and what is allowed', () => {
    expect(errorsOf({ compute: { orchestrator: 'slurm' } })).toMatch(/compute\.orchestrator.*"scale-set".*"batch".*"cyclecloud"/);
    expect(errorsOf({ compute: { orchestrator: 'batch', nodes: { os: 'windows' } } })).toMatch(/compute\.nodes\.os.*Linux workers only/);
    expect(errorsOf({ compute: { orchestrator: 'cyclecloud', nodes: { gpuDriver: 'extension' } } })).toMatch(/compute\.nodes\.gpuDriver/);
    expect(errorsOf({ compute: { orchestrator: 'batch', batch: { poolAllocationMode: 'UserSubscription' } } })).toMatch(
      /compute\.batch\.batchServicePrincipalObjectId.*Microsoft Azure Batch/,
    );
    expect(errorsOf({ compute: { orchestrator: 'batch', nodes: { autoscale: { enabled: true, timeZone: 'Fiji Standard Time' } } } })).toMatch(
      /compute\.nodes\.autoscale\.timeZone.*Batch schedule/,
    );
    expect(errorsOf({ compute: { orchestrator: 'batch', nodes: { spot: { enabled: true } } } })).toMatch(
      /compute\.nodes\.spot\.enabled.*"UserSubscription".*retired on 30 September 2025/,
    );
    expect(errorsOf({ compute: { orchestrator: 'batch', nodes: { image: { publisher: 'p', offer: 'debian-hpc', sku: '12' } } } })).toMatch(
      /compute\.batch\.nodeAgentSkuId/,
    );
    // The same time zone is fine for the scale set (Azure Monitor knows it).
    expect(errorsOf({ compute: { nodes: { autoscale: { enabled: true, timeZone: 'Fiji Standard Time' } } } })).toBe('');
  });
});

describe('orchestrator "batch"', () => {
  let app: SynthesizedApp;
  let compute: TfJson;
  beforeAll(() => {
    app = synthApp({
      ...base,
      compute: {
        orchestrator: 'batch',
        nodes: {
          count: 6,
          autoscale: { enabled: true, startHour: 7, stopHour: 19, idleCount: 1, timeZone: 'W. Europe Standard Time' },
        },
      },
    });
    compute = app.stacks.compute;
  });

  test('no scale set, no Azure Monitor autoscale: a Batch pool instead, next to the same scheduler', () => {
    expect(resourcesOf(compute, 'azurerm_linux_virtual_machine_scale_set')).toEqual([]);
    expect(resourcesOf(compute, 'azurerm_monitor_autoscale_setting')).toEqual([]);
    expect(resourcesOf(compute, 'azurerm_windows_virtual_machine').map(([, r]) => r.name)).toContain('vm-pgmt-scheduler');
  });

  test('the pool: GPU size, HPC image with its node agent, VNet-injected into the compute subnet, no public IPs, simplified communication', () => {
    const pool = one(compute, 'azurerm_batch_pool');
    expect(pool).toMatchObject({
      vm_size: 'Standard_NC24ads_A100_v4',
      node_agent_sku_id: 'batch.node.ubuntu 22.04',
      storage_image_reference: { publisher: 'microsoft-dsvm', offer: 'ubuntu-hpc', sku: '2204', version: 'latest' },
      target_node_communication_mode: 'Simplified',
      max_tasks_per_node: 1,
      network_configuration: { public_address_provisioning_type: 'NoPublicIPAddresses', accelerated_networking_enabled: true },
      security_profile: { host_encryption_enabled: true },
    });
    expect(pool.network_configuration.subnet_id).toMatch(/compute-subnet/);
    expect(pool.auto_scale.formula).toContain('$TargetDedicatedNodes = $working ? 6 : 1;');
    expect(pool.auto_scale.formula).toContain('$now = time() + 60 * TimeInterval_Minute;');
    expect(pool.fixed_scale).toBeUndefined();
  });

  test('one user-assigned identity on the pool, which (only) reads the activation code', () => {
    const pool = one(compute, 'azurerm_batch_pool');
    expect(pool.identity.type).toBe('UserAssigned');
    expect(pool.identity.identity_ids).toHaveLength(1);
    const nodeIdentity = /azurerm_user_assigned_identity\.([\w-]+)\.id/.exec(pool.identity.identity_ids[0])![1];
    const grants = resourcesOf(compute, 'azurerm_role_assignment')
      .map(([, r]) => r)
      .filter((r) => r.principal_id === `\${azurerm_user_assigned_identity.${nodeIdentity}.principal_id}`);
    expect(grants.map((g) => [g.role_definition_name, g.scope])).toEqual([['Key Vault Secrets User', expect.stringMatching(/activation-code/)]]);
  });

  test('the start task: admin auto-user, waited for, runs the node bundle: the scale set files, gzip+base64 through Terraform', () => {
    const task = one(compute, 'azurerm_batch_pool').start_task;
    expect(task.user_identity).toEqual({ auto_user: { elevation_level: 'Admin', scope: 'Pool' } });
    expect(task.wait_for_success).toBe(true);
    const local = /base64gzip\(local\.([\w-]+)\)/.exec(task.command_line)![1];
    const bundle = compute.locals![local] as string;
    expect(bundle).toContain('Started by: azure-batch-start-task.');
    for (const path of ['/opt/photogrammetry/node-setup.sh', '/etc/systemd/system/metashape-node.service', '/opt/photogrammetry/metashape-activate.sh'])
      expect(bundle).toContain(`write_file '${path}'`);
    // Joins the same scheduler, mounts the same file system (NetApp Files volumes of the storage stack).
    expect(bundle).toContain('--dispatch 10.0.1.250:5841');
    expect(bundle).toMatch(/EXPORTS=\('[^']*\|\/mnt\/anf-data\|/);
    expect(task.command_line).toMatch(/^\/bin\/bash -c '.*\| base64 -d \| gunzip > "\$f"; exec bash "\$f"'$/);
    // What Terraform's base64gzip makes of it fits a Linux command-line argument (128 KiB) with room to spare.
    expect(zlib.gzipSync(bundle).toString('base64').length).toBeLessThan(32 * 1024);
  });

  test('the account: Batch service allocation, Entra ID only, auto-storage through its own identity', () => {
    const account = one(compute, 'azurerm_batch_account');
    expect(account).toMatchObject({
      pool_allocation_mode: 'BatchService',
      allowed_authentication_modes: ['AAD'],
      storage_account_authentication_mode: 'BatchAccountManagedIdentity',
      identity: { type: 'UserAssigned' },
    });
    expect(account.key_vault_reference).toBeUndefined();
    expect(account.depends_on).toEqual([expect.stringMatching(/account-uses-storage/)]);
  });

  test('its storage account is hardened like the core filer; Entra ID is the default authorization', () => {
    const st = one(compute, 'azurerm_storage_account');
    expect(st).toMatchObject({
      https_traffic_only_enabled: true,
      min_tls_version: 'TLS1_2',
      allow_nested_items_to_be_public: false,
      default_to_oauth_authentication: true,
      network_rules: { default_action: 'Deny', bypass: ['AzureServices'] },
      blob_properties: { versioning_enabled: true, delete_retention_policy: { days: 7 } },
    });
    expect(st.network_rules.virtual_network_subnet_ids).toEqual([expect.stringMatching(/compute-subnet/)]);
  });

  test('Batch adds no NSG rule: simplified communication without public IPs is outbound only', () => {
    const scaleSet = synthApp(base).stacks.compute;
    const names = (s: TfJson) => resourcesOf(s, 'azurerm_network_security_rule').map(([, r]) => r.name);
    expect(names(compute).sort()).toEqual(names(scaleSet).sort());
  });

  test('"UserSubscription": the vault as the account key vault, the Batch service principal may manage its secrets', () => {
    const sp = '0f0f0f0f-1111-2222-3333-444444444444';
    const s = synthApp({ ...base, compute: { orchestrator: 'batch', batch: { poolAllocationMode: 'UserSubscription', batchServicePrincipalObjectId: sp } } })
      .stacks.compute;
    const account = one(s, 'azurerm_batch_account');
    expect(account.pool_allocation_mode).toBe('UserSubscription');
    expect(account.key_vault_reference.id).toMatch(/key_vault|vault/i);
    const grant = resourcesOf(s, 'azurerm_role_assignment').find(([, r]) => r.principal_id === sp)![1];
    expect(grant.role_definition_name).toBe('Key Vault Secrets Officer');
    expect(account.depends_on).toHaveLength(2);
    // Fixed size without a schedule.
    expect(one(s, 'azurerm_batch_pool').auto_scale.formula).toBe(
      '$TargetDedicatedNodes = 5;\n$TargetLowPriorityNodes = 0;\n$NodeDeallocationOption = requeue;',
    );
  });
});

describe('orchestrator "cyclecloud"', () => {
  let compute: TfJson;
  beforeAll(() => {
    compute = synthApp({ ...base, compute: { orchestrator: 'cyclecloud', nodes: { count: 6, autoscale: { enabled: true, idleCount: 2 } } } }).stacks.compute;
  });
  const cloudInit = () => {
    const vm = one(compute, 'azurerm_linux_virtual_machine');
    const local = /base64encode\(local\.([\w-]+)\)/.exec(vm.custom_data)![1];
    return compute.locals![local] as string;
  };

  test('the server: CycleCloud 8 marketplace image with its plan, SSH key only, encryption at host, system identity; no scale set', () => {
    expect(resourcesOf(compute, 'azurerm_linux_virtual_machine_scale_set')).toEqual([]);
    const vm = one(compute, 'azurerm_linux_virtual_machine');
    expect(vm).toMatchObject({
      name: 'vm-pgmt-cyclecloud',
      size: 'Standard_D4s_v5',
      source_image_reference: { publisher: 'azurecyclecloud', offer: 'azure-cyclecloud', sku: 'cyclecloud8-gen2', version: 'latest' },
      plan: { name: 'cyclecloud8-gen2', product: 'azure-cyclecloud', publisher: 'azurecyclecloud' },
      disable_password_authentication: true,
      encryption_at_host_enabled: true,
      identity: { type: 'SystemAssigned' },
    });
    // Terms are a choice (accepted beforehand by default).
    expect(resourcesOf(compute, 'azurerm_marketplace_agreement')).toEqual([]);
    const accepted = synthApp({ ...base, compute: { orchestrator: 'cyclecloud', cyclecloud: { acceptMarketplaceTerms: true } } }).stacks.compute;
    expect(one(accepted, 'azurerm_marketplace_agreement')).toMatchObject({ publisher: 'azurecyclecloud', offer: 'azure-cyclecloud', plan: 'cyclecloud8-gen2' });
    expect(one(accepted, 'azurerm_linux_virtual_machine').depends_on).toEqual([expect.stringMatching(/marketplace_agreement/)]);
  });

  test('its identity: a custom role (no public IPs, no role or resource group writes) on the compute resource group and subnet, read-only lookups at the subscription', () => {
    const roles = resourcesOf(compute, 'azurerm_role_definition').map(([, r]) => r);
    expect(roles).toHaveLength(2);
    const [manage, read] = [roles.find((r) => !/-read-/.test(r.name))!, roles.find((r) => /-read-/.test(r.name))!];
    const actionsOf = (r: Record<string, any>) => r.permissions.actions ?? r.permissions[0]?.actions;
    expect(actionsOf(manage)).toEqual([...CYCLECLOUD_ROLE_ACTIONS]);
    expect(actionsOf(read)).toEqual([...CYCLECLOUD_SUBSCRIPTION_READ_ACTIONS]);
    expect(CYCLECLOUD_SUBSCRIPTION_READ_ACTIONS.every((a) => a.endsWith('/read'))).toBe(true);
    const actions: string[] = [...CYCLECLOUD_ROLE_ACTIONS];
    expect(actions.filter((a) => /publicIPAddresses|roleAssignments|roleDefinitions|resourceGroups\/write|\*\/write$|^\*$/.test(a))).toEqual([]);
    expect(manage.assignable_scopes).toEqual(['${azurerm_resource_group.resource-group.id}', expect.stringMatching(/compute-subnet.*id/)]);
    const server = '${azurerm_linux_virtual_machine.' + resourcesOf(compute, 'azurerm_linux_virtual_machine')[0][0] + '.identity[0].principal_id}';
    const grants = resourcesOf(compute, 'azurerm_role_assignment')
      .map(([, r]) => r)
      .filter((r) => r.principal_id === server);
    const pairs = grants.map((g) => [g.scope, /read-role/.test(g.role_definition_id ?? '') ? 'read' : (g.role_definition_name ?? 'manage')]);
    expect(pairs).toHaveLength(4);
    expect(pairs).toEqual(
      expect.arrayContaining([
        ['${azurerm_resource_group.resource-group.id}', 'manage'],
        [expect.stringMatching(/compute-subnet/), 'manage'],
        [expect.stringMatching(/^\/subscriptions\/\$\{data\.azurerm_client_config\.[\w-]+\.subscription_id\}$/), 'read'],
        [expect.stringMatching(/admin-secret/), 'Key Vault Secrets User'],
      ]),
    );
  });

  test('the admin password: generated, in the vault with content type and expiry, read by the server at boot; never in the JSON', () => {
    const secret = one(compute, 'azurerm_key_vault_secret');
    expect(secret).toMatchObject({ name: 'cyclecloud-admin-password', content_type: expect.any(String) });
    expect(secret.value).toMatch(/^\$\{random_password\./);
    expect(secret.expiration_date).toBeDefined();
    expect(cloudInit()).toMatch(/ADMIN_SECRET='\$\{azurerm_key_vault_secret\.[\w-]+\.name\}'/);
    expect(JSON.stringify(compute)).not.toMatch(/"value": "[^$]/);
  });

  test('the locker is hardened; the web UI is reachable from the jump box subnet only', () => {
    const st = one(compute, 'azurerm_storage_account');
    expect(st).toMatchObject({
      https_traffic_only_enabled: true,
      min_tls_version: 'TLS1_2',
      allow_nested_items_to_be_public: false,
      network_rules: { default_action: 'Deny' },
    });
    const rule = resourcesOf(compute, 'azurerm_network_security_rule').find(([, r]) => /cyclecloud/.test(r.name))![1];
    expect(rule).toMatchObject({ direction: 'Inbound', access: 'Allow', destination_port_range: '443', source_address_prefix: '10.0.0.0/24' });
  });

  test('boot: cloud-config with the init script, the cluster template, the bounds and the node bundle as cluster-init', () => {
    const doc = cloudInit();
    expect(doc.startsWith('#cloud-config\n')).toBe(true);
    expect(doc).toContain('"InitialCount": 2');
    expect(doc).toContain('"MaxCount": 6');
    expect(doc).toContain('"MachineType": "Standard_NC24ads_A100_v4"');
    expect(doc).toContain('/specs/default/cluster-init/scripts/10-metashape-node.sh');
    expect(doc).toContain('Started by: cyclecloud-cluster-init.');
    expect(doc).toContain('--dispatch 10.0.1.250:5841');
    expect(doc).toMatch(/"NodeIdentity": "\$\{azurerm_user_assigned_identity\.[\w-]+\.id\}"/);
    // Azure takes at most 64 KiB of custom data (base64).
    expect(Buffer.from(doc).toString('base64').length).toBeLessThan(64 * 1024);
  });

  test('the workers identity reads only the activation code', () => {
    const id = resourcesOf(compute, 'azurerm_user_assigned_identity')[0][0];
    const grants = resourcesOf(compute, 'azurerm_role_assignment')
      .map(([, r]) => r)
      .filter((r) => r.principal_id === `\${azurerm_user_assigned_identity.${id}.principal_id}`);
    expect(grants.map((g) => g.role_definition_name)).toEqual(['Key Vault Secrets User']);
  });
});

describe('npm run report: orchestrator, node bounds, GPU quota', () => {
  test('scale set (default): 5 nodes, the subscription quota', () => {
    const r = architectureReport(synthApp(base).outdir);
    expect(r.workers).toMatchObject({ orchestrator: 'scale-set', size: 'Standard_NC24ads_A100_v4', min: 5, max: 5, gpus: 5, vcpus: 120 });
    expect(renderArchitectureMarkdown(r)).toContain('Orchestrator: **scale-set**; Standard_NC24ads_A100_v4, 5 nodes.');
  });

  test("batch: 1–6 Spot workers (user-subscription account) on the subscription's Spot quota; the pool is in the inventory", () => {
    const app = synthApp({
      ...base,
      compute: {
        orchestrator: 'batch',
        batch: { poolAllocationMode: 'UserSubscription', batchServicePrincipalObjectId: '0f0f0f0f-1111-2222-3333-444444444444' },
        nodes: { count: 6, spot: { enabled: true }, autoscale: { enabled: true, idleCount: 1 } },
      },
    });
    const r = architectureReport(app.outdir);
    expect(r.workers).toMatchObject({ orchestrator: 'batch', min: 1, max: 6, spot: true, gpus: 6, vcpus: 144 });
    expect(r.workers!.quota).toMatch(/subscription's Spot vCPU quota/);
    const managed = architectureReport(synthApp({ ...base, compute: { orchestrator: 'batch' } }).outdir).workers!;
    expect(managed.quota).toMatch(/Batch account's own quota \(dedicated cores of [^)]+\)/);
    expect(r.inventory.lines.find((l) => l.kind === 'batch pool')).toMatchObject({ size: 'Standard_NC24ads_A100_v4', count: 6, gpusPerVm: 1 });
    const md = renderArchitectureMarkdown(r);
    expect(md).toContain('Orchestrator: **batch**; Standard_NC24ads_A100_v4 (Spot), 1–6 nodes (schedule).');
  });

  test('cyclecloud: 2–6 workers plus the server, on the subscription quota', () => {
    const r = architectureReport(
      synthApp({ ...base, compute: { orchestrator: 'cyclecloud', nodes: { count: 6, autoscale: { enabled: true, idleCount: 2 } } } }).outdir,
    );
    expect(r.workers).toMatchObject({ orchestrator: 'cyclecloud', min: 2, max: 6, gpus: 6 });
    expect(r.workers!.quota).toMatch(/subscription's regular vCPU quota/);
    expect(r.inventory.lines.map((l) => [l.kind, l.size, l.count])).toEqual(
      expect.arrayContaining([
        ['vm', 'Standard_D4s_v5', 1],
        ['cyclecloud workers', 'Standard_NC24ads_A100_v4', 6],
      ]),
    );
  });
});

test.each([
  [
    'batch',
    { orchestrator: 'batch', batch: { poolAllocationMode: 'UserSubscription', batchServicePrincipalObjectId: '0f0f0f0f-1111-2222-3333-444444444444' } },
  ],
  ['cyclecloud', { orchestrator: 'cyclecloud', cyclecloud: { acceptMarketplaceTerms: true } }],
])('policy pack: the %s variant has no finding (only reasoned suppressions)', (_name, computeInput) => {
  const app = synthApp({ ...base, compute: computeInput as object });
  const findings = Object.values(app.manifest.stacks).flatMap((s) =>
    s.annotations.filter((a) => a.level !== '@cdktf/info' && /\[PGM-/.test(a.message)).map((a) => a.message),
  );
  expect(findings).toEqual([]);
});

test('prerequisites per orchestrator: Batch provider and account quota / user-subscription role; CycleCloud terms and custom role', () => {
  const ids = (input: object) => architectureReport(synthApp({ ...base, ...input }).outdir).prerequisites.map((p) => p.id);
  const own = PREREQUISITES.map((p) => p.id).filter((id) => /batch|cyclecloud|custom-role/.test(id));
  expect(ids({}).filter((id) => own.includes(id))).toEqual([]);
  expect(ids({ compute: { orchestrator: 'batch' } })).toEqual(expect.arrayContaining(['rp-batch', 'quota-batch']));
  expect(ids({ compute: { orchestrator: 'batch' } })).not.toContain('role-batch-user-subscription');
  const user = ids({
    compute: {
      orchestrator: 'batch',
      batch: { poolAllocationMode: 'UserSubscription', batchServicePrincipalObjectId: '0f0f0f0f-1111-2222-3333-444444444444' },
    },
  });
  expect(user).toContain('role-batch-user-subscription');
  expect(user).not.toContain('quota-batch');
  expect(user).not.toContain('quota-spot');
  expect(
    ids({
      compute: {
        orchestrator: 'batch',
        nodes: { spot: { enabled: true } },
        batch: { poolAllocationMode: 'UserSubscription', batchServicePrincipalObjectId: '0f0f0f0f-1111-2222-3333-444444444444' },
      },
    }),
  ).toContain('quota-spot');
  expect(ids({ compute: { orchestrator: 'cyclecloud', nodes: { spot: { enabled: true } } } })).toContain('quota-spot');
  expect(ids({ compute: { orchestrator: 'cyclecloud' } })).toEqual(expect.arrayContaining(['rp-marketplace', 'terms-cyclecloud', 'role-custom-role']));
  expect(ids({ compute: { orchestrator: 'cyclecloud', cyclecloud: { acceptMarketplaceTerms: true } } })).not.toContain('terms-cyclecloud');
});
