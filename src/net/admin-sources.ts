/**
 * Admin source ranges: the only networks allowed to reach the jump boxes by
 * RDP (3389) and SSH (22). Open-to-the-world values are refused outright.
 */
import { InputIssue, show } from '../errors';
import { parseCidr, parseIpv4 } from './cidr';

/** NSG source values that mean "anyone on the Internet". Compared case-insensitively. */
const WORLD_TAGS = new Set(['*', 'any', 'internet', '0.0.0.0', '0.0.0.0/0']);

/**
 * Validates admin source CIDRs (plain addresses are accepted and mean /32).
 * Refuses `*`, `Any`, `Internet`, `0.0.0.0/0` and any `/0`, unaligned ranges and duplicates.
 */
export function validateAdminSourceCidrs(cidrs: readonly string[], path = 'network.adminSourceCidrs'): InputIssue[] {
  const issues: InputIssue[] = [];
  const seen = new Set<string>();
  cidrs.forEach((value, i) => {
    const at = `${path}[${i}]`;
    if (typeof value !== 'string' || WORLD_TAGS.has(value.trim().toLowerCase()) || /\/0$/.test(value)) {
      issues.push({
        path: at,
        message: `${show(value)} opens RDP/SSH to the whole Internet and is refused; name your admin networks, e.g. "203.0.113.0/24" or "198.51.100.7"`,
      });
      return;
    }
    const normalized = normalizeAdminSource(value);
    if (!normalized) {
      issues.push({ path: at, message: `${show(value)} is neither an IPv4 address nor an aligned IPv4 CIDR such as "203.0.113.0/24"` });
      return;
    }
    if (seen.has(normalized)) {
      issues.push({ path: at, message: `${show(value)} is listed twice` });
      return;
    }
    seen.add(normalized);
  });
  return issues;
}

/** `198.51.100.7` → `198.51.100.7/32`; `203.0.113.0/24` unchanged; undefined for anything else. */
export function normalizeAdminSource(value: string): string | undefined {
  if (parseIpv4(value) !== undefined) return `${value}/32`;
  const range = parseCidr(value);
  return range?.aligned ? range.cidr : undefined;
}
