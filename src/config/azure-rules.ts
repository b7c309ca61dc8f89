/**
 * Azure's apply-time constraints, checked at synth (issue 13): values the schema and the constructs' rules let
 * through but Azure refuses (or Terraform evaluates) when the plan is applied. Each rule reads configuration
 * paths (so the loader skips it where the schema refused one of them) and reports at the configuration's fields.
 * The rules whose subject is a construct prop live with the construct and run through the construct rules
 * (`computeConstructIssues`, `domainConstructIssues`): VM sizes of the scheduler, the nodes and the domain
 * controllers, autoscale time zones, Spot with an ephemeral OS disk. The tables are data in `src/azure/`.
 */
import { NON_INTERNET_RANGES, AZURE_VNET_RESERVED_RANGES } from '../azure/reserved-ranges';
import { findRegion } from '../azure/regions';
import { azureVmSizeIssues } from '../azure/vm-sizes';
import { atConfigPaths, InputIssue, PropPathMap, show } from '../errors';
import { jumpBoxSizeIssues } from '../../constructs/jump-boxes';
import { normalizeAdminSource, validateAdminSourceCidrs } from '../net/admin-sources';
import { Ipv4Range, parseCidr, parseIpv4, rangesOverlap, usableRange } from '../net/cidr';
import type { EnvironmentConfig } from './schema';

/** One apply-time rule. */
export interface AzureApplyRule {
  /** Stable id (`AZ-…`), named in the README. */
  readonly id: string;
  /** What Azure (or Terraform) refuses. */
  readonly title: string;
  /** Configuration paths the rule reads (it is skipped when the schema refused one of them). */
  readonly reads: readonly string[];
  readonly run: (config: EnvironmentConfig) => InputIssue[];
}

const RESERVED = AZURE_VNET_RESERVED_RANGES.map((r) => ({ ...r, range: parseCidr(r.cidr)! }));

/** The address ranges the configuration puts into VNets, with their fields. */
function vnetRanges(config: EnvironmentConfig): Array<{ path: string; cidr: string }> {
  const p = config.addressPlan;
  const list = [
    { path: 'addressPlan.photoscanVnet', cidr: p.photoscanVnet },
    { path: 'addressPlan.jumpboxSubnet', cidr: p.jumpboxSubnet },
    { path: 'addressPlan.computeSubnet', cidr: p.computeSubnet },
    { path: 'addressPlan.adSubnet', cidr: p.adSubnet },
    { path: 'addressPlan.storageVnet', cidr: p.storageVnet },
  ];
  if (config.storage.backend === 'avere') list.push({ path: 'addressPlan.cacheSubnet', cidr: p.cacheSubnet });
  if (config.storage.backend === 'managed-lustre') list.push({ path: 'addressPlan.lustreSubnet', cidr: p.lustreSubnet });
  if (config.storage.backend === 'netapp-files') list.push({ path: 'addressPlan.netappSubnet', cidr: p.netappSubnet });
  if (config.compute.bastion.enabled) list.push({ path: 'compute.bastion.subnetCidr', cidr: config.compute.bastion.subnetCidr });
  return list;
}

/** Smallest subnet (largest prefix) whose usable addresses (all but Azure's 5) number at least `needed`. */
function prefixFor(needed: number): number {
  let prefix = 29;
  while (prefix > 8 && 2 ** (32 - prefix) - 5 < needed) prefix--;
  return prefix;
}

/** Merges ranges into disjoint sorted intervals. */
function union(ranges: ReadonlyArray<Pick<Ipv4Range, 'first' | 'last'>>): Array<{ first: bigint; last: bigint }> {
  const sorted = [...ranges].sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
  const out: Array<{ first: bigint; last: bigint }> = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.first <= last.last + 1n) last.last = r.last > last.last ? r.last : last.last;
    else out.push({ first: r.first, last: r.last });
  }
  return out;
}

/** Addresses of `ranges` (merged) that are on the public Internet. */
export function publicAddressCount(ranges: ReadonlyArray<Pick<Ipv4Range, 'first' | 'last'>>): bigint {
  const excluded = union(NON_INTERNET_RANGES.map((c) => parseCidr(c)!));
  let total = 0n;
  for (const r of union(ranges)) {
    let count = r.last - r.first + 1n;
    for (const x of excluded) {
      const first = r.first > x.first ? r.first : x.first;
      const last = r.last < x.last ? r.last : x.last;
      if (first <= last) count -= last - first + 1n;
    }
    total += count;
  }
  return total;
}

