/**
 * The address plan of the environment (design-notes §2) and its validation.
 * All arithmetic goes through `./cidr` (the `ip-address` library).
 */
import { InputIssue, show } from '../errors';
import { formatIpv4, Ipv4Range, parseCidr, parseIpv4, rangeContains, rangesOverlap, usableRange } from './cidr';

/** Every CIDR and static address the environment uses. */
export interface AddressPlan {
  /** Address space of the PhotoScan (compute) VNet. @default "10.0.0.0/16" */
  readonly photoscanVnet: string;
  /** Jump box subnet, the only one reachable by RDP/SSH from admin networks. @default "10.0.0.0/24" */
  readonly jumpboxSubnet: string;
  /** Subnet of the scheduler and the GPU processing nodes. @default "10.0.1.0/24" */
  readonly computeSubnet: string;
  /** Subnet of the Active Directory domain controllers. @default "10.0.2.0/24" */
  readonly adSubnet: string;
  /** Address space of the storage (cache) VNet; must not overlap the PhotoScan VNet. @default "10.1.0.0/16" */
  readonly storageVnet: string;
  /**
   * Subnet of the file-system cache (Avere vFXT nodes and controller): only the "avere" backend needs it.
   * @default "10.1.0.0/24" in DEFAULT_ADDRESS_PLAN; omit it for other backends
   */
  readonly cacheSubnet?: string;
  /**
   * Subnet of Azure Managed Lustre (the storage backend "managed-lustre"), in the storage VNet; size it for the
   * capacity (4–16 TiB: /27, 20–40: /26, 44–92: /25, 96–196: /24, 200–400: /23). @default "10.1.1.0/24"
   */
  readonly lustreSubnet?: string;
  /**
   * Subnet of the Azure NetApp Files volumes (the storage backend "netapp-files"), in the storage VNet, delegated to
   * `Microsoft.NetApp/volumes`: /28 or larger (/26 recommended). @default "10.1.2.0/26"
   */
  readonly netappSubnet?: string;
  /**
   * Subnet of the file servers on VMs (the storage backends "glusterfs" and "beegfs") and their Samba gateways and
   * internal load balancer, in the storage VNet: /25 or larger (each group sits at fixed offsets). @default "10.1.3.0/24"
   */
  readonly fileServerSubnet?: string;
  /** Static addresses of the two domain controllers, in the AD subnet. @default ["10.0.2.4", "10.0.2.5"] */
  readonly domainControllerIps: readonly string[];
  /** Static address of the PhotoScan scheduler (head node), in the compute subnet. @default "10.0.1.250" */
  readonly schedulerIp: string;
  /** Static address of the Windows jump box, in the jumpbox subnet. @default "10.0.0.4" */
  readonly windowsJumpboxIp: string;
  /** Static address of the Linux jump box, in the jumpbox subnet. @default "10.0.0.5" */
  readonly linuxJumpboxIp: string;
  /** First of the cache's consecutive vserver (client-facing) addresses, in the cache subnet. @default "10.1.0.17" */
  readonly cacheVserverFirstIp?: string;
  /** How many vserver addresses the cache gets (3–32). @default 4 */
  readonly cacheVserverCount?: number;
}

/** The seed's reference address plan (design-notes §2). */
export const DEFAULT_ADDRESS_PLAN: Required<AddressPlan> = {
  photoscanVnet: '10.0.0.0/16',
  jumpboxSubnet: '10.0.0.0/24',
  computeSubnet: '10.0.1.0/24',
  adSubnet: '10.0.2.0/24',
  storageVnet: '10.1.0.0/16',
  cacheSubnet: '10.1.0.0/24',
  lustreSubnet: '10.1.1.0/24',
  netappSubnet: '10.1.2.0/26',
  fileServerSubnet: '10.1.3.0/24',
  domainControllerIps: ['10.0.2.4', '10.0.2.5'],
  schedulerIp: '10.0.1.250',
  windowsJumpboxIp: '10.0.0.4',
  linuxJumpboxIp: '10.0.0.5',
  cacheVserverFirstIp: '10.1.0.17',
  cacheVserverCount: 4,
};

/** Azure accepts subnets from /8 to /29. */
export const SUBNET_PREFIX_RANGE = { min: 8, max: 29 } as const;
/** Avere vFXT accepts 3 to 32 vserver addresses. */
export const VSERVER_COUNT_RANGE = { min: 3, max: 32 } as const;

type CidrField =
  'photoscanVnet' | 'jumpboxSubnet' | 'computeSubnet' | 'adSubnet' | 'storageVnet' | 'cacheSubnet' | 'lustreSubnet' | 'netappSubnet' | 'fileServerSubnet';
