import { LinuxVirtualMachineScaleSet } from '@cdktf/provider-azurerm/lib/linux-virtual-machine-scale-set';
import { MonitorAutoscaleSetting } from '@cdktf/provider-azurerm/lib/monitor-autoscale-setting';
import { NetworkInterface } from '@cdktf/provider-azurerm/lib/network-interface';
import { NetworkSecurityRule } from '@cdktf/provider-azurerm/lib/network-security-rule';
import { VirtualMachineExtension } from '@cdktf/provider-azurerm/lib/virtual-machine-extension';
import { WindowsVirtualMachine } from '@cdktf/provider-azurerm/lib/windows-virtual-machine';
import { WindowsVirtualMachineScaleSet } from '@cdktf/provider-azurerm/lib/windows-virtual-machine-scale-set';
import { Fn, ITerraformDependable, TerraformLocal, TerraformResource, Token } from 'cdktf';
import { Construct } from 'constructs';
import { renderNodeCloudInit } from '../src/compute/cloud-init';
import { resolveGpuMask, supportsEphemeralOsDisk } from '../src/compute/gpu';
import { METASHAPE_CONTROL_PORT, METASHAPE_DISPATCH_PORT, parseMetashapeVersion } from '../src/compute/metashape';
import { LicensingParams, renderWindowsBootstrap, WINDOWS_UNPACK_AND_RUN_COMMAND } from '../src/compute/windows-bootstrap';
import { InputIssue, show, throwIfIssues } from '../src/errors';
import { sshPublicKeyIssues } from '../src/identity/ssh-key';
import { staticAddressIssues } from '../src/net/address-plan';
import { Naming } from '../src/naming';
import type { SharedFileSystem } from '../src/storage/shared-file-system';
import { windowsVmBaseline, WINDOWS_SERVER_2022 } from './vm-defaults';

/** Most processing nodes the construct accepts. */
export const MAX_PROCESSING_NODES = 100;

/** The compute subnet the cluster lives in (values may cross stacks). */
export interface ClusterNetwork {
  readonly subnetId: string;
  readonly subnetCidr: string;
  /** NSG of the compute subnet and its resource group, for the scheduler's port rules. */
  readonly nsgName: string;
  readonly nsgResourceGroupName: string;
  /** The jump box subnet's CIDR (see {@link PhotoScanClusterProps.allowControlFromJumpbox}). */
  readonly jumpboxSubnetCidr: string;
}

/** Licensing, with what the machines' identities need to read the code. */
export type ClusterLicensing =
  | { readonly kind: 'code'; readonly keyVaultUri: string; readonly secretName: string; /** ARM id of the secret, for the role assignment. */ readonly secretResourceId: string }
  | { readonly kind: 'license-server'; readonly address: string }
  | { readonly kind: 'none' };

/** Processing nodes. */
export interface ProcessingNodesOptions {
  /** "linux" (default) or "windows" (the seed's alternative). @default "linux" */
  readonly os?: 'linux' | 'windows';
  /** Instances (0–100). @default 5 */
  readonly count?: number;
  /** GPU size. @default "Standard_NC24ads_A100_v4" */
  readonly size?: string;
  /** `--gpu_mask`. @default from the size's GPU count; required for sizes not in the table */
  readonly gpuMask?: number;
  /** Linux image (an HPC image with the NVIDIA driver). @default microsoft-dsvm:ubuntu-hpc:2204:latest */
  readonly image?: { readonly publisher: string; readonly offer: string; readonly sku: string; readonly version: string };
  /**
   * Where the Linux nodes' NVIDIA driver comes from: "image" (an HPC image that has it) or "extension" (a plain
   * image plus the `NvidiaGpuDriverLinux` extension). Windows workers always get `NvidiaGpuDriverWindows`.
   * @default "image"
   */
  readonly gpuDriver?: 'image' | 'extension';
  /** @default 128 */
  readonly osDiskSizeGb?: number;
  /** @default "auto" — ephemeral where the size's local disk holds the OS disk */
  readonly ephemeralOsDisk?: 'auto' | 'never';
  /** Spot priority. @default disabled */
  readonly spot?: { readonly enabled: boolean; readonly evictionPolicy?: 'Delete' | 'Deallocate'; readonly maxBidPrice?: number };
  /** Schedule-based autoscale. @default disabled */
  readonly autoscale?: {
    readonly enabled: boolean;
    readonly timeZone?: string;
    readonly days?: readonly string[];
    readonly startHour?: number;
    readonly stopHour?: number;
    readonly idleCount?: number;
  };
}

