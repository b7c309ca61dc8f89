import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { NetworkSecurityGroup } from '@cdktf/provider-azurerm/lib/network-security-group';
import { NetworkSecurityRule } from '@cdktf/provider-azurerm/lib/network-security-rule';
import { Subnet } from '@cdktf/provider-azurerm/lib/subnet';
import { SubnetNetworkSecurityGroupAssociation } from '@cdktf/provider-azurerm/lib/subnet-network-security-group-association';
import { VirtualNetwork } from '@cdktf/provider-azurerm/lib/virtual-network';
import { VirtualNetworkDnsServers } from '@cdktf/provider-azurerm/lib/virtual-network-dns-servers';
import { VirtualNetworkPeering } from '@cdktf/provider-azurerm/lib/virtual-network-peering';
import { ITerraformDependable, Token } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { InputIssue, show, throwIfIssues } from '../src/errors';
import { AddressPlan, DEFAULT_ADDRESS_PLAN, validateAddressPlan } from '../src/net/address-plan';
import { normalizeAdminSource, validateAdminSourceCidrs } from '../src/net/admin-sources';
import { parseCidr, parseIpv4, rangeContains, rangesOverlap } from '../src/net/cidr';
import { baselineInboundRules, InboundRule, RDP_PORT, SSH_PORT, SUBNET_ROLES, SubnetRole, validateCustomRule } from '../src/net/security-rules';
import { Naming } from '../src/naming';
import { validateTags } from '../src/tags';
import { withNormalizedLocation } from '../src/azure/regions';
import { warn, WARNING_IDS } from '../src/warnings';

/** The two VNets of the environment. */
export type VnetKey = 'photoscan' | 'storage';

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
  /**
   * Create the cache subnet (and its NSG) for the Avere vFXT backend. Other backends register their own subnet
   * with {@link HpcNetwork.addSubnet} (Managed Lustre does).
   * @default true when `addressPlan.cacheSubnet` is set
   */
  readonly cacheSubnet?: boolean;
  /**
   * Create the file server subnet (and its NSG, with the Microsoft.KeyVault service endpoint) in the storage VNet for
   * the GlusterFS and BeeGFS backends and their Samba gateways.
   * @default false
   */
  readonly fileServerSubnet?: boolean;
  /** Cache nodes the cache subnet must have room for (only with the cache subnet). @default 3 */
  readonly cacheNodeCount?: number;
  /**
   * Service endpoints per subnet, for Key Vault and Storage network rules that allow these subnets.
   * @default HpcNetwork.DEFAULT_SERVICE_ENDPOINTS — { compute: ["Microsoft.KeyVault", "Microsoft.Storage"], cache: ["Microsoft.Storage"], fileserver: ["Microsoft.KeyVault"] }
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

/** Where {@link IHpcNetwork.allowInbound} creates the rule resource. */
export interface InboundRuleOptions {
  /**
   * Construct that owns the rule resource (any stack). Validation messages name it.
   * @default the network itself
   */
  readonly scope?: Construct;
  /** Construct id of the rule resource in `scope`. @default `<role>-nsg-<rule name>` */
  readonly id?: string;
}

/** A subnet created through {@link IHpcNetwork.addSubnet}. */
export interface AddSubnetOptions {
  /** Azure name of the subnet (e.g. "AzureBastionSubnet"). */
  readonly name: string;
  /** The VNet it belongs to. */
  readonly vnet: VnetKey;
  /** Its address prefix: must lie inside the VNet and overlap no other subnet (checked at synth). */
  readonly cidr: string;
  /** Service endpoints. @default none */
  readonly serviceEndpoints?: readonly string[];
  /**
   * Delegates the subnet to an Azure service, e.g. `{ service: "Microsoft.NetApp/volumes", actions: [...] }` for
   * Azure NetApp Files. @default none
   */
  readonly delegation?: { readonly name?: string; readonly service: string; readonly actions?: readonly string[] };
}

/** A rule of one NSG and the construct that added it. */
export interface RegisteredInboundRule {
  readonly rule: InboundRule;
  /** Path of the construct that added it. */
  readonly addedBy: string;
}

/** A subnet of the network and the construct that added it. */
export interface RegisteredSubnet {
  readonly name: string;
  readonly vnet: VnetKey;
  readonly cidr: string;
  /** Path of the construct that added it. */
  readonly addedBy: string;
}

