/** "Did you mean ...?" suggestions for misspelt names. */
import { camelToSnake } from './schema-index';

/**
 * The candidate closest to `name`, or undefined when none is close enough.
 * A camelCase name whose snake_case form is a candidate (`addressPrefixes` →
 * `address_prefixes`, typical of escape hatches and dynamic blocks) always
 * matches; then a candidate that extends the name or that the name extends,
 * sharing at least 60% of the longer one (`tenant` → `tenant_id`,
 * `client_configuration` → `client_config`); then the closest candidate by
 * edit distance, which must be at most a third of the length (at least 1, at
 * most 4).
 */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  const list = [...candidates];
  const snake = camelToSnake(name);
  if (snake !== name && list.includes(snake)) return snake;
  return closestByPrefix(name, list) ?? closestByEdits(name, list);
}

function closestByPrefix(name: string, list: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const candidate of list) {
    const [short, long] = candidate.length < name.length ? [candidate, name] : [name, candidate];
    if (short.length < 3 || short.length < 0.6 * long.length || !long.startsWith(short)) continue;
    if (!best || Math.abs(candidate.length - name.length) < Math.abs(best.length - name.length)) best = candidate;
  }
  return best;
}

function closestByEdits(name: string, list: readonly string[]): string | undefined {
  const limit = Math.min(4, Math.max(1, Math.floor(name.length / 3)));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of list) {
    if (Math.abs(candidate.length - name.length) > limit) continue;
    const d = editDistance(name.toLowerCase(), candidate.toLowerCase(), bestDistance);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** ` (did you mean "x"?)` or an empty string. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const best = closestName(name, candidates);
  return best === undefined ? '' : ` (did you mean "${best}"?)`;
}

/** Damerau-Levenshtein (optimal string alignment) distance; stops early once it exceeds `cap`. */
export function editDistance(a: string, b: string, cap = Number.POSITIVE_INFINITY): number {
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2] + 1);
      row.push(d);
      rowMin = Math.min(rowMin, d);
    }
    if (rowMin > cap) return rowMin;
    prev2 = prev;
    prev = row;
  }
  return prev[b.length];
}
