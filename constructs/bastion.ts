import { BastionHost } from '@cdktf/provider-azurerm/lib/bastion-host';
import { NetworkSecurityGroup, NetworkSecurityGroupSecurityRule } from '@cdktf/provider-azurerm/lib/network-security-group';
import type { NetworkSecurityRule } from '@cdktf/provider-azurerm/lib/network-security-rule';
import { PublicIp } from '@cdktf/provider-azurerm/lib/public-ip';
import type { Subnet } from '@cdktf/provider-azurerm/lib/subnet';
import { SubnetNetworkSecurityGroupAssociation } from '@cdktf/provider-azurerm/lib/subnet-network-security-group-association';
import { Construct } from 'constructs';
import { InputIssue, show, throwIfIssues } from '../src/errors';
import { BASTION_MAX_PREFIX } from '../src/net/bastion';
import { parseCidr } from '../src/net/cidr';
import { SSH_PORT, RDP_PORT, SubnetRole } from '../src/net/security-rules';
import { Naming } from '../src/naming';
import { POLICY_RULES } from '../src/policy/rule-ids';
import { suppressPolicy } from '../src/policy/suppressions';
import type { IHpcNetwork } from './hpc-network';
import { withNormalizedLocation } from '../src/azure/regions';

/** The rules Azure Bastion's subnet NSG must have (Azure Bastion "NSG access" documentation). */
export const BASTION_NSG_RULES: NetworkSecurityGroupSecurityRule[] = [
  {
    name: 'AllowHttpsInbound',
    priority: 120,
    direction: 'Inbound',
    access: 'Allow',
    protocol: 'Tcp',
    sourcePortRange: '*',
    destinationPortRange: '443',
    sourceAddressPrefix: 'Internet',
    destinationAddressPrefix: '*',
  },
  {
    name: 'AllowGatewayManagerInbound',
    priority: 130,
    direction: 'Inbound',
    access: 'Allow',
    protocol: 'Tcp',
    sourcePortRange: '*',
    destinationPortRange: '443',
    sourceAddressPrefix: 'GatewayManager',
    destinationAddressPrefix: '*',
  },
  {
    name: 'AllowAzureLoadBalancerInbound',
    priority: 140,
    direction: 'Inbound',
    access: 'Allow',
    protocol: 'Tcp',
    sourcePortRange: '*',
    destinationPortRange: '443',
    sourceAddressPrefix: 'AzureLoadBalancer',
    destinationAddressPrefix: '*',
  },
  {
    name: 'AllowBastionHostCommunication',
    priority: 150,
    direction: 'Inbound',
    access: 'Allow',
    protocol: '*',
    sourcePortRange: '*',
    destinationPortRanges: ['8080', '5701'],
    sourceAddressPrefix: 'VirtualNetwork',
    destinationAddressPrefix: 'VirtualNetwork',
  },
  {
    name: 'AllowSshRdpOutbound',
    priority: 100,
    direction: 'Outbound',
    access: 'Allow',
    protocol: '*',
    sourcePortRange: '*',
    destinationPortRanges: ['22', '3389'],
    sourceAddressPrefix: '*',
    destinationAddressPrefix: 'VirtualNetwork',
  },
  {
    name: 'AllowAzureCloudOutbound',
    priority: 110,
    direction: 'Outbound',
    access: 'Allow',
    protocol: 'Tcp',
    sourcePortRange: '*',
    destinationPortRange: '443',
    sourceAddressPrefix: '*',
    destinationAddressPrefix: 'AzureCloud',
  },
  {
    name: 'AllowBastionCommunication',
    priority: 120,
    direction: 'Outbound',
    access: 'Allow',
    protocol: '*',
    sourcePortRange: '*',
    destinationPortRanges: ['8080', '5701'],
    sourceAddressPrefix: 'VirtualNetwork',
    destinationAddressPrefix: 'VirtualNetwork',
  },
  {
    name: 'AllowHttpOutbound',
    priority: 130,
    direction: 'Outbound',
    access: 'Allow',
    protocol: '*',
    sourcePortRange: '*',
    destinationPortRange: '80',
    sourceAddressPrefix: '*',
    destinationAddressPrefix: 'Internet',
  },
];

