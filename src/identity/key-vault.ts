/**
 * Key Vault rules: the vault name (global DNS name), soft-delete retention,
 * and the passwords this library generates.
 */
import { InputIssue, show } from '../errors';

/** Key Vault soft-delete retention bounds (days). */
export const KEY_VAULT_RETENTION_DAYS = { min: 7, max: 90 } as const;

/** Issues with a Key Vault name: 3–24 characters, letters/digits/hyphens, starts with a letter, ends with a letter or digit, no `--`. */
export function keyVaultNameIssues(field: string, name: string): InputIssue[] {
  if (/^[a-zA-Z](?!.*--)[a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$/.test(name)) return [];
  return [{ path: field, message: `${show(name)} is not a valid Key Vault name: expected 3–24 letters, digits or single hyphens, starting with a letter and ending with a letter or digit, e.g. "kv-pgm-secrets"` }];
}

/** Issues with a soft-delete retention in days. */
export function retentionDaysIssues(field: string, days: number): InputIssue[] {
  const { min, max } = KEY_VAULT_RETENTION_DAYS;
  return Number.isInteger(days) && days >= min && days <= max ? [] : [{ path: field, message: `${show(days)} days is not allowed: Key Vault keeps deleted secrets ${min}–${max} days` }];
}

/** The admin accounts the environment needs a generated password for. */
export const ADMIN_ACCOUNTS = ['domainAdmin', 'safeMode', 'localAdmin', 'vfxtAdmin'] as const;
export type AdminAccount = (typeof ADMIN_ACCOUNTS)[number];

/** Key Vault secret name and what each password is for. */
export const ADMIN_ACCOUNT_SECRETS: Record<AdminAccount, { readonly secretName: string; readonly description: string }> = {
  domainAdmin: { secretName: 'domain-admin-password', description: 'domain administrator (and local administrator of the domain controllers)' },
  safeMode: { secretName: 'dsrm-password', description: 'Directory Services Restore Mode (safe mode) of the domain controllers' },
  localAdmin: { secretName: 'local-admin-password', description: 'local administrator of the Windows VMs (scheduler, jump box, Windows workers)' },
  vfxtAdmin: { secretName: 'vfxt-admin-password', description: 'Avere vFXT cluster administrator' },
};

/**
 * Special characters generated passwords may contain: those Azure accepts for
 * Windows admin passwords, minus the ones that need escaping in PowerShell,
 * cmd, JSON or shell (`"`, `'`, `` ` ``, `$`, `\`, `&`, `|`, `<`, `>`, `^`, `%`).
 */
export const PASSWORD_SPECIALS = '!#*()-_=+[]{}:?.,';

/** Usernames Azure refuses for VM admin accounts (plus the obvious). */
export const RESERVED_ADMIN_USERNAMES: readonly string[] = [
  'administrator', 'admin', 'user', 'user1', 'test', 'user2', 'test1', 'user3', 'admin1', '1', '123', 'a', 'actuser', 'adm', 'admin2',
  'aspnet', 'backup', 'console', 'david', 'guest', 'john', 'owner', 'root', 'server', 'sql', 'support', 'support_388945a0', 'sys',
  'test2', 'test3', 'user4', 'user5',
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
