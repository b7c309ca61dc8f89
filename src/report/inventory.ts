/**
 * What a deployment will run: every VM, scale set and cache node with its
 * size and count, and the totals per quota family (vCPUs, GPUs) a user needs
 * for the quota request before deploying.
 */
import { vmSizeInfo } from '../azure/vm-sizes';
import { WORKERS_MARKER_KEY, type WorkersMarker } from '../compute/orchestrators';
import type { AppModel, ModelResource } from './model';

/** One line of the VM inventory. */
export interface VmInventoryLine {
  readonly stack: string;
  /** Terraform address in the stack, e.g. `azurerm_linux_virtual_machine_scale_set.nodes_vmss_1A2B`. */
  readonly address: string;
  /** Azure name (or the resource's logical name when the name is computed). */
  readonly name: string;
  readonly kind: 'vm' | 'scale set' | 'cache node' | 'batch pool' | 'cyclecloud workers';
  readonly os: 'windows' | 'linux' | 'appliance';
  readonly size: string;
  /** Instances (a scale set's `instances`, a cache's node count); a string when only known at apply. */
  readonly count: number | string;
  readonly vcpusPerVm?: number;
  readonly gpusPerVm?: number;
  readonly family?: string;
}

/** Totals of one quota family. */
export interface FamilyTotal {
  readonly family: string;
  readonly vms: number;
  readonly vcpus: number;
  readonly gpus: number;
}

/** The inventory and its totals. */
export interface VmInventory {
  readonly lines: readonly VmInventoryLine[];
  readonly families: readonly FamilyTotal[];
  readonly totals: { readonly vms: number; readonly vcpus: number; readonly gpus: number };
  /** Sizes not in the size table (their vCPUs/GPUs are not counted). */
  readonly unknownSizes: readonly string[];
  /** Lines whose count is only known at apply (not counted). */
  readonly uncountedLines: readonly string[];
}

const VM_TYPES: Record<string, { kind: VmInventoryLine['kind']; os: VmInventoryLine['os']; size: string; count?: string }> = {
  azurerm_windows_virtual_machine: { kind: 'vm', os: 'windows', size: 'size' },
  azurerm_linux_virtual_machine: { kind: 'vm', os: 'linux', size: 'size' },
  azurerm_windows_virtual_machine_scale_set: { kind: 'scale set', os: 'windows', size: 'sku', count: 'instances' },
  azurerm_linux_virtual_machine_scale_set: { kind: 'scale set', os: 'linux', size: 'sku', count: 'instances' },
  azurerm_orchestrated_virtual_machine_scale_set: { kind: 'scale set', os: 'linux', size: 'sku_name', count: 'instances' },
  // Avere vFXT nodes are VMs the cluster resource creates (provider hashicorp/avere).
  avere_vfxt: { kind: 'cache node', os: 'appliance', size: 'node_size', count: 'vfxt_node_count' },
};

/** The workers marker of a resource, if it has one. */
export function workersMarkerOf(r: ModelResource): WorkersMarker | undefined {
  const comment = r.config['//'] as Record<string, unknown> | undefined;
  return comment?.[WORKERS_MARKER_KEY] as WorkersMarker | undefined;
}

/** Node size the avere provider uses when `node_size` is not set. */
export const AVERE_DEFAULT_NODE_SIZE = 'Standard_E32s_v3';

function countOf(r: ModelResource, attribute?: string): number | string {
  const meta = r.config.count;
  const value = attribute ? r.config[attribute] : 1;
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  const base = n === undefined ? 1 : (n as number | string);
  if (meta === undefined) return base;
  if (typeof meta === 'number' && typeof base === 'number') return meta * base;
  return `${String(meta)} × ${String(base)}`;
}