/** Public IPv4 addresses on the Internet (2^32 minus {@link NON_INTERNET_RANGES}). */
export const INTERNET_SIZE = publicAddressCount([{ first: 0n, last: 2n ** 32n - 1n }]);
/** The most public addresses the admin ranges may cover together: a /8 (no admin network is larger). */
export const ADMIN_SOURCES_MAX_PUBLIC = 2n ** 24n;

/** Characters that start a Terraform template sequence (interpolation, directive) in any string Terraform reads. */
const TEMPLATE = /\$\{|%\{/;

function templateIssues(value: unknown, path: string, issues: InputIssue[]): void {
  if (typeof value === 'string') {
    if (TEMPLATE.test(value)) {
      const where = path.startsWith('backend.')
        ? 'in the backend and terraform_remote_state blocks, where Terraform would evaluate it'
        : 'which Terraform would evaluate as an expression';
      issues.push({
        path,
        message: `${show(value)} contains a Terraform template sequence ("\${" or "%{") ${where}; write the literal value without "\${" or "%{"`,
      });
    }
  } else if (Array.isArray(value)) value.forEach((v, i) => templateIssues(v, `${path}[${i}]`, issues));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) templateIssues(v, path ? `${path}.${k}` : k, issues);
}

/** Where JumpBoxes' size props come from in the configuration file. */
const JUMPBOX_CONFIG_PATHS: PropPathMap = { windowsSize: 'compute.jumpboxes.windowsSize', linuxSize: 'compute.jumpboxes.linuxSize' };

/** The rule set (ids in the README's Configuration notes). */
export const AZURE_APPLY_RULES: readonly AzureApplyRule[] = [
  {
    id: 'AZ-VNET-RESERVED',
    title: 'address ranges Azure forbids in a VNet (multicast, broadcast, loopback, link-local, 168.63.129.16)',
    reads: ['addressPlan', 'storage.backend', 'compute.bastion'],
    run: (config) =>
      vnetRanges(config).flatMap(({ path, cidr }) => {
        const range = parseCidr(cidr);
        const hit = range && RESERVED.find((r) => rangesOverlap(range, r.range));
        return hit
          ? [
              {
                path,
                message: `${show(cidr)} overlaps ${hit.cidr} (${hit.purpose}), which Azure does not allow in a virtual network; use a private range (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16) clear of ${AZURE_VNET_RESERVED_RANGES.map((r) => r.cidr).join(', ')}`,
              },
            ]
          : [];
      }),
  },
  {
    id: 'AZ-SUBNET-CAPACITY',
    title: 'a compute subnet too small for the processing nodes and the scheduler',
    reads: ['addressPlan.computeSubnet', 'compute.nodes.count', 'compute.orchestrator'],
    run: (config) => {
      const subnet = parseCidr(config.addressPlan.computeSubnet);
      const count = config.compute.nodes.count;
      if (!subnet || !Number.isInteger(count) || count < 0) return [];
      // The CycleCloud server sits in the compute subnet too.
      const server = config.compute.orchestrator === 'cyclecloud';
      const needed = count + 1 + (server ? 1 : 0);
      const usable = Number(usableRange(subnet).count);
      return usable >= needed
        ? []
        : [
            {
              path: 'addressPlan.computeSubnet',
              message: `${show(config.addressPlan.computeSubnet)} has ${usable} usable addresses (Azure reserves 5), too few for compute.nodes.count ${count} nodes and the scheduler${server ? ' and the CycleCloud server' : ''} (${needed}); use a /${prefixFor(needed)} or larger, or fewer nodes`,
            },
          ];
    },
  },
  {
    id: 'AZ-ADMIN-INTERNET',
    title: 'admin source ranges that together cover the Internet',
    reads: ['network.adminSourceCidrs'],
    run: (config) => {
      const cidrs = config.network.adminSourceCidrs;
      // Only entries that pass on their own (a "/0" or "Internet" is refused by validateAdminSourceCidrs already).
      const ranges = cidrs
        .filter((c) => validateAdminSourceCidrs([c]).length === 0)
        .map((c) => normalizeAdminSource(c))
        .flatMap((c) => (c ? [parseCidr(c)!] : []));
      const covered = publicAddressCount(ranges);
      if (covered <= ADMIN_SOURCES_MAX_PUBLIC) return [];
      const share = Number((covered * 1000n) / INTERNET_SIZE) / 10;
      return [
        {
          path: 'network.adminSourceCidrs',
          message: `${show(cidrs)} together admit ${covered.toLocaleString('en-US')} public addresses (${share}% of the IPv4 Internet) to RDP/SSH, which is refused; allowed: your admin networks, together at most a /8 of public space (e.g. ["203.0.113.0/24"])`,
        },
      ];
    },
  },
  {
    id: 'AZ-ZONES',
    title: 'availability zones in a region that has none',
    reads: ['location', 'domain.availabilityZones', 'storage.backend', 'storage.lustre.zone'],
    run: (config) => {
      const region = findRegion(config.location);
      if (!region || region.availabilityZones) return [];
      const why = `${show(config.location)} (location) has no availability zones`;
      const issues: InputIssue[] = [];
      if (config.domain.availabilityZones !== undefined)
        issues.push({
          path: 'domain.availabilityZones',
          message: `${show(config.domain.availabilityZones)}: ${why}; leave the field out (the domain controllers then use an availability set) or choose a region with zones`,
        });
      if (config.storage.backend === 'managed-lustre')
        issues.push({
          path: 'storage.lustre.zone',
          message: `${show(config.storage.lustre.zone)}: ${why}, and Azure Managed Lustre is placed in a zone; choose a region with zones`,
        });
      return issues;
    },
  },
  {
    id: 'AZ-VM-SIZE',
    title: 'VM sizes: a name Azure knows, not retired, premium storage where the disks are Premium_LRS (the fields the construct rules do not cover)',
    reads: ['compute.jumpboxes', 'storage.backend', 'storage.avere.controllerSize'],
    run: (config) => {
      return [
        ...atConfigPaths(jumpBoxSizeIssues(config.compute.jumpboxes), JUMPBOX_CONFIG_PATHS, 'JumpBoxes'),
        ...(config.storage.backend === 'avere'
          ? azureVmSizeIssues('storage.avere.controllerSize', config.storage.avere.controllerSize, { example: 'Standard_A1_v2' })
          : []),
      ];
    },
  },
  {
    id: 'AZ-NAMES',
    title: "names that break Azure's naming rules",
    reads: ['backend'],
    run: (config) =>
      config.backend.type === 'azurerm' && config.backend.resourceGroupName.endsWith('.')
        ? [
            {
              path: 'backend.resourceGroupName',
              message: `${show(config.backend.resourceGroupName)} ends with a period, which Azure does not allow in a resource group name; allowed: 1–90 letters, digits, - _ . ( ), not ending in "."`,
            },
          ]
        : [],
  },
  {
    id: 'AZ-PROTOCOL-RANGES',
    title: 'numbers outside protocol ranges (IPv4 octets, TCP ports)',
    reads: ['network.dnsServers', 'secrets.licenseServer'],
    run: (config) => {
      const issues: InputIssue[] = [];
      config.network.dnsServers.forEach((ip, i) => {
        if (parseIpv4(ip) === undefined)
          issues.push({
            path: `network.dnsServers[${i}]`,
            message: `${show(ip)} is not an IPv4 address: each of the four numbers must be 0–255, e.g. "10.0.2.4"`,
          });
      });
      const server = config.secrets.licenseServer;
      const port = server === undefined ? undefined : Number(server.slice(server.lastIndexOf(':') + 1));
      if (server !== undefined && (!Number.isInteger(port) || port! < 1 || port! > 65535))
        issues.push({
          path: 'secrets.licenseServer',
          message: `${show(server)} has port ${port}, outside the TCP range 1–65535 (Metashape's default is 5842)`,
        });
      return issues;
    },
  },
  {
    id: 'AZ-TF-TEMPLATE',
    title: 'free text that Terraform would evaluate ("${", "%{"), above all in the backend and terraform_remote_state blocks',
    // Reads every field; tags have their own rule (validateTags).
    reads: [],
    run: (config) => {
      const issues: InputIssue[] = [];
      for (const [key, value] of Object.entries(config)) if (key !== 'tags') templateIssues(value, key, issues);
      return issues;
    },
  },
];

/** Every apply-time rule's issues (the loader runs them one by one, skipping those that read refused fields). */
export function azureApplyIssues(config: EnvironmentConfig): InputIssue[] {
  return AZURE_APPLY_RULES.flatMap((rule) => rule.run(config));
}