/** Props of {@link PhotoScanCluster}. */
export interface PhotoScanClusterProps {
  readonly naming: Naming;
  readonly location: string;
  readonly resourceGroupName: string;
  readonly network: ClusterNetwork;
  /** The shared file system (any backend). */
  readonly fileSystem: SharedFileSystem;
  /** Static address of the scheduler in the compute subnet. */
  readonly schedulerIp: string;
  /** @default "Standard_D8s_v5" */
  readonly schedulerSize?: string;
  /** Let the jump box subnet reach the control port 5840 (submit and monitor jobs from the jump box). @default false */
  readonly allowControlFromJumpbox?: boolean;
  /**
   * First priority of the scheduler's rules in the compute subnet's NSG (it uses base, base + 10, base + 20).
   * Give clusters that share a subnet different bases. @default 300
   */
  readonly nsgPriorityBase?: number;
  readonly nodes?: ProcessingNodesOptions;
  /** Metashape version and https installers. */
  readonly metashape: { readonly version: string; readonly linuxInstallerUrl: string; readonly windowsInstallerUrl: string };
  readonly licensing: ClusterLicensing;
  /** Admin account of every machine. */
  readonly adminUsername: string;
  /** Local admin password of the Windows machines: a Terraform reference. */
  readonly adminPassword: string;
  /** OpenSSH public key of the Linux machines (or a Terraform reference to one). */
  readonly sshPublicKey: string;
  /** Grants an identity read access to a secret (SecretsVault.grantSecretsRead). */
  readonly grantSecretsRead?: (scope: Construct, id: string, principalId: string, secretResourceId: string) => unknown;
  /** Joins a Windows VM to the domain (DomainServices.joinDomain); returns what to depend on. */
  readonly joinDomain?: (scope: Construct, id: string, virtualMachineId: string) => ITerraformDependable;
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * The Metashape (PhotoScan) cluster: a Windows scheduler (head node) at a
 * static address, domain-joined and bootstrapped by the CustomScriptExtension, and the GPU
 * processing nodes as a scale set (Linux with cloud-init, or Windows) that
 * mount the shared file system and join the scheduler. Only the compute subnet
 * reaches the scheduler's ports 5840/5841.
 */
export class PhotoScanCluster extends Construct {
  readonly schedulerId: string;
  readonly schedulerIp: string;
  readonly schedulerPrincipalId: string;
  readonly scaleSetId: string;
  readonly scaleSetName: string;
  readonly nodeCount: number;
  readonly gpuMask: number;