/** The VM inventory of the app. */
export function vmInventory(model: AppModel): VmInventory {
  const lines: VmInventoryLine[] = [];
  for (const r of model.resources) {
    const spec = VM_TYPES[r.type];
    if (!spec) continue;
    const raw = r.config[spec.size];
    // The avere provider names node SKUs, not VM sizes: "prod_sku" nodes are E32s_v3.
    const size = r.type === 'avere_vfxt' ? (raw === undefined || raw === 'prod_sku' ? AVERE_DEFAULT_NODE_SIZE : String(raw)) : String(raw ?? '?');
    const info = vmSizeInfo(size);
    const name =
      typeof r.config.name === 'string' && !r.config.name.includes('${')
        ? r.config.name
        : typeof r.config.vfxt_cluster_name === 'string'
          ? r.config.vfxt_cluster_name
          : r.name;
    lines.push({
      stack: r.stack,
      address: `${r.type}.${r.name}`,
      name,
      kind: spec.kind,
      os: spec.os,
      size,
      count: countOf(r, spec.count),
      vcpusPerVm: info?.vcpus,
      gpusPerVm: info?.gpus,
      family: info?.family,
    });
  }
  for (const r of model.resources) {
    const w = workersMarkerOf(r);
    if (!w) continue;
    const info = vmSizeInfo(w.size);
    lines.push({
      stack: r.stack,
      address: `${r.type}.${r.name}`,
      name: typeof r.config.name === 'string' && !r.config.name.includes('${') ? `${r.config.name} workers` : `${r.name} workers`,
      kind: w.orchestrator === 'batch' ? 'batch pool' : 'cyclecloud workers',
      os: 'linux',
      size: w.size,
      count: w.max,
      vcpusPerVm: info?.vcpus,
      gpusPerVm: info?.gpus,
      family: info?.family,
    });
  }
  const families = new Map<string, { vms: number; vcpus: number; gpus: number }>();
  const unknownSizes = new Set<string>();
  const uncountedLines: string[] = [];
  for (const line of lines) {
    if (typeof line.count !== 'number') {
      uncountedLines.push(`${line.stack}/${line.address} (count ${line.count})`);
      continue;
    }
    if (line.family === undefined) {
      unknownSizes.add(line.size);
      continue;
    }
    const total = families.get(line.family) ?? { vms: 0, vcpus: 0, gpus: 0 };
    total.vms += line.count;
    total.vcpus += line.count * (line.vcpusPerVm ?? 0);
    total.gpus += line.count * (line.gpusPerVm ?? 0);
    families.set(line.family, total);
  }
  const familyTotals = [...families].map(([family, t]) => ({ family, ...t })).sort((a, b) => b.vcpus - a.vcpus || a.family.localeCompare(b.family));
  return {
    lines,
    families: familyTotals,
    totals: familyTotals.reduce((t, f) => ({ vms: t.vms + f.vms, vcpus: t.vcpus + f.vcpus, gpus: t.gpus + f.gpus }), { vms: 0, vcpus: 0, gpus: 0 }),
    unknownSizes: [...unknownSizes].sort(),
    uncountedLines,
  };
}

/**
 * The seed's reference deployment (design notes §2, "cost profile"), for comparison: what it ran, by role.
 * Its GPU nodes were NC24-class (4 GPUs each), sizes that are retired today.
 */
export const SEED_PROFILE: ReadonlyArray<{ readonly role: string; readonly size: string; readonly count: number }> = [
  { role: 'Avere controller', size: 'Standard_A1_v2', count: 1 },
  { role: 'Avere vFXT nodes', size: 'Standard_D16s_v3', count: 3 },
  { role: 'GPU processing nodes', size: 'Standard_NC24', count: 5 },
  { role: 'scheduler (head node)', size: 'Standard_D8s_v3', count: 1 },
  { role: 'jump box', size: 'Standard_DS2_v2', count: 1 },
  { role: 'domain controllers', size: 'Standard_DS2_v2', count: 2 },
];

/** The processing nodes as the report shows them: who runs them, their bounds and the GPU quota they need. */
export interface ProcessingWorkers {
  readonly orchestrator: 'scale-set' | 'batch' | 'cyclecloud';
  readonly size: string;
  readonly min: number;
  readonly max: number;
  readonly spot: boolean;
  readonly gpus: number;
  readonly vcpus: number;
  readonly family?: string;
  /** Whose quota the workers count against. */
  readonly quota: string;
}

/** The processing nodes of the app (the GPU scale set, the Batch pool or the CycleCloud workers), if any. */
export function processingWorkers(model: AppModel): ProcessingWorkers | undefined {
  const marked = model.resources.map(workersMarkerOf).find((w) => w !== undefined);
  let w: { orchestrator: ProcessingWorkers['orchestrator']; size: string; min: number; max: number; spot: boolean; poolAllocationMode?: string } | undefined =
    marked;
  if (!w) {
    const vmss = model.resources.find(
      (r) =>
        /virtual_machine_scale_set$/.test(r.type) &&
        (vmSizeInfo(String(r.config.sku ?? r.config.sku_name ?? ''))?.gpus ?? 0) > 0 &&
        typeof r.config.instances === 'number',
    );
    if (!vmss) return undefined;
    const max = vmss.config.instances as number;
    const profiles = model.resources
      .filter((r) => r.type === 'azurerm_monitor_autoscale_setting')
      .flatMap((r) => (r.config.profile as { capacity?: { minimum?: number } }[]) ?? []);
    const mins = profiles.map((p) => p.capacity?.minimum).filter((m): m is number => typeof m === 'number');
    w = {
      orchestrator: 'scale-set',
      size: String(vmss.config.sku ?? vmss.config.sku_name),
      min: mins.length ? Math.min(...mins) : max,
      max,
      spot: vmss.config.priority === 'Spot',
    };
  }
  const info = vmSizeInfo(w.size);
  const family = info?.family;
  const kind = w.spot ? 'Spot' : 'regular';
  const quota =
    w.orchestrator === 'batch' && w.poolAllocationMode !== 'UserSubscription'
      ? `the Batch account's own quota (dedicated cores of ${family ?? 'the size family'}), not the subscription's: request it on the Batch account`
      : `the subscription's ${kind} vCPU quota${w.spot ? ' (Spot: "Total Regional Low-priority vCPUs")' : ` of ${family ?? 'the size family'}`}`;
  return {
    orchestrator: w.orchestrator,
    size: w.size,
    min: w.min,
    max: w.max,
    spot: w.spot,
    gpus: (info?.gpus ?? 0) * w.max,
    vcpus: (info?.vcpus ?? 0) * w.max,
    family,
    quota,
  };
}
