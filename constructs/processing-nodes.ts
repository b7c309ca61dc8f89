import { LinuxVirtualMachineScaleSet } from '@cdktf/provider-azurerm/lib/linux-virtual-machine-scale-set';
import { MonitorAutoscaleSetting } from '@cdktf/provider-azurerm/lib/monitor-autoscale-setting';
import type { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { WindowsVirtualMachineScaleSet } from '@cdktf/provider-azurerm/lib/windows-virtual-machine-scale-set';
import { Fn, TerraformLocal, Token } from 'cdktf';
import { Construct } from 'constructs';
import { renderNodeCloudInit } from '../src/compute/cloud-init';
import { resolveGpuMask, supportsEphemeralOsDisk } from '../src/compute/gpu';
import { AUTOSCALE_DEFAULTS, AutoscaleSettings, autoscaleIssues, SPOT_DEFAULTS, SpotSettings, spotIssues, vmSizeIssues } from '../src/compute/node-rules';
import { LicensingParams, renderWindowsBootstrap } from '../src/compute/windows-bootstrap';
import { InputIssue, show, throwIfIssues } from '../src/errors';
import { sshPublicKeyIssues } from '../src/identity/ssh-key';
import { Naming } from '../src/naming';
import type { SharedFileSystem } from '../src/storage/shared-file-system';
import type { IHpcNetwork } from './hpc-network';
import { MetashapeOptions, metashapeOptionIssues } from './metashape-scheduler';
import type { ClusterLicensing, IGrantable, IPrincipal, ISecretsVault } from './secrets-vault';
import { WINDOWS_SERVER_2022 } from './vm-defaults';
import { withNormalizedLocation } from '../src/azure/regions';
import { managedIdentity, userAssignedIdentityIssues } from '../src/identity/managed-identity';

/** Most processing nodes the construct accepts. */
export const MAX_PROCESSING_NODES = 100;

/** Processing nodes. */
export interface ProcessingNodesOptions {
  /**
   * User-assigned managed identities to attach besides the system-assigned one (which the vault grants read): resource
   * ids or Terraform references. @default none
   */
  readonly userAssignedIdentityIds?: readonly string[];
  /**
   * Proximity placement group of the scale set (e.g. the file servers' group, for lower latency to the shared file
   * system; the GPU size must be available in the group's datacenter). @default none
   */
  readonly proximityPlacementGroupId?: string;
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
  readonly spot?: SpotSettings;
  /** Schedule-based autoscale. @default disabled */
  readonly autoscale?: AutoscaleSettings;
}

/** What every way of running the GPU workers is given: {@link ProcessingNodes}, the Batch pool, the CycleCloud cluster. */
export interface WorkerNodesBaseProps {
  readonly naming: Naming;
  readonly location: string;
  readonly resourceGroupName: string;
  /** The network: the workers sit in its compute subnet. */
  readonly network: IHpcNetwork;
  /** The shared file system the workers mount (the Batch pool and CycleCloud need a backend with a Linux client). */
  readonly fileSystem: SharedFileSystem;
  /** The scheduler the workers join (its static address). @default the network's `addressPlan.schedulerIp` */
  readonly schedulerIp?: string;
  readonly metashape: MetashapeOptions;
  /** @default the vault's licensing, else `{ kind: "none" }` */
  readonly licensing?: ClusterLicensing;
}

/** Props of {@link ProcessingNodes}. */
export interface ProcessingNodesProps extends ProcessingNodesOptions, WorkerNodesBaseProps {
  /** The vault: with licensing "code" the nodes' identity gets read access to the code. @default no grant */
  readonly secrets?: ISecretsVault;
  readonly adminUsername: string;
  /** Local admin password of Windows workers: a Terraform reference. */
  readonly adminPassword: string;
  /** OpenSSH public key of Linux nodes (or a Terraform reference to one). */
  readonly sshPublicKey: string;
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * The GPU processing nodes: a scale set (Linux with cloud-init, or Windows) in the compute subnet that mounts the
 * shared file system and joins the scheduler, with optional Spot and schedule autoscale. Its `defaultChild` is the
 * scale set; its identity ({@link principalId}, {@link grantPrincipal}) can be granted access to anything.
 */
export class ProcessingNodes extends Construct implements IGrantable {
  static readonly DEFAULT_COUNT = 5;
  static readonly DEFAULT_SIZE = 'Standard_NC24ads_A100_v4';
  static readonly DEFAULT_OS_DISK_SIZE_GB = 128;
  static readonly DEFAULT_IMAGE = { publisher: 'microsoft-dsvm', offer: 'ubuntu-hpc', sku: '2204', version: 'latest' } as const;
  static readonly MAX_COUNT = MAX_PROCESSING_NODES;

  readonly scaleSetId: string;
  readonly scaleSetName: string;
  /** The scale set's system-assigned identity. */
  readonly principalId: string;
  readonly grantPrincipal: IPrincipal;
  readonly nodeCount: number;
  readonly gpuMask: number;
  readonly scaleSet: LinuxVirtualMachineScaleSet | WindowsVirtualMachineScaleSet;
  readonly autoscaleSetting?: MonitorAutoscaleSetting;
  /** The nodes' read access to the activation code (licensing "code" with a vault). */
  readonly activationCodeGrant?: RoleAssignment;

  constructor(scope: Construct, id: string, props: ProcessingNodesProps) {
    super(scope, id);
    props = withNormalizedLocation(props, `ProcessingNodes props (${this.node.path})`);
    const os = props.os ?? 'linux';
    const count = props.count ?? ProcessingNodes.DEFAULT_COUNT;
    const size = props.size ?? ProcessingNodes.DEFAULT_SIZE;
    const gpu = resolveGpuMask('nodes.gpuMask', size, props.gpuMask);
    const compute = props.network.subnet('compute');
    const schedulerIp = props.schedulerIp ?? props.network.addressPlan.schedulerIp;
    const licensing = props.licensing ?? props.secrets?.licensing ?? { kind: 'none' };
    throwIfIssues(`ProcessingNodes props (${this.node.path})`, [...processingNodesIssues(props, os, count, size), ...gpu.issues]);
    this.gpuMask = gpu.mask!;
    this.nodeCount = count;
    const tags = props.tags ? { ...props.tags } : undefined;
    const scriptLicensing: LicensingParams =
      licensing.kind === 'code' ? { kind: 'code', keyVaultUri: licensing.keyVaultUri, secretName: licensing.secretName } : licensing;

    const spot = props.spot?.enabled
      ? {
          priority: 'Spot',
          evictionPolicy: props.spot.evictionPolicy ?? SPOT_DEFAULTS.evictionPolicy,
          maxBidPrice: props.spot.maxBidPrice ?? SPOT_DEFAULTS.maxBidPrice,
        }
      : {};
    const osDiskGb = props.osDiskSizeGb ?? ProcessingNodes.DEFAULT_OS_DISK_SIZE_GB;
    const ephemeral = (props.ephemeralOsDisk ?? 'auto') === 'auto' && supportsEphemeralOsDisk(size, osDiskGb);
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
      identity: managedIdentity(props.userAssignedIdentityIds),
      proximityPlacementGroupId: props.proximityPlacementGroupId,
      networkInterface: [
        { name: 'nic', primary: true, enableAcceleratedNetworking: true, ipConfiguration: [{ name: 'ipconfig', primary: true, subnetId: compute.id }] },
      ],
      osDisk: ephemeral
        ? { caching: 'ReadOnly', storageAccountType: 'Standard_LRS', diskSizeGb: osDiskGb, diffDiskSettings: { option: 'Local', placement: 'ResourceDisk' } }
        : { caching: 'ReadWrite', storageAccountType: 'Premium_LRS', diskSizeGb: osDiskGb },
      ...spot,
      // With schedule autoscale the autoscale setting owns the capacity (its working-hours profile carries `count`):
      // a deploy must not reset the instances it set.
      lifecycle: props.autoscale?.enabled ? { ignoreChanges: ['instances'] } : undefined,
      tags,
    };
    if (os === 'linux') {
      // The rendered cloud-init is a plain string attribute (Terraform references inside resolve); custom_data is its base64.
      const cloudInit = new TerraformLocal(
        this,
        'node_cloud_init',
        renderNodeCloudInit({
          fileSystem: props.fileSystem,
          schedulerIp,
          metashapeVersion: props.metashape.version,
          installerUrl: props.metashape.linuxInstallerUrl,
          gpuMask: this.gpuMask,
          licensing: scriptLicensing,
        }),
      );
      this.scaleSet = new LinuxVirtualMachineScaleSet(this, 'nodes', {
        ...common,
        disablePasswordAuthentication: true,
        adminSshKey: [{ username: props.adminUsername, publicKey: props.sshPublicKey }],
        sourceImageReference: props.image ?? { ...ProcessingNodes.DEFAULT_IMAGE },
        customData: Fn.base64encode(cloudInit.asString),
        extension:
          props.gpuDriver === 'extension'
            ? [
                {
                  name: 'nvidia-gpu-driver',
                  publisher: 'Microsoft.HpcCompute',
                  type: 'NvidiaGpuDriverLinux',
                  typeHandlerVersion: '1.6',
                  autoUpgradeMinorVersion: true,
                },
              ]
            : undefined,
      });
    } else {
      const bootstrap = new TerraformLocal(
        this,
        'node_bootstrap',
        renderWindowsBootstrap({
          role: 'node',
          fileSystem: props.fileSystem,
          schedulerIp,
          computeSubnet: compute.cidr,
          metashapeVersion: props.metashape.version,
          installerUrl: props.metashape.windowsInstallerUrl,
          gpuMask: this.gpuMask,
          licensing: scriptLicensing,
        }),
      );
      this.scaleSet = new WindowsVirtualMachineScaleSet(this, 'nodes', {
        ...common,
        computerNamePrefix: `${props.naming.prefix.slice(0, 7)}wn`, // Windows scale sets allow 9 characters
        adminPassword: props.adminPassword,
        sourceImageReference: { ...WINDOWS_SERVER_2022 },
        customData: Fn.base64encode(bootstrap.asString),
        extension: [
          {
            name: 'nvidia-gpu-driver',
            publisher: 'Microsoft.HpcCompute',
            type: 'NvidiaGpuDriverWindows',
            typeHandlerVersion: '1.6',
            autoUpgradeMinorVersion: true,
          },
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
    }
    this.node.defaultChild = this.scaleSet;
    this.scaleSetId = this.scaleSet.id;
    this.scaleSetName = this.scaleSet.name;
    this.principalId = this.scaleSet.identity.principalId;
    this.grantPrincipal = { principalId: this.principalId, principalType: 'ServicePrincipal' };
    if (licensing.kind === 'code' && props.secrets) {
      this.activationCodeGrant = props.secrets.grantSecretsRead(this, { scope: this, id: 'nodes-reads-activation-code', secret: licensing.secretResourceId });
    }
    // A file system client's secret (BeeGFS's connection authentication), read at boot by the Linux nodes.
    const clientSecret = props.fileSystem.linux.clientSecret;
    if (clientSecret && props.secrets && (props.os ?? 'linux') === 'linux') {
      props.secrets.grantSecretsRead(this, { scope: this, id: 'nodes-read-file-system-secret', secret: clientSecret.secretResourceId });
    }

    const a = props.autoscale;
    if (a?.enabled) {
      const days = [...(a.days ?? AUTOSCALE_DEFAULTS.days)];
      const recurrence = (hour: number) => ({ timezone: a.timeZone ?? AUTOSCALE_DEFAULTS.timeZone, days, hours: [hour], minutes: [0] });
      const capacity = (n: number) => ({ default: n, minimum: n, maximum: n });
      this.autoscaleSetting = new MonitorAutoscaleSetting(this, 'autoscale', {
        name: `${props.naming.name('scaleSet', 'nodes')}-schedule`,
        location: props.location,
        resourceGroupName: props.resourceGroupName,
        targetResourceId: this.scaleSetId,
        profile: [
          { name: 'working-hours', capacity: capacity(count), recurrence: recurrence(a.startHour ?? AUTOSCALE_DEFAULTS.startHour) },
          { name: 'idle', capacity: capacity(a.idleCount ?? AUTOSCALE_DEFAULTS.idleCount), recurrence: recurrence(a.stopHour ?? AUTOSCALE_DEFAULTS.stopHour) },
        ],
        tags,
      });
    }
  }
}

/**
 * What {@link processingNodesIssues} checks: the plain values of {@link ProcessingNodesProps}; the SSH key, the
 * password and the file system's Windows support only when given.
 */
export type ProcessingNodesRuleProps = Pick<ProcessingNodesProps, 'metashape'> &
  Partial<
    Pick<
      ProcessingNodesProps,
      'gpuDriver' | 'osDiskSizeGb' | 'ephemeralOsDisk' | 'spot' | 'autoscale' | 'sshPublicKey' | 'adminPassword' | 'fileSystem' | 'userAssignedIdentityIds'
    >
  >;

/**
 * Issues of the nodes' props, with the rules the configuration file uses (`compute.nodes.*` there): count, size,
 * GPU driver, OS disk, Spot, autoscale, Metashape, SSH key, password, and the file system's Windows support.
 */
export function processingNodesIssues(props: ProcessingNodesRuleProps, os: string, count: number, size: string, path = 'nodes'): InputIssue[] {
  const issues: InputIssue[] = [];
  if (os !== 'linux' && os !== 'windows') issues.push({ path: `${path}.os`, message: `${show(os)} is not allowed; use "linux" or "windows"` });
  if (!Number.isInteger(count) || count < 0 || count > MAX_PROCESSING_NODES)
    issues.push({ path: `${path}.count`, message: `${show(count)} is not allowed; use 0–${MAX_PROCESSING_NODES}` });
  issues.push(...userAssignedIdentityIssues(`${path}.userAssignedIdentityIds`, props.userAssignedIdentityIds));
  const osDiskGb = props.osDiskSizeGb ?? ProcessingNodes.DEFAULT_OS_DISK_SIZE_GB;
  // Ephemeral where the size's local disk holds the OS disk (as the constructor decides); else a Premium_LRS OS disk.
  const ephemeral = (props.ephemeralOsDisk ?? 'auto') === 'auto' && supportsEphemeralOsDisk(size, osDiskGb);
  issues.push(
    ...vmSizeIssues(
      `${path}.size`,
      size,
      ProcessingNodes.DEFAULT_SIZE,
      ephemeral ? {} : { premiumStorage: "the nodes' OS disk is Premium_LRS (not ephemeral)" },
    ),
  );
  if (ephemeral && props.spot?.enabled && props.spot.evictionPolicy === 'Deallocate')
    issues.push({
      path: `${path}.spot.evictionPolicy`,
      message: `"Deallocate" is refused by Azure with an ephemeral OS disk (${size} puts the ${osDiskGb} GiB OS disk on its local disk): use "Delete", or set ephemeralOsDisk to "never"`,
    });
  if (props.gpuDriver !== undefined && !['image', 'extension'].includes(props.gpuDriver))
    issues.push({ path: `${path}.gpuDriver`, message: `${show(props.gpuDriver)} is not allowed; use "image" or "extension"` });
  const disk = props.osDiskSizeGb ?? ProcessingNodes.DEFAULT_OS_DISK_SIZE_GB;
  if (!Number.isInteger(disk) || disk < 30 || disk > 4095)
    issues.push({ path: `${path}.osDiskSizeGb`, message: `${show(disk)} is not allowed; use 30–4095 GiB` });
  if (props.ephemeralOsDisk !== undefined && !['auto', 'never'].includes(props.ephemeralOsDisk))
    issues.push({ path: `${path}.ephemeralOsDisk`, message: `${show(props.ephemeralOsDisk)} is not allowed; use "auto" or "never"` });
  issues.push(...spotIssues(`${path}.spot`, props.spot));
  issues.push(...autoscaleIssues(`${path}.autoscale`, props.autoscale, count, `${path}.count`));
  issues.push(...metashapeOptionIssues(props.metashape));
  if (os === 'linux' && props.sshPublicKey !== undefined && !Token.isUnresolved(props.sshPublicKey))
    issues.push(...sshPublicKeyIssues('sshPublicKey', props.sshPublicKey));
  if (props.adminPassword !== undefined && !Token.isUnresolved(props.adminPassword))
    issues.push({ path: 'adminPassword', message: 'must be a Terraform reference (a random_password result or a Key Vault secret), never a literal password' });
  if (os === 'windows' && props.fileSystem && !props.fileSystem.windows.supported)
    issues.push({ path: `${path}.os`, message: `Windows workers cannot use this file system: ${props.fileSystem.windows.reason}` });
  return issues;
}