/**
 * The environment's network, as other constructs use it: ids and names, the address plan, the subnets by role,
 * and the only ways to change it — rules through {@link allowInbound}, subnets through {@link addSubnet} — so that
 * NSG rule names and priorities stay unique per NSG and subnets stay inside their VNet and disjoint, whoever
 * adds them (checked at synth, every problem at once, naming the constructs).
 */
export interface IHpcNetwork extends IConstruct {
  readonly resourceGroupName: string;
  readonly resourceGroupId: string;
  readonly location: string;
  readonly photoscanVnetId: string;
  readonly photoscanVnetName: string;
  readonly storageVnetId: string;
  readonly storageVnetName: string;
  /** The address plan (CIDRs and static addresses). */
  readonly addressPlan: AddressPlan;
  /** The subnets by role (`cache` only with the Avere backend). */
  readonly subnets: Readonly<Partial<Record<SubnetRole, SubnetInfo>>>;
  /** One subnet by role; throws when the network has no such subnet. */
  subnet(role: SubnetRole): SubnetInfo;
  /** The address space of a VNet. */
  vnetCidr(vnet: VnetKey): string;
  /** The name of a VNet. */
  vnetName(vnet: VnetKey): string;
  /**
   * Adds an inbound rule to a subnet's NSG (priority 200–3999; the baseline holds 100–199 and 4000–4096).
   * Allowing `*`/`Internet`/`/0` is refused at once; duplicate names or priorities fail synth, naming both adders.
   */
  allowInbound(role: SubnetRole, rule: InboundRule, options?: InboundRuleOptions): NetworkSecurityRule;
  /** Creates a subnet in one of the VNets (in `scope`, any stack) and registers it for the overlap checks. */
  addSubnet(scope: Construct, id: string, options: AddSubnetOptions): Subnet;
  /** The inbound rules of a subnet's NSG (baseline and added), with who added them. */
  inboundRules(role: SubnetRole): readonly RegisteredInboundRule[];
  /** Every subnet of the network with who added it. */
  registeredSubnets(): readonly RegisteredSubnet[];
  /**
   * Points both VNets at custom DNS servers (e.g. the domain controllers),
   * applied only after `dependsOn` (e.g. the DCs' promotion) has completed.
   */
  useDnsServers(servers: readonly string[], dependsOn?: ITerraformDependable[]): void;
}

/** A network created elsewhere (another app, another state), for {@link HpcNetwork.fromHpcNetworkAttributes}. */
export interface HpcNetworkAttributes {
  readonly resourceGroupName: string;
  /** @default "" — unknown (only the Avere backend needs it) */
  readonly resourceGroupId?: string;
  readonly location: string;
  readonly photoscanVnetId: string;
  readonly photoscanVnetName: string;
  readonly storageVnetId: string;
  readonly storageVnetName: string;
  /** The plan the network was built with: VNet CIDRs, subnet CIDRs and static addresses. */
  readonly addressPlan: AddressPlan;
  /** Its subnets by role (with their NSGs). */
  readonly subnets: Readonly<Partial<Record<SubnetRole, SubnetInfo>>>;
}

/** Which VNet each subnet lives in, and its CIDR in the plan. */
const SUBNET_LAYOUT: Record<SubnetRole, { vnet: VnetKey; cidr: (p: AddressPlan) => string | undefined }> = {
  jumpbox: { vnet: 'photoscan', cidr: (p) => p.jumpboxSubnet },
  compute: { vnet: 'photoscan', cidr: (p) => p.computeSubnet },
  ad: { vnet: 'photoscan', cidr: (p) => p.adSubnet },
  cache: { vnet: 'storage', cidr: (p) => p.cacheSubnet },
  fileserver: { vnet: 'storage', cidr: (p) => p.fileServerSubnet },
};

/** What {@link HpcNetwork} and imported networks share: the rule and subnet registries and their synth checks. */
abstract class HpcNetworkBase extends Construct implements IHpcNetwork {
  abstract readonly resourceGroupName: string;
  abstract readonly resourceGroupId: string;
  abstract readonly location: string;
  abstract readonly photoscanVnetId: string;
  abstract readonly photoscanVnetName: string;
  abstract readonly storageVnetId: string;
  abstract readonly storageVnetName: string;
  abstract readonly addressPlan: AddressPlan;
  abstract readonly subnets: Readonly<Partial<Record<SubnetRole, SubnetInfo>>>;

