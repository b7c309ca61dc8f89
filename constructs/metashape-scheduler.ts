import { NetworkInterface } from '@cdktf/provider-azurerm/lib/network-interface';
import type { NetworkSecurityRule } from '@cdktf/provider-azurerm/lib/network-security-rule';
import type { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { VirtualMachineExtension } from '@cdktf/provider-azurerm/lib/virtual-machine-extension';
import { WindowsVirtualMachine } from '@cdktf/provider-azurerm/lib/windows-virtual-machine';
import { Fn, ITerraformDependable, TerraformLocal, Token } from 'cdktf';
import { Construct } from 'constructs';
import { METASHAPE_CONTROL_PORT, METASHAPE_DISPATCH_PORT, parseMetashapeVersion } from '../src/compute/metashape';
import { vmSizeIssues } from '../src/compute/node-rules';
import { LicensingParams, renderWindowsBootstrap, WINDOWS_UNPACK_AND_RUN_COMMAND } from '../src/compute/windows-bootstrap';
import { InputIssue, show, throwIfIssues } from '../src/errors';
import { staticAddressIssues } from '../src/net/address-plan';
import { CUSTOM_PRIORITY_RANGE } from '../src/net/security-rules';
import { Naming } from '../src/naming';
import type { SharedFileSystem } from '../src/storage/shared-file-system';
import type { DomainJoin } from './domain-join';
import type { IDomain } from './domain-services';
import type { IHpcNetwork } from './hpc-network';
import type { ClusterLicensing, IGrantable, IPrincipal, ISecretsVault } from './secrets-vault';
import { windowsVmBaseline } from './vm-defaults';
import { withNormalizedLocation } from '../src/azure/regions';
import { managedIdentity, userAssignedIdentityIssues } from '../src/identity/managed-identity';

/** Metashape version and installers. */
export interface MetashapeOptions {
  /** e.g. "2.1.3"; 2.2+ uses `metashape-server --host` and `--worker --host`. */
  readonly version: string;
  /** https URL of the Linux installer (.tar.gz). */
  readonly linuxInstallerUrl: string;
  /** https URL of the Windows installer (.msi). */
  readonly windowsInstallerUrl: string;
}

/** Props of {@link MetashapeScheduler}. */
export interface MetashapeSchedulerProps {
  readonly naming: Naming;
  readonly location: string;
  readonly resourceGroupName: string;
  /** The network: the scheduler sits in its compute subnet, and its port rules go into the compute subnet's NSG. */
  readonly network: IHpcNetwork;
  /** The shared file system (any backend); Windows maps it when it can. */
  readonly fileSystem: SharedFileSystem;
  /** Static address in the compute subnet. @default the network's `addressPlan.schedulerIp` */
  readonly ip?: string;
  /** @default MetashapeScheduler.DEFAULT_SIZE ("Standard_D8s_v5") */
  readonly size?: string;
  /** Let the jump box subnet reach the control port 5840 (submit and monitor jobs from the jump box). @default false */
  readonly allowControlFromJumpbox?: boolean;
  /**
   * First priority of the scheduler's rules in the compute subnet's NSG (it uses base, base + 10, base + 20).
   * Give schedulers that share a subnet different bases. @default MetashapeScheduler.DEFAULT_NSG_PRIORITY_BASE (300)
   */
  readonly nsgPriorityBase?: number;
  readonly metashape: MetashapeOptions;
  /** @default the vault's licensing, else `{ kind: "none" }` */
  readonly licensing?: ClusterLicensing;
  /** The vault: with licensing "code" the scheduler's identity gets read access to the code. @default no grant */
  readonly secrets?: ISecretsVault;
  /** The domain the scheduler joins before its bootstrap runs. @default not joined */
  readonly domain?: IDomain;
  /**
   * User-assigned managed identities to attach besides the system-assigned one (which the vault grants read): resource
   * ids or Terraform references. @default none
   */
  readonly userAssignedIdentityIds?: readonly string[];
  readonly adminUsername: string;
  /** Local admin password: a Terraform reference. */
  readonly adminPassword: string;
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * The Metashape scheduler (head node): a Windows VM at a static address in the compute subnet, domain-joined and
 * bootstrapped by the CustomScriptExtension (install, map the shared data, activate, supervise the server). Only the
 * compute subnet (and, when allowed, the jump box subnet for 5840) reaches its ports 5840/5841. Its `defaultChild`
 * is the VM; {@link bootstrap} is the extension to order your own extensions after.
 */
export class MetashapeScheduler extends Construct implements IGrantable {
  static readonly DEFAULT_SIZE = 'Standard_D8s_v5';
  static readonly DEFAULT_NSG_PRIORITY_BASE = 300;

  readonly ip: string;
  readonly vmId: string;
  /** The VM's system-assigned identity. */
  readonly principalId: string;
  readonly grantPrincipal: IPrincipal;
  readonly vm: WindowsVirtualMachine;
  readonly networkInterface: NetworkInterface;
  /** The bootstrap extension (`metashape-server`): depend on it to run after the scheduler is set up. */
  readonly bootstrap: VirtualMachineExtension;
  readonly domainJoin?: DomainJoin;
  /** The scheduler's read access to the activation code (licensing "code" with a vault). */
  readonly activationCodeGrant?: RoleAssignment;
  readonly nsgRules: readonly NetworkSecurityRule[];

  constructor(scope: Construct, id: string, props: MetashapeSchedulerProps) {
    super(scope, id);
    props = withNormalizedLocation(props, `MetashapeScheduler props (${this.node.path})`);
    const compute = props.network.subnet('compute');
    this.ip = props.ip ?? props.network.addressPlan.schedulerIp;
    const licensing = props.licensing ?? props.secrets?.licensing ?? { kind: 'none' };
    throwIfIssues(`MetashapeScheduler props (${this.node.path})`, metashapeSchedulerIssues(props, this.ip, compute.cidr));
    const tags = props.tags ? { ...props.tags } : undefined;
    const jumpboxCidr = props.network.addressPlan.jumpboxSubnet;

    this.networkInterface = new NetworkInterface(this, 'scheduler-nic', {
      name: props.naming.name('networkInterface', 'scheduler'),
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      acceleratedNetworkingEnabled: true,
      ipConfiguration: [{ name: 'ipconfig', subnetId: compute.id, privateIpAddressAllocation: 'Static', privateIpAddress: this.ip }],
      tags,
    });
    this.vm = new WindowsVirtualMachine(this, 'scheduler', {
      name: props.naming.name('virtualMachine', 'scheduler'),
      computerName: props.naming.computerName('sched'),
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      size: props.size ?? MetashapeScheduler.DEFAULT_SIZE,
      adminUsername: props.adminUsername,
      adminPassword: props.adminPassword,
      networkInterfaceIds: [this.networkInterface.id],
      ...windowsVmBaseline(),
      identity: managedIdentity(props.userAssignedIdentityIds),
      tags,
    });
    this.node.defaultChild = this.vm;
    this.vmId = this.vm.id;
    this.principalId = this.vm.identity.principalId;
    this.grantPrincipal = { principalId: this.principalId, principalType: 'ServicePrincipal' };
    if (licensing.kind === 'code' && props.secrets) {
      this.activationCodeGrant = props.secrets.grantSecretsRead(this, {
        scope: this,
        id: 'scheduler-reads-activation-code',
        secret: licensing.secretResourceId,
      });
    }
    this.domainJoin = props.domain?.joinDomain(this, 'scheduler-domain-join', { virtualMachineId: this.vm.id, tags });
    const windowsLicensing: LicensingParams =
      licensing.kind === 'code' ? { kind: 'code', keyVaultUri: licensing.keyVaultUri, secretName: licensing.secretName } : licensing;
    // The bootstrap is delivered by the CustomScriptExtension: the rendered script (readable in a local; Terraform
    // references in it resolve at plan time) travels gzip + base64 inside the extension's command line, which
    // unpacks it to a file and runs it. It carries no secret (the activation code is read from Key Vault at boot).
    // Any change to the script changes the command, so the extension runs again (the script is idempotent).
    const script = new TerraformLocal(
      this,
      'scheduler_bootstrap',
      renderWindowsBootstrap({
        role: 'server',
        fileSystem: props.fileSystem,
        schedulerIp: this.ip,
        computeSubnet: compute.cidr,
        controlClientSubnets: props.allowControlFromJumpbox ? [jumpboxCidr] : [],
        metashapeVersion: props.metashape.version,
        installerUrl: props.metashape.windowsInstallerUrl,
        licensing: windowsLicensing,
      }),
    );
    const after = [this.domainJoin?.extension, this.activationCodeGrant].filter((d): d is NonNullable<typeof d> => d !== undefined) as ITerraformDependable[];
    this.bootstrap = new VirtualMachineExtension(this, 'scheduler-bootstrap', {
      name: 'metashape-server',
      virtualMachineId: this.vm.id,
      publisher: 'Microsoft.Compute',
      type: 'CustomScriptExtension',
      typeHandlerVersion: '1.10',
      autoUpgradeMinorVersion: true,
      settings: Fn.jsonencode({ commandToExecute: Fn.format(Fn.rawString(WINDOWS_UNPACK_AND_RUN_COMMAND), [Fn.base64gzip(script.asString)]) }),
      timeouts: { create: '60m', update: '60m' },
      // After the domain join, and after the scheduler may read the activation code: the bootstrap reads it (and
      // still retries while the role assignment propagates).
      dependsOn: after.length > 0 ? after : undefined,
      tags,
    });

    // Only the compute subnet (and, when allowed, the jump boxes for 5840) reaches the scheduler's ports. The rules go
    // through the network, which checks names and priorities against every other rule of the NSG at synth.
    const base = props.nsgPriorityBase ?? MetashapeScheduler.DEFAULT_NSG_PRIORITY_BASE;
    const ports = `${METASHAPE_CONTROL_PORT}-${METASHAPE_DISPATCH_PORT}`;
    const rule = (name: string, priority: number, access: 'Allow' | 'Deny', port: string, source: string) =>
      // Prefixed: schedulers sharing the compute subnet each own their rules.
      props.network.allowInbound(
        'compute',
        { name: `${props.naming.prefix}-${name}`, priority, access, protocol: 'Tcp', ports: [port], sources: [source], destination: `${this.ip}/32` },
        { scope: this, id: `nsg-${name}` },
      );
    this.nsgRules = [
      rule('allow-metashape-from-compute', base, 'Allow', ports, compute.cidr),
      ...(props.allowControlFromJumpbox ? [rule('allow-metashape-control-from-jumpbox', base + 10, 'Allow', String(METASHAPE_CONTROL_PORT), jumpboxCidr)] : []),
      rule('deny-metashape-from-elsewhere', base + 20, 'Deny', ports, '*'),
    ];
  }
}

/** Issues of the Metashape options (shared by the scheduler and the nodes). */
export function metashapeOptionIssues(m: MetashapeOptions, path = 'metashape'): InputIssue[] {
  const issues: InputIssue[] = [];
  for (const [field, url] of [
    [`${path}.linuxInstallerUrl`, m.linuxInstallerUrl],
    [`${path}.windowsInstallerUrl`, m.windowsInstallerUrl],
  ] as const) {
    if (!/^https:\/\/[^\s'"`${}]+$/.test(url))
      issues.push({ path: field, message: `${show(url)} is not an https:// URL; installers are downloaded only over https` });
  }
  if (!parseMetashapeVersion(m.version)) issues.push({ path: `${path}.version`, message: `${show(m.version)} is not a version such as "2.1.3"` });
  return issues;
}

/** What {@link metashapeSchedulerIssues} checks: the plain values of {@link MetashapeSchedulerProps} (the password only when given). */
export type MetashapeSchedulerRuleProps = Pick<MetashapeSchedulerProps, 'metashape'> &
  Partial<Pick<MetashapeSchedulerProps, 'size' | 'nsgPriorityBase' | 'adminPassword' | 'userAssignedIdentityIds'>>;

/**
 * Issues of the scheduler's props, in one place: the construct and the cluster throw with them before building
 * anything; the configuration file runs them at its paths (`schedulerSize` → `compute.scheduler.size`). The
 * address is checked when `ip` and `computeCidr` are given (the configuration's is the address plan's rule).
 */
export function metashapeSchedulerIssues(props: MetashapeSchedulerRuleProps, ip?: string, computeCidr?: string): InputIssue[] {
  const issues: InputIssue[] = [];
  const base = props.nsgPriorityBase ?? MetashapeScheduler.DEFAULT_NSG_PRIORITY_BASE;
  if (!Number.isInteger(base) || base < CUSTOM_PRIORITY_RANGE.min || base + 20 > CUSTOM_PRIORITY_RANGE.max) {
    issues.push({
      path: 'nsgPriorityBase',
      message: `${show(base)} is not allowed; use 200–3979 (custom rules live between the baseline's 100–199 and 4000–4096)`,
    });
  }
  if (ip !== undefined && computeCidr !== undefined) issues.push(...staticAddressIssues('schedulerIp', ip, computeCidr, 'the compute subnet'));
  issues.push(...metashapeOptionIssues(props.metashape));
  issues.push(...userAssignedIdentityIssues('userAssignedIdentityIds', props.userAssignedIdentityIds));
  issues.push(
    ...vmSizeIssues('schedulerSize', props.size ?? MetashapeScheduler.DEFAULT_SIZE, MetashapeScheduler.DEFAULT_SIZE, {
      premiumStorage: "the scheduler's OS disk is Premium_LRS",
    }),
  );
  if (props.adminPassword !== undefined && !Token.isUnresolved(props.adminPassword))
    issues.push({ path: 'adminPassword', message: 'must be a Terraform reference (a random_password result or a Key Vault secret), never a literal password' });
  return issues;
}
