import { terraformForTests } from '../support/terraform';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { parse } from 'yaml';
import { parseConfig } from '../../src/config/load';
import { renderNodeCloudInit, renderNodeSetupScript } from '../../src/compute/cloud-init';
import { renderActivationScript } from '../../src/compute/node-boot';
import { gpuMaskFor, resolveGpuMask, supportsEphemeralOsDisk } from '../../src/compute/gpu';
import { nodeArguments, serverArguments, usesWorkerSyntax } from '../../src/compute/metashape';
import { renderWindowsBootstrap, WINDOWS_UNPACK_AND_RUN_COMMAND } from '../../src/compute/windows-bootstrap';
import { addressRange, avereFileSystem, lustreFileSystem } from '../../src/storage/file-systems';
import { validateOutdirDetailed } from '../../src/validation';
import { TerraformStack, TerraformVariable } from 'cdktf';
import { JumpBoxes, type JumpBoxesProps } from '../../constructs/jump-boxes';
import { PhotoScanCluster, type PhotoScanClusterProps, type ProcessingNodesOptions } from '../../constructs/photoscan-cluster';
import { VirtualMachineExtension } from '@cdktf/provider-azurerm/lib/virtual-machine-extension';
import { ProcessingNodes } from '../../constructs/processing-nodes';
import { BatchProcessingNodes } from '../../constructs/batch-nodes';
import { CycleCloudCluster } from '../../constructs/cyclecloud-cluster';
import { Naming } from '../../src/naming';
import { HpcNetwork, type IHpcNetwork } from '../../constructs/hpc-network';
import { SecretsVault, type ISecretsVault } from '../../constructs/secrets-vault';
import { DEFAULT_ADDRESS_PLAN } from '../../src/net/address-plan';
import type { SharedFileSystem } from '../../src/storage/shared-file-system';
import { resourcesOf, synthApp, synthInStack, type TfJson } from '../support/synth';
import { maskVersions } from '../support/toolchain';

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGk1pXYlNXdSgHCM2ZcGzvJJ8uk6HMiyDf9P4tyXQY1u me@example';
const app = synthApp({ adminSshPublicKey: KEY });
const compute = app.stacks.compute;
const of = (json: TfJson, type: string) => resourcesOf(json, type).map(([, r]) => r);
const localNamed = (json: TfJson, prefix: string) => Object.entries(json.locals ?? {}).find(([k]) => k.startsWith(prefix))![1] as string;
const avere = avereFileSystem({ dnsName: 'vfxt.hpc.internal', vserverAddresses: addressRange('10.1.0.17', 4) });
const lustre = lustreFileSystem({ mgsAddress: '10.1.1.5' });
const codeLicensing = { kind: 'code' as const, keyVaultUri: 'https://kv-pgm-abc.vault.azure.net/', secretName: 'photoscan-activation-code' };

describe('scheduler', () => {
  const [scheduler] = of(compute, 'azurerm_windows_virtual_machine').filter((v) => v.name === 'vm-pgm-scheduler');

  test('Windows Server 2022, D8s_v5, no public IP, encryption at host, boot diagnostics, system identity, local admin by reference', () => {
    expect(scheduler).toMatchObject({
      computer_name: 'pgm-sched',
      size: 'Standard_D8s_v5',
      admin_username: 'pgmadmin',
      identity: { type: 'SystemAssigned' },
      encryption_at_host_enabled: true,
      boot_diagnostics: {},
      source_image_reference: { offer: 'WindowsServer', sku: '2022-datacenter-g2' },
    });
    expect(scheduler.admin_password).toMatch(/remote_state.*local-admin-password.*result\}$/);
    const nic = of(compute, 'azurerm_network_interface').find((n) => n.name === 'nic-pgm-scheduler')!;
    expect(nic).toMatchObject({
      accelerated_networking_enabled: true,
      ip_configuration: [expect.objectContaining({ private_ip_address_allocation: 'Static', private_ip_address: '10.0.1.250' })],
    });
    expect(nic.ip_configuration[0].public_ip_address_id).toBeUndefined();
  });

  test('domain-joined, then bootstrapped by the CustomScriptExtension running the 2.1 server syntax', () => {
    const join = of(compute, 'azurerm_virtual_machine_extension').find((e) => e.type === 'JsonADDomainExtension' && /scheduler/.test(e.virtual_machine_id))!;
    expect(join.protected_settings).toMatch(/remote_state.*domain-admin-password/);
    const cse = of(compute, 'azurerm_virtual_machine_extension').filter((e) => e.type === 'CustomScriptExtension');
    expect(cse).toHaveLength(1);
    expect(cse[0]).toMatchObject({
      name: 'metashape-server',
      publisher: 'Microsoft.Compute',
      type_handler_version: '1.10',
      virtual_machine_id: expect.stringMatching(/azurerm_windows_virtual_machine\.cluster_scheduler_\w+\.id/),
    });
    // After the join and after the scheduler's own Key Vault role assignment (the bootstrap reads the code).
    expect(cse[0].depends_on).toEqual([
      expect.stringMatching(/^azurerm_virtual_machine_extension\.cluster_scheduler-domain-join/),
      expect.stringMatching(/^azurerm_role_assignment\.cluster_scheduler-reads-activation-code/),
    ]);
    expect(cse[0].protected_settings).toBeUndefined();
    // The command carries the readable local, gzip + base64, and nothing else that Terraform resolves.
    expect(cse[0].settings).toMatch(/^\$\{jsonencode\(\{"commandToExecute" = format\(".*", base64gzip\(local\.cluster_scheduler_bootstrap_\w+\)\)\}\)\}$/);
    expect(of(compute, 'azurerm_virtual_machine_run_command')).toEqual([]);
    const script = localNamed(compute, 'cluster_scheduler_bootstrap');
    expect(script).toContain("$Arguments = @('--server', '--control', '10.0.1.250:5840', '--dispatch', '10.0.1.250:5841', '--root', 'S:\\')");
    expect(script).toContain("$StorageMode = 'nfs-client'");
    // The data volume's mount address, from the storage stack.
    expect(script).toMatch(
      /\$UncPath = '\\\\\$\{element\(data\.terraform_remote_state\.cross-stack-reference-input-storage\.outputs\.[\w-]+mount_ip_addresses, 0\)\}\\vol-pgm-data'/,
    );
    expect(script).toMatch(/\$KeyVaultUri = '\$\{data\.terraform_remote_state\.[\w-]+\.outputs\.[\w-]+vault_uri\}'/);
  });

  test('5840/5841 reachable only from the compute subnet (NSG), also from the jump boxes on request', () => {
    const rules = of(compute, 'azurerm_network_security_rule').map((r) => [
      r.name,
      r.priority,
      r.access,
      r.destination_port_range,
      r.source_address_prefix,
      r.destination_address_prefix,
    ]);
    expect(rules).toEqual([
      ['pgm-allow-metashape-from-compute', 300, 'Allow', '5840-5841', '10.0.1.0/24', '10.0.1.250/32'],
      ['pgm-deny-metashape-from-elsewhere', 320, 'Deny', '5840-5841', '*', '10.0.1.250/32'],
    ]);
    const open = synthApp({ adminSshPublicKey: KEY, compute: { scheduler: { allowControlFromJumpbox: true } } });
    expect(of(open.stacks.compute, 'azurerm_network_security_rule').map((r) => [r.name, r.destination_port_range, r.source_address_prefix])).toContainEqual([
      'pgm-allow-metashape-control-from-jumpbox',
      '5840',
      '10.0.0.0/24',
    ]);
    // Windows Firewall agrees with the NSG: the compute subnet on 5840-5841, the jump boxes on 5840 only when asked.
    expect(localNamed(compute, 'cluster_scheduler_bootstrap')).toContain('$ControlClients = @()');
    expect(localNamed(open.stacks.compute, 'cluster_scheduler_bootstrap')).toContain("$ControlClients = @('10.0.0.0/24')");
    expect(localNamed(open.stacks.compute, 'cluster_scheduler_bootstrap')).toMatch(
      /-LocalPort 5840, 5841 `\n\s+-RemoteAddress \$ComputeSubnet[\s\S]*-LocalPort 5840 `\n\s+-RemoteAddress \$ControlClients/,
    );
  });

  test('the scheduler and the nodes may read the activation code secret, nothing else', () => {
    const grants = of(compute, 'azurerm_role_assignment');
    expect(grants).toHaveLength(2);
    for (const g of grants)
      expect(g).toMatchObject({ role_definition_name: 'Key Vault Secrets User', scope: expect.stringMatching(/activation-code.*resource_versionless_id\}$/) });
  });
});

