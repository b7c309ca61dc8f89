import { BastionHost } from '@cdktf/provider-azurerm/lib/bastion-host';
import { LinuxVirtualMachine } from '@cdktf/provider-azurerm/lib/linux-virtual-machine';
import { NetworkInterface } from '@cdktf/provider-azurerm/lib/network-interface';
import { NetworkSecurityGroup, NetworkSecurityGroupSecurityRule } from '@cdktf/provider-azurerm/lib/network-security-group';
import { NetworkSecurityRule } from '@cdktf/provider-azurerm/lib/network-security-rule';
import { PublicIp } from '@cdktf/provider-azurerm/lib/public-ip';
import { Subnet } from '@cdktf/provider-azurerm/lib/subnet';
import { SubnetNetworkSecurityGroupAssociation } from '@cdktf/provider-azurerm/lib/subnet-network-security-group-association';
import { WindowsVirtualMachine } from '@cdktf/provider-azurerm/lib/windows-virtual-machine';
import { ITerraformDependable, Token } from 'cdktf';
import { Construct } from 'constructs';
import { InputIssue, show, throwIfIssues } from '../src/errors';
import { sshPublicKeyIssues } from '../src/identity/ssh-key';
import { BASTION_MAX_PREFIX } from '../src/net/bastion';
import { staticAddressIssues } from '../src/net/address-plan';
import { parseCidr, rangeContains, rangesOverlap } from '../src/net/cidr';
import { Naming } from '../src/naming';
import { POLICY_RULES } from '../src/policy/rule-ids';
import { suppressPolicy } from '../src/policy/suppressions';
import { windowsVmBaseline } from './vm-defaults';

/** Props of {@link JumpBoxes}. */
export interface JumpBoxesProps {
  readonly naming: Naming;
  readonly location: string;
  readonly resourceGroupName: string;
  /** The jump box subnet, its NSG, and the VNet (for Bastion's subnet). */
  readonly network: {
    readonly subnetId: string;
    readonly subnetCidr: string;
    readonly nsgName: string;
    readonly resourceGroupName: string;
    readonly vnetName: string;
    /** The VNet's address space: a Bastion subnet must lie inside it. @default unchecked */
    readonly vnetCidr?: string;
    /** The VNet's other subnets (name → CIDR): a Bastion subnet must overlap none. @default unchecked */
    readonly otherSubnetCidrs?: Readonly<Record<string, string>>;
  };
  readonly windowsIp: string;
  /** @default "Standard_D2s_v5" */
  readonly windowsSize?: string;
  /** Also a Linux jump box (SSH key only). @default false */
  readonly linux?: boolean;
  readonly linuxIp?: string;
  /** @default "Standard_B2s" */
  readonly linuxSize?: string;
  readonly adminUsername: string;
  /** Windows local admin password: a Terraform reference. */
  readonly adminPassword: string;
  /** OpenSSH public key of the Linux jump box (or a Terraform reference). */
  readonly sshPublicKey: string;
  /** Azure Bastion instead of public IPs: its subnet (AzureBastionSubnet, /26 or larger). @default undefined — public IPs */
  readonly bastionSubnetCidr?: string;
  /** Joins the Windows jump box to the domain. */
  readonly joinDomain?: (scope: Construct, id: string, virtualMachineId: string) => ITerraformDependable;
  readonly tags?: Readonly<Record<string, string>>;
}

