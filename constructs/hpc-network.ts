import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { NetworkSecurityGroup } from '@cdktf/provider-azurerm/lib/network-security-group';
import { NetworkSecurityRule } from '@cdktf/provider-azurerm/lib/network-security-rule';
import { Subnet } from '@cdktf/provider-azurerm/lib/subnet';
import { SubnetNetworkSecurityGroupAssociation } from '@cdktf/provider-azurerm/lib/subnet-network-security-group-association';
import { VirtualNetwork } from '@cdktf/provider-azurerm/lib/virtual-network';
import { VirtualNetworkDnsServers } from '@cdktf/provider-azurerm/lib/virtual-network-dns-servers';
import { VirtualNetworkPeering } from '@cdktf/provider-azurerm/lib/virtual-network-peering';
import { Annotations, ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { InputIssue, throwIfIssues } from '../src/errors';
import { AddressPlan, DEFAULT_ADDRESS_PLAN, validateAddressPlan } from '../src/net/address-plan';
import { normalizeAdminSource, validateAdminSourceCidrs } from '../src/net/admin-sources';
import { parseIpv4 } from '../src/net/cidr';
import {
  baselineInboundRules,
  InboundRule,
  SUBNET_ROLES,
  SubnetRole,
  validateCustomRule,
} from '../src/net/security-rules';
import { Naming } from '../src/naming';
import { validateTags } from '../src/tags';

/** Props of {@link HpcNetwork}. */
export interface HpcNetworkProps {
  /** Names every resource `<abbr>-<prefix>-<purpose>`. */
  readonly naming: Naming;
  /** Azure region, e.g. "eastus". */
  readonly location: string;
  /** CIDRs and static addresses. @default DEFAULT_ADDRESS_PLAN (the seed's 10.0.0.0/16 + 10.1.0.0/16) */
  readonly addressPlan?: AddressPlan;
  /**
   * Admin networks allowed to reach the jump box subnet by RDP (3389) and SSH (22).
   * `*`, `Any`, `Internet` and `/0` are refused.
   * @default [] — no admin rule at all; synth warns how to open access
   */
  readonly adminSourceCidrs?: readonly string[];
  /** DNS servers of both VNets (the domain controllers, once they exist). @default [] — Azure DNS */
  readonly dnsServers?: readonly string[];
  /** Cache nodes the cache subnet must have room for. @default 3 */
  readonly cacheNodeCount?: number;
  /**
   * Service endpoints per subnet, for Key Vault and Storage network rules that allow these subnets.
   * @default { compute: ["Microsoft.KeyVault", "Microsoft.Storage"], cache: ["Microsoft.Storage"] }
   */
  readonly serviceEndpoints?: Partial<Record<SubnetRole, readonly string[]>>;
  /** Tags for every taggable resource. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/** What other constructs need of one subnet. */
export interface SubnetInfo {
  readonly id: string;
  readonly name: string;
  readonly cidr: string;
  /** Name of the NSG associated with the subnet. */
  readonly nsgName: string;
  /** Id of the NSG associated with the subnet. */
  readonly nsgId: string;
}

const DEFAULT_SERVICE_ENDPOINTS: Record<SubnetRole, readonly string[]> = {
  jumpbox: [],
  compute: ['Microsoft.KeyVault', 'Microsoft.Storage'],
  ad: [],
  cache: ['Microsoft.Storage'],
};

/** Which VNet each subnet lives in, and its CIDR in the plan. */
const SUBNET_LAYOUT: Record<SubnetRole, { vnet: 'photoscan' | 'storage'; cidr: (p: AddressPlan) => string }> = {
  jumpbox: { vnet: 'photoscan', cidr: (p) => p.jumpboxSubnet },
  compute: { vnet: 'photoscan', cidr: (p) => p.computeSubnet },
  ad: { vnet: 'photoscan', cidr: (p) => p.adSubnet },
  cache: { vnet: 'storage', cidr: (p) => p.cacheSubnet },
};

/**
 * The environment's network: a PhotoScan VNet (jumpbox, compute and AD
 * subnets) and a storage VNet (cache subnet) peered both ways, an NSG on every
 * subnet, RDP/SSH reaching only the jump box subnet and only from named admin
 * networks, and no inbound traffic from the Internet anywhere else.
 */
export class HpcNetwork extends Construct {
  /** Resource group holding the network. */
  readonly resourceGroupName: string;
  readonly resourceGroupId: string;
  readonly location: string;
  readonly photoscanVnetId: string;
  readonly photoscanVnetName: string;
  readonly storageVnetId: string;
  readonly storageVnetName: string;
  /** Every subnet by role. */
  readonly subnets: Readonly<Record<SubnetRole, SubnetInfo>>;
  /** The validated address plan. */
  readonly addressPlan: AddressPlan;
  /** Admin CIDRs as the NSG rules use them (plain addresses become /32). */
  readonly adminSourceCidrs: readonly string[];

  private readonly rules = {} as Record<SubnetRole, InboundRule[]>;
  private readonly nsgNames = {} as Record<SubnetRole, string>;
  private readonly tags: Readonly<Record<string, string>>;
  private dnsServersSet = false;

  constructor(scope: Construct, id: string, props: HpcNetworkProps) {
    super(scope, id);
    const plan = props.addressPlan ?? DEFAULT_ADDRESS_PLAN;
    const admins = props.adminSourceCidrs ?? [];
    throwIfIssues(`HpcNetwork props (${this.node.path})`, [
      ...validateAddressPlan(plan, { cacheNodeCount: props.cacheNodeCount, path: 'addressPlan' }),
      ...validateAdminSourceCidrs(admins, 'adminSourceCidrs'),
      ...validateDnsServers(props.dnsServers ?? []),
      ...validateTags(props.tags ?? {}),
    ]);
    this.addressPlan = plan;
    this.adminSourceCidrs = admins.map((c) => normalizeAdminSource(c) as string);
    this.location = props.location;
    this.tags = { ...(props.tags ?? {}) };
    const { naming } = props;

    const rg = new ResourceGroup(this, 'resource-group', {
      name: naming.name('resourceGroup', 'network'),
      location: props.location,
      tags: this.tags,
    });
    this.resourceGroupName = rg.name;
    this.resourceGroupId = rg.id;

    const vnet = (key: 'photoscan' | 'storage', space: string) =>
      new VirtualNetwork(this, `${key}-vnet`, {
        name: naming.name('virtualNetwork', key),
        location: props.location,
        resourceGroupName: rg.name,
        addressSpace: [space],
        tags: this.tags,
      });
    const vnets = { photoscan: vnet('photoscan', plan.photoscanVnet), storage: vnet('storage', plan.storageVnet) };
    this.photoscanVnetId = vnets.photoscan.id;
    this.photoscanVnetName = vnets.photoscan.name;
    this.storageVnetId = vnets.storage.id;
    this.storageVnetName = vnets.storage.name;

    // Peering both ways: VNet access only.
    const peer = (from: 'photoscan' | 'storage', to: 'photoscan' | 'storage') =>
      new VirtualNetworkPeering(this, `peering-${from}-to-${to}`, {
        name: naming.name('peering', `${from}-to-${to}`),
        resourceGroupName: rg.name,
        virtualNetworkName: vnets[from].name,
        remoteVirtualNetworkId: vnets[to].id,
        allowVirtualNetworkAccess: true,
        allowForwardedTraffic: false,
        allowGatewayTransit: false,
        useRemoteGateways: false,
      });
    peer('photoscan', 'storage');
    peer('storage', 'photoscan');

    const endpoints = { ...DEFAULT_SERVICE_ENDPOINTS, ...(props.serviceEndpoints ?? {}) };
    const ruleInput = { adminSourceCidrs: this.adminSourceCidrs, jumpboxSubnet: plan.jumpboxSubnet };
    const subnets = {} as Record<SubnetRole, SubnetInfo>;
    for (const role of SUBNET_ROLES) {
      const layout = SUBNET_LAYOUT[role];
      const cidr = layout.cidr(plan);
      const subnet = new Subnet(this, `${role}-subnet`, {
        name: naming.name('subnet', role),
        resourceGroupName: rg.name,
        virtualNetworkName: vnets[layout.vnet].name,
        addressPrefixes: [cidr],
        serviceEndpoints: endpoints[role].length > 0 ? [...endpoints[role]] : undefined,
      });
      const nsg = new NetworkSecurityGroup(this, `${role}-nsg`, {
        name: naming.name('networkSecurityGroup', role),
        location: props.location,
        resourceGroupName: rg.name,
        tags: this.tags,
      });
      new SubnetNetworkSecurityGroupAssociation(this, `${role}-nsg-association`, {
        subnetId: subnet.id,
        networkSecurityGroupId: nsg.id,
      });
      subnets[role] = { id: subnet.id, name: subnet.name, cidr, nsgName: nsg.name, nsgId: nsg.id };
      this.nsgNames[role] = nsg.name;
      this.rules[role] = [];
      for (const rule of baselineInboundRules(role, ruleInput)) this.addRule(role, rule);
    }
    this.subnets = subnets;

    if (this.adminSourceCidrs.length === 0) {
      Annotations.of(this).addWarning(
        'HpcNetwork: adminSourceCidrs is empty, so no inbound RDP (3389) or SSH (22) rule exists and the jump boxes ' +
          'cannot be reached from outside Azure. To open them, list your admin networks in the configuration file: ' +
          '"network": { "adminSourceCidrs": ["203.0.113.0/24"] } (or the adminSourceCidrs prop).',
      );
    }
    if (props.dnsServers && props.dnsServers.length > 0) this.useDnsServers(props.dnsServers);
  }

  /**
   * Adds an inbound rule to a subnet's NSG (priority 200–3999; the baseline
   * holds 100–199 and 4000–4096). Allowing `*`/`Internet`/`/0` is refused.
   */
  allowInbound(role: SubnetRole, rule: InboundRule): NetworkSecurityRule {
    throwIfIssues(`HpcNetwork.allowInbound(${role})`, validateCustomRule(rule, this.rules[role], `rule ${rule.name}`));
    return this.addRule(role, rule);
  }

  /** The inbound rules of a subnet's NSG, baseline and added. */
  inboundRules(role: SubnetRole): readonly InboundRule[] {
    return [...this.rules[role]];
  }

  /**
   * Points both VNets at custom DNS servers (e.g. the domain controllers),
   * applied only after `dependsOn` (e.g. the DCs' promotion) has completed.
   */
  useDnsServers(servers: readonly string[], dependsOn: ITerraformDependable[] = []): void {
    throwIfIssues(`HpcNetwork.useDnsServers`, validateDnsServers(servers));
    if (this.dnsServersSet) throw new Error(`HpcNetwork ${this.node.path}: DNS servers are already set; call useDnsServers once.`);
    this.dnsServersSet = true;
    for (const [key, vnetId] of [
      ['photoscan', this.photoscanVnetId],
      ['storage', this.storageVnetId],
    ] as const) {
      new VirtualNetworkDnsServers(this, `${key}-dns-servers`, {
        virtualNetworkId: vnetId,
        dnsServers: [...servers],
        dependsOn: dependsOn.length > 0 ? dependsOn : undefined,
      });
    }
  }

  private addRule(role: SubnetRole, rule: InboundRule): NetworkSecurityRule {
    this.rules[role].push(rule);
    const many = <T>(values: readonly T[]) => (values.length > 1 ? [...values] : undefined);
    const one = <T>(values: readonly T[]) => (values.length === 1 ? values[0] : undefined);
    return new NetworkSecurityRule(this, `${role}-nsg-${rule.name}`, {
      name: rule.name,
      resourceGroupName: this.resourceGroupName,
      networkSecurityGroupName: this.nsgNames[role],
      priority: rule.priority,
      direction: 'Inbound',
      access: rule.access,
      protocol: rule.protocol,
      sourcePortRange: '*',
      destinationPortRange: one(rule.ports),
      destinationPortRanges: many(rule.ports),
      sourceAddressPrefix: one(rule.sources),
      sourceAddressPrefixes: many(rule.sources),
      destinationAddressPrefix: rule.destination ?? SUBNET_LAYOUT[role].cidr(this.addressPlan),
      description: rule.description,
    });
  }
}

function validateDnsServers(servers: readonly string[]): InputIssue[] {
  return servers.flatMap((s, i) =>
    parseIpv4(s) === undefined ? [{ path: `dnsServers[${i}]`, message: `"${s}" is not an IPv4 address` }] : [],
  );
}
