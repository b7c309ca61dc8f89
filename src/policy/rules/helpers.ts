/** Small helpers the rules share. */
import type { TfAttributes } from '../../tf-json';

/** A value that cdktf may emit as one block, a list of blocks, or nothing, as a list. */
export const list = (v: unknown): TfAttributes[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);
/** The first block of such a value. */
export const first = (v: unknown): TfAttributes | undefined => list(v)[0];

/** Sources that mean "the whole Internet". */
export function isInternetSource(source: string): boolean {
  const s = source.trim().toLowerCase();
  return s === '*' || s === 'internet' || s === 'any' || s === '0.0.0.0' || /\/0$/.test(s);
}

/** Ports by name, for messages. */
const SENSITIVE_PORTS: Record<number, string> = { 22: 'SSH', 3389: 'RDP', 5985: 'WinRM', 5986: 'WinRM', 53: 'DNS', 389: 'LDAP', 636: 'LDAPS', 445: 'SMB' };

/** What a port spec ("22", "1000-2000", "*") exposes, named. */
export function describePorts(specs: readonly string[]): string {
  const named = new Set<string>();
  for (const spec of specs) {
    if (spec === '*') return 'every port';
    const [lo, hi = lo] = spec.split('-').map(Number);
    for (const [port, name] of Object.entries(SENSITIVE_PORTS)) if (Number(port) >= lo && Number(port) <= hi) named.add(`${name} (${port})`);
  }
  return named.size > 0 ? [...named].join(', ') : `port ${specs.join(', ')}`;
}

/** Virtual machine and scale set types (the current, managed-disk resources). */
export const VM_TYPES = [
  'azurerm_linux_virtual_machine',
  'azurerm_windows_virtual_machine',
  'azurerm_linux_virtual_machine_scale_set',
  'azurerm_windows_virtual_machine_scale_set',
] as const;