/** Props of {@link AzureBastion}. */
export interface AzureBastionProps {
  readonly naming: Naming;
  readonly location: string;
  readonly resourceGroupName: string;
  /** The network: `AzureBastionSubnet` is added to its PhotoScan VNet (checked against every subnet at synth). */
  readonly network: IHpcNetwork;
  /** CIDR of `AzureBastionSubnet` (/26 or larger). @default AzureBastion.DEFAULT_SUBNET_CIDR ("10.0.3.0/26") */
  readonly subnetCidr?: string;
  /** Subnets whose NSG admits RDP/SSH from Bastion. @default ["jumpbox"] */
  readonly targets?: readonly SubnetRole[];
  /** Priority of those rules. @default AzureBastion.DEFAULT_RULE_PRIORITY (250) */
  readonly rulePriority?: number;
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * Azure Bastion (Standard) in its own `AzureBastionSubnet` with the NSG Azure requires, and RDP/SSH from it admitted
 * into the target subnets (the jump boxes by default) — the admin entry point without public IPs on any VM.
 * Its `defaultChild` is the Bastion host.
 */
export class AzureBastion extends Construct {
  static readonly DEFAULT_SUBNET_CIDR = '10.0.3.0/26';
  static readonly DEFAULT_RULE_PRIORITY = 250;

  readonly hostName: string;
  readonly host: BastionHost;
  readonly subnet: Subnet;
  readonly securityGroup: NetworkSecurityGroup;
  readonly publicIp: PublicIp;
  /** The rules that admit Bastion into the target subnets. */
  readonly targetRules: readonly NetworkSecurityRule[];

  constructor(scope: Construct, id: string, props: AzureBastionProps) {
    super(scope, id);
    props = withNormalizedLocation(props, `AzureBastion props (${this.node.path})`);
    const cidr = props.subnetCidr ?? AzureBastion.DEFAULT_SUBNET_CIDR;
    throwIfIssues(`AzureBastion props (${this.node.path})`, bastionPropIssues(cidr));
    const tags = props.tags ? { ...props.tags } : undefined;
    this.subnet = props.network.addSubnet(this, 'bastion-subnet', { name: 'AzureBastionSubnet', vnet: 'photoscan', cidr }); // the name Azure requires
    this.securityGroup = new NetworkSecurityGroup(this, 'bastion-nsg', {
      name: props.naming.name('networkSecurityGroup', 'bastion'),
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      securityRule: BASTION_NSG_RULES,
      tags,
    });
    suppressPolicy(
      this.securityGroup,
      POLICY_RULES.NSG_INTERNET_INGRESS,
      'Azure Bastion must accept HTTPS (443) from the Internet: that is the service; it exposes no VM port.',
    );
    const association = new SubnetNetworkSecurityGroupAssociation(this, 'bastion-nsg-association', {
      subnetId: this.subnet.id,
      networkSecurityGroupId: this.securityGroup.id,
    });
    this.publicIp = new PublicIp(this, 'bastion-pip', {
      name: props.naming.name('publicIp', 'bastion'),
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      sku: 'Standard',
      allocationMethod: 'Static',
      tags,
    });
    suppressPolicy(this.publicIp, POLICY_RULES.PUBLIC_IP, 'Azure Bastion needs a Standard public IP; it replaces the public IPs of the jump boxes.');
    this.host = new BastionHost(this, 'bastion', {
      name: props.naming.name('bastion', 'jumpbox'),
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      sku: 'Standard',
      ipConfiguration: { name: 'ipconfig', subnetId: this.subnet.id, publicIpAddressId: this.publicIp.id },
      dependsOn: [association],
      tags,
    });
    this.node.defaultChild = this.host;
    this.hostName = this.host.name;
    this.targetRules = (props.targets ?? ['jumpbox']).map((role) =>
      props.network.allowInbound(
        role,
        {
          name: 'allow-rdp-ssh-from-bastion',
          priority: props.rulePriority ?? AzureBastion.DEFAULT_RULE_PRIORITY,
          access: 'Allow',
          protocol: 'Tcp',
          ports: [SSH_PORT, RDP_PORT],
          sources: [cidr],
        },
        { scope: this, id: `${role}-allow-bastion` },
      ),
    );
  }
}

/** Issues of the Bastion subnet's own shape (inside the VNet and disjoint: checked by the network at synth). */
export function bastionPropIssues(cidr: string, path = 'subnetCidr'): InputIssue[] {
  const b = parseCidr(cidr);
  if (!b) return [{ path, message: `${show(cidr)} is not an IPv4 CIDR` }];
  if (!b.aligned) return [{ path, message: `${show(cidr)} is not a network address; use "${b.cidr}"` }];
  if (b.prefix > BASTION_MAX_PREFIX) return [{ path, message: `${show(cidr)} is too small: Azure Bastion needs a /${BASTION_MAX_PREFIX} or larger` }];
  return [];
}
