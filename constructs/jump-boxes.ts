import { LinuxVirtualMachine } from '@cdktf/provider-azurerm/lib/linux-virtual-machine';
import { NetworkInterface } from '@cdktf/provider-azurerm/lib/network-interface';
import { PublicIp } from '@cdktf/provider-azurerm/lib/public-ip';
import { WindowsVirtualMachine } from '@cdktf/provider-azurerm/lib/windows-virtual-machine';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { InputIssue, throwIfIssues } from '../src/errors';
import { sshPublicKeyIssues } from '../src/identity/ssh-key';
import { vmSizeIssues } from '../src/compute/node-rules';
import { staticAddressIssues } from '../src/net/address-plan';
import { Naming } from '../src/naming';
import { POLICY_RULES } from '../src/policy/rule-ids';
import { suppressPolicy } from '../src/policy/suppressions';
import { AzureBastion, bastionPropIssues } from './bastion';
import type { DomainJoin } from './domain-join';
import type { IDomain } from './domain-services';
import type { IHpcNetwork } from './hpc-network';
import { hideChildFromLogicalIds } from './logical-ids';
import { windowsVmBaseline } from './vm-defaults';
import { withNormalizedLocation } from '../src/azure/regions';

/** Props of {@link JumpBoxes}. */
export interface JumpBoxesProps {
  readonly naming: Naming;
  readonly location: string;
  readonly resourceGroupName: string;
  /** The network: the jump boxes sit in its jump box subnet. */
  readonly network: IHpcNetwork;
  /** @default the network's `addressPlan.windowsJumpboxIp` */
  readonly windowsIp?: string;
  /** @default JumpBoxes.DEFAULT_WINDOWS_SIZE ("Standard_D2s_v5") */
  readonly windowsSize?: string;
  /** Also a Linux jump box (SSH key only). @default false */
  readonly linux?: boolean;
  /** @default the network's `addressPlan.linuxJumpboxIp` */
  readonly linuxIp?: string;
  /** @default JumpBoxes.DEFAULT_LINUX_SIZE ("Standard_B2s") */
  readonly linuxSize?: string;
  readonly adminUsername: string;
  /** Windows local admin password: a Terraform reference. */
  readonly adminPassword: string;
  /** OpenSSH public key of the Linux jump box (or a Terraform reference). */
  readonly sshPublicKey: string;
  /**
   * Azure Bastion instead of public IPs: its subnet (AzureBastionSubnet, /26 or larger); an {@link AzureBastion} is
   * created (or build your own AzureBastion and leave this unset). @default undefined — public IPs
   */
  readonly bastionSubnetCidr?: string;
  /** The domain the Windows jump box joins. @default not joined */
  readonly domain?: IDomain;
  readonly tags?: Readonly<Record<string, string>>;
}

export { BASTION_NSG_RULES } from './bastion';

/**
 * The admin entry points: a Windows jump box (always; domain-joined) and an
 * optional Linux jump box (SSH key only) in the jump box subnet, reached through
 * Standard static public IPs — the only public IPs of the environment — or,
 * with Azure Bastion, through Bastion and without public IPs on the VMs.
 */
export class JumpBoxes extends Construct {
  static readonly DEFAULT_WINDOWS_SIZE = 'Standard_D2s_v5';
  static readonly DEFAULT_LINUX_SIZE = 'Standard_B2s';

  readonly windowsId: string;
  readonly linuxId?: string;
  /** Public addresses (empty with Bastion). */
  readonly publicIps: readonly string[];
  readonly bastionHostName?: string;
  /** The Windows jump box (also `defaultChild`) and, when asked for, the Linux one and Bastion. */
  readonly windows: WindowsVirtualMachine;
  readonly linuxVm?: LinuxVirtualMachine;
  readonly bastion?: AzureBastion;
  readonly domainJoin?: DomainJoin;

