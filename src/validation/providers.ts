/**
 * Provider addresses and version constraints, as Terraform reads them in
 * `terraform.required_providers`.
 */

/** The registry Terraform assumes when a source address names no host. */
export const DEFAULT_REGISTRY = 'registry.terraform.io';

/**
 * Fully qualified, lower-case provider source address: `azurerm` and
 * `hashicorp/azurerm` both become `registry.terraform.io/hashicorp/azurerm`.
 */
export function normalizeProviderSource(source: string): string {
  const parts = source.trim().toLowerCase().split('/');
  if (parts.length === 1) return `${DEFAULT_REGISTRY}/hashicorp/${parts[0]}`;
  if (parts.length === 2) return `${DEFAULT_REGISTRY}/${parts[0]}/${parts[1]}`;
  return parts.join('/');
}

/**
 * The provider local name a resource type belongs to when no `provider`
 * meta-argument says otherwise: the text before the first `_`
 * (`azurerm_virtual_network` → `azurerm`).
 */
export function impliedProviderName(resourceType: string): string {
  const underscore = resourceType.indexOf('_');
  return underscore < 0 ? resourceType : resourceType.slice(0, underscore);
}

/**
 * True when `version` satisfies a Terraform version constraint string such as
 * `4.55.0`, `= 4.55.0`, `>= 4.0, < 5.0`, `~> 4.55` or `!= 4.1.0`. `~> X.Y`
 * allows only the last given component to grow (`~> 4` = `>= 4, < 5`).
 * Pre-release suffixes are ignored. An unparsable constraint is satisfied
 * (Terraform reports those itself).
 */
export function satisfiesVersionConstraint(version: string, constraint: string): boolean {
  const v = parseVersion(version);
  if (!v) return true;
  return constraint
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c.length > 0)
    .every((c) => satisfiesOne(v, c));
}

function satisfiesOne(v: number[], constraint: string): boolean {
  const match = /^(=|!=|>=|<=|>|<|~>)?\s*v?([0-9][0-9A-Za-z.+-]*)$/.exec(constraint);
  const want = match ? parseVersion(match[2]) : undefined;
  if (!match || !want) return true;
  const given = match[2].split(/[-+]/)[0].split('.').length;
  const cmp = compareVersions(v, want);
  switch (match[1] ?? '=') {
    case '=':
      return cmp === 0;
    case '!=':
      return cmp !== 0;
    case '>':
      return cmp > 0;
    case '>=':
      return cmp >= 0;
    case '<':
      return cmp < 0;
    case '<=':
      return cmp <= 0;
    default: {
      // ~>: at least `want`, and the components before the last given one are fixed.
      const fixed = Math.max(1, given - 1);
      return cmp >= 0 && v.slice(0, fixed).every((n, i) => n === want[i]);
    }
  }
}

/** `4.55.0` → [4, 55, 0]; missing components are 0; undefined when not a version. */
export function parseVersion(text: string): number[] | undefined {
  const core = text.trim().replace(/^v/, '').split(/[-+]/)[0];
  if (!/^\d+(\.\d+){0,2}$/.test(core)) return undefined;
  const parts = core.split('.').map(Number);
  while (parts.length < 3) parts.push(0);
  return parts;
}

/** Negative, zero or positive as `a` is lower than, equal to or higher than `b`. */
export function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