describe('processing nodes (Linux scale set)', () => {
  const [vmss] = of(compute, 'azurerm_linux_virtual_machine_scale_set');

  test('5 × Standard_NC24ads_A100_v4, Ubuntu HPC image, SSH key only, accelerated networking, encryption at host, identity, no overprovisioning', () => {
    expect(vmss).toMatchObject({
      name: 'vmss-pgm-nodes',
      sku: 'Standard_NC24ads_A100_v4',
      instances: 5,
      disable_password_authentication: true,
      admin_ssh_key: [{ username: 'pgmadmin', public_key: KEY }],
      source_image_reference: { publisher: 'microsoft-dsvm', offer: 'ubuntu-hpc', sku: '2204', version: 'latest' },
      network_interface: [
        expect.objectContaining({
          enable_accelerated_networking: true,
          ip_configuration: [expect.objectContaining({ subnet_id: expect.stringMatching(/compute-subnet/) })],
        }),
      ],
      encryption_at_host_enabled: true,
      boot_diagnostics: {},
      identity: { type: 'SystemAssigned' },
      overprovision: false,
      upgrade_mode: 'Manual',
    });
    expect(vmss.admin_password).toBeUndefined();
    expect(vmss.priority).toBeUndefined();
    // A100 v4's 64 GiB local disk cannot hold a 128 GiB OS disk: managed premium disk.
    expect(vmss.os_disk).toEqual({ caching: 'ReadWrite', storage_account_type: 'Premium_LRS', disk_size_gb: 128 });
  });

  test('custom data is the base64 of the rendered cloud-init, kept readable in a local', () => {
    expect(vmss.custom_data).toMatch(/^\$\{base64encode\(local\.cluster_node_cloud_init_\w+\)\}$/);
    const local = Object.entries(compute.locals ?? {}).find(([k]) => k.startsWith('cluster_node_cloud_init'))![1] as string;
    expect(local.startsWith('#cloud-config\n')).toBe(true);
    expect(local).toContain('--node --dispatch 10.0.1.250:5841 --root /mnt/anf-data --gpu_mask 1');
  });

  test('T4 nodes with an OS disk that fits: ephemeral OS disk; spot with eviction policy; schedule autoscale to zero', () => {
    const a = synthApp({
      adminSshPublicKey: KEY,
      compute: {
        nodes: {
          size: 'Standard_NC64as_T4_v3',
          count: 8,
          // Delete: Azure refuses Deallocate with an ephemeral OS disk (AZ rule in processingNodesIssues).
          spot: { enabled: true, evictionPolicy: 'Delete' },
          autoscale: { enabled: true, idleCount: 0, startHour: 7, stopHour: 19 },
        },
      },
    });
    const [set] = of(a.stacks.compute, 'azurerm_linux_virtual_machine_scale_set');
    expect(set.os_disk).toEqual({
      caching: 'ReadOnly',
      storage_account_type: 'Standard_LRS',
      disk_size_gb: 128,
      diff_disk_settings: { option: 'Local', placement: 'ResourceDisk' },
    });
    expect(set).toMatchObject({ priority: 'Spot', eviction_policy: 'Delete', max_bid_price: -1, instances: 8 });
    // The autoscale setting owns the capacity; without autoscale, Terraform does.
    expect(set.lifecycle).toEqual({ ignore_changes: ['instances'] });
    expect(vmss.lifecycle).toBeUndefined();
    const local = Object.entries(a.stacks.compute.locals ?? {}).find(([k]) => k.startsWith('cluster_node_cloud_init'))![1] as string;
    expect(local).toContain('--gpu_mask 15');
    const [auto] = of(a.stacks.compute, 'azurerm_monitor_autoscale_setting');
    expect(auto.target_resource_id).toMatch(/azurerm_linux_virtual_machine_scale_set\.cluster_nodes_\w+\.id/);
    expect(auto.profile).toEqual([
      {
        name: 'working-hours',
        capacity: { default: 8, minimum: 8, maximum: 8 },
        recurrence: { timezone: 'UTC', days: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'], hours: [7], minutes: [0] },
      },
      {
        name: 'idle',
        capacity: { default: 0, minimum: 0, maximum: 0 },
        recurrence: { timezone: 'UTC', days: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'], hours: [19], minutes: [0] },
      },
    ]);
    expect(validateOutdirDetailed(a.outdir).problems).toEqual([]);
  });

  test('the HPC image brings the NVIDIA driver; a plain image gets the NvidiaGpuDriverLinux extension; the setup waits for the GPU', () => {
    expect(vmss.extension).toBeUndefined();
    const a = synthApp({
      adminSshPublicKey: KEY,
      compute: { nodes: { gpuDriver: 'extension', image: { publisher: 'Canonical', offer: '0001-com-ubuntu-server-jammy', sku: '22_04-lts-gen2' } } },
    });
    const [set] = of(a.stacks.compute, 'azurerm_linux_virtual_machine_scale_set');
    expect(set.source_image_reference).toEqual({ publisher: 'Canonical', offer: '0001-com-ubuntu-server-jammy', sku: '22_04-lts-gen2', version: 'latest' });
    expect(set.extension).toEqual([
      {
        name: 'nvidia-gpu-driver',
        publisher: 'Microsoft.HpcCompute',
        type: 'NvidiaGpuDriverLinux',
        type_handler_version: '1.6',
        auto_upgrade_minor_version: true,
      },
    ]);
    expect(localNamed(a.stacks.compute, 'cluster_node_cloud_init')).toMatch(/for _ in \$\(seq 90\); do\n\s+nvidia-smi >\/dev\/null 2>&1 && break/);
  });

  test('Windows workers: a Windows scale set with the GPU driver and the bootstrap from custom data', () => {
    const a = synthApp({ adminSshPublicKey: KEY, compute: { nodes: { os: 'windows', count: 3 } } });
    expect(of(a.stacks.compute, 'azurerm_linux_virtual_machine_scale_set')).toEqual([]);
    const [set] = of(a.stacks.compute, 'azurerm_windows_virtual_machine_scale_set');
    expect(set).toMatchObject({ instances: 3, computer_name_prefix: 'pgmwn', encryption_at_host_enabled: true });
    expect(set.admin_password).toMatch(/local-admin-password/);
    expect(set.extension.map((e: { type: string }) => e.type)).toEqual(['NvidiaGpuDriverWindows', 'CustomScriptExtension']);
    expect(JSON.parse(set.extension[1].settings).commandToExecute).toContain('C:\\AzureData\\CustomData.bin');
    expect(validateOutdirDetailed(a.outdir).problems).toEqual([]);
  });
});

describe('jump boxes', () => {
  test('Windows jump box (domain-joined) with a Standard static public IP; no Linux jump box by default', () => {
    const vms = of(compute, 'azurerm_windows_virtual_machine').filter((v) => v.name === 'vm-pgm-jumpwin');
    expect(vms).toEqual([expect.objectContaining({ computer_name: 'pgm-jumpwin', encryption_at_host_enabled: true })]);
    expect(of(compute, 'azurerm_linux_virtual_machine')).toEqual([]);
    expect(of(compute, 'azurerm_public_ip')).toEqual([expect.objectContaining({ name: 'pip-pgm-jumpwin', sku: 'Standard', allocation_method: 'Static' })]);
    const nic = of(compute, 'azurerm_network_interface').find((n) => n.name === 'nic-pgm-jumpwin')!;
    expect(nic.ip_configuration[0]).toMatchObject({ private_ip_address: '10.0.0.4', public_ip_address_id: expect.stringMatching(/azurerm_public_ip/) });
    expect(of(compute, 'azurerm_virtual_machine_extension').filter((e) => e.type === 'JsonADDomainExtension')).toHaveLength(2);
  });

  test('public IPs exist only on jump boxes, in every stack', () => {
    expect(of(app.stacks.network, 'azurerm_public_ip')).toEqual([]);
    expect(of(app.stacks.storage, 'azurerm_public_ip')).toEqual([]);
    const pipIds = resourcesOf(compute, 'azurerm_public_ip').map(([k]) => k);
    for (const nic of of(compute, 'azurerm_network_interface')) {
      const pip = nic.ip_configuration[0].public_ip_address_id as string | undefined;
      if (pip) expect(nic.name).toMatch(/^nic-pgm-jump/);
      if (pip) expect(pipIds.some((k) => pip.includes(k))).toBe(true);
    }
  });

  test('Linux jump box: SSH key only, static address 10.0.0.5, public IP', () => {
    const a = synthApp({ adminSshPublicKey: KEY, compute: { jumpboxes: { linux: true } } });
    const [lnx] = of(a.stacks.compute, 'azurerm_linux_virtual_machine');
    expect(lnx).toMatchObject({ name: 'vm-pgm-jumplnx', disable_password_authentication: true, admin_ssh_key: [{ username: 'pgmadmin', public_key: KEY }] });
    expect(lnx.admin_password).toBeUndefined();
    expect(
      of(a.stacks.compute, 'azurerm_public_ip')
        .map((p) => p.name)
        .sort(),
    ).toEqual(['pip-pgm-jumplnx', 'pip-pgm-jumpwin']);
  });

  test('Bastion: AzureBastionSubnet with its NSG, one public IP for Bastion, none on the jump boxes, RDP/SSH from Bastion allowed', () => {
    const a = synthApp({ adminSshPublicKey: KEY, compute: { bastion: { enabled: true }, jumpboxes: { linux: true } } });
    const c = a.stacks.compute;
    expect(of(c, 'azurerm_subnet')).toEqual([expect.objectContaining({ name: 'AzureBastionSubnet', address_prefixes: ['10.0.3.0/26'] })]);
    expect(of(c, 'azurerm_bastion_host')).toEqual([
      expect.objectContaining({ sku: 'Standard', ip_configuration: expect.objectContaining({ public_ip_address_id: expect.stringMatching(/bastion-pip/) }) }),
    ]);
    expect(of(c, 'azurerm_public_ip').map((p) => p.name)).toEqual(['pip-pgm-bastion']);
    for (const nic of of(c, 'azurerm_network_interface')) expect(nic.ip_configuration[0].public_ip_address_id).toBeUndefined();
    expect(of(c, 'azurerm_network_security_group')[0].security_rule.map((r: { name: string }) => r.name)).toContain('AllowGatewayManagerInbound');
    expect(of(c, 'azurerm_subnet_network_security_group_association')).toHaveLength(1);
    expect(of(c, 'azurerm_network_security_rule').map((r) => r.name)).toContain('allow-rdp-ssh-from-bastion');
    expect(validateOutdirDetailed(a.outdir).problems).toEqual([]);
  });
});

describe('Metashape command lines and GPU masks', () => {
  test('up to 2.1: --server/--node; 2.2+: metashape-server --host / --worker --host', () => {
    expect(usesWorkerSyntax('2.1.3')).toBe(false);
    expect(usesWorkerSyntax('2.2.0')).toBe(true);
    expect(usesWorkerSyntax('1.8')).toBe(false);
    expect(serverArguments({ version: '2.2.1', schedulerIp: '10.0.1.250', root: 'S:\\' })).toEqual(['--host', '10.0.1.250:5840', '--root', 'S:\\']);
    expect(nodeArguments({ version: '2.2.1', schedulerIp: '10.0.1.250', root: '/mnt/x', gpuMask: 3 })).toEqual([
      '--worker',
      '--host',
      '10.0.1.250:5840',
      '--root',
      '/mnt/x',
      '--gpu_mask',
      '3',
    ]);
    expect(nodeArguments({ version: '1.8.5', schedulerIp: '10.0.1.250', root: '/mnt/x', gpuMask: 15 })).toEqual([
      '--node',
      '--dispatch',
      '10.0.1.250:5841',
      '--root',
      '/mnt/x',
      '--gpu_mask',
      '15',
    ]);
  });

  test('the mask follows the size; unknown sizes need one; a mask cannot exceed the size', () => {
    expect([1, 2, 4].map(gpuMaskFor)).toEqual([1, 3, 15]);
    expect(resolveGpuMask('m', 'Standard_NC48ads_A100_v4', undefined)).toEqual({ mask: 3, issues: [] });
    expect(resolveGpuMask('m', 'Standard_NC8as_T4_v3', undefined).mask).toBe(1);
    expect(resolveGpuMask('m', 'Standard_ND96isr_H100_v5', 255)).toEqual({ mask: 255, issues: [] });
    expect(resolveGpuMask('m', 'Standard_ND96isr_H100_v5', undefined).issues[0].message).toMatch(
      /not in the table of known GPU sizes.*set the mask explicitly/,
    );
    expect(resolveGpuMask('m', 'Standard_NC24ads_A100_v4', 3).issues[0].message).toMatch(/selects more GPUs than Standard_NC24ads_A100_v4 has \(1\)/);
    expect(resolveGpuMask('m', 'Standard_D8s_v5', undefined).issues[0].message).toMatch(/has no GPU/);
    expect(supportsEphemeralOsDisk('Standard_NC4as_T4_v3', 128)).toBe(true);
    expect(supportsEphemeralOsDisk('Standard_NC24ads_A100_v4', 128)).toBe(false);
  });
});

describe('rendered scripts', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgm-scripts-'));
  const bashN = (name: string, text: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    execFileSync('bash', ['-n', file]);
  };

  test.each([
    ['avere', avere],
    ['lustre', lustre],
  ])('cloud-init (%s): valid YAML, the script passes bash -n, the unit runs the node', (name, fileSystem) => {
    const text = renderNodeCloudInit(
      { fileSystem, schedulerIp: '10.0.1.250', metashapeVersion: '2.1.3', installerUrl: 'https://example.com/m.tar.gz', gpuMask: 3, licensing: codeLicensing },
      false,
    );
    expect(text.startsWith('#cloud-config\n')).toBe(true);
    const doc = parse(text);
    expect(doc.runcmd).toEqual([['bash', '/opt/photogrammetry/node-setup.sh']]);
    const [script, unit] = doc.write_files;
    expect(script).toMatchObject({ path: '/opt/photogrammetry/node-setup.sh', permissions: '0755' });
    bashN(`node-${name}.sh`, script.content);
    expect(script.content).toContain('HPC_UID=7007');
    expect(script.content).toContain(name === 'avere' ? "SERVER_ADDRESSES=('10.1.0.17' '10.1.0.18' '10.1.0.19' '10.1.0.20')" : "SERVER_ADDRESSES=('10.1.1.5')");
    expect(script.content).toContain(name === 'avere' ? "MOUNT_OPTIONS='vers=3,hard,proto=tcp,mountproto=tcp,retry=30,noatime,_netdev'" : "FS_TYPE='lustre'");
    expect(unit.content).toMatch(
      /ExecStart=\/opt\/metashape-pro\/metashape\.sh --node --dispatch 10\.0\.1\.250:5841 --root \/mnt\/(vfxt|lustre|anf)-data --gpu_mask 3 -platform offscreen/,
    );
    expect(unit.content).toContain('Restart=on-failure');
  });

  test('the node script quotes hostile values and still parses; for Terraform every ${ is escaped', () => {
    const hostile = { ...codeLicensing, secretName: "x'; rm -rf / #", keyVaultUri: 'https://$(id)`id`/' };
    const script = renderActivationScript(
      { fileSystem: avere, schedulerIp: '10.0.1.250', metashapeVersion: '2.1.3', installerUrl: 'https://e.com/a.tar.gz', gpuMask: 1, licensing: hostile },
      false,
    );
    bashN('hostile.sh', script);
    expect(script).toContain(`ACTIVATION_SECRET='x'\\''; rm -rf / #'`);
    bashN(
      'hostile-setup.sh',
      renderNodeSetupScript(
        { fileSystem: avere, schedulerIp: '10.0.1.250', metashapeVersion: '2.1.3', installerUrl: "https://e.com/it's.tar.gz", gpuMask: 1, licensing: hostile },
        false,
      ),
    );
    const escaped = renderNodeSetupScript({
      fileSystem: avere,
      schedulerIp: '10.0.1.250',
      metashapeVersion: '2.1.3',
      installerUrl: 'https://e.com/a.tar.gz',
      gpuMask: 1,
      licensing: codeLicensing,
    });
    expect(escaped.replace(/\$\$\{/g, '')).not.toContain('${');
  });

  test('PowerShell: every parameter is a quoted literal; hostile values stay inside it; Lustre skips the mapping and says why', () => {
    const ps = renderWindowsBootstrap(
      {
        role: 'server',
        fileSystem: lustre,
        schedulerIp: '10.0.1.250',
        computeSubnet: '10.0.1.0/24',
        metashapeVersion: '2.2.0',
        installerUrl: "https://e.com/it's.msi",
        licensing: { kind: 'license-server', address: '10.0.1.20:5842' },
      },
      false,
    );
    expect(ps).toContain("$InstallerUrl = 'https://e.com/it''s.msi'");
    expect(ps).toContain("$StorageMode = 'none'");
    expect(ps).toMatch(/\$StorageNote = 'Azure Managed Lustre has no Windows client/);
    expect(ps).toContain("$Exe = 'metashape-server.exe'");
    expect(ps).toContain("$Arguments = @('--host', '10.0.1.250:5840', '--root', 'C:\\Metashape')");
    expect(ps).toContain("$LicenseServer = '10.0.1.20:5842'");
    expect(ps).not.toMatch(/\{\{/);
    // Every rendered parameter line (the header block) is one complete single-quoted literal.
    const header = ps.split('\n').filter((l) => /^\$\w+ = '/.test(l) && !l.startsWith('$task'));
    expect(header.length).toBeGreaterThanOrEqual(12);
    for (const line of header) expect(line).toMatch(/^\$\w+ = '([^']|'')*'$/);

    // The first statement is the mode switch; at boot a scheduled task runs this same file as the supervisor,
    // which maps the storage and restarts Metashape whenever it exits.
    expect(ps.split('\n').find((l) => l.trim() && !l.startsWith('#'))).toBe('param([switch] $Supervise)');
    expect(ps).toContain(`-Argument ('-NoProfile -ExecutionPolicy Bypass -File "' + $PSCommandPath + '" -Supervise')`);
    expect(ps).toMatch(
      /if \(\$Supervise\) \{[\s\S]*while \(\$true\) \{[\s\S]*Mount-SharedStorage[\s\S]*Start-Process -FilePath \(Join-Path \$InstallDir \$Exe\) -ArgumentList \$Arguments[\s\S]*Start-Sleep -Seconds 30/,
    );
    expect(ps).toContain("-TaskName $task -Action $action -Trigger $trigger -Settings $settings -User 'SYSTEM'");
  });
});

describe('PowerShell with hostile values', () => {
  test('quotes (straight and typographic), $(...), backticks and ${ stay inside single-quoted literals', () => {
    const evil = "x'; Remove-Item C:\\ -Recurse; '$(Invoke-Expression evil)`n\u2019${env:PATH}";
    const fileSystem: SharedFileSystem = { ...avere, windows: { supported: true, method: 'smb', uncPath: `\\\\srv\\${evil}` } };
    const ps = renderWindowsBootstrap(
      {
        role: 'server',
        fileSystem,
        schedulerIp: '10.0.1.250',
        computeSubnet: '10.0.1.0/24',
        controlClientSubnets: [evil],
        metashapeVersion: '2.1.3',
        installerUrl: `https://e.com/${evil}`,
        licensing: { kind: 'code', keyVaultUri: evil, secretName: evil },
      },
      false,
    );
    const doubled = "x''; Remove-Item C:\\ -Recurse; ''$(Invoke-Expression evil)`n\u2019\u2019${env:PATH}";
    expect(ps).toContain(`$ActivationSecret = '${doubled}'`);
    expect(ps).toContain(`$KeyVaultUri = '${doubled}'`);
    expect(ps).toContain(`$InstallerUrl = 'https://e.com/${doubled}'`);
    expect(ps).toContain(`$UncPath = '\\\\srv\\${doubled}'`);
    expect(ps).toContain(`$ControlClients = @('${doubled}')`);
    // Outside the literals the hostile text never appears: strip every literal and look again.
    const code = ps.replace(/'(?:[^'\u2018\u2019\u201a\u201b]|['\u2018\u2019\u201a\u201b]{2})*'/g, "''");
    expect(code).not.toContain('Invoke-Expression');
    expect(code).not.toContain('Remove-Item C:');
    // For Terraform, the ${ in the values is escaped too.
    const forTf = renderWindowsBootstrap({
      role: 'node',
      fileSystem,
      schedulerIp: '10.0.1.250',
      computeSubnet: '10.0.1.0/24',
      metashapeVersion: '2.1.3',
      installerUrl: 'https://e.com/a.msi',
      gpuMask: 1,
      licensing: { kind: 'code', keyVaultUri: evil, secretName: 's' },
    });
    expect(forTf.replace(/\$\$\{/g, '')).not.toContain('${');
  });
});

describe('the scheduler bootstrap travels inside the CustomScriptExtension command', () => {
  test('the command template has no backslash and no ${ (it is a literal inside a Terraform expression)', () => {
    expect(WINDOWS_UNPACK_AND_RUN_COMMAND).not.toMatch(/\\|\$\{|%\{/);
    expect(WINDOWS_UNPACK_AND_RUN_COMMAND.match(/%s/g)).toHaveLength(1);
    expect(WINDOWS_UNPACK_AND_RUN_COMMAND).toMatch(/^powershell\.exe -NoProfile -ExecutionPolicy Bypass -Command "[^"]*"$/);
  });

  const terraform = terraformForTests('terraform console evaluation of the scheduler bootstrap command');
  (terraform ? test : test.skip)('Terraform evaluates it to a command that unpacks exactly the rendered script, under 8,191 characters', () => {
    const [cse] = of(compute, 'azurerm_virtual_machine_extension').filter((e) => e.type === 'CustomScriptExtension');
    const [name, text] = Object.entries(compute.locals ?? {}).find(([k]) => k.startsWith('cluster_scheduler_bootstrap'))! as [string, string];
    // Cross-stack references become literals; Terraform's own escapes ($${) stay for Terraform to undo.
    const script = text.replace(/(?<!\$)\$\{(?:element\()?data\.terraform_remote_state\.[^}]+\}/g, 'https://kv-pgm-test.vault.azure.net/');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgm-cse-'));
    fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify({ locals: { [name]: script, settings: cse.settings } }));
    const out = execFileSync('terraform', ['console'], {
      cwd: dir,
      input: 'base64encode(local.settings)\n',
      stdio: ['pipe', 'pipe', 'ignore'],
      env: { ...process.env, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' },
    }).toString();
    const settings = JSON.parse(Buffer.from(/"([A-Za-z0-9+/=]+)"/.exec(out)![1], 'base64').toString('utf8'));
    const command: string = settings.commandToExecute;
    expect(command.length).toBeLessThan(8191);
    const packed = /FromBase64String\('([A-Za-z0-9+/=]+)'\)/.exec(command)![1];
    const unpacked = zlib.gunzipSync(Buffer.from(packed, 'base64')).toString('utf8');
    expect(unpacked).toBe(script.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{'));
    expect(unpacked).toContain("$KeyVaultUri = 'https://kv-pgm-test.vault.azure.net/'");
    expect(command.replace(packed, '')).toBe(WINDOWS_UNPACK_AND_RUN_COMMAND.replace('%s', ''));
  });
});

describe('the whole app with each storage backend', () => {
  test('Managed Lustre: nodes mount the MGS address from the storage stack; validation passes', () => {
    const a = synthApp({ adminSshPublicKey: KEY, storage: { backend: 'managed-lustre' } });
    const local = Object.entries(a.stacks.compute.locals ?? {}).find(([k]) => k.startsWith('cluster_node_cloud_init'))![1] as string;
    expect(local).toMatch(/SERVER_ADDRESSES=\('\$\{data\.terraform_remote_state\.cross-stack-reference-input-storage\.outputs\.[\w-]+mgs_address\}'\)/);
    expect(a.manifest.stacks.compute.dependencies.sort()).toEqual(['network', 'storage']);
    expect(validateOutdirDetailed(a.outdir).problems).toEqual([]);
  });
});

describe('bad input → an error naming the field', () => {
  test.each([
    [{ compute: { nodes: { count: -1 } } }, /compute.nodes.count: -1 is not allowed; use 0–100/],
    [{ compute: { nodes: { count: 101 } } }, /compute.nodes.count: 101 is not allowed; use 0–100/],
    [{ compute: { nodes: { count: 2.5 } } }, /compute.nodes.count: 2.5 is not allowed; use 0–100/],
    [{ compute: { nodes: { size: 'Standard_ND96isr_H100_v5' } } }, /compute.nodes.size: "Standard_ND96isr_H100_v5" is not in the table of known GPU sizes/],
    [{ compute: { nodes: { size: 'Standard_NC24ads_A100_v4', gpuMask: 7 } } }, /compute.nodes.gpuMask: 7 selects more GPUs/],
    [
      { compute: { nodes: { size: 'Standard_NC24s_v2', gpuMask: 15 } } },
      /compute.nodes.size: "Standard_NC24s_v2" is retired \(NCv2 \(P100\) family, 2023-09-06\): Azure no longer creates it; use e.g. Standard_NC24ads_A100_v4/,
    ],
    [{ compute: { nodes: { gpuDriver: 'cuda' } } }, /compute.nodes.gpuDriver: expected "image" \(an HPC image with the driver\) or "extension"/],
    [{ adminSshPublicKey: 'ssh-rsa AAAAB3NzaC1yc2E' }, /adminSshPublicKey: .*expected an OpenSSH public key line/],
    [{ adminSshPublicKey: '' }, /adminSshPublicKey: is empty/],
    [
      { compute: { metashape: { linuxInstallerUrl: 'http://download.agisoft.com/m.tar.gz' } } },
      /compute.metashape.linuxInstallerUrl: "http:\/\/download.agisoft.com\/m.tar.gz" is not an https:\/\/ URL/,
    ],
    [{ compute: { metashape: { version: 'latest' } } }, /compute.metashape.version: "latest" is not a version such as "2.1.3"/],
    [{ addressPlan: { schedulerIp: '10.0.2.250' } }, /addressPlan.schedulerIp: "10.0.2.250" is outside computeSubnet/],
    [
      { compute: { bastion: { enabled: true, subnetCidr: '10.0.3.0/27' } } },
      /compute.bastion.subnetCidr: "10.0.3.0\/27" is too small: Azure Bastion needs a \/26 or larger/,
    ],
    [{ compute: { bastion: { enabled: true, subnetCidr: '10.5.0.0/26' } } }, /compute.bastion.subnetCidr: "10.5.0.0\/26" is not inside photoscanVnet/],
    [{ compute: { bastion: { enabled: true, subnetCidr: '10.0.1.0/26' } } }, /compute.bastion.subnetCidr: "10.0.1.0\/26" overlaps computeSubnet/],
    [
      { compute: { nodes: { os: 'windows' } }, storage: { backend: 'managed-lustre' } },
      /compute.nodes.os: "windows" workers cannot mount Azure Managed Lustre/,
    ],
    [{ compute: { nodes: { autoscale: { enabled: true, startHour: 20, stopHour: 8 } } } }, /compute.nodes.autoscale.stopHour: 8 must be after startHour 20/],
    [{ compute: { nodes: { spot: { enabled: true, maxBidPrice: 0 } } } }, /compute.nodes.spot.maxBidPrice: 0 is not allowed/],
  ])('%j', (input, message) => expect(() => parseConfig(input)).toThrow(message));
});

test('snapshot of the compute stack with Bastion, a Linux jump box, spot and autoscale', () => {
  const a = synthApp({
    adminSshPublicKey: KEY,
    compute: { bastion: { enabled: true }, jumpboxes: { linux: true }, nodes: { spot: { enabled: true }, autoscale: { enabled: true } } },
  });
  expect(maskVersions(a.stacks.compute)).toMatchSnapshot();
});

test("constructs used directly check their static addresses with the address plan's rule", () => {
  const { staticAddressIssues } = require('../../src/net/address-plan') as typeof import('../../src/net/address-plan');
  expect(staticAddressIssues('schedulerIp', '10.0.2.250', '10.0.1.0/24', 'the compute subnet')).toEqual([
    { path: 'schedulerIp', message: '"10.0.2.250" is outside the compute subnet "10.0.1.0/24"' },
  ]);
  expect(staticAddressIssues('schedulerIp', '10.0.1.255', '10.0.1.0/24', 'the compute subnet')[0].message).toMatch(/reserved by Azure/);
  expect(staticAddressIssues('schedulerIp', 'ten', '10.0.1.0/24', 'the compute subnet')[0].message).toMatch(/is not an IPv4 address/);
  expect(staticAddressIssues('schedulerIp', '10.0.1.250', '10.0.1.0/24', 'the compute subnet')).toEqual([]);
});

describe('PhotoScanCluster and JumpBoxes used directly (library), with hand-built SharedFileSystem values', () => {
  // Only the interface: an NFS cache with four addresses, and a Lustre-like one Windows cannot mount.
  const nfs: SharedFileSystem = {
    kind: 'test-nfs',
    dnsName: 'cache.test.internal',
    addresses: ['10.9.0.10', '10.9.0.11', '10.9.0.12', '10.9.0.13'],
    exports: [
      { name: 'home', path: '/home', linuxMountPoint: '/mnt/home' },
      { name: 'data', path: '/data', linuxMountPoint: '/mnt/data' },
    ],
    linux: { fsType: 'nfs', options: ['vers=3', 'hard', 'proto=tcp'], spreadOverAddresses: true },
    windows: { supported: true, method: 'nfs-client', uncPath: '\\\\cache.test.internal\\!\\data' },
  };
  const lustreLike: SharedFileSystem = {
    kind: 'test-lustre',
    addresses: ['10.9.1.5'],
    exports: [{ name: 'data', path: '/', linuxMountPoint: '/mnt/scratch' }],
    linux: { fsType: 'lustre', options: ['noatime', 'flock'], spreadOverAddresses: false },
    windows: { supported: false, reason: 'no Windows client for this test file system' },
  };
  const TAGS = { env: 'test', owner: 'render-team' };
  const password = (stack: TerraformStack) =>
    (
      (stack.node.tryFindChild('admin_password') as TerraformVariable | undefined) ??
      new TerraformVariable(stack, 'admin_password', { type: 'string', sensitive: true })
    ).stringValue;
  /** A network built elsewhere, imported once per stack. */
  const network = (stack: TerraformStack): IHpcNetwork =>
    (stack.node.tryFindChild('net') as IHpcNetwork | undefined) ??
    HpcNetwork.fromHpcNetworkAttributes(stack, 'net', {
      resourceGroupName: 'rg-net',
      location: 'westeurope',
      photoscanVnetId: '/subscriptions/x/vnets/vnet-lib',
      photoscanVnetName: 'vnet-lib',
      storageVnetId: '/subscriptions/x/vnets/vnet-lib-storage',
      storageVnetName: 'vnet-lib-storage',
      addressPlan: {
        ...DEFAULT_ADDRESS_PLAN,
        photoscanVnet: '10.20.0.0/16',
        jumpboxSubnet: '10.20.0.0/24',
        computeSubnet: '10.20.1.0/24',
        adSubnet: '10.20.2.0/24',
        storageVnet: '10.21.0.0/16',
        cacheSubnet: undefined,
        schedulerIp: '10.20.1.250',
      },
      subnets: {
        compute: { id: '/subscriptions/x/subnets/compute', name: 'snet-compute', cidr: '10.20.1.0/24', nsgName: 'nsg-compute', nsgId: 'nsg-compute-id' },
        jumpbox: { id: '/subscriptions/x/subnets/jumpbox', name: 'snet-jumpbox', cidr: '10.20.0.0/24', nsgName: 'nsg-jumpbox', nsgId: 'nsg-jumpbox-id' },
      },
    });
  const vault = (stack: TerraformStack): ISecretsVault =>
    (stack.node.tryFindChild('kv') as ISecretsVault | undefined) ??
    SecretsVault.fromSecretsVaultAttributes(stack, 'kv', {
      vaultId: '/subscriptions/x/vaults/kv-lib',
      vaultUri: 'https://kv-lib.vault.azure.net/',
      activationCode: {
        secretName: 'activation',
        versionlessId: 'https://kv-lib.vault.azure.net/secrets/activation',
        resourceId: '/subscriptions/x/vaults/kv-lib/secrets/activation',
      },
    });
  const clusterProps = (stack: TerraformStack, over: Partial<PhotoScanClusterProps> = {}): PhotoScanClusterProps => ({
    naming: new Naming('lib'),
    location: 'westeurope',
    resourceGroupName: 'rg-lib',
    network: network(stack),
    fileSystem: nfs,
    schedulerIp: '10.20.1.250',
    metashape: { version: '2.2.0', linuxInstallerUrl: 'https://example.com/m.tar.gz', windowsInstallerUrl: 'https://example.com/m.msi' },
    secrets: vault(stack),
    adminUsername: 'libadmin',
    adminPassword: password(stack),
    sshPublicKey: KEY,
    tags: TAGS,
    ...over,
  });
  const jumpProps = (stack: TerraformStack, over: Partial<JumpBoxesProps> = {}): JumpBoxesProps => ({
    naming: new Naming('lib'),
    location: 'westeurope',
    resourceGroupName: 'rg-lib',
    network: network(stack),
    windowsIp: '10.20.0.4',
    linux: true,
    linuxIp: '10.20.0.5',
    adminUsername: 'libadmin',
    adminPassword: password(stack),
    sshPublicKey: KEY,
    tags: TAGS,
    ...over,
  });
  /** Resource types the provider gives no `tags` argument. */
  const UNTAGGABLE = new Set([
    'azurerm_network_security_rule',
    'azurerm_role_assignment',
    'azurerm_subnet',
    'azurerm_subnet_network_security_group_association',
  ]);

  test('an NFS cache with four addresses: every address in the node script, 2.2 worker syntax, tags on every taggable resource', () => {
    const json = synthInStack((stack) => {
      new PhotoScanCluster(stack, 'cluster', clusterProps(stack, { nodes: { autoscale: { enabled: true } } }));
      new JumpBoxes(stack, 'jump', jumpProps(stack, { bastionSubnetCidr: '10.20.3.0/26' }));
    });
    const local = localNamed(json, 'cluster_node_cloud_init');
    expect(local).toContain("SERVER_ADDRESSES=('10.9.0.10' '10.9.0.11' '10.9.0.12' '10.9.0.13')");
    expect(local).toContain('SPREAD=true');
    expect(local).toContain('--worker --host 10.20.1.250:5840 --root /mnt/data --gpu_mask 1');
    const script = localNamed(json, 'cluster_scheduler_bootstrap');
    expect(script).toContain("$Exe = 'metashape-server.exe'");
    expect(script).toContain("$Arguments = @('--host', '10.20.1.250:5840', '--root', 'S:\\')");
    expect(of(json, 'azurerm_role_assignment').map((r) => r.scope)).toEqual([
      '/subscriptions/x/vaults/kv-lib/secrets/activation',
      '/subscriptions/x/vaults/kv-lib/secrets/activation',
    ]);
    let tagged = 0;
    for (const [type, byName] of Object.entries(json.resource ?? {})) {
      for (const [name, r] of Object.entries(byName)) {
        if (UNTAGGABLE.has(type)) continue;
        expect({ resource: `${type}.${name}`, tags: r.tags }).toEqual({ resource: `${type}.${name}`, tags: TAGS });
        tagged++;
      }
    }
    // scheduler NIC + VM + CSE, scale set, autoscale; 2 jump NICs + 2 VMs; Bastion NSG, public IP, host.
    expect(tagged).toBe(12);
  });

  test('a Lustre-like file system: Linux nodes mount it; the scheduler keeps a local root and says why; Windows workers are refused', () => {
    const json = synthInStack((stack) => {
      new PhotoScanCluster(stack, 'cluster', clusterProps(stack, { fileSystem: lustreLike }));
    });
    expect(localNamed(json, 'cluster_node_cloud_init')).toContain("FS_TYPE='lustre'");
    const script = localNamed(json, 'cluster_scheduler_bootstrap');
    expect(script).toContain("$StorageMode = 'none'");
    expect(script).toContain("$StorageNote = 'no Windows client for this test file system'");
    expect(() =>
      synthInStack((stack) => new PhotoScanCluster(stack, 'cluster', clusterProps(stack, { fileSystem: lustreLike, nodes: { os: 'windows' } }))),
    ).toThrow(/nodes\.os: Windows workers cannot use this file system: no Windows client/);
  });

  const clusterFails = (over: (stack: TerraformStack) => Partial<PhotoScanClusterProps>, message: RegExp) =>
    expect(() => synthInStack((stack) => new PhotoScanCluster(stack, 'cluster', clusterProps(stack, over(stack))))).toThrow(message);
  test.each<[string, (stack: TerraformStack) => Partial<PhotoScanClusterProps>, RegExp]>([
    ['negative node count', () => ({ nodes: { count: -1 } }), /PhotoScanCluster props \(test\/cluster\)[\s\S]*nodes\.count: -1 is not allowed; use 0–100/],
    ['node count above the ceiling', () => ({ nodes: { count: 101 } }), /nodes\.count: 101 is not allowed; use 0–100/],
    [
      'unknown GPU size without a mask',
      () => ({ nodes: { size: 'Standard_ND96isr_H100_v5' } }),
      /nodes\.gpuMask: "Standard_ND96isr_H100_v5" is not in the table of known GPU sizes.*set the mask explicitly/,
    ],
    ['malformed SSH key', () => ({ sshPublicKey: 'ssh-rsa not-a-key' }), /sshPublicKey: /],
    ['empty SSH key', () => ({ sshPublicKey: '' }), /sshPublicKey: is empty/],
    [
      'installer URL not https',
      () => ({ metashape: { version: '2.1.3', linuxInstallerUrl: 'http://example.com/m.tar.gz', windowsInstallerUrl: 'https://example.com/m.msi' } }),
      /metashape\.linuxInstallerUrl: "http:\/\/example\.com\/m\.tar\.gz" is not an https:\/\/ URL/,
    ],
    [
      'scheduler address outside the compute subnet',
      () => ({ schedulerIp: '10.20.2.250' }),
      /schedulerIp: "10\.20\.2\.250" is outside the compute subnet "10\.20\.1\.0\/24"/,
    ],
    ['literal admin password', () => ({ adminPassword: 'Passw0rd!' }), /adminPassword: must be a Terraform reference/],
    ['unknown GPU driver source', () => ({ nodes: { gpuDriver: 'cuda' as never } }), /nodes\.gpuDriver: "cuda" is not allowed; use "image" or "extension"/],
    ['retired GPU size', () => ({ nodes: { size: 'Standard_NC24', gpuMask: 15 } }), /nodes\.size: "Standard_NC24" is retired/],
  ])('cluster: %s', (_name, over, message) => clusterFails(over, message));

  test('orchestrator "batch" / "cyclecloud": the same scheduler, the workers as a Batch pool or a CycleCloud cluster, grantable alike', () => {
    let batch!: PhotoScanCluster;
    const batchJson = synthInStack((stack) => {
      batch = new PhotoScanCluster(stack, 'cluster', clusterProps(stack, { orchestrator: 'batch', nodes: { count: 3 } }));
      vault(stack).grantSecretsRead(batch.nodes, { id: 'extra-read' });
    });
    expect(batch.orchestrator).toBe('batch');
    expect(batch.nodes).toBeInstanceOf(BatchProcessingNodes);
    expect(batch.scaleSetId).toBeUndefined();
    expect(batch.nodeCount).toBe(3);
    expect(resourcesOf(batchJson, 'azurerm_linux_virtual_machine_scale_set')).toEqual([]);
    expect(resourcesOf(batchJson, 'azurerm_windows_virtual_machine')).toHaveLength(1); // the scheduler
    expect(resourcesOf(batchJson, 'azurerm_batch_pool')[0][1].start_task.command_line).toContain('base64gzip(local.cluster_batch_node_bundle');
    let cc!: PhotoScanCluster;
    const ccJson = synthInStack((stack) => {
      cc = new PhotoScanCluster(
        stack,
        'cluster',
        clusterProps(stack, { orchestrator: 'cyclecloud', resourceGroupId: '/subscriptions/x/resourceGroups/rg-lib' }),
      );
    });
    expect(cc.nodes).toBeInstanceOf(CycleCloudCluster);
    expect(cc.node.defaultChild).toBe(cc.nodes);
    expect(resourcesOf(ccJson, 'azurerm_linux_virtual_machine').map(([, r]) => r.name)).toEqual(['vm-lib-cyclecloud']);
  });

  test.each<[string, Partial<PhotoScanClusterProps>, RegExp]>([
    ['Windows workers with Batch', { orchestrator: 'batch', nodes: { os: 'windows' } }, /nodes\.os: the batch orchestrator runs Linux workers only/],
    ['the GPU driver extension with CycleCloud', { orchestrator: 'cyclecloud', resourceGroupId: 'rg', nodes: { gpuDriver: 'extension' } }, /nodes\.gpuDriver/],
    ['CycleCloud without the resource group id', { orchestrator: 'cyclecloud' }, /resourceGroupId: the cyclecloud orchestrator needs/],
    [
      'extra user-assigned identities with Batch',
      {
        orchestrator: 'batch',
        nodes: {
          userAssignedIdentityIds: [
            '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/x',
          ],
        },
      },
      /nodes\.userAssignedIdentityIds: not supported with the batch orchestrator/,
    ],
    [
      'Spot in a Batch-managed account',
      { orchestrator: 'batch', nodes: { spot: { enabled: true } } },
      /nodes\.spot\.enabled: Spot workers in Batch need poolAllocationMode "UserSubscription"/,
    ],
    ['an unknown orchestrator', { orchestrator: 'slurm' as never }, /orchestrator: "slurm" is not allowed/],
  ])('orchestrator errors: %s', (_name, over, message) => clusterFails(() => over, message));

  test('an SSH key that is a Terraform reference is not checked at synth', () => {
    const json = synthInStack((stack) => {
      const key = new TerraformVariable(stack, 'admin_ssh_public_key', { type: 'string' }).stringValue;
      new PhotoScanCluster(stack, 'cluster', clusterProps(stack, { sshPublicKey: key }));
    });
    expect(of(json, 'azurerm_linux_virtual_machine_scale_set')[0].admin_ssh_key).toEqual([{ username: 'libadmin', public_key: '${var.admin_ssh_public_key}' }]);
  });

  test.each<[string, Partial<JumpBoxesProps>, RegExp]>([
    [
      'Bastion subnet too small',
      { bastionSubnetCidr: '10.20.3.0/27' },
      /bastionSubnetCidr: "10\.20\.3\.0\/27" is too small: Azure Bastion needs a \/26 or larger/,
    ],
    [
      'Bastion subnet not a network address',
      { bastionSubnetCidr: '10.20.3.5/26' },
      /bastionSubnetCidr: "10\.20\.3\.5\/26" is not a network address; use "10\.20\.3\.0\/26"/,
    ],
    ['Linux jump box with a malformed SSH key', { sshPublicKey: 'ssh-ed25519' }, /JumpBoxes props \(test\/jump\)[\s\S]*sshPublicKey: /],
    ['jump box address outside its subnet', { windowsIp: '10.20.1.4' }, /windowsIp: "10\.20\.1\.4" is outside the jump box subnet/],
  ])('jump boxes: %s', (_name, over, message) => {
    expect(() => synthInStack((stack) => new JumpBoxes(stack, 'jump', jumpProps(stack, over)))).toThrow(message);
  });

  test.each<[string, Partial<JumpBoxesProps>, RegExp]>([
    [
      'Bastion subnet outside the VNet',
      { bastionSubnetCidr: '10.30.0.0/26' },
      /subnet "AzureBastionSubnet" "10\.30\.0\.0\/26" \(added by test\/jump\/bastion-host\) is not inside the photoscan VNet "10\.20\.0\.0\/16"/,
    ],
    [
      'Bastion subnet overlapping a subnet',
      { bastionSubnetCidr: '10.20.1.64/26' },
      /subnet "AzureBastionSubnet" "10\.20\.1\.64\/26" \(added by test\/jump\/bastion-host\) overlaps subnet "snet-compute" "10\.20\.1\.0\/24" \(added by test\/net \(imported\)\)/,
    ],
  ])('jump boxes at synth: %s', (_name, over, message) => {
    expect(() => synthInStack((stack) => new JumpBoxes(stack, 'jump', jumpProps(stack, over)), true)).toThrow(message);
  });

  test.each<[string, ProcessingNodesOptions, RegExp]>([
    ['stop before start', { autoscale: { enabled: true, startHour: 20, stopHour: 8 } }, /nodes\.autoscale\.stopHour: 8 must be after startHour 20/],
    ['idle above count', { count: 2, autoscale: { enabled: true, idleCount: 3 } }, /nodes\.autoscale\.idleCount: 3 is more than nodes\.count 2/],
    ['unknown day', { autoscale: { enabled: true, days: ['Funday'] } }, /nodes\.autoscale\.days\[0\]: "Funday" is not a day/],
    [
      'bad time zone',
      { autoscale: { enabled: true, timeZone: 'Europe/Berlin;$(x)' } },
      /nodes\.autoscale\.timeZone: .* is not a time zone Azure autoscale knows/,
    ],
    ['negative bid', { spot: { enabled: true, maxBidPrice: -5 } }, /nodes\.spot\.maxBidPrice: -5 is not allowed/],
    ['not a VM size', { size: 'big-gpu-box', gpuMask: 1 }, /nodes\.size: "big-gpu-box" is not an Azure VM size/],
  ])('cluster checks what the configuration checks: %s', (_name, nodes, message) => {
    expect(() => synthInStack((stack) => new PhotoScanCluster(stack, 'cluster', clusterProps(stack, { nodes })))).toThrow(message);
  });

  test('exposes the parts: scheduler VM and bootstrap, nodes identity; grants and extensions order after the bootstrap', () => {
    const json = synthInStack((stack) => {
      const cluster = new PhotoScanCluster(stack, 'cluster', clusterProps(stack));
      expect(
        cluster.node.defaultChild === cluster.nodes && cluster.nodes instanceof ProcessingNodes && cluster.nodes.node.defaultChild === cluster.nodes.scaleSet,
      ).toBe(true);
      expect(cluster.scheduler.node.defaultChild === cluster.scheduler.vm).toBe(true);
      vault(stack).grantSecretsRead(cluster.nodes, { id: 'extra-read' });
      new VirtualMachineExtension(stack, 'after-bootstrap', {
        name: 'mine',
        virtualMachineId: cluster.scheduler.vmId,
        publisher: 'p',
        type: 't',
        typeHandlerVersion: '1.0',
        dependsOn: [cluster.scheduler.bootstrap],
      });
    });
    const extra = resourcesOf(json, 'azurerm_role_assignment').find(([k]) => /extra-read/.test(k))![1];
    expect(extra).toMatchObject({
      scope: '/subscriptions/x/vaults/kv-lib',
      principal_id: expect.stringMatching(/azurerm_linux_virtual_machine_scale_set\.cluster_nodes_\w+\.identity\[0\]\.principal_id/),
    });
    const mine = resourcesOf(json, 'azurerm_virtual_machine_extension').find(([, e]) => e.name === 'mine')![1];
    expect(mine.depends_on).toEqual([expect.stringMatching(/^azurerm_virtual_machine_extension\.cluster_scheduler-bootstrap_/)]);
  });

  describe('user-assigned identities (AVM managedIdentities)', () => {
    const UAI = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ops/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-ops';

    test('attached to the scheduler and the nodes besides their system-assigned identity; none by default', () => {
      const json = synthInStack((stack) => {
        new PhotoScanCluster(stack, 'cluster', clusterProps(stack, { schedulerUserAssignedIdentityIds: [UAI], nodes: { userAssignedIdentityIds: [UAI] } }));
      });
      const [[, vm]] = resourcesOf(json, 'azurerm_windows_virtual_machine');
      const [[, vmss]] = resourcesOf(json, 'azurerm_linux_virtual_machine_scale_set');
      for (const r of [vm, vmss]) expect(r.identity).toEqual({ type: 'SystemAssigned, UserAssigned', identity_ids: [UAI] });
      const plain = synthInStack((stack) => {
        new PhotoScanCluster(stack, 'cluster', clusterProps(stack));
      });
      expect(resourcesOf(plain, 'azurerm_linux_virtual_machine_scale_set')[0][1].identity).toEqual({ type: 'SystemAssigned' });
    });

    test('anything but a user-assigned identity id (or a reference), or one given twice, is refused naming the prop', () => {
      expect(() =>
        synthInStack((stack) => {
          new PhotoScanCluster(
            stack,
            'cluster',
            clusterProps(stack, { schedulerUserAssignedIdentityIds: ['id-ops'], nodes: { userAssignedIdentityIds: [UAI, UAI] } }),
          );
        }),
      ).toThrow(
        /userAssignedIdentityIds\[0\]: "id-ops" is not the resource id of a user-assigned identity[\s\S]*nodes\.userAssignedIdentityIds\[1\]: .* is given twice/,
      );
    });
  });
});