  private readonly ruleRegistry = new Map<SubnetRole, RegisteredInboundRule[]>();
  private readonly subnetRegistry: RegisteredSubnet[] = [];
  private dnsServersSet = false;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.node.addValidation({ validate: () => [...this.ruleProblems(), ...this.subnetProblems()] });
  }

  subnet(role: SubnetRole): SubnetInfo {
    const info = this.subnets[role];
    if (!info) throw new Error(`HpcNetwork ${this.node.path} has no ${role} subnet (the cache subnet exists only with the Avere backend)`);
    return info;
  }

  vnetCidr(vnet: VnetKey): string {
    return vnet === 'photoscan' ? this.addressPlan.photoscanVnet : this.addressPlan.storageVnet;
  }

  vnetName(vnet: VnetKey): string {
    return vnet === 'photoscan' ? this.photoscanVnetName : this.storageVnetName;
  }

  allowInbound(role: SubnetRole, rule: InboundRule, options: InboundRuleOptions = {}): NetworkSecurityRule {
    this.subnet(role);
    // Name, priority band and sources are checked now; duplicates at synth, once every construct has added its rules.
    throwIfIssues(`HpcNetwork.allowInbound(${role})`, validateCustomRule(rule, [], `rule ${rule.name}`));
    return this.createRule(role, rule, options.scope ?? this, options.id ?? `${role}-nsg-${rule.name}`);
  }

  inboundRules(role: SubnetRole): readonly RegisteredInboundRule[] {
    return [...(this.ruleRegistry.get(role) ?? [])];
  }

  addSubnet(scope: Construct, id: string, options: AddSubnetOptions): Subnet {
    this.registerSubnet({ name: options.name, vnet: options.vnet, cidr: options.cidr, addedBy: scope.node.path });
    return new Subnet(scope, id, {
      name: options.name,
      resourceGroupName: this.resourceGroupName,
      virtualNetworkName: this.vnetName(options.vnet),
      addressPrefixes: [options.cidr],
      serviceEndpoints: options.serviceEndpoints && options.serviceEndpoints.length > 0 ? [...options.serviceEndpoints] : undefined,
      delegation: options.delegation
        ? [
            {
              name: options.delegation.name ?? options.delegation.service.replace(/[/.]/g, '-').toLowerCase(),
              serviceDelegation: { name: options.delegation.service, actions: options.delegation.actions ? [...options.delegation.actions] : undefined },
            },
          ]
        : undefined,
    });
  }

  registeredSubnets(): readonly RegisteredSubnet[] {
    return [...this.subnetRegistry];
  }

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

  protected registerSubnet(subnet: RegisteredSubnet): void {
    this.subnetRegistry.push(subnet);
  }

  /** Creates the rule resource in `scope` and records it (no checks: the baseline uses this directly). */
  protected createRule(role: SubnetRole, rule: InboundRule, scope: Construct, id: string): NetworkSecurityRule {
    const info = this.subnet(role);
    const list = this.ruleRegistry.get(role) ?? [];
    list.push({ rule, addedBy: scope.node.path });
    this.ruleRegistry.set(role, list);
    const many = <T>(values: readonly T[]) => (values.length > 1 ? [...values] : undefined);
    const one = <T>(values: readonly T[]) => (values.length === 1 ? values[0] : undefined);
    return new NetworkSecurityRule(scope, id, {
      name: rule.name,
      resourceGroupName: this.resourceGroupName,
      networkSecurityGroupName: info.nsgName,
      priority: rule.priority,
      direction: 'Inbound',
      access: rule.access,
      protocol: rule.protocol,
      sourcePortRange: '*',
      destinationPortRange: one(rule.ports),
      destinationPortRanges: many(rule.ports),
      sourceAddressPrefix: one(rule.sources),
      sourceAddressPrefixes: many(rule.sources),
      destinationAddressPrefix: rule.destination ?? info.cidr,
      description: rule.description,
    });
  }

  /** Duplicate rule names and priorities per NSG, naming both rules and the constructs that added them. */
  private ruleProblems(): string[] {
    const problems: string[] = [];
    for (const [role, rules] of this.ruleRegistry) {
      rules.forEach((a, i) =>
        rules.slice(i + 1).forEach((b) => {
          const who = (r: RegisteredInboundRule) => `${show(r.rule.name)} (added by ${r.addedBy})`;
          if (a.rule.name === b.rule.name)
            problems.push(
              `NSG of the ${role} subnet: rule name ${show(a.rule.name)} is used twice: ${who(a)} and ${who(b)}; rule names must be unique per NSG`,
            );
          if (a.rule.priority === b.rule.priority) {
            problems.push(
              `NSG of the ${role} subnet: priority ${a.rule.priority} is used by ${who(a)} and ${who(b)}; Azure refuses two rules with one priority (use 200–3999, unused)`,
            );
          }
        }),
      );
    }
    return problems;
  }

  /** Every subnet inside its VNet, and no two overlapping. */
  private subnetProblems(): string[] {
    const problems: string[] = [];
    const label = (s: RegisteredSubnet) => `subnet ${show(s.name)} ${show(s.cidr)} (added by ${s.addedBy})`;
    const known = this.subnetRegistry
      .filter((s) => !Token.isUnresolved(s.cidr))
      .map((s) => ({ s, range: parseCidr(s.cidr) }))
      .filter((x): x is { s: RegisteredSubnet; range: NonNullable<ReturnType<typeof parseCidr>> } => {
        if (!x.range) problems.push(`${label(x.s)} is not an IPv4 CIDR`);
        return x.range !== undefined;
      });
    for (const { s, range } of known) {
      const vnetCidr = this.vnetCidr(s.vnet);
      const vnet = Token.isUnresolved(vnetCidr) ? undefined : parseCidr(vnetCidr);
      if (vnet && !rangeContains(vnet, range))
        problems.push(`${label(s)} is not inside the ${s.vnet} VNet ${show(vnetCidr)}; a subnet must lie within its VNet`);
    }
    known.forEach((a, i) =>
      known.slice(i + 1).forEach((b) => {
        if (rangesOverlap(a.range, b.range)) problems.push(`${label(b.s)} overlaps ${label(a.s)}; subnets must not overlap`);
      }),
    );
    return problems;
  }
}

