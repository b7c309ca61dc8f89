/**
 * The ways to run the GPU processing nodes (`compute.orchestrator`): the scale set (default), an Azure Batch pool or
 * an Azure CycleCloud cluster. Pure rules shared by the configuration, the constructs and the report: the Batch node
 * agent of an image, the Batch autoscale formula (the scale set's schedule), the CycleCloud node bounds.
 */
import { InputIssue, show } from '../errors';
import { AUTOSCALE_DEFAULTS, AutoscaleSettings, WEEKDAYS } from './node-rules';

export const ORCHESTRATORS = ['scale-set', 'batch', 'cyclecloud'] as const;
export type Orchestrator = (typeof ORCHESTRATORS)[number];

/** Batch pool allocation modes. */
export const BATCH_POOL_ALLOCATION_MODES = ['BatchService', 'UserSubscription'] as const;
export type BatchPoolAllocationMode = (typeof BATCH_POOL_ALLOCATION_MODES)[number];

/** A marketplace image. */
export interface ImageReference {
  readonly publisher: string;
  readonly offer: string;
  readonly sku: string;
  readonly version: string;
}

/**
 * Batch node agent SKUs of the HPC images the nodes use (`az batch pool supported-images list`): the agent must match
 * the image's distribution and release.
 */
const NODE_AGENTS: readonly { readonly match: (i: ImageReference) => boolean; readonly agent: string }[] = [
  { match: (i) => /ubuntu/i.test(i.offer) && /^22\.?04|2204/.test(i.sku), agent: 'batch.node.ubuntu 22.04' },
  { match: (i) => /ubuntu/i.test(i.offer) && /^20\.?04|2004/.test(i.sku), agent: 'batch.node.ubuntu 20.04' },
  { match: (i) => /ubuntu/i.test(i.offer) && /^24\.?04|2404/.test(i.sku), agent: 'batch.node.ubuntu 24.04' },
  { match: (i) => /alma|rhel|rocky/i.test(i.offer) && /(^|[^0-9])9([^0-9]|$)|^9/.test(i.sku), agent: 'batch.node.el 9' },
  { match: (i) => /alma|rhel|rocky|centos/i.test(i.offer) && /(^|[^0-9])8([^0-9]|$)|^8/.test(i.sku), agent: 'batch.node.el 8' },
];

/** The node agent SKU of an image, or undefined when the table does not know it (then it must be configured). */
export function batchNodeAgentSku(image: ImageReference): string | undefined {
  return NODE_AGENTS.find((a) => a.match(image))?.agent;
}

/**
 * Standard-time UTC offsets (minutes) of the Windows time zones a Batch schedule may use. A Batch autoscale formula
 * only knows UTC (`time()`), so the schedule is shifted by the zone's standard offset: during daylight saving time it
 * runs an hour late (documented in the README).
 */
export const BATCH_SCHEDULE_UTC_OFFSETS: Readonly<Record<string, number>> = {
  UTC: 0,
  'GMT Standard Time': 0,
  'Greenwich Standard Time': 0,
  'W. Europe Standard Time': 60,
  'Central Europe Standard Time': 60,
  'Central European Standard Time': 60,
  'Romance Standard Time': 60,
  'E. Europe Standard Time': 120,
  'FLE Standard Time': 120,
  'GTB Standard Time': 120,
  'South Africa Standard Time': 120,
  'Russian Standard Time': 180,
  'Arabian Standard Time': 240,
  'India Standard Time': 330,
  'Singapore Standard Time': 480,
  'China Standard Time': 480,
  'W. Australia Standard Time': 480,
  'Tokyo Standard Time': 540,
  'Korea Standard Time': 540,
  'AUS Eastern Standard Time': 600,
  'New Zealand Standard Time': 720,
  'E. South America Standard Time': -180,
  'Atlantic Standard Time': -240,
  'Eastern Standard Time': -300,
  'Central Standard Time': -360,
  'Mountain Standard Time': -420,
  'US Mountain Standard Time': -420,
  'Pacific Standard Time': -480,
};

/** Issues of a schedule a Batch formula can express (the time zone must have a known offset). */
export function batchScheduleIssues(path: string, a: AutoscaleSettings | undefined): InputIssue[] {
  if (!a?.enabled) return [];
  const tz = a.timeZone ?? AUTOSCALE_DEFAULTS.timeZone;
  if (tz in BATCH_SCHEDULE_UTC_OFFSETS) return [];
  return [
    {
      path: `${path}.timeZone`,
      message: `${show(tz)} has no UTC offset in the Batch schedule table (a Batch autoscale formula only knows UTC); use one of ${Object.keys(BATCH_SCHEDULE_UTC_OFFSETS).join(', ')}`,
    },
  ];
}

