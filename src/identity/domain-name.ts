/**
 * Rules for Active Directory names: the domain FQDN (DNS label rules) and the
 * NetBIOS name. Pure functions returning {@link InputIssue}s for the field.
 */
import { azureVmSizeIssues } from '../azure/vm-sizes';
import { InputIssue, show } from '../errors';

/** NetBIOS domain names Windows reserves (Microsoft "Naming conventions in Active Directory"). */
export const RESERVED_NETBIOS_NAMES: readonly string[] = [
  'ANONYMOUS',
  'AUTHENTICATED USER',
  'BATCH',
  'BUILTIN',
  'CREATOR GROUP',
  'CREATOR GROUP SERVER',
  'CREATOR OWNER',
  'CREATOR OWNER SERVER',
  'DIALUP',
  'DIGEST AUTH',
  'INTERACTIVE',
  'INTERNET',
  'LOCAL',
  'LOCAL SYSTEM',
  'NETWORK',
  'NETWORK SERVICE',
  'NT AUTHORITY',
  'NT DOMAIN',
  'NTLM AUTH',
  'NULL',
  'PROXY',
  'REMOTE INTERACTIVE',
  'RESTRICTED',
  'SCHANNEL AUTH',
  'SELF',
  'SERVER',
  'SERVICE',
  'SYSTEM',
  'TERMINAL SERVER',
  'THIS ORGANIZATION',
  'USERS',
  'WORLD',
];

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

/** Issues with an AD domain FQDN such as "photoscan.local": 2+ DNS labels, 1–63 chars each, ≤ 255 total, not all-numeric top label. */
export function domainNameIssues(field: string, name: string): InputIssue[] {
  const allowed = 'an FQDN of two or more labels (letters, digits, inner hyphens; 1–63 characters each; 255 in all), e.g. "photoscan.local"';
  const labels = name.split('.');
  if (name.length === 0 || name.length > 255 || labels.length < 2 || !labels.every((l) => LABEL.test(l)) || /^\d+$/.test(labels[labels.length - 1])) {
    return [{ path: field, message: `${show(name)} is not a valid domain name: expected ${allowed}` }];
  }
  return [];
}

/** Issues with a NetBIOS domain name: 1–15 characters, no `\ / : * ? " < > |` or dot, not reserved, not all digits. */
export function netbiosNameIssues(field: string, name: string): InputIssue[] {
  if (!/^[A-Za-z0-9][A-Za-z0-9!@#$%^&')(_{}~-]{0,14}$/.test(name) || /^\d+$/.test(name)) {
    return [
      { path: field, message: `${show(name)} is not a valid NetBIOS domain name: expected 1–15 letters, digits or - _ (not only digits), e.g. "PHOTOSCAN"` },
    ];
  }
  if (RESERVED_NETBIOS_NAMES.includes(name.toUpperCase())) {
    return [{ path: field, message: `${show(name)} is reserved by Windows; choose another NetBIOS name` }];
  }
  return [];
}

/** True when `zone` equals `domain` or is a name under it (DNS names are case-insensitive). */
export function isSameOrUnder(zone: string, domain: string): boolean {
  const z = zone.toLowerCase().replace(/\.$/, '');
  const d = domain.toLowerCase().replace(/\.$/, '');
  return z === d || z.endsWith(`.${d}`);
}

/**
 * Issues with the domain controllers' VM size: an Azure size name whose features include premium storage
 * (`s`: D2s_v5, D2ds_v5, DS2_v2, E8as_v5 …), because their OS and NTDS disks are Premium_LRS; Azure refuses
 * premium disks on sizes such as D2_v5 or A2_v2 only at apply time.
 */
export function controllerSizeIssues(field: string, size: string): InputIssue[] {
  return azureVmSizeIssues(field, size, { premiumStorage: "the domain controllers' disks are Premium_LRS", example: 'Standard_D2s_v5' });
}