type SubnetField = Exclude<CidrField, 'photoscanVnet' | 'storageVnet'>;

/** Which VNet each subnet belongs to. */
const SUBNET_PARENT: Record<SubnetField, 'photoscanVnet' | 'storageVnet'> = {
  jumpboxSubnet: 'photoscanVnet',
  computeSubnet: 'photoscanVnet',
  adSubnet: 'photoscanVnet',
  cacheSubnet: 'storageVnet',
  lustreSubnet: 'storageVnet',
  netappSubnet: 'storageVnet',
  fileServerSubnet: 'storageVnet',
};

/** Options that size parts of the plan. */
export interface AddressPlanOptions {
  /** Number of cache nodes the cache subnet must hold (2 + 2n addresses + controller). @default 3 */
  readonly cacheNodeCount?: number;
  /** Check `lustreSubnet` too (only when the Managed Lustre backend is used). @default false */
  readonly includeLustreSubnet?: boolean;
  /** Check `netappSubnet` too (only when the Azure NetApp Files backend is used). @default false */
  readonly includeNetappSubnet?: boolean;
  /** Check `fileServerSubnet` too (only with the GlusterFS and BeeGFS backends). @default false */
  readonly includeFileServerSubnet?: boolean;
  /**
   * Check `cacheSubnet` and the vserver range (only the Avere backend has a cache subnet).
   * @default true when the plan has a `cacheSubnet`
   */
  readonly includeCacheSubnet?: boolean;
  /** Dotted prefix for issue paths. @default "addressPlan" */
  readonly path?: string;
}

/** Addresses a cache of `nodeCount` nodes takes from its subnet, beside its vservers: 2 + 2n, plus 1 for the controller VM. */
export function cacheDynamicAddressCount(nodeCount: number): number {
  return 2 + 2 * nodeCount + 1;
}

/**
 * Checks the plan: CIDRs parse and are aligned, subnets lie in their VNet,
 * nothing overlaps, static addresses sit in their subnet outside Azure's
 * reserved addresses and are distinct, and the cache subnet has room.
 * Returns every issue found (empty when the plan is valid).
 */