/**
 * The environment's network: a PhotoScan VNet (jumpbox, compute and AD
 * subnets) and a storage VNet (the cache subnet, with the Avere backend) peered
 * both ways, an NSG on every subnet, RDP/SSH reaching only the jump box subnet
 * and only from named admin networks, and no inbound traffic from the Internet
 * anywhere else. Its `defaultChild` is the PhotoScan VNet.
 */
export class HpcNetwork extends HpcNetworkBase {
  /** Service endpoints of each subnet unless the `serviceEndpoints` prop says otherwise. */
  static readonly DEFAULT_SERVICE_ENDPOINTS: Readonly<Record<SubnetRole, readonly string[]>> = {
    jumpbox: [],
    compute: ['Microsoft.KeyVault', 'Microsoft.Storage'],
    ad: [],
    cache: ['Microsoft.Storage'],
    fileserver: ['Microsoft.KeyVault'],
  };
  /** The address plan unless the `addressPlan` prop says otherwise. */
  static readonly DEFAULT_ADDRESS_PLAN: AddressPlan = DEFAULT_ADDRESS_PLAN;
  /** Cache nodes the cache subnet has room for unless `cacheNodeCount` says otherwise. */
  static readonly DEFAULT_CACHE_NODE_COUNT = 3;

  /**
   * A network created elsewhere (another app or state): constructs take it like a network of this app, and
   * rules and subnets they add through it are checked the same way (against what they add, not the existing rules).
   */
  static fromHpcNetworkAttributes(scope: Construct, id: string, attrs: HpcNetworkAttributes): IHpcNetwork {
    return new ImportedHpcNetwork(scope, id, attrs);
  }