  constructor(scope: Construct, id: string, props: PhotoScanClusterProps) {
    super(scope, id);
    const nodes = props.nodes ?? {};
    const os = nodes.os ?? 'linux';
    const count = nodes.count ?? 5;
    const size = nodes.size ?? 'Standard_NC24ads_A100_v4';
    const gpu = resolveGpuMask('nodes.gpuMask', size, nodes.gpuMask);
    throwIfIssues(`PhotoScanCluster props (${this.node.path})`, [...validate(props, os, count), ...gpu.issues]);
    this.gpuMask = gpu.mask!;
    this.nodeCount = count;
    this.schedulerIp = props.schedulerIp;
    const tags = props.tags ? { ...props.tags } : undefined;
    const licensing: LicensingParams = props.licensing.kind === 'code' ? { kind: 'code', keyVaultUri: props.licensing.keyVaultUri, secretName: props.licensing.secretName } : props.licensing;
    // Returns the grant when it is a Terraform resource, so that what reads the code can wait for it.
    const readCode = (key: string, principalId: string): ITerraformDependable | undefined => {
      if (props.licensing.kind !== 'code' || !props.grantSecretsRead) return undefined;
      const grant = props.grantSecretsRead(this, `${key}-reads-activation-code`, principalId, props.licensing.secretResourceId);
      return TerraformResource.isTerraformResource(grant) ? grant : undefined;
    };

    // --- Scheduler -------------------------------------------------------------------------------------------
    const nic = new NetworkInterface(this, 'scheduler-nic', {
      name: props.naming.name('networkInterface', 'scheduler'),
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      acceleratedNetworkingEnabled: true,
      ipConfiguration: [{ name: 'ipconfig', subnetId: props.network.subnetId, privateIpAddressAllocation: 'Static', privateIpAddress: props.schedulerIp }],
      tags,
    });
    const scheduler = new WindowsVirtualMachine(this, 'scheduler', {
      name: props.naming.name('virtualMachine', 'scheduler'),
      computerName: props.naming.computerName('sched'),
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      size: props.schedulerSize ?? 'Standard_D8s_v5',
      adminUsername: props.adminUsername,
      adminPassword: props.adminPassword,
      networkInterfaceIds: [nic.id],
      ...windowsVmBaseline(),
      identity: { type: 'SystemAssigned' },
      tags,
    });
    this.schedulerId = scheduler.id;
    this.schedulerPrincipalId = scheduler.identity.principalId;
    const schedulerGrant = readCode('scheduler', this.schedulerPrincipalId);
    const joined = props.joinDomain?.(this, 'scheduler-domain-join', scheduler.id);
    // The bootstrap is delivered by the CustomScriptExtension: the rendered script (readable in a local; Terraform
    // references in it resolve at plan time) travels gzip + base64 inside the extension's command line, which
    // unpacks it to a file and runs it. It carries no secret (the activation code is read from Key Vault at boot).
    // Any change to the script changes the command, so the extension runs again (the script is idempotent).
    const bootstrap = new TerraformLocal(
      this,
      'scheduler_bootstrap',
      renderWindowsBootstrap({
        role: 'server',
        fileSystem: props.fileSystem,
        schedulerIp: props.schedulerIp,
        computeSubnet: props.network.subnetCidr,
        controlClientSubnets: props.allowControlFromJumpbox ? [props.network.jumpboxSubnetCidr] : [],
        metashapeVersion: props.metashape.version,
        installerUrl: props.metashape.windowsInstallerUrl,
        licensing,
      }),
    );
    new VirtualMachineExtension(this, 'scheduler-bootstrap', {
      name: 'metashape-server',
      virtualMachineId: scheduler.id,
      publisher: 'Microsoft.Compute',
      type: 'CustomScriptExtension',
      typeHandlerVersion: '1.10',
      autoUpgradeMinorVersion: true,
      settings: Fn.jsonencode({ commandToExecute: Fn.format(Fn.rawString(WINDOWS_UNPACK_AND_RUN_COMMAND), [Fn.base64gzip(bootstrap.asString)]) }),
      timeouts: { create: '60m', update: '60m' },
      // After the domain join, and after the scheduler may read the activation code: the bootstrap reads it (and
      // still retries while the role assignment propagates).
      dependsOn: joined || schedulerGrant ? [joined, schedulerGrant].filter((d): d is ITerraformDependable => d !== undefined) : undefined,
      tags,
    });

    // Only the compute subnet (and, when allowed, the jump boxes for 5840) reaches the scheduler's ports.
    const base = props.nsgPriorityBase ?? 300;
    const rule = (name: string, priority: number, access: 'Allow' | 'Deny', ports: string, source: string) =>
      new NetworkSecurityRule(this, `nsg-${name}`, {
        // Prefixed: clusters sharing the compute subnet each own their rules.
        name: `${props.naming.prefix}-${name}`,
        priority,
        direction: 'Inbound',
        access,
        protocol: 'Tcp',
        sourcePortRange: '*',
        destinationPortRange: ports,
        sourceAddressPrefix: source,
        destinationAddressPrefix: `${props.schedulerIp}/32`,
        resourceGroupName: props.network.nsgResourceGroupName,
        networkSecurityGroupName: props.network.nsgName,
      });
    rule('allow-metashape-from-compute', base, 'Allow', `${METASHAPE_CONTROL_PORT}-${METASHAPE_DISPATCH_PORT}`, props.network.subnetCidr);
    if (props.allowControlFromJumpbox) rule('allow-metashape-control-from-jumpbox', base + 10, 'Allow', String(METASHAPE_CONTROL_PORT), props.network.jumpboxSubnetCidr);
    rule('deny-metashape-from-elsewhere', base + 20, 'Deny', `${METASHAPE_CONTROL_PORT}-${METASHAPE_DISPATCH_PORT}`, '*');

    // --- Processing nodes ------------------------------------------------------------------------------------
    const spot = nodes.spot?.enabled ? { priority: 'Spot', evictionPolicy: nodes.spot.evictionPolicy ?? 'Delete', maxBidPrice: nodes.spot.maxBidPrice ?? -1 } : {};
    const osDiskGb = nodes.osDiskSizeGb ?? 128;
    const ephemeral = (nodes.ephemeralOsDisk ?? 'auto') === 'auto' && supportsEphemeralOsDisk(size, osDiskGb);
    const common = {
      name: props.naming.name('scaleSet', 'nodes'),
      computerNamePrefix: `${props.naming.prefix}node`,
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      sku: size,
      instances: count,
      adminUsername: props.adminUsername,
      // Every instance runs one Metashape node: no overprovisioned extras joining the scheduler.
      overprovision: false,
      upgradeMode: 'Manual',
      encryptionAtHostEnabled: true,
      bootDiagnostics: {},
      identity: { type: 'SystemAssigned' },
      networkInterface: [
        { name: 'nic', primary: true, enableAcceleratedNetworking: true, ipConfiguration: [{ name: 'ipconfig', primary: true, subnetId: props.network.subnetId }] },
      ],
      osDisk: ephemeral
        ? { caching: 'ReadOnly', storageAccountType: 'Standard_LRS', diskSizeGb: osDiskGb, diffDiskSettings: { option: 'Local', placement: 'ResourceDisk' } }
        : { caching: 'ReadWrite', storageAccountType: 'Premium_LRS', diskSizeGb: osDiskGb },
      ...spot,
      // With schedule autoscale the autoscale setting owns the capacity (its working-hours profile carries `count`):
      // a deploy must not reset the instances it set.
      lifecycle: nodes.autoscale?.enabled ? { ignoreChanges: ['instances'] } : undefined,
      tags,
    };
    let principalId: string;
    if (os === 'linux') {
      const image = nodes.image ?? { publisher: 'microsoft-dsvm', offer: 'ubuntu-hpc', sku: '2204', version: 'latest' };
      // The rendered cloud-init is a plain string attribute (Terraform references inside resolve); custom_data is its base64.
      const cloudInit = new TerraformLocal(
        this,
        'node_cloud_init',
        renderNodeCloudInit({
          fileSystem: props.fileSystem,
          schedulerIp: props.schedulerIp,
          metashapeVersion: props.metashape.version,
          installerUrl: props.metashape.linuxInstallerUrl,
          gpuMask: this.gpuMask,
          licensing,
        }),
      );
      const vmss = new LinuxVirtualMachineScaleSet(this, 'nodes', {
        ...common,
        disablePasswordAuthentication: true,
        adminSshKey: [{ username: props.adminUsername, publicKey: props.sshPublicKey }],
        sourceImageReference: image,
        customData: Fn.base64encode(cloudInit.asString),
        extension:
          nodes.gpuDriver === 'extension'
            ? [{ name: 'nvidia-gpu-driver', publisher: 'Microsoft.HpcCompute', type: 'NvidiaGpuDriverLinux', typeHandlerVersion: '1.6', autoUpgradeMinorVersion: true }]
            : undefined,
      });
      this.scaleSetId = vmss.id;
      this.scaleSetName = vmss.name;
      principalId = vmss.identity.principalId;
    } else {
      const bootstrap = new TerraformLocal(
        this,
        'node_bootstrap',
        renderWindowsBootstrap({
          role: 'node',
          fileSystem: props.fileSystem,
          schedulerIp: props.schedulerIp,
          computeSubnet: props.network.subnetCidr,
          metashapeVersion: props.metashape.version,
          installerUrl: props.metashape.windowsInstallerUrl,
          gpuMask: this.gpuMask,
          licensing,
        }),
      );
      const vmss = new WindowsVirtualMachineScaleSet(this, 'nodes', {
        ...common,
        computerNamePrefix: `${props.naming.prefix.slice(0, 7)}wn`, // Windows scale sets allow 9 characters
        adminPassword: props.adminPassword,
        sourceImageReference: { ...WINDOWS_SERVER_2022 },
        customData: Fn.base64encode(bootstrap.asString),
        extension: [
          { name: 'nvidia-gpu-driver', publisher: 'Microsoft.HpcCompute', type: 'NvidiaGpuDriverWindows', typeHandlerVersion: '1.6', autoUpgradeMinorVersion: true },
          {
            name: 'metashape-bootstrap',
            publisher: 'Microsoft.Compute',
            type: 'CustomScriptExtension',
            typeHandlerVersion: '1.10',
            provisionAfterExtensions: ['nvidia-gpu-driver'],
            // Custom data lands in C:\AzureData\CustomData.bin; run it as a script. No secrets here.
            settings: JSON.stringify({
              commandToExecute:
                'powershell -NoProfile -ExecutionPolicy Bypass -Command "Copy-Item C:\\AzureData\\CustomData.bin C:\\AzureData\\metashape-bootstrap.ps1 -Force; & C:\\AzureData\\metashape-bootstrap.ps1"',
            }),
          },
        ],
      });
      this.scaleSetId = vmss.id;
      this.scaleSetName = vmss.name;
      principalId = vmss.identity.principalId;
    }
    readCode('nodes', principalId);

    const a = nodes.autoscale;
    if (a?.enabled) {
      const days = [...(a.days ?? ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'])];
      const recurrence = (hour: number) => ({ timezone: a.timeZone ?? 'UTC', days, hours: [hour], minutes: [0] });
      const capacity = (n: number) => ({ default: n, minimum: n, maximum: n });
      new MonitorAutoscaleSetting(this, 'autoscale', {
        name: `${props.naming.name('scaleSet', 'nodes')}-schedule`,
        location: props.location,
        resourceGroupName: props.resourceGroupName,
        targetResourceId: this.scaleSetId,
        profile: [
          { name: 'working-hours', capacity: capacity(count), recurrence: recurrence(a.startHour ?? 8) },
          { name: 'idle', capacity: capacity(a.idleCount ?? 0), recurrence: recurrence(a.stopHour ?? 20) },
        ],
        tags,
      });
    }
  }
}

function validate(props: PhotoScanClusterProps, os: string, count: number): InputIssue[] {
  const issues: InputIssue[] = [];
  const nodes = props.nodes ?? {};
  const base = props.nsgPriorityBase ?? 300;
  if (!Number.isInteger(base) || base < 200 || base + 20 > 3999) issues.push({ path: 'nsgPriorityBase', message: `${show(base)} is not allowed; use 200–3979 (custom rules live between the baseline's 100–199 and 4000–4096)` });
  if (!Number.isInteger(count) || count < 0 || count > MAX_PROCESSING_NODES) issues.push({ path: 'nodes.count', message: `${show(count)} is not allowed; use 0–${MAX_PROCESSING_NODES}` });
  issues.push(...staticAddressIssues('schedulerIp', props.schedulerIp, props.network.subnetCidr, 'the compute subnet'));
  for (const [field, url] of [
    ['metashape.linuxInstallerUrl', props.metashape.linuxInstallerUrl],
    ['metashape.windowsInstallerUrl', props.metashape.windowsInstallerUrl],
  ] as const) {
    if (!/^https:\/\/[^\s'"`${}]+$/.test(url)) issues.push({ path: field, message: `${show(url)} is not an https:// URL; installers are downloaded only over https` });
  }
  if (!parseMetashapeVersion(props.metashape.version)) issues.push({ path: 'metashape.version', message: `${show(props.metashape.version)} is not a version such as "2.1.3"` });
  if (os === 'linux' && !Token.isUnresolved(props.sshPublicKey)) issues.push(...sshPublicKeyIssues('sshPublicKey', props.sshPublicKey));
  if (!Token.isUnresolved(props.adminPassword)) issues.push({ path: 'adminPassword', message: 'must be a Terraform reference (a random_password result or a Key Vault secret), never a literal password' });
  if (nodes.gpuDriver !== undefined && !['image', 'extension'].includes(nodes.gpuDriver)) issues.push({ path: 'nodes.gpuDriver', message: `${show(nodes.gpuDriver)} is not allowed; use "image" or "extension"` });
  if (os === 'windows' && !props.fileSystem.windows.supported) issues.push({ path: 'nodes.os', message: `Windows workers cannot use this file system: ${props.fileSystem.windows.reason}` });
  return issues;
}