export function validateAddressPlan(plan: AddressPlan, options: AddressPlanOptions = {}): InputIssue[] {
  const base = options.path ?? 'addressPlan';
  const issues: InputIssue[] = [];
  const at = (field: string) => `${base}.${field}`;

  const ranges: Partial<Record<CidrField, Ipv4Range>> = {};
  const includeCache = options.includeCacheSubnet ?? plan.cacheSubnet !== undefined;
  const subnetFields = (Object.keys(SUBNET_PARENT) as SubnetField[]).filter(
    (f) =>
      (f !== 'lustreSubnet' || options.includeLustreSubnet) &&
      (f !== 'netappSubnet' || options.includeNetappSubnet) &&
      (f !== 'cacheSubnet' || includeCache) &&
      (f !== 'fileServerSubnet' || options.includeFileServerSubnet),
  );
  for (const field of ['photoscanVnet', 'storageVnet', ...subnetFields] as CidrField[]) {
    const value = plan[field];
    if (value === undefined) {
      issues.push({ path: at(field), message: 'is required by the chosen storage backend' });
      continue;
    }
    const range = parseCidr(value);
    if (!range) {
      issues.push({ path: at(field), message: `${show(value)} is not an IPv4 CIDR; expected a range such as "10.0.0.0/24"` });
      continue;
    }
    if (!range.aligned) {
      issues.push({ path: at(field), message: `${show(value)} is not a network address; use "${range.cidr}"` });
      continue;
    }
    if (range.prefix < SUBNET_PREFIX_RANGE.min || range.prefix > SUBNET_PREFIX_RANGE.max) {
      issues.push({
        path: at(field),
        message: `${show(value)} has prefix /${range.prefix}; Azure allows /${SUBNET_PREFIX_RANGE.min} to /${SUBNET_PREFIX_RANGE.max}`,
      });
      continue;
    }
    ranges[field] = range;
  }

  const { photoscanVnet, storageVnet } = ranges;
  if (photoscanVnet && storageVnet && rangesOverlap(photoscanVnet, storageVnet)) {
    issues.push({
      path: at('storageVnet'),
      message: `${show(plan.storageVnet)} overlaps photoscanVnet ${show(plan.photoscanVnet)}; peered VNets need disjoint address spaces`,
    });
  }

  const subnets = subnetFields;
  for (const field of subnets) {
    const subnet = ranges[field];
    const parentField = SUBNET_PARENT[field];
    const parent = ranges[parentField];
    if (subnet && parent && !rangeContains(parent, subnet)) {
      issues.push({
        path: at(field),
        message: `${show(plan[field])} is not inside ${parentField} ${show(plan[parentField])}; a subnet must lie within its VNet`,
      });
    }
  }
  subnets.forEach((a, i) =>
    subnets.slice(i + 1).forEach((b) => {
      const ra = ranges[a];
      const rb = ranges[b];
      if (ra && rb && rangesOverlap(ra, rb)) {
        issues.push({ path: at(b), message: `${show(plan[b])} overlaps ${a} ${show(plan[a])}; subnets must not overlap` });
      }
    }),
  );

  // Static addresses: inside their subnet, not reserved, all distinct.
  const statics: Array<{ path: string; value: string; subnet: SubnetField }> = [
    ...plan.domainControllerIps.map((value, i) => ({ path: `domainControllerIps[${i}]`, value, subnet: 'adSubnet' as const })),
    { path: 'schedulerIp', value: plan.schedulerIp, subnet: 'computeSubnet' },
    { path: 'windowsJumpboxIp', value: plan.windowsJumpboxIp, subnet: 'jumpboxSubnet' },
    { path: 'linuxJumpboxIp', value: plan.linuxJumpboxIp, subnet: 'jumpboxSubnet' },
  ];
  // The domain controllers' own rules (two, usable in the AD subnet, DC-01 ≠ DC-02) are DomainServices' rules, in one
  // function both use; the plan adds that no other static address takes theirs.
  issues.push(...domainControllerIpIssues(at('domainControllerIps'), plan.domainControllerIps, ranges.adSubnet ? plan.adSubnet : undefined, 'adSubnet'));
  const seen = new Map<bigint, string>();
  for (const s of statics) {
    const address = parseIpv4(s.value);
    const isDc = s.path.startsWith('domainControllerIps[');
    if (address === undefined) {
      if (!isDc) issues.push({ path: at(s.path), message: `${show(s.value)} is not an IPv4 address; expected e.g. "10.0.2.4"` });
      continue;
    }
    const subnet = ranges[s.subnet];
    if (subnet && !isDc) issues.push(...checkUsable(at(s.path), s.value, address, subnet, s.subnet, plan[s.subnet] ?? ''));
    const previous = seen.get(address);
    if (previous) {
      // DC-02 on DC-01's address is reported by domainControllerIpIssues.
      if (!(isDc && previous.startsWith('domainControllerIps['))) {
        issues.push({ path: at(s.path), message: `${show(s.value)} is already used by ${previous}; static addresses must be distinct` });
      }
    } else {
      seen.set(address, s.path);
    }
  }

  if (includeCache) issues.push(...validateCacheRange(plan, ranges.cacheSubnet, options.cacheNodeCount ?? 3, at));
  return issues;
}

/**
 * Issues for a static address that must be a usable address of a subnet (inside it, not one of the five
 * addresses Azure reserves): one check for the address plan and for constructs' own props.
 */
export function staticAddressIssues(field: string, value: string, subnetCidr: string, subnetLabel: string): InputIssue[] {
  const address = parseIpv4(value);
  if (address === undefined) return [{ path: field, message: `${show(value)} is not an IPv4 address; expected e.g. "10.0.2.4"` }];
  const subnet = parseCidr(subnetCidr);
  return subnet ? checkUsable(field, value, address, subnet, subnetLabel, subnetCidr) : [];
}

/** How many domain controllers the environment runs (DC-01 creates the forest, DC-02 replicates it). */
export const DOMAIN_CONTROLLER_COUNT = 2;

/**
 * The rules of the domain controllers' static addresses, in one place (DomainServices' `controllerIps` and the
 * address plan's `domainControllerIps`): exactly two, each a usable address of the AD subnet (checked when
 * `adSubnetCidr` is given), and two different addresses. `field` is the list's path.
 */
export function domainControllerIpIssues(field: string, ips: readonly string[], adSubnetCidr: string | undefined, subnetLabel: string): InputIssue[] {
  const issues: InputIssue[] = [];
  if (ips.length !== DOMAIN_CONTROLLER_COUNT) {
    issues.push({ path: field, message: `has ${ips.length} addresses; exactly ${DOMAIN_CONTROLLER_COUNT} are needed (DC-01 and DC-02)` });
  }
  ips.forEach((ip, i) => {
    const path = `${field}[${i}]`;
    if (adSubnetCidr === undefined) {
      if (parseIpv4(ip) === undefined) issues.push({ path, message: `${show(ip)} is not an IPv4 address; expected e.g. "10.0.2.4"` });
    } else {
      issues.push(...staticAddressIssues(path, ip, adSubnetCidr, subnetLabel));
    }
  });
  const name = field.split('.').pop();
  if (ips.length === DOMAIN_CONTROLLER_COUNT && parseIpv4(ips[0]) !== undefined && parseIpv4(ips[0]) === parseIpv4(ips[1])) {
    issues.push({ path: `${field}[1]`, message: `${show(ips[1])} is already used by ${name}[0] (DC-01); the two domain controllers need two addresses` });
  }
  return issues;
}