  constructor(scope: Construct, id: string, props: JumpBoxesProps) {
    super(scope, id);
    props = withNormalizedLocation(props, `JumpBoxes props (${this.node.path})`);
    const jumpbox = props.network.subnet('jumpbox');
    const plan = props.network.addressPlan;
    const windowsIp = props.windowsIp ?? plan.windowsJumpboxIp;
    const linuxIp = props.linuxIp ?? plan.linuxJumpboxIp;
    throwIfIssues(`JumpBoxes props (${this.node.path})`, validate(props, jumpbox.cidr, windowsIp, linuxIp));
    const tags = props.tags ? { ...props.tags } : undefined;
    const bastion = props.bastionSubnetCidr !== undefined;
    const publicIps: string[] = [];
    if (!bastion)
      suppressPolicy(this, POLICY_RULES.PUBLIC_IP, 'The jump boxes are the admin entry point; RDP/SSH reach them only from adminSourceCidrs (NSG).');

    const nic = (key: string, ip: string) => {
      const pip = bastion
        ? undefined
        : new PublicIp(this, `${key}-pip`, {
            name: props.naming.name('publicIp', key),
            location: props.location,
            resourceGroupName: props.resourceGroupName,
            sku: 'Standard',
            allocationMethod: 'Static',
            tags,
          });
      if (pip) publicIps.push(pip.ipAddress);
      return new NetworkInterface(this, `${key}-nic`, {
        name: props.naming.name('networkInterface', key),
        location: props.location,
        resourceGroupName: props.resourceGroupName,
        ipConfiguration: [{ name: 'ipconfig', subnetId: jumpbox.id, privateIpAddressAllocation: 'Static', privateIpAddress: ip, publicIpAddressId: pip?.id }],
        tags,
      });
    };

    const winNic = nic('jumpwin', windowsIp);
    const win = new WindowsVirtualMachine(this, 'windows', {
      name: props.naming.name('virtualMachine', 'jumpwin'),
      computerName: props.naming.computerName('jumpwin'),
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      size: props.windowsSize ?? JumpBoxes.DEFAULT_WINDOWS_SIZE,
      adminUsername: props.adminUsername,
      adminPassword: props.adminPassword,
      networkInterfaceIds: [winNic.id],
      ...windowsVmBaseline(),
      tags,
    });
    this.windows = win;
    this.node.defaultChild = win;
    this.windowsId = win.id;
    this.domainJoin = props.domain?.joinDomain(this, 'windows-domain-join', { virtualMachineId: win.id, tags });

    if (props.linux) {
      const lnxNic = nic('jumplnx', linuxIp);
      const lnx = new LinuxVirtualMachine(this, 'linux', {
        name: props.naming.name('virtualMachine', 'jumplnx'),
        location: props.location,
        resourceGroupName: props.resourceGroupName,
        size: props.linuxSize ?? JumpBoxes.DEFAULT_LINUX_SIZE,
        adminUsername: props.adminUsername,
        disablePasswordAuthentication: true,
        adminSshKey: [{ username: props.adminUsername, publicKey: props.sshPublicKey }],
        networkInterfaceIds: [lnxNic.id],
        osDisk: { caching: 'ReadWrite', storageAccountType: 'Premium_LRS' },
        sourceImageReference: { publisher: 'Canonical', offer: 'ubuntu-24_04-lts', sku: 'server', version: 'latest' },
        encryptionAtHostEnabled: true,
        bootDiagnostics: {},
        tags,
      });
      this.linuxVm = lnx;
      this.linuxId = lnx.id;
    }
    this.publicIps = publicIps;

    if (bastion) {
      // Its resources keep the addresses they had when they were part of JumpBoxes (no state moves).
      hideChildFromLogicalIds(this, 'bastion-host');
      this.bastion = new AzureBastion(this, 'bastion-host', {
        naming: props.naming,
        location: props.location,
        resourceGroupName: props.resourceGroupName,
        network: props.network,
        subnetCidr: props.bastionSubnetCidr,
        tags: props.tags,
      });
      this.bastionHostName = this.bastion.hostName;
    }
  }
}

/**
 * JumpBoxes' VM size rules: sizes Azure knows, not retired, with premium storage (the OS disks are Premium_LRS).
 * The configuration file applies them at `compute.jumpboxes.*`.
 */
export function jumpBoxSizeIssues(props: Pick<JumpBoxesProps, 'windowsSize' | 'linux' | 'linuxSize'>): InputIssue[] {
  const premium = { premiumStorage: "the jump box's OS disk is Premium_LRS" };
  return [
    ...vmSizeIssues('windowsSize', props.windowsSize ?? JumpBoxes.DEFAULT_WINDOWS_SIZE, 'Standard_D2s_v5', premium),
    ...(props.linux ? vmSizeIssues('linuxSize', props.linuxSize ?? JumpBoxes.DEFAULT_LINUX_SIZE, 'Standard_B2s', premium) : []),
  ];
}

function validate(props: JumpBoxesProps, subnetCidr: string, windowsIp: string, linuxIp: string): InputIssue[] {
  const issues: InputIssue[] = [];
  const inSubnet = (field: string, value: string) => issues.push(...staticAddressIssues(field, value, subnetCidr, 'the jump box subnet'));
  inSubnet('windowsIp', windowsIp);
  issues.push(...jumpBoxSizeIssues(props));
  if (props.linux) {
    inSubnet('linuxIp', linuxIp);
    if (!Token.isUnresolved(props.sshPublicKey)) issues.push(...sshPublicKeyIssues('sshPublicKey', props.sshPublicKey));
  }
  if (!Token.isUnresolved(props.adminPassword)) issues.push({ path: 'adminPassword', message: 'must be a Terraform reference, never a literal password' });
  if (props.bastionSubnetCidr !== undefined) issues.push(...bastionPropIssues(props.bastionSubnetCidr, 'bastionSubnetCidr'));
  return issues;
}