/** Inputs of {@link batchAutoscaleFormula}. */
export interface BatchFormulaInput {
  /** Working-hours node count (`compute.nodes.count`). */
  readonly count: number;
  /** The schedule (disabled: `count` nodes all the time). */
  readonly autoscale?: AutoscaleSettings;
  /** Spot nodes instead of dedicated ones (`$TargetLowPriorityNodes`: Spot in a user-subscription account). */
  readonly spot: boolean;
}

/**
 * The pool's autoscale formula, with the scale set's schedule semantics: `count` nodes from startHour to stopHour on
 * the listed days (in the time zone), `idleCount` otherwise. The Metashape workers take their jobs from the Metashape
 * scheduler, not from Batch, so the formula reads no Batch queue ($PendingTasks is always 0): the idle floor is a
 * fixed count, and a node is removed only when the schedule says so (`requeue`: Batch has no task on it to wait for;
 * the Metashape scheduler hands the job of a leaving worker to another).
 */
export function batchAutoscaleFormula(input: BatchFormulaInput): string {
  const a = input.autoscale;
  const target = input.spot ? '$TargetLowPriorityNodes' : '$TargetDedicatedNodes';
  const other = input.spot ? '$TargetDedicatedNodes' : '$TargetLowPriorityNodes';
  const lines: string[] = [];
  if (a?.enabled) {
    const tz = a.timeZone ?? AUTOSCALE_DEFAULTS.timeZone;
    const offset = BATCH_SCHEDULE_UTC_OFFSETS[tz];
    if (offset === undefined) throw new Error(`batchAutoscaleFormula: no UTC offset for ${JSON.stringify(tz)}`);
    // Batch's weekday: 0 = Sunday … 6 = Saturday.
    const days = (a.days ?? AUTOSCALE_DEFAULTS.days).map((d) => (WEEKDAYS.indexOf(d as (typeof WEEKDAYS)[number]) + 1) % 7).sort((x, y) => x - y);
    const start = a.startHour ?? AUTOSCALE_DEFAULTS.startHour;
    const stop = a.stopHour ?? AUTOSCALE_DEFAULTS.stopHour;
    const idle = a.idleCount ?? AUTOSCALE_DEFAULTS.idleCount;
    const shift = offset === 0 ? '' : offset > 0 ? ` + ${offset} * TimeInterval_Minute` : ` - ${-offset} * TimeInterval_Minute`;
    // No comments: the formula language has none.
    lines.push(
      `$now = time()${shift};`,
      `$workday = ${days.map((d) => `$now.weekday == ${d}`).join(' || ')};`,
      `$working = $workday && $now.hour >= ${start} && $now.hour < ${stop};`,
      `${target} = $working ? ${input.count} : ${idle};`,
    );
  } else {
    lines.push(`${target} = ${input.count};`);
  }
  lines.push(`${other} = 0;`, '$NodeDeallocationOption = requeue;');
  return lines.join('\n');
}

/** Node bounds of the CycleCloud worker node array: `initial` started with the cluster, at most `max`. */
export function cycleCloudNodeBounds(count: number, autoscale?: AutoscaleSettings): { readonly initial: number; readonly max: number } {
  return { initial: autoscale?.enabled ? (autoscale.idleCount ?? AUTOSCALE_DEFAULTS.idleCount) : count, max: count };
}

/**
 * What the Batch pool and the CycleCloud server carry for the report (under the resource's `//` comment key, which
 * Terraform ignores): the workers they run, whose VMs are not Terraform resources.
 */
export interface WorkersMarker {
  readonly orchestrator: 'batch' | 'cyclecloud';
  readonly size: string;
  /** Fewest workers (outside working hours). */
  readonly min: number;
  /** Most workers (working hours). */
  readonly max: number;
  readonly spot: boolean;
  /** Batch: "BatchService" or "UserSubscription". */
  readonly poolAllocationMode?: string;
}

/** The key under a resource's `//` that holds its {@link WorkersMarker}. */
export const WORKERS_MARKER_KEY = 'photogrammetry_workers';
