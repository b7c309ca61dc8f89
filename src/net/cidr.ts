/**
 * Thin, typed helpers over the `ip-address` library: the only place that turns
 * strings into IPv4 ranges. Everything here is pure and synchronous.
 */
import { Address4 } from 'ip-address';

/** An IPv4 range, parsed once. `first`/`last` are inclusive integer bounds. */
export interface Ipv4Range {
  readonly cidr: string;
  readonly prefix: number;
  readonly first: bigint;
  readonly last: bigint;
  readonly size: bigint;
}

/** Azure reserves the first four addresses and the last address of every subnet. */
export const AZURE_RESERVED_LEADING = 4n;
export const AZURE_RESERVED_TRAILING = 1n;

/** Parses a dotted-quad IPv4 address (no prefix); undefined if it is not one. */
export function parseIpv4(value: string): bigint | undefined {
  if (typeof value !== 'string' || value.includes('/') || !Address4.isValid(value)) return undefined;
  return new Address4(value).bigInt();
}

/**
 * Parses `a.b.c.d/n`. Returns undefined when the text is not an IPv4 CIDR.
 * A range whose address is not its network address (`10.0.0.5/24`) parses,
 * with `aligned: false`, so callers can suggest the aligned form.
 */
export function parseCidr(value: string): (Ipv4Range & { readonly aligned: boolean }) | undefined {
  if (typeof value !== 'string' || !/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(value) || !Address4.isValid(value)) {
    return undefined;
  }
  const range = new Address4(value);
  const first = range.startAddress().bigInt();
  const last = range.endAddress().bigInt();
  return {
    cidr: `${range.startAddress().address}/${range.subnetMask}`,
    prefix: range.subnetMask,
    first,
    last,
    size: last - first + 1n,
    aligned: new Address4(value.split('/')[0]).bigInt() === first,
  };
}

/** Formats an integer as a dotted quad. */
export function formatIpv4(value: bigint): string {
  return Address4.fromBigInt(value).address;
}

/** True when `inner` lies wholly inside `outer`. */
export function rangeContains(outer: Ipv4Range, inner: Pick<Ipv4Range, 'first' | 'last'>): boolean {
  return inner.first >= outer.first && inner.last <= outer.last;
}

/** True when the two ranges share at least one address. */
export function rangesOverlap(a: Pick<Ipv4Range, 'first' | 'last'>, b: Pick<Ipv4Range, 'first' | 'last'>): boolean {
  return a.first <= b.last && b.first <= a.last;
}

/** The addresses of a subnet that Azure lets a VM or appliance use (excludes the 5 reserved). */
export function usableRange(subnet: Ipv4Range): { first: bigint; last: bigint; count: bigint } {
  const first = subnet.first + AZURE_RESERVED_LEADING;
  const last = subnet.last - AZURE_RESERVED_TRAILING;
  return { first, last, count: last >= first ? last - first + 1n : 0n };
}