  /** Resource group holding the network. */
  readonly resourceGroupName: string;
  readonly resourceGroupId: string;
  readonly location: string;
  readonly photoscanVnetId: string;
  readonly photoscanVnetName: string;
  readonly storageVnetId: string;
  readonly storageVnetName: string;
  /** Every subnet by role (`cache` only with the cache subnet). */
  readonly subnets: Readonly<Partial<Record<SubnetRole, SubnetInfo>>>;
  /** The validated address plan. */
  readonly addressPlan: AddressPlan;
  /** Admin CIDRs as the NSG rules use them (plain addresses become /32). */
  readonly adminSourceCidrs: readonly string[];
  /** The resources behind the network, for escape hatches. */
  readonly resourceGroup: ResourceGroup;
  readonly photoscanVnet: VirtualNetwork;
  readonly storageVnet: VirtualNetwork;
  readonly subnetResources: Readonly<Partial<Record<SubnetRole, Subnet>>>;
  readonly securityGroups: Readonly<Partial<Record<SubnetRole, NetworkSecurityGroup>>>;
  readonly peerings: readonly VirtualNetworkPeering[];

  constructor(scope: Construct, id: string, props: HpcNetworkProps) {
    super(scope, id);
    props = withNormalizedLocation(props, `HpcNetwork props (${this.node.path})`);
    const plan = props.addressPlan ?? DEFAULT_ADDRESS_PLAN;
    const admins = props.adminSourceCidrs ?? [];
    const withCache = props.cacheSubnet ?? plan.cacheSubnet !== undefined;
    const withFileServers = props.fileServerSubnet ?? false;
    if (withFileServers && plan.fileServerSubnet === undefined)
      throwIfIssues(`HpcNetwork props (${this.node.path})`, [{ path: 'addressPlan.fileServerSubnet', message: 'is required with fileServerSubnet: true' }]);
    throwIfIssues(`HpcNetwork props (${this.node.path})`, [
      ...validateAddressPlan(plan, {
        cacheNodeCount: props.cacheNodeCount ?? HpcNetwork.DEFAULT_CACHE_NODE_COUNT,
        includeCacheSubnet: withCache,
        includeFileServerSubnet: withFileServers,
        path: 'addressPlan',
      }),
      ...validateAdminSourceCidrs(admins, 'adminSourceCidrs'),
      ...validateDnsServers(props.dnsServers ?? []),
      ...validateTags(props.tags ?? {}),
    ]);
    this.addressPlan = plan;
    this.adminSourceCidrs = admins.map((c) => normalizeAdminSource(c) as string);
    this.location = props.location;
    const tags = { ...(props.tags ?? {}) };
    const { naming } = props;

    const rg = new ResourceGroup(this, 'resource-group', {
      name: naming.name('resourceGroup', 'network'),
      location: props.location,
      tags,
    });
    this.resourceGroup = rg;
    this.resourceGroupName = rg.name;
    this.resourceGroupId = rg.id;

    const vnet = (key: VnetKey, space: string) =>
      new VirtualNetwork(this, `${key}-vnet`, {
        name: naming.name('virtualNetwork', key),
        location: props.location,
        resourceGroupName: rg.name,
        addressSpace: [space],
        tags,
      });
    const vnets = { photoscan: vnet('photoscan', plan.photoscanVnet), storage: vnet('storage', plan.storageVnet) };
    this.photoscanVnet = vnets.photoscan;
    this.storageVnet = vnets.storage;
    this.node.defaultChild = vnets.photoscan;
    this.photoscanVnetId = vnets.photoscan.id;
    this.photoscanVnetName = vnets.photoscan.name;
    this.storageVnetId = vnets.storage.id;
    this.storageVnetName = vnets.storage.name;

    // Peering both ways: VNet access only.
    const peer = (from: VnetKey, to: VnetKey) =>
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
    this.peerings = [peer('photoscan', 'storage'), peer('storage', 'photoscan')];

    const endpoints = { ...HpcNetwork.DEFAULT_SERVICE_ENDPOINTS, ...(props.serviceEndpoints ?? {}) };
    const ruleInput = { adminSourceCidrs: this.adminSourceCidrs, jumpboxSubnet: plan.jumpboxSubnet };
    const subnets: Partial<Record<SubnetRole, SubnetInfo>> = {};
    const subnetResources: Partial<Record<SubnetRole, Subnet>> = {};
    const securityGroups: Partial<Record<SubnetRole, NetworkSecurityGroup>> = {};
    this.subnets = subnets;
    for (const role of SUBNET_ROLES.filter((r) => (r !== 'cache' || withCache) && (r !== 'fileserver' || withFileServers))) {
      const layout = SUBNET_LAYOUT[role];
      const cidr = layout.cidr(plan)!;
      const subnet = new Subnet(this, `${role}-subnet`, {
        name: naming.name('subnet', role),
        resourceGroupName: rg.name,
        virtualNetworkName: vnets[layout.vnet].name,
        addressPrefixes: [cidr],
        serviceEndpoints: endpoints[role].length > 0 ? [...endpoints[role]] : undefined,
      });
      this.registerSubnet({ name: naming.name('subnet', role), vnet: layout.vnet, cidr, addedBy: this.node.path });
      const nsg = new NetworkSecurityGroup(this, `${role}-nsg`, {
        name: naming.name('networkSecurityGroup', role),
        location: props.location,
        resourceGroupName: rg.name,
        tags,
      });
      new SubnetNetworkSecurityGroupAssociation(this, `${role}-nsg-association`, {
        subnetId: subnet.id,
        networkSecurityGroupId: nsg.id,
      });
      subnets[role] = { id: subnet.id, name: subnet.name, cidr, nsgName: nsg.name, nsgId: nsg.id };
      subnetResources[role] = subnet;
      securityGroups[role] = nsg;
      for (const rule of baselineInboundRules(role, ruleInput)) this.createRule(role, rule, this, `${role}-nsg-${rule.name}`);
    }
    this.subnetResources = subnetResources;
    this.securityGroups = securityGroups;

    if (this.adminSourceCidrs.length === 0) {
      // Checked at synth: another construct (Azure Bastion) may admit RDP/SSH into the jump box subnet.
      warn(
        this,
        WARNING_IDS.NO_ADMIN_SOURCES,
        'HpcNetwork: adminSourceCidrs is empty and no other rule admits RDP (3389) or SSH (22) into the jump box subnet, so the ' +
          'jump boxes cannot be reached. List your admin networks in the adminSourceCidrs prop (e.g. ["203.0.113.0/24"]) or add Azure Bastion.',
        { when: () => !admitsManagement(this.inboundRules('jumpbox')) },
      );
    }
    if (props.dnsServers && props.dnsServers.length > 0) this.useDnsServers(props.dnsServers);
  }
}

