/**
 * The rules of the processing nodes' settings, in one place: the constructs check their props with them and the
 * configuration file checks its `compute` section with them (paths prefixed with the config path).
 */
import { autoscaleTimeZoneSpelling, isAutoscaleTimeZone } from '../azure/time-zones';
import { azureVmSizeIssues, VmSizeRequirements } from '../azure/vm-sizes';
import { InputIssue, show } from '../errors';

/** Days of a schedule, as Azure autoscale spells them. */
export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
/** The characters of a Windows time zone name; the names Azure autoscale accepts are AUTOSCALE_TIME_ZONES (src/azure/time-zones.ts). */
export const TIME_ZONE_PATTERN = /^[A-Za-z0-9 .+()_-]{1,64}$/;
/** An Azure VM size name. */
export const VM_SIZE_PATTERN = /^Standard_[A-Za-z0-9_]+$/;

/** Schedule autoscale settings. */
export interface AutoscaleSettings {
  readonly enabled: boolean;
  /** @default "UTC" */
  readonly timeZone?: string;
  /** @default Monday–Friday */
  readonly days?: readonly string[];
  /** @default 8 */
  readonly startHour?: number;
  /** @default 20 */
  readonly stopHour?: number;
  /** @default 0 */
  readonly idleCount?: number;
}

/** Spot settings. */
export interface SpotSettings {
  readonly enabled: boolean;
  /** @default "Delete" */
  readonly evictionPolicy?: 'Delete' | 'Deallocate';
  /** USD per hour, or -1 for up to the on-demand price. @default -1 */
  readonly maxBidPrice?: number;
}

/** Defaults of the schedule. */
export const AUTOSCALE_DEFAULTS = {
  timeZone: 'UTC',
  days: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'] as readonly Weekday[],
  startHour: 8,
  stopHour: 20,
  idleCount: 0,
} as const;
/** Defaults of Spot. */
export const SPOT_DEFAULTS = { evictionPolicy: 'Delete', maxBidPrice: -1 } as const;

/**
 * Issues of a VM size: the one check of every VM-size field (src/azure/vm-sizes.ts: naming convention, retired
 * families, premium storage where `requirements.premiumStorage` says the disks are Premium_LRS).
 */
export function vmSizeIssues(path: string, size: string, example = 'Standard_D8s_v5', requirements: Omit<VmSizeRequirements, 'example'> = {}): InputIssue[] {
  return azureVmSizeIssues(path, size, { ...requirements, example });
}

/** Issues of an autoscale schedule for `count` working-hours nodes (`countPath` names the count in messages). */
export function autoscaleIssues(path: string, a: AutoscaleSettings | undefined, count: number, countPath = 'count'): InputIssue[] {
  if (!a?.enabled) return [];
  const issues: InputIssue[] = [];
  const tz = a.timeZone ?? AUTOSCALE_DEFAULTS.timeZone;
  const days = a.days ?? AUTOSCALE_DEFAULTS.days;
  const start = a.startHour ?? AUTOSCALE_DEFAULTS.startHour;
  const stop = a.stopHour ?? AUTOSCALE_DEFAULTS.stopHour;
  const idle = a.idleCount ?? AUTOSCALE_DEFAULTS.idleCount;
  if (!isAutoscaleTimeZone(tz)) {
    const spelling = autoscaleTimeZoneSpelling(tz);
    issues.push({
      path: `${path}.timeZone`,
      message: spelling
        ? `${show(tz)} is spelt "${spelling}" in Azure autoscale's time zone list`
        : `${show(tz)} is not a time zone Azure autoscale knows: use a Windows time zone ID such as "UTC", "W. Europe Standard Time" or "Pacific Standard Time" (IANA names like "Europe/Berlin" are refused; list: src/azure/time-zones.ts)`,
    });
  }
  if (days.length === 0) issues.push({ path: `${path}.days`, message: 'needs at least one day' });
  days.forEach((d, i) => {
    if (!(WEEKDAYS as readonly string[]).includes(d))
      issues.push({ path: `${path}.days[${i}]`, message: `${show(d)} is not a day; use ${WEEKDAYS.join(', ')}` });
  });
  for (const [field, hour] of [
    ['startHour', start],
    ['stopHour', stop],
  ] as const) {
    if (!Number.isInteger(hour) || hour < 0 || hour > 23) issues.push({ path: `${path}.${field}`, message: `${show(hour)} is not an hour; use 0–23` });
  }
  if (start >= stop) issues.push({ path: `${path}.stopHour`, message: `${stop} must be after startHour ${start}` });
  if (!Number.isInteger(idle) || idle < 0) issues.push({ path: `${path}.idleCount`, message: `${show(idle)} is not allowed; use a whole number ≥ 0` });
  else if (idle > count) issues.push({ path: `${path}.idleCount`, message: `${idle} is more than ${countPath} ${count}` });
  return issues;
}

/** Issues of Spot settings. */
export function spotIssues(path: string, spot: SpotSettings | undefined): InputIssue[] {
  if (!spot?.enabled) return [];
  const issues: InputIssue[] = [];
  const price = spot.maxBidPrice ?? SPOT_DEFAULTS.maxBidPrice;
  if (price !== -1 && !(price > 0))
    issues.push({ path: `${path}.maxBidPrice`, message: `${price} is not allowed; use -1 (up to the on-demand price) or a positive USD price` });
  const policy = spot.evictionPolicy ?? SPOT_DEFAULTS.evictionPolicy;
  if (policy !== 'Delete' && policy !== 'Deallocate')
    issues.push({ path: `${path}.evictionPolicy`, message: `${show(policy)} is not allowed; use "Delete" or "Deallocate"` });
  return issues;
}
