/**
 * Key Vault rules: the vault name (global DNS name), soft-delete retention,
 * and the passwords this library generates.
 */
import { InputIssue, show } from '../errors';
import { parseCidr, parseIpv4 } from '../net/cidr';

/** Key Vault soft-delete retention bounds (days). */
export const KEY_VAULT_RETENTION_DAYS = { min: 7, max: 90 } as const;

/** Issues with a Key Vault name: 3–24 characters, letters/digits/hyphens, starts with a letter, ends with a letter or digit, no `--`. */
export function keyVaultNameIssues(field: string, name: string): InputIssue[] {
  if (/^[a-zA-Z](?!.*--)[a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$/.test(name)) return [];
  return [
    {
      path: field,
      message: `${show(name)} is not a valid Key Vault name: expected 3–24 letters, digits or single hyphens, starting with a letter and ending with a letter or digit, e.g. "kv-pgm-secrets"`,
    },
  ];
}

/** Issues with a soft-delete retention in days. */
export function retentionDaysIssues(field: string, days: number): InputIssue[] {
  const { min, max } = KEY_VAULT_RETENTION_DAYS;
  return Number.isInteger(days) && days >= min && days <= max
    ? []
    : [{ path: field, message: `${show(days)} days is not allowed: Key Vault keeps deleted secrets ${min}–${max} days` }];
}

const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'].map((c) => parseCidr(c)!);

/**
 * Issues with the public IP ranges of a Key Vault firewall (`ip_rules`): each an IPv4 address or an aligned
 * CIDR, public (Key Vault refuses private ranges: traffic from a VNet comes in through a subnet rule), not
 * `/0` (that is no firewall at all), no duplicates. Values `isReference` accepts (Terraform references) are skipped.
 */
export function keyVaultIpRangeIssues(field: string, ranges: readonly string[], isReference: (value: string) => boolean = () => false): InputIssue[] {
  const issues: InputIssue[] = [];
  const seen = new Set<string>();
  ranges.forEach((value, i) => {
    if (isReference(value)) return; // known at apply time only
    const at = `${field}[${i}]`;
    const ip = parseIpv4(value);
    const cidr = ip === undefined ? parseCidr(value) : undefined;
    const range = ip !== undefined ? { first: ip, last: ip, prefix: 32, cidr: `${value}/32`, aligned: true } : cidr;
    if (!range || !range.aligned) {
      issues.push({
        path: at,
        message: `${show(value)} is neither a public IPv4 address nor an aligned CIDR such as "203.0.113.0/24"${cidr && !cidr.aligned ? ` (did you mean "${cidr.cidr}"?)` : ''}`,
      });
    } else if (range.prefix === 0) {
      issues.push({
        path: at,
        message: `${show(value)} would let the whole Internet through the vault firewall; list the egress IP of the machine that runs Terraform`,
      });
    } else if (PRIVATE_RANGES.some((p) => range.first <= p.last && range.last >= p.first)) {
      issues.push({
        path: at,
        message: `${show(value)} is a private range, which Key Vault IP rules refuse; machines in the VNets reach the vault through secrets.allowedSubnets`,
      });
    } else if (seen.has(range.cidr)) {
      issues.push({ path: at, message: `${show(value)} is listed twice` });
    } else {
      seen.add(range.cidr);
    }
  });
  return issues;
}

/** The admin accounts the environment needs a generated password for. */
export const ADMIN_ACCOUNTS = ['domainAdmin', 'safeMode', 'localAdmin', 'vfxtAdmin', 'beegfsConnAuth'] as const;
export type AdminAccount = (typeof ADMIN_ACCOUNTS)[number];

/** Key Vault secret name and what each password is for. */
export const ADMIN_ACCOUNT_SECRETS: Record<AdminAccount, { readonly secretName: string; readonly description: string }> = {
  domainAdmin: { secretName: 'domain-admin-password', description: 'domain administrator (and local administrator of the domain controllers)' },
  safeMode: { secretName: 'dsrm-password', description: 'Directory Services Restore Mode (safe mode) of the domain controllers' },
  localAdmin: { secretName: 'local-admin-password', description: 'local administrator of the Windows VMs (scheduler, jump box, Windows workers)' },
  vfxtAdmin: { secretName: 'vfxt-admin-password', description: 'Avere vFXT cluster administrator' },
  beegfsConnAuth: { secretName: 'beegfs-connauth', description: 'BeeGFS connection authentication (the connAuthFile of every BeeGFS server and client)' },
};

/**
 * Special characters generated passwords may contain: those Azure accepts for
 * Windows admin passwords, minus the ones that need escaping in PowerShell,
 * cmd, JSON or shell (`"`, `'`, `` ` ``, `$`, `\`, `&`, `|`, `<`, `>`, `^`, `%`).
 */
export const PASSWORD_SPECIALS = '!#*()-_=+[]{}:?.,';

/** Usernames Azure refuses for VM admin accounts (plus the obvious). */
export const RESERVED_ADMIN_USERNAMES: readonly string[] = [
  'administrator',
  'admin',
  'user',
  'user1',
  'test',
  'user2',
  'test1',
  'user3',
  'admin1',
  '1',
  '123',
  'a',
  'actuser',
  'adm',
  'admin2',
  'aspnet',
  'backup',
  'console',
  'david',
  'guest',
  'john',
  'owner',
  'root',
  'server',
  'sql',
  'support',
  'support_388945a0',
  'sys',
  'test2',
  'test3',
  'user4',
  'user5',
];

/** Issues with an admin username for Windows and Linux VMs (1–20 characters, no reserved names). */
export function adminUsernameIssues(field: string, name: string): InputIssue[] {
  if (!/^[a-z_][a-z0-9_-]{0,19}$/i.test(name) || name.endsWith('.')) {
    return [{ path: field, message: `${show(name)} is not a valid admin username: expected 1–20 letters, digits, - or _, starting with a letter or _` }];
  }
  if (RESERVED_ADMIN_USERNAMES.includes(name.toLowerCase())) {
    return [{ path: field, message: `${show(name)} is reserved by Azure; choose another admin username, e.g. "pgmadmin"` }];
  }
  return [];
}
