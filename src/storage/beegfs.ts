/**
 * BeeGFS on VMs (the storage backend "beegfs"): the pinned release and its package repository, the services' ports,
 * the client's mount, target layout rules and the capacity estimate. Pure functions: the BeeGfs construct fills in
 * addresses and names.
 */
import { InputIssue, show } from '../errors';

/**
 * The BeeGFS release the servers and clients install: 7.4.x supports Ubuntu 22.04 (jammy), the servers' and the
 * gateways' image, and builds its client module for the nodes' kernels (Ubuntu 22.04, AlmaLinux 8/9).
 */
export const BEEGFS_RELEASE = '7.4.5';

/** The repository of a release: `<base>/dists/beegfs-<codename>.list` (apt) or `…/beegfs-rhel<major>.repo` (dnf), key under `<base>/gpg/`. */
export function beegfsRepositoryBase(release: string = BEEGFS_RELEASE): string {
  return `https://www.beegfs.io/release/beegfs_${release}`;
}

/** Service ports (TCP and UDP): storage 8003, metadata 8005, management 8008. */
export const BEEGFS_SERVER_PORTS = ['8003', '8005', '8008'] as const;
/** The client's port (UDP, servers reach the clients on it): 8004. */
export const BEEGFS_CLIENT_PORT = '8004';

/** Where Linux clients mount the file system; the seed's /data and /home are directories in it. */
export const BEEGFS_MOUNT_POINT = '/mnt/beegfs';

/** Where the connection authentication secret lives on servers and clients (root only). */
export const BEEGFS_CONNAUTH_FILE = '/etc/beegfs/connauthfile';

/** How the servers' disks are laid out. */
export type BeegfsDiskLayout = 'nvme' | 'premium-ssd';

/** Local NVMe disks of the L-series sizes (Lsv3/Lasv3: 1 per 8 vCPUs, 1.92 TB each). */
export function nvmeDiskCount(size: string): number | undefined {
  const m = /^Standard_L(\d+)a?s_v3$/.exec(size);
  return m ? Math.max(1, Math.floor(Number(m[1]) / 8)) : undefined;
}

/** Capacity of one L-series NVMe disk, GiB (1.92 TB). */
export const NVME_DISK_GIB = 1788;

/** Issues with a server group's disk layout. */
export function beegfsDiskIssues(
  at: string,
  layout: BeegfsDiskLayout,
  size: string,
  disks: { count: number; sizeGb: number },
  targetsPerServer: number,
): InputIssue[] {
  const issues: InputIssue[] = [];
  if (layout === 'nvme') {
    const n = nvmeDiskCount(size);
    if (n === undefined)
      issues.push({
        path: `${at}.vmSize`,
        message: `${show(size)} has no local NVMe disks: with diskLayout "nvme" use an L-series v3 size such as "Standard_L8s_v3"`,
      });
    else if (n % targetsPerServer !== 0)
      issues.push({ path: `${at}.targetsPerServer`, message: `${size} has ${n} NVMe disk(s), which do not split evenly into ${targetsPerServer} targets` });
  } else {
    if (!Number.isInteger(disks.count) || disks.count < 1 || disks.count > 32)
      issues.push({ path: `${at}.diskCount`, message: `${show(disks.count)} is not allowed: use 1–32 data disks per server` });
    else if (disks.count % targetsPerServer !== 0)
      issues.push({ path: `${at}.targetsPerServer`, message: `${disks.count} disks do not split evenly into ${targetsPerServer} targets` });
    if (!Number.isInteger(disks.sizeGb) || disks.sizeGb < 32 || disks.sizeGb > 32767)
      issues.push({ path: `${at}.diskSizeGb`, message: `${show(disks.sizeGb)} is not allowed: a managed disk is 32–32767 GiB` });
  }
  if (!Number.isInteger(targetsPerServer) || targetsPerServer < 1 || targetsPerServer > 8)
    issues.push({ path: `${at}.targetsPerServer`, message: `${show(targetsPerServer)} is not allowed: use 1–8 targets per server` });
  return issues;
}

/** Raw capacity of one server (GiB) for a layout. */
export function beegfsServerGib(layout: BeegfsDiskLayout, size: string, disks: { count: number; sizeGb: number }): number {
  return layout === 'nvme' ? (nvmeDiskCount(size) ?? 0) * NVME_DISK_GIB : disks.count * disks.sizeGb;
}

/** Target ids: storage server i (1-based) target t (1-based) is `i*100 + t` (`beegfs-setup-storage -i`). */
export function beegfsTargetId(server: number, target: number): number {
  return server * 100 + target;
}
