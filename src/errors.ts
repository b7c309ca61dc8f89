/**
 * Errors for bad input. Every problem names the field (a dotted path such as
 * `addressPlan.jumpboxSubnet`), the value given, and what is allowed, so a user
 * can fix it without reading a stack trace.
 */

/** One problem with one input field. */
export interface InputIssue {
  /** Dotted path of the field, e.g. `network.adminSourceCidrs[0]`. */
  readonly path: string;
  /** What is wrong and what is allowed. */
  readonly message: string;
}

/** Thrown at synth time when configuration or construct props are invalid. */
export class InputError extends Error {
  constructor(
    /** Where the input came from, e.g. `configuration file ./env/prod.json` or `HpcNetwork props`. */
    readonly source: string,
    readonly issues: readonly InputIssue[],
  ) {
    super(`Invalid ${source}:\n${issues.map((i) => `  - ${i.path}: ${i.message}`).join('\n')}`);
    this.name = 'InputError';
  }
}

/** Throws an {@link InputError} when `issues` is not empty. */
export function throwIfIssues(source: string, issues: readonly InputIssue[]): void {
  if (issues.length > 0) throw new InputError(source, issues);
}

/** Renders a value for a message: strings quoted, everything else as JSON. */
export function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
}

/**
 * Where each prop of a construct comes from in the configuration file, e.g. `{ schedulerIp: 'addressPlan.schedulerIp' }`.
 * Keys are prop paths (a key also covers what lies under it: `spot` maps `spot.maxBidPrice`).
 */
export type PropPathMap = Readonly<Record<string, string>>;

/**
 * A construct's issues at the configuration's paths: each issue's prop path is replaced by the configuration path
 * of the longest key of `map` it starts with (`controllerIps[1]` with `{ controllerIps: 'addressPlan.domainControllerIps' }`
 * becomes `addressPlan.domainControllerIps[1]`). Issues of props the map does not name keep their path, prefixed
 * with `construct` so the reader still knows whose prop it is.
 */
export function atConfigPaths(issues: readonly InputIssue[], map: PropPathMap, construct: string): InputIssue[] {
  const keys = Object.keys(map).sort((a, b) => b.length - a.length);
  return issues.map((issue) => {
    const key = keys.find((k) => issue.path === k || issue.path.startsWith(`${k}.`) || issue.path.startsWith(`${k}[`));
    return { ...issue, path: key === undefined ? `${construct}.${issue.path}` : `${map[key]}${issue.path.slice(key.length)}` };
  });
}
