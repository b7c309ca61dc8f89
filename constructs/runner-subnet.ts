import { NetworkSecurityGroup } from '@cdktf/provider-azurerm/lib/network-security-group';
import { Subnet } from '@cdktf/provider-azurerm/lib/subnet';
import { SubnetNetworkSecurityGroupAssociation } from '@cdktf/provider-azurerm/lib/subnet-network-security-group-association';
import { Construct } from 'constructs';
import { throwIfIssues } from '../src/errors';
import { Naming } from '../src/naming';
import type { IHpcNetwork } from './hpc-network';
import { denyInternetInbound } from '../src/net/security-rules';

/** Props of {@link RunnerSubnet}. */
export interface RunnerSubnetProps {
  readonly naming: Naming;
  readonly location: string;
  /** The network: the subnet goes into its PhotoScan VNet. */
  readonly network: IHpcNetwork;
  /** Its address prefix, inside the PhotoScan VNet, overlapping no other subnet (checked by the network at synth). */
  readonly cidr: string;
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * The subnet where Terraform runs: a self-hosted CI runner (or an operator's VM) in the PhotoScan VNet. It carries
 * the Microsoft.KeyVault service endpoint, so the vault firewall can admit it, and an NSG that admits nothing from
 * the Internet (the runner only dials out, to GitHub and to Azure). Reaching the Avere controller over SSH from it is
 * the cache subnet's rule (AvereCache `deployerSourceCidrs`).
 */
export class RunnerSubnet extends Construct {
  readonly subnet: Subnet;
  readonly subnetId: string;
  readonly cidr: string;
  readonly securityGroup: NetworkSecurityGroup;

  constructor(scope: Construct, id: string, props: RunnerSubnetProps) {
    super(scope, id);
    throwIfIssues(
      `RunnerSubnet props (${this.node.path})`,
      /^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(props.cidr) ? [] : [{ path: 'cidr', message: `${JSON.stringify(props.cidr)} is not an IPv4 CIDR` }],
    );
    this.cidr = props.cidr;
    this.subnet = props.network.addSubnet(this, 'subnet', {
      name: props.naming.name('subnet', 'runner'),
      vnet: 'photoscan',
      cidr: props.cidr,
      serviceEndpoints: ['Microsoft.KeyVault'],
    });
    this.subnetId = this.subnet.id;
    this.securityGroup = new NetworkSecurityGroup(this, 'nsg', {
      name: props.naming.name('networkSecurityGroup', 'runner'),
      location: props.location,
      resourceGroupName: props.network.resourceGroupName,
      securityRule: [denyInternetInbound('deny-internet-inbound')],
      tags: props.tags ? { ...props.tags } : undefined,
    });
    new SubnetNetworkSecurityGroupAssociation(this, 'nsg-association', { subnetId: this.subnet.id, networkSecurityGroupId: this.securityGroup.id });
    this.node.defaultChild = this.subnet;
  }
}