/** The rules Azure Bastion's subnet NSG must have (Azure Bastion "NSG access" documentation). */
export const BASTION_NSG_RULES: NetworkSecurityGroupSecurityRule[] = [
  { name: 'AllowHttpsInbound', priority: 120, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', sourcePortRange: '*', destinationPortRange: '443', sourceAddressPrefix: 'Internet', destinationAddressPrefix: '*' },
  { name: 'AllowGatewayManagerInbound', priority: 130, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', sourcePortRange: '*', destinationPortRange: '443', sourceAddressPrefix: 'GatewayManager', destinationAddressPrefix: '*' },
  { name: 'AllowAzureLoadBalancerInbound', priority: 140, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', sourcePortRange: '*', destinationPortRange: '443', sourceAddressPrefix: 'AzureLoadBalancer', destinationAddressPrefix: '*' },
  { name: 'AllowBastionHostCommunication', priority: 150, direction: 'Inbound', access: 'Allow', protocol: '*', sourcePortRange: '*', destinationPortRanges: ['8080', '5701'], sourceAddressPrefix: 'VirtualNetwork', destinationAddressPrefix: 'VirtualNetwork' },
  { name: 'AllowSshRdpOutbound', priority: 100, direction: 'Outbound', access: 'Allow', protocol: '*', sourcePortRange: '*', destinationPortRanges: ['22', '3389'], sourceAddressPrefix: '*', destinationAddressPrefix: 'VirtualNetwork' },
  { name: 'AllowAzureCloudOutbound', priority: 110, direction: 'Outbound', access: 'Allow', protocol: 'Tcp', sourcePortRange: '*', destinationPortRange: '443', sourceAddressPrefix: '*', destinationAddressPrefix: 'AzureCloud' },
  { name: 'AllowBastionCommunication', priority: 120, direction: 'Outbound', access: 'Allow', protocol: '*', sourcePortRange: '*', destinationPortRanges: ['8080', '5701'], sourceAddressPrefix: 'VirtualNetwork', destinationAddressPrefix: 'VirtualNetwork' },
  { name: 'AllowHttpOutbound', priority: 130, direction: 'Outbound', access: 'Allow', protocol: '*', sourcePortRange: '*', destinationPortRange: '80', sourceAddressPrefix: '*', destinationAddressPrefix: 'Internet' },
];

/**
 * The admin entry points: a Windows jump box (always; domain-joined) and an
 * optional Linux jump box (SSH key only) in the jump box subnet, reached through
 * Standard static public IPs — the only public IPs of the environment — or,
 * with Azure Bastion, through Bastion and without public IPs on the VMs.
 */
export class JumpBoxes extends Construct {
  readonly windowsId: string;
  readonly linuxId?: string;
  /** Public addresses (empty with Bastion). */
  readonly publicIps: readonly string[];
  readonly bastionHostName?: string;

  constructor(scope: Construct, id: string, props: JumpBoxesProps) {
    super(scope, id);
    throwIfIssues(`JumpBoxes props (${this.node.path})`, validate(props));
    const tags = props.tags ? { ...props.tags } : undefined;
    const bastion = props.bastionSubnetCidr !== undefined;
    const publicIps: string[] = [];
    if (!bastion) suppressPolicy(this, POLICY_RULES.PUBLIC_IP, 'The jump boxes are the admin entry point; RDP/SSH reach them only from adminSourceCidrs (NSG).');

    const nic = (key: string, ip: string) => {
      const pip = bastion
        ? undefined
        : new PublicIp(this, `${key}-pip`, { name: props.naming.name('publicIp', key), location: props.location, resourceGroupName: props.resourceGroupName, sku: 'Standard', allocationMethod: 'Static', tags });
      if (pip) publicIps.push(pip.ipAddress);
      return new NetworkInterface(this, `${key}-nic`, {
        name: props.naming.name('networkInterface', key),
        location: props.location,
        resourceGroupName: props.resourceGroupName,
        ipConfiguration: [{ name: 'ipconfig', subnetId: props.network.subnetId, privateIpAddressAllocation: 'Static', privateIpAddress: ip, publicIpAddressId: pip?.id }],
        tags,
      });
    };

    const winNic = nic('jumpwin', props.windowsIp);
    const win = new WindowsVirtualMachine(this, 'windows', {
      name: props.naming.name('virtualMachine', 'jumpwin'),
      computerName: props.naming.computerName('jumpwin'),
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      size: props.windowsSize ?? 'Standard_D2s_v5',
      adminUsername: props.adminUsername,
      adminPassword: props.adminPassword,
      networkInterfaceIds: [winNic.id],
      ...windowsVmBaseline(),
      tags,
    });
    this.windowsId = win.id;
    props.joinDomain?.(this, 'windows-domain-join', win.id);

    if (props.linux) {
      const lnxNic = nic('jumplnx', props.linuxIp!);
      const lnx = new LinuxVirtualMachine(this, 'linux', {
        name: props.naming.name('virtualMachine', 'jumplnx'),
        location: props.location,
        resourceGroupName: props.resourceGroupName,
        size: props.linuxSize ?? 'Standard_B2s',
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
      this.linuxId = lnx.id;
    }
    this.publicIps = publicIps;

    if (bastion) {
      const subnet = new Subnet(this, 'bastion-subnet', {
        name: 'AzureBastionSubnet', // the name Azure requires
        resourceGroupName: props.network.resourceGroupName,
        virtualNetworkName: props.network.vnetName,
        addressPrefixes: [props.bastionSubnetCidr!],
      });
      const nsg = new NetworkSecurityGroup(this, 'bastion-nsg', {
        name: props.naming.name('networkSecurityGroup', 'bastion'),
        location: props.location,
        resourceGroupName: props.resourceGroupName,
        securityRule: BASTION_NSG_RULES,
        tags,
      });
      suppressPolicy(nsg, POLICY_RULES.NSG_INTERNET_INGRESS, 'Azure Bastion must accept HTTPS (443) from the Internet: that is the service; it exposes no VM port.');
      const association = new SubnetNetworkSecurityGroupAssociation(this, 'bastion-nsg-association', { subnetId: subnet.id, networkSecurityGroupId: nsg.id });
      const pip = new PublicIp(this, 'bastion-pip', { name: props.naming.name('publicIp', 'bastion'), location: props.location, resourceGroupName: props.resourceGroupName, sku: 'Standard', allocationMethod: 'Static', tags });
      suppressPolicy(pip, POLICY_RULES.PUBLIC_IP, 'Azure Bastion needs a Standard public IP; it replaces the public IPs of the jump boxes.');
      const host = new BastionHost(this, 'bastion', {
        name: props.naming.name('bastion', 'jumpbox'),
        location: props.location,
        resourceGroupName: props.resourceGroupName,
        sku: 'Standard',
        ipConfiguration: { name: 'ipconfig', subnetId: subnet.id, publicIpAddressId: pip.id },
        dependsOn: [association],
        tags,
      });
      this.bastionHostName = host.name;
      // The jump box subnet admits RDP/SSH from Bastion.
      new NetworkSecurityRule(this, 'jumpbox-allow-bastion', {
        name: 'allow-rdp-ssh-from-bastion',
        priority: 250,
        direction: 'Inbound',
        access: 'Allow',
        protocol: 'Tcp',
        sourcePortRange: '*',
        destinationPortRanges: ['22', '3389'],
        sourceAddressPrefix: props.bastionSubnetCidr!,
        destinationAddressPrefix: props.network.subnetCidr,
        resourceGroupName: props.network.resourceGroupName,
        networkSecurityGroupName: props.network.nsgName,
      });
    }
  }
}

function validate(props: JumpBoxesProps): InputIssue[] {
  const issues: InputIssue[] = [];
  const inSubnet = (field: string, value: string | undefined) => issues.push(...staticAddressIssues(field, value ?? '', props.network.subnetCidr, 'the jump box subnet'));
  inSubnet('windowsIp', props.windowsIp);
  if (props.linux) {
    inSubnet('linuxIp', props.linuxIp);
    if (!Token.isUnresolved(props.sshPublicKey)) issues.push(...sshPublicKeyIssues('sshPublicKey', props.sshPublicKey));
  }
  if (!Token.isUnresolved(props.adminPassword)) issues.push({ path: 'adminPassword', message: 'must be a Terraform reference, never a literal password' });
  if (props.bastionSubnetCidr !== undefined) {
    const b = parseCidr(props.bastionSubnetCidr);
    if (!b) issues.push({ path: 'bastionSubnetCidr', message: `${show(props.bastionSubnetCidr)} is not an IPv4 CIDR` });
    else if (!b.aligned) issues.push({ path: 'bastionSubnetCidr', message: `${show(props.bastionSubnetCidr)} is not a network address; use "${b.cidr}"` });
    else if (b.prefix > BASTION_MAX_PREFIX) issues.push({ path: 'bastionSubnetCidr', message: `${show(props.bastionSubnetCidr)} is too small: Azure Bastion needs a /${BASTION_MAX_PREFIX} or larger` });
    else {
      const vnet = props.network.vnetCidr === undefined ? undefined : parseCidr(props.network.vnetCidr);
      if (vnet && !rangeContains(vnet, b)) issues.push({ path: 'bastionSubnetCidr', message: `${show(props.bastionSubnetCidr)} is not inside the VNet ${show(props.network.vnetCidr)}` });
      for (const [name, cidr] of Object.entries(props.network.otherSubnetCidrs ?? {})) {
        const other = parseCidr(cidr);
        if (other && rangesOverlap(other, b)) issues.push({ path: 'bastionSubnetCidr', message: `${show(props.bastionSubnetCidr)} overlaps ${name} ${show(cidr)}` });
      }
    }
  }
  return issues;
}
