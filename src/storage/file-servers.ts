/**
 * The file server subnet of the VM-based backends (GlusterFS, BeeGFS) and their Samba gateways: where each machine's
 * static address lies, the SMB rules, and what the gateways export. Static addresses let every server know its peers
 * at synth (the GlusterFS pool forms from them, BeeGFS services find the management server by it) without a
 * reference cycle between the VMs.
 */
import { InputIssue, show } from '../errors';
import { formatIpv4, parseCidr, usableRange } from '../net/cidr';

/** SMB over TCP. */
export const SMB_PORT = '445';

/** Offsets from the subnet's network address of each group (a /25 or larger holds every group at its maximum). */
export const FILE_SERVER_OFFSETS = {
  /** GlusterFS servers, or BeeGFS's management server (one). */
  servers: { first: 10, max: 32 },
  /** BeeGFS metadata servers. */
  metadata: { first: 50, max: 8 },
  /** BeeGFS storage servers. */
  storage: { first: 60, max: 32 },
  /** The gateways' internal load balancer frontend. */
  loadBalancer: { first: 99, max: 1 },
  /** Samba gateways. */
  gateways: { first: 100, max: 8 },
} as const;
export type FileServerGroup = keyof typeof FILE_SERVER_OFFSETS;

/** The smallest file server subnet (a /25: 128 addresses). */
export const FILE_SERVER_SUBNET_MAX_PREFIX = 25;

/** `count` static addresses of a group in the subnet (throws when the CIDR does not parse: validate first). */
export function fileServerAddresses(subnetCidr: string, group: FileServerGroup, count: number): string[] {
  const subnet = parseCidr(subnetCidr);
  if (!subnet) throw new Error(`fileServerAddresses: ${JSON.stringify(subnetCidr)} is not an IPv4 CIDR`);
  const { first } = FILE_SERVER_OFFSETS[group];
  return Array.from({ length: count }, (_, i) => formatIpv4(subnet.first + BigInt(first + i)));
}

/** Issues with the subnet and the group sizes. */
export function fileServerSubnetIssues(
  field: string,
  subnetCidr: string,
  counts: Partial<Record<FileServerGroup, number>>,
  countFields: Partial<Record<FileServerGroup, string>> = {},
): InputIssue[] {
  const issues: InputIssue[] = [];
  const subnet = parseCidr(subnetCidr);
  if (!subnet) return [{ path: field, message: `${show(subnetCidr)} is not an IPv4 CIDR` }];
  if (subnet.prefix > FILE_SERVER_SUBNET_MAX_PREFIX) {
    issues.push({
      path: field,
      message: `${show(subnetCidr)} is too small for the file servers and their gateways: use a /${FILE_SERVER_SUBNET_MAX_PREFIX} or larger`,
    });
  }
  const usable = usableRange(subnet);
  for (const [group, count] of Object.entries(counts) as Array<[FileServerGroup, number]>) {
    const { first, max } = FILE_SERVER_OFFSETS[group];
    if (count > max)
      issues.push({ path: countFields[group] ?? field, message: `${count} is more than the ${max} ${group} addresses the file server subnet plan holds` });
    else if (count > 0 && subnet.first + BigInt(first + count - 1) > usable.last)
      issues.push({ path: field, message: `${show(subnetCidr)} has no room for ${count} ${group} address(es) from offset ${first}` });
  }
  return issues;
}

/** One share of a Samba gateway: its name and the directory it exports (under the gateway's backend mount). */
export interface SambaShare {
  readonly name: string;
  readonly path: string;
}

/** Premium SSD (v1) throughput per disk by size tier, MB/s (P4…P80; Azure managed disk docs). */
const PREMIUM_TIERS: ReadonlyArray<readonly [number, number]> = [
  [32, 25],
  [64, 50],
  [128, 100],
  [256, 125],
  [512, 150],
  [1024, 200],
  [2048, 250],
  [4096, 250],
  [8192, 500],
  [16384, 750],
  [32767, 900],
];

/** Provisioned throughput of one Premium SSD of `sizeGb` (its tier's), MB/s. */
export function premiumDiskMbps(sizeGb: number): number {
  return (PREMIUM_TIERS.find(([gb]) => sizeGb <= gb) ?? PREMIUM_TIERS[PREMIUM_TIERS.length - 1])[1];
}

/** Tags a data-holding file server carries for the report's capacity and throughput estimate. */
export const FILE_SERVER_TAGS = { role: 'pgm-fs-role', rawGib: 'pgm-fs-raw-gib', diskMbps: 'pgm-fs-disk-mbps', copies: 'pgm-fs-copies' } as const;