/** A network created elsewhere: attributes only, plus the registries that check what this app adds to it. */
class ImportedHpcNetwork extends HpcNetworkBase {
  readonly resourceGroupName: string;
  readonly resourceGroupId: string;
  readonly location: string;
  readonly photoscanVnetId: string;
  readonly photoscanVnetName: string;
  readonly storageVnetId: string;
  readonly storageVnetName: string;
  readonly addressPlan: AddressPlan;
  readonly subnets: Readonly<Partial<Record<SubnetRole, SubnetInfo>>>;

  constructor(scope: Construct, id: string, attrs: HpcNetworkAttributes) {
    super(scope, id);
    this.resourceGroupName = attrs.resourceGroupName;
    this.resourceGroupId = attrs.resourceGroupId ?? '';
    this.location = attrs.location;
    this.photoscanVnetId = attrs.photoscanVnetId;
    this.photoscanVnetName = attrs.photoscanVnetName;
    this.storageVnetId = attrs.storageVnetId;
    this.storageVnetName = attrs.storageVnetName;
    this.addressPlan = attrs.addressPlan;
    this.subnets = { ...attrs.subnets };
    for (const role of SUBNET_ROLES) {
      const info = attrs.subnets[role];
      if (info)
        this.registerSubnet({
          name: Token.isUnresolved(info.name) ? role : info.name,
          vnet: SUBNET_LAYOUT[role].vnet,
          cidr: info.cidr,
          addedBy: `${this.node.path} (imported)`,
        });
    }
  }
}

function validateDnsServers(servers: readonly string[]): InputIssue[] {
  return servers.flatMap((s, i) => (parseIpv4(s) === undefined ? [{ path: `dnsServers[${i}]`, message: `"${s}" is not an IPv4 address` }] : []));
}

/** True when an Allow rule of the list admits RDP or SSH (a port, a range or `*` that covers 22 or 3389). */
function admitsManagement(rules: readonly RegisteredInboundRule[]): boolean {
  const covers = (spec: string, port: number) => {
    if (spec === '*') return true;
    const [lo, hi] = spec.split('-').map(Number);
    return hi === undefined ? lo === port : lo <= port && port <= hi;
  };
  return rules.some(({ rule }) => rule.access === 'Allow' && rule.ports.some((p) => covers(p, Number(SSH_PORT)) || covers(p, Number(RDP_PORT))));
}