/** Issues for an address that must be a usable (non-reserved) address of `subnet`. */
function checkUsable(path: string, value: string, address: bigint, subnet: Ipv4Range, subnetField: string, subnetCidr: string): InputIssue[] {
  if (address < subnet.first || address > subnet.last) {
    return [{ path, message: `${show(value)} is outside ${subnetField} ${show(subnetCidr)}` }];
  }
  const usable = usableRange(subnet);
  if (address < usable.first || address > usable.last) {
    return [
      {
        path,
        message: `${show(value)} is reserved by Azure (first four and last address of ${subnetCidr}); use ${formatIpv4(usable.first)}–${formatIpv4(usable.last)}`,
      },
    ];
  }
  return [];
}

/** The vserver range lies in the cache subnet, and the subnet still has room for the nodes and controller. */
function validateCacheRange(plan: AddressPlan, cacheSubnet: Ipv4Range | undefined, nodeCount: number, at: (field: string) => string): InputIssue[] {
  const count = plan.cacheVserverCount ?? DEFAULT_ADDRESS_PLAN.cacheVserverCount;
  if (!Number.isInteger(count) || count < VSERVER_COUNT_RANGE.min || count > VSERVER_COUNT_RANGE.max) {
    return [
      {
        path: at('cacheVserverCount'),
        message: `${show(count)} is not allowed; use a whole number from ${VSERVER_COUNT_RANGE.min} to ${VSERVER_COUNT_RANGE.max}`,
      },
    ];
  }
  if (Number.isInteger(nodeCount) && count < nodeCount) {
    return [
      {
        path: at('cacheVserverCount'),
        message: `${count} vserver addresses for a ${nodeCount}-node cache: the cluster takes max(nodes, vservers) consecutive addresses from cacheVserverFirstIp, so the round-robin name would miss some; use at least ${nodeCount}`,
      },
    ];
  }
  const first = plan.cacheVserverFirstIp === undefined ? undefined : parseIpv4(plan.cacheVserverFirstIp);
  if (first === undefined) {
    return [{ path: at('cacheVserverFirstIp'), message: `${show(plan.cacheVserverFirstIp)} is not an IPv4 address; expected e.g. "10.1.0.17"` }];
  }
  if (!cacheSubnet) return [];
  const last = first + BigInt(count) - 1n;
  const usable = usableRange(cacheSubnet);
  if (first < usable.first || last > usable.last) {
    return [
      {
        path: at('cacheVserverFirstIp'),
        message: `vserver range ${formatIpv4(first)}–${formatIpv4(last)} (${count} addresses) must lie within the usable addresses of cacheSubnet ${show(plan.cacheSubnet)}: ${formatIpv4(usable.first)}–${formatIpv4(usable.last)}`,
      },
    ];
  }
  const needed = cacheDynamicAddressCount(nodeCount);
  const free = Number(usable.count) - count;
  if (free < needed) {
    return [
      {
        path: at('cacheSubnet'),
        message: `${show(plan.cacheSubnet)} has ${usable.count} usable addresses; a ${nodeCount}-node cache needs ${needed} (2 + 2×${nodeCount} + 1 controller) plus ${count} vserver addresses = ${needed + count}; use a larger subnet or fewer vservers`,
      },
    ];
  }
  // Azure hands out dynamic addresses from the bottom of the subnet: the controller and the nodes take those.
  const dynamicLast = usable.first + BigInt(needed) - 1n;
  if (first <= dynamicLast && last >= usable.first) {
    return [
      {
        path: at('cacheVserverFirstIp'),
        message: `vserver range ${formatIpv4(first)}–${formatIpv4(last)} overlaps ${formatIpv4(usable.first)}–${formatIpv4(dynamicLast)}, the addresses Azure assigns to the controller and the ${nodeCount} cache nodes (2 + 2×${nodeCount} + 1); start it at ${formatIpv4(dynamicLast + 1n)} or later`,
      },
    ];
  }
  return [];
}
