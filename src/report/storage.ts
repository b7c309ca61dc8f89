/**
 * The storage throughput estimate of a synthesized app: every Azure NetApp Files volume with its service level,
 * quota, the throughput auto QoS gives it (rate × quota TiB) and each processing node's share of it.
 */
import { FILE_SERVER_TAGS } from '../storage/file-servers';
import { netappThroughputMibps } from '../storage/netapp';
import type { VmInventory } from './inventory';
import type { AppModel } from './model';

/** One volume's estimate. */
export interface VolumeThroughput {
  readonly stack: string;
  /** Azure name of the volume. */
  readonly name: string;
  readonly serviceLevel: string;
  readonly quotaGib: number;
  /** MiB/s with auto QoS; undefined when the service level is unknown. */
  readonly mibps?: number;
  /** MiB/s per processing node when all nodes read at once (`nodes` > 0). */
  readonly perNodeMibps?: number;
}

/** The estimate of a VM-based file system (GlusterFS, BeeGFS): its data-holding servers. */
export interface FileServerEstimate {
  readonly stack: string;
  /** "glusterfs-server" or "beegfs-storage". */
  readonly role: string;
  readonly servers: number;
  readonly rawGib: number;
  /** Usable GiB: raw / copies (GlusterFS replicas; BeeGFS keeps one copy). */
  readonly usableGib: number;
  /** Provisioned disk throughput of all servers / copies, MB/s (undefined where the disks are local NVMe). */
  readonly mbps?: number;
  readonly perNodeMbps?: number;
}

/** The estimate of every NetApp volume, with the node count it is shared by. */
export interface StorageThroughput {
  /** Processing nodes (instances of the scale sets with a known count). */
  readonly nodes: number;
  readonly volumes: readonly VolumeThroughput[];
  /** GlusterFS or BeeGFS servers, when the app has them. @default [] */
  readonly fileServers?: readonly FileServerEstimate[];
}

/** Builds the estimate from the model and its inventory (nodes are the scale sets' instances). */
export function storageThroughput(model: AppModel, inventory: VmInventory): StorageThroughput {
  const nodes = inventory.lines.filter((l) => l.kind === 'scale set' && typeof l.count === 'number').reduce((n, l) => n + (l.count as number), 0);
  const volumes = model.resources
    .filter((r) => r.type === 'azurerm_netapp_volume')
    .map((r) => {
      const serviceLevel = String(r.config.service_level ?? '?');
      const quotaGib = Number(r.config.storage_quota_in_gb ?? 0);
      const mibps = netappThroughputMibps(serviceLevel, quotaGib);
      return {
        stack: r.stack,
        name: String(r.config.name ?? r.name),
        serviceLevel,
        quotaGib,
        mibps,
        perNodeMibps: mibps !== undefined && nodes > 0 ? Math.round((mibps / nodes) * 10) / 10 : undefined,
      };
    });
  const groups = new Map<string, { stack: string; role: string; servers: number; rawGib: number; mbps: number; copies: number; unknown: boolean }>();
  for (const r of model.resources.filter((x) => x.type === 'azurerm_linux_virtual_machine')) {
    const tags = (r.config.tags ?? {}) as Record<string, unknown>;
    const role = tags[FILE_SERVER_TAGS.role];
    if (typeof role !== 'string') continue;
    const key = `${r.stack}/${role}`;
    const g = groups.get(key) ?? { stack: r.stack, role, servers: 0, rawGib: 0, mbps: 0, copies: Number(tags[FILE_SERVER_TAGS.copies] ?? 1), unknown: false };
    g.servers += 1;
    g.rawGib += Number(tags[FILE_SERVER_TAGS.rawGib] ?? 0);
    const mbps = Number(tags[FILE_SERVER_TAGS.diskMbps] ?? 0);
    if (mbps > 0) g.mbps += mbps;
    else g.unknown = true;
    groups.set(key, g);
  }
  const fileServers = [...groups.values()].map((g) => {
    const mbps = g.unknown ? undefined : Math.round(g.mbps / g.copies);
    return {
      stack: g.stack,
      role: g.role,
      servers: g.servers,
      rawGib: g.rawGib,
      usableGib: Math.floor(g.rawGib / g.copies),
      mbps,
      perNodeMbps: mbps !== undefined && nodes > 0 ? Math.round((mbps / nodes) * 10) / 10 : undefined,
    };
  });
  return fileServers.length > 0 ? { nodes, volumes, fileServers } : { nodes, volumes };
}

/** Markdown lines of the estimate (empty without NetApp volumes or file servers). */
export function renderStorageThroughput(t: StorageThroughput): string[] {
  const servers = renderFileServers(t);
  if (t.volumes.length === 0) return servers;
  const out = [
    `## Storage throughput (Azure NetApp Files, auto QoS: service level rate × quota; shared by ${t.nodes} processing node${t.nodes === 1 ? '' : 's'})`,
    '',
    '| volume | service level | quota (GiB) | MiB/s | MiB/s per node |',
    '| --- | --- | ---: | ---: | ---: |',
  ];
  for (const v of t.volumes) out.push(`| ${v.name} | ${v.serviceLevel} | ${v.quotaGib} | ${v.mibps ?? '?'} | ${v.perNodeMibps ?? '—'} |`);
  out.push('', 'More throughput: a larger quota (the pool must hold it) or a higher service level (Standard 16, Premium 64, Ultra 128 MiB/s per TiB).');
  return [...out, ...servers];
}

function renderFileServers(t: StorageThroughput): string[] {
  const list = t.fileServers ?? [];
  if (list.length === 0) return [];
  const out = [
    `## Storage capacity and throughput (file servers on VMs; shared by ${t.nodes} processing node${t.nodes === 1 ? '' : 's'})`,
    '',
    '| servers | count | raw (GiB) | usable (GiB) | disk MB/s | MB/s per node |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const f of list) out.push(`| ${f.role} | ${f.servers} | ${f.rawGib} | ${f.usableGib} | ${f.mbps ?? '? (local NVMe)'} | ${f.perNodeMbps ?? '—'} |`);
  out.push(
    '',
    "Disk MB/s is the Premium SSD tiers' provisioned throughput summed over the servers, divided by the copies a write makes; the VMs' network bandwidth may cap it lower.",
  );
  return out;
}
