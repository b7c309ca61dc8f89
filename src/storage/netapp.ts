/**
 * Azure NetApp Files rules: service levels and their throughput, capacity pool and volume sizes, the NFSv3 client
 * options NetApp recommends for HPC, and the throughput estimate the report and the README show
 * (Azure NetApp Files docs, 2026; design-notes §9).
 */
import { InputIssue, show } from '../errors';
import { parseCidr } from '../net/cidr';

/** Throughput per TiB of volume quota (MiB/s) with the pool's auto QoS, per service level. */
export const NETAPP_SERVICE_LEVELS = { Standard: 16, Premium: 64, Ultra: 128 } as const;
export type NetAppServiceLevel = keyof typeof NETAPP_SERVICE_LEVELS;
export const NETAPP_SERVICE_LEVEL_NAMES = Object.keys(NETAPP_SERVICE_LEVELS) as NetAppServiceLevel[];

/**
 * Capacity pool sizes (TiB, whole numbers). 1 TiB is the minimum for pools whose volumes all use Standard network
 * features (ours do); 2048 TiB is the provider's maximum.
 */
export const NETAPP_POOL_SIZE_TIB = { min: 1, max: 2048 } as const;
/** Volume quota (GiB): 50 GiB to 100 TiB for a regular (not large) volume. */
export const NETAPP_VOLUME_QUOTA_GIB = { min: 50, max: 102400 } as const;
/** Snapshots a schedule of a snapshot policy keeps (Azure allows 255 per volume). */
export const NETAPP_SNAPSHOTS_TO_KEEP = { min: 1, max: 255 } as const;

/**
 * NFSv3 client options for Azure NetApp Files (NetApp's Linux guidance for HPC: 256 KiB transfers, hard mounts,
 * TCP, `nconnect=8` for several TCP connections per mount; the node setup drops `nconnect` on kernels without it).
 */
export const NETAPP_NFS_OPTIONS = ['rw', 'hard', 'vers=3', 'proto=tcp', 'rsize=262144', 'wsize=262144', 'nconnect=8', 'noatime', '_netdev'] as const;

/** TCP/UDP ports of NFSv3 on Azure NetApp Files: portmapper 111, mountd 635, nfs 2049, nlm 4045, nsm 4046, rquotad 4049. */
export const NETAPP_NFS_PORTS = ['111', '635', '2049', '4045', '4046', '4049'] as const;

/** Throughput (MiB/s) a volume of `quotaGib` gets at a service level (auto QoS). */
export function netappThroughputMibps(serviceLevel: string, quotaGib: number): number | undefined {
  const rate = (NETAPP_SERVICE_LEVELS as Record<string, number>)[serviceLevel];
  return rate === undefined ? undefined : Math.round(((rate * quotaGib) / 1024) * 10) / 10;
}

/** Issues with a pool size and the volumes in it (`fields` names where each value comes from). */
export function netappSizeIssues(
  fields: { readonly serviceLevel: string; readonly poolSizeTib: string; readonly quotas: Readonly<Record<string, string>> },
  serviceLevel: string,
  poolSizeTib: number,
  quotasGib: Readonly<Record<string, number>>,
): InputIssue[] {
  const issues: InputIssue[] = [];
  if (!(NETAPP_SERVICE_LEVEL_NAMES as string[]).includes(serviceLevel)) {
    issues.push({ path: fields.serviceLevel, message: `${show(serviceLevel)} is not a service level; allowed: ${NETAPP_SERVICE_LEVEL_NAMES.join(', ')}` });
  }
  const { min, max } = NETAPP_POOL_SIZE_TIB;
  const poolOk = Number.isInteger(poolSizeTib) && poolSizeTib >= min && poolSizeTib <= max;
  if (!poolOk) {
    issues.push({ path: fields.poolSizeTib, message: `${show(poolSizeTib)} TiB is not allowed: a capacity pool is ${min}–${max} TiB in whole TiB` });
  }
  let total = 0;
  let quotasOk = true;
  for (const [name, quota] of Object.entries(quotasGib)) {
    const q = NETAPP_VOLUME_QUOTA_GIB;
    if (!Number.isInteger(quota) || quota < q.min || quota > q.max) {
      quotasOk = false;
      issues.push({ path: fields.quotas[name] ?? name, message: `${show(quota)} GiB is not allowed: a volume quota is ${q.min}–${q.max} GiB in whole GiB` });
    }
    total += quota;
  }
  if (poolOk && quotasOk && total > poolSizeTib * 1024) {
    issues.push({
      path: fields.poolSizeTib,
      message: `${poolSizeTib} TiB (${poolSizeTib * 1024} GiB) cannot hold the volumes' quotas (${Object.values(fields.quotas).join(' + ')} = ${total} GiB); use at least ${Math.ceil(total / 1024)} TiB or smaller quotas`,
    });
  }
  return issues;
}

/** Issues of the delegated NetApp subnet: an IPv4 CIDR, /28 or larger (/26 recommended). */
export function netappSubnetIssues(path: string, subnetCidr: string): InputIssue[] {
  const subnet = parseCidr(subnetCidr);
  if (!subnet) return [{ path, message: `${show(subnetCidr)} is not an IPv4 CIDR` }];
  return subnet.prefix > 28
    ? [{ path, message: `${show(subnetCidr)} is too small for Azure NetApp Files: a delegated subnet is /28 or larger (/26 recommended)` }]
    : [];
}
