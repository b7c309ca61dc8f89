/**
 * The storage throughput estimate of a synthesized app: every Azure NetApp Files volume with its service level,
 * quota, the throughput auto QoS gives it (rate × quota TiB) and each processing node's share of it.
 */
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

/** The estimate of every NetApp volume, with the node count it is shared by. */
export interface StorageThroughput {
  /** Processing nodes (instances of the scale sets with a known count). */
  readonly nodes: number;
  readonly volumes: readonly VolumeThroughput[];
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
  return { nodes, volumes };
}

/** Markdown lines of the estimate (empty without NetApp volumes). */
export function renderStorageThroughput(t: StorageThroughput): string[] {
  if (t.volumes.length === 0) return [];
  const out = [
    `## Storage throughput (Azure NetApp Files, auto QoS: service level rate × quota; shared by ${t.nodes} processing node${t.nodes === 1 ? '' : 's'})`,
    '',
    '| volume | service level | quota (GiB) | MiB/s | MiB/s per node |',
    '| --- | --- | ---: | ---: | ---: |',
  ];
  for (const v of t.volumes) out.push(`| ${v.name} | ${v.serviceLevel} | ${v.quotaGib} | ${v.mibps ?? '?'} | ${v.perNodeMibps ?? '—'} |`);
  out.push('', 'More throughput: a larger quota (the pool must hold it) or a higher service level (Standard 16, Premium 64, Ultra 128 MiB/s per TiB).');
  return out;
}
