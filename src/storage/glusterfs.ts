/**
 * GlusterFS on VMs (the storage backend "glusterfs"): the volume layout (distributed-replicated, optional arbiter),
 * the ports the servers open, the native FUSE client's mount options, the capacity estimate and the warning about
 * upstream's maintenance status. Pure functions: the GlusterFs construct fills in addresses and names.
 */
import { InputIssue, show } from '../errors';

/** glusterd's management ports (24007 glusterd, 24008 the RDMA management port upstream documents together). */
export const GLUSTER_MANAGEMENT_PORTS = '24007-24008';
/** First brick port (glusterfs ≥ 3.4 hands out brick ports from 49152 upwards). */
export const GLUSTER_BRICK_BASE_PORT = 49152;

/** Why synth warns: upstream's maintenance status (2026). */
export const GLUSTER_MAINTENANCE_NOTE =
  'GlusterFS is community-maintained with little upstream activity (Red Hat ended Red Hat Gluster Storage in 2024; releases are rare): ' +
  'check that your distribution still ships fixes before relying on it. Supported alternatives: Azure NetApp Files (the default), Azure Managed Lustre, or BeeGFS on VMs.';

/** The volumes the servers create: the seed's /data and /home, one GlusterFS volume each on the same bricks. */
export const GLUSTER_VOLUMES = ['data', 'home'] as const;

/**
 * Brick ports one server needs: one brick per volume, and as many again so that a brick restarted before its old port
 * is free still finds one (glusterd's `max-port` is set to the last of them, so the NSG range is exactly what it uses).
 */
export function glusterBrickPortRange(volumes = GLUSTER_VOLUMES.length): { readonly first: number; readonly last: number; readonly text: string } {
  const first = GLUSTER_BRICK_BASE_PORT;
  const last = first + 2 * volumes - 1;
  return { first, last, text: `${first}-${last}` };
}

/** The shape of a distributed-replicated volume. */
export interface GlusterLayout {
  readonly serverCount: number;
  /** Copies of each file (2 or 3). */
  readonly replica: number;
  /** With replica 3: the third brick of each set holds metadata only (`replica 3 arbiter 1`). */
  readonly arbiter: boolean;
}

/** Issues with a layout: at least one full replica set, whole replica sets, arbiter only with replica 3. */
export function glusterLayoutIssues(fields: { serverCount: string; replica: string; arbiter: string }, layout: GlusterLayout): InputIssue[] {
  const issues: InputIssue[] = [];
  const { serverCount, replica, arbiter } = layout;
  if (replica !== 2 && replica !== 3) issues.push({ path: fields.replica, message: `${show(replica)} is not allowed: use 2 or 3 copies` });
  if (!Number.isInteger(serverCount) || serverCount < 2 || serverCount > 32) {
    issues.push({ path: fields.serverCount, message: `${show(serverCount)} is not allowed: use 2–32 servers` });
  } else if ((replica === 2 || replica === 3) && serverCount % replica !== 0) {
    issues.push({
      path: fields.serverCount,
      message: `${serverCount} servers do not make whole replica sets of ${replica}: use a multiple of ${replica} (each server holds one brick of each volume)`,
    });
  }
  if (arbiter && replica !== 3)
    issues.push({ path: fields.arbiter, message: `an arbiter needs replica 3 ("replica 3 arbiter 1"); replica is ${show(replica)}` });
  if (replica === 2 && !arbiter)
    issues.push({
      path: fields.replica,
      message: 'replica 2 without an arbiter is prone to split-brain (upstream advises against it): use replica 3, or replica 3 with arbiter true',
    });
  return issues;
}

/** The `gluster volume create` arguments after the name: `replica 3 [arbiter 1] a:/b/v b:/b/v …` (bricks in server order). */
export function glusterCreateArguments(
  volume: string,
  addresses: readonly string[],
  layout: Pick<GlusterLayout, 'replica' | 'arbiter'>,
  brickRoot: string,
): string[] {
  const type = ['replica', String(layout.replica), ...(layout.arbiter ? ['arbiter', '1'] : [])];
  return [...type, ...addresses.map((a) => `${a}:${brickRoot}/${volume}`)];
}

/**
 * Usable capacity (GiB) the volumes share: one server's raw capacity per replica set (every set keeps each file on
 * `replica` servers; an arbiter's brick holds metadata only, so its disks add nothing).
 */
export function glusterUsableGib(layout: GlusterLayout, rawGibPerServer: number): number {
  return Math.floor(layout.serverCount / layout.replica) * rawGibPerServer;
}

/**
 * Native FUSE client options: `_netdev`, the other servers as backup volfile servers, and a systemd network wait
 * (atime is the bricks' business: their XFS is mounted noatime).
 */
export function glusterMountOptions(addresses: readonly string[]): string[] {
  const backups = addresses.slice(1);
  return ['defaults', '_netdev', ...(backups.length > 0 ? [`backup-volfile-servers=${backups.join(':')}`] : []), 'x-systemd.requires=network-online.target'];
}
