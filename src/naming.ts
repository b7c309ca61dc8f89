/**
 * One naming helper for every Azure resource, following the Cloud Adoption
 * Framework abbreviations: `<abbr>-<prefix>-<purpose>` (e.g. `vnet-pgm-photoscan`),
 * and a compact form for resources that forbid hyphens (storage accounts).
 */
import { InputIssue, show } from './errors';

/** CAF abbreviations of the resource kinds this library names. */
export const ABBREVIATIONS = {
  resourceGroup: 'rg',
  virtualNetwork: 'vnet',
  subnet: 'snet',
  networkSecurityGroup: 'nsg',
  securityRule: 'nsgsr',
  peering: 'peer',
  keyVault: 'kv',
  storageAccount: 'st',
  virtualMachine: 'vm',
  scaleSet: 'vmss',
  networkInterface: 'nic',
  publicIp: 'pip',
  availabilitySet: 'avail',
  bastion: 'bas',
  privateDnsZoneLink: 'pdnslink',
  managedIdentity: 'id',
  lustre: 'amlfs',
  natGateway: 'ng',
  managedDisk: 'disk',
  netappAccount: 'naa',
  netappPool: 'cp',
  netappVolume: 'vol',
  netappSnapshotPolicy: 'snappol',
  batchAccount: 'ba',
  batchPool: 'pool',
  roleDefinition: 'roledef',
  loadBalancer: 'lbi',
  proximityPlacementGroup: 'ppg',
} as const;

export type ResourceKind = keyof typeof ABBREVIATIONS;

/** Name prefixes: 2–10 lowercase letters/digits, starting with a letter (fits every Azure name rule). */
export const NAME_PREFIX_PATTERN = /^[a-z][a-z0-9]{1,9}$/;

/** Issues for a name prefix (empty when valid). */
export function validateNamePrefix(prefix: string, path = 'namePrefix'): InputIssue[] {
  return NAME_PREFIX_PATTERN.test(prefix)
    ? []
    : [{ path, message: `${show(prefix)} is not allowed; use 2–10 lowercase letters or digits starting with a letter, e.g. "pgm"` }];
}

/** Builds resource names from one prefix. */
export class Naming {
  constructor(readonly prefix: string) {
    if (!NAME_PREFIX_PATTERN.test(prefix)) {
      throw new Error(validateNamePrefix(prefix)[0].message);
    }
  }

  /** `<abbr>-<prefix>-<parts…>`, lowercased, e.g. `name('subnet', 'jumpbox')` → `snet-pgm-jumpbox`. */
  name(kind: ResourceKind, ...parts: string[]): string {
    return [ABBREVIATIONS[kind], this.prefix, ...parts].join('-').toLowerCase();
  }

  /**
   * Letters and digits only, at most `maxLength` characters (storage accounts: 24),
   * e.g. `compact('storageAccount', 'corefiler')` → `stpgmcorefiler`.
   * `suffix` (e.g. a hash for global uniqueness) is kept whole; the middle is trimmed.
   */
  compact(kind: ResourceKind, purpose: string, suffix = '', maxLength = 24): string {
    const head = `${ABBREVIATIONS[kind]}${this.prefix}`;
    const room = Math.max(0, maxLength - head.length - suffix.length);
    return `${head}${purpose
      .replace(/[^a-z0-9]/gi, '')
      .toLowerCase()
      .slice(0, room)}${suffix}`.slice(0, maxLength);
  }

  /**
   * A Windows computer name (NetBIOS: at most 15 characters): `<prefix>-<role>`, the prefix shortened to fit,
   * e.g. `computerName('sched')` → `pgm-sched`.
   */
  computerName(role: string, maxLength = 15): string {
    const room = maxLength - role.length - 1;
    if (room < 1) throw new Error(`computer name role ${JSON.stringify(role)} leaves no room for the prefix in ${maxLength} characters`);
    return `${this.prefix.slice(0, room)}-${role}`;
  }
}
