/**
 * Configuration of the network stack's identity pieces: the Active Directory
 * domain (DomainServices) and the Key Vault and licensing (SecretsVault).
 */
import { z } from 'zod';
import type { InputIssue } from '../errors';
import { show } from '../errors';
import { adminUsernameIssues, keyVaultIpRangeIssues, keyVaultNameIssues, retentionDaysIssues } from '../identity/key-vault';
import { domainNameIssues, netbiosNameIssues } from '../identity/domain-name';

/** Subnets that may be allowed through the Key Vault firewall (the PhotoScan VNet's). */
export const KEY_VAULT_SUBNET_ROLES = ['jumpbox', 'compute', 'ad'] as const;
export type KeyVaultSubnetRole = (typeof KEY_VAULT_SUBNET_ROLES)[number];
/** Default of `secrets.allowedSubnets`. */
export const DEFAULT_KEY_VAULT_SUBNETS: readonly KeyVaultSubnetRole[] = ['compute', 'ad'];

/** Active Directory domain settings. */
export const domainSchema = z
  .strictObject({
    /** FQDN of the AD forest root domain. */
    name: z.string().default('photoscan.local'),
    /** NetBIOS name of the domain (≤ 15 characters). */
    netbiosName: z.string().default('PHOTOSCAN'),
    /** Admin account of every Windows VM; on the DCs it becomes the domain administrator. */
    adminUsername: z.string().default('pgmadmin'),
    /** VM size of the two domain controllers (seed: Standard_DS2_v2, a retired generation). */
    controllerSize: z.string().regex(/^Standard_[A-Za-z0-9_]+$/, { message: 'expected an Azure VM size such as "Standard_D2s_v5"' }).default('Standard_D2s_v5'),
    /** Size of the data disk that holds NTDS and SYSVOL (GiB). */
    dataDiskSizeGb: z.number().int().min(8, { message: 'at least 8 GiB' }).max(1024, { message: 'at most 1024 GiB' }).default(32),
    /** Availability zones of DC-01 and DC-02. Default: zones 1 and 2 where the region has zones, else an availability set. */
    availabilityZones: z.array(z.enum(['1', '2', '3'])).length(2, { message: 'give one zone per domain controller, e.g. ["1", "2"]' }).optional(),
    /** Azure Private DNS zone for names Terraform manages (e.g. the cache's round-robin name); must not be the AD domain or under it. */
    privateDnsZoneName: z.string().default('hpc.internal'),
  })
  .prefault({});

/** Key Vault and secret settings. */
export const secretsSchema = z
  .strictObject({
    /** Key Vault name. Default: `kv-<prefix>-` plus a random 6-character suffix kept in state (globally unique). */
    keyVaultName: z.string().optional(),
    /** Days Key Vault keeps deleted secrets (7–90). */
    softDeleteRetentionDays: z.number().default(90),
    /**
     * Subnets of the PhotoScan VNet allowed through the vault firewall (each gets the Microsoft.KeyVault service
     * endpoint): "compute" (the nodes read the activation code at boot) and "ad" (operators on the domain
     * controllers read the DSRM and domain admin passwords without opening a public IP range).
     */
    allowedSubnets: z
      .array(z.enum(KEY_VAULT_SUBNET_ROLES, { message: `expected one of ${KEY_VAULT_SUBNET_ROLES.map((r) => `"${r}"`).join(', ')}` }))
      .default([...DEFAULT_KEY_VAULT_SUBNETS]),
    /** Public IP ranges (CIDR) allowed through the vault firewall, e.g. the egress IP of the machine that runs Terraform. */
    allowedIpRanges: z.array(z.string().regex(/^\d{1,3}(\.\d{1,3}){3}(\/\d{1,2})?$/, { message: 'expected an IPv4 address or CIDR such as "203.0.113.7/32"' })).default([]),
    /** Days from creation until generated secrets expire (set once at creation; rotate by replacing the secret). */
    secretValidityDays: z.number().int().min(1, { message: 'at least 1 day' }).max(3650, { message: 'at most 3650 days' }).default(365),
    /** Keep `lifecycle.prevent_destroy` on the vault (recommended: it holds every password). */
    preventDestroy: z.boolean().default(true),
    /**
     * How processing nodes are licensed: "code" (the Terraform variable `photoscan_activation_code`, stored in the
     * vault), "license-server" (floating licences from `licenseServer`), or "none" (unlicensed: synth warns).
     */
    licensing: z.enum(['code', 'license-server', 'none']).default('code'),
    /** Floating licence server `host:port`, for licensing "license-server". */
    licenseServer: z.string().regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, { message: 'expected host:port, e.g. "10.0.1.20:5842"' }).optional(),
  })
  .prefault({});

export type DomainConfig = z.output<typeof domainSchema>;
export type SecretsConfig = z.output<typeof secretsSchema>;

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
  if (!/^Standard_[A-Za-z0-9_]+$/.test(size)) return [{ path: field, message: `${show(size)} is not an Azure VM size; expected e.g. "Standard_D2s_v5"` }];
  // DS/GS series carry the "s" in the family name; the others in the features after the vCPU count.
  if (/^Standard_(DS|GS)\d/i.test(size) || /^Standard_[A-Za-z]+\d+[a-z]*s[a-z]*(_|$)/.test(size)) return [];
  return [{ path: field, message: `${show(size)} has no premium storage (no "s" in its features), but the domain controllers' disks are Premium_LRS; use e.g. "Standard_D2s_v5"` }];
}

/** Cross-field checks of these sections. */
export function domainIssues(config: { domain: DomainConfig; secrets: SecretsConfig }): InputIssue[] {
  const { domain, secrets } = config;
  const issues: InputIssue[] = [
    ...domainNameIssues('domain.name', domain.name),
    ...netbiosNameIssues('domain.netbiosName', domain.netbiosName),
    ...adminUsernameIssues('domain.adminUsername', domain.adminUsername),
    ...controllerSizeIssues('domain.controllerSize', domain.controllerSize),
    ...domainNameIssues('domain.privateDnsZoneName', domain.privateDnsZoneName),
    ...(secrets.keyVaultName === undefined ? [] : keyVaultNameIssues('secrets.keyVaultName', secrets.keyVaultName)),
    ...retentionDaysIssues('secrets.softDeleteRetentionDays', secrets.softDeleteRetentionDays),
    ...keyVaultIpRangeIssues('secrets.allowedIpRanges', secrets.allowedIpRanges),
  ];
  if (isSameOrUnder(domain.privateDnsZoneName, domain.name)) {
    issues.push({
      path: 'domain.privateDnsZoneName',
      message: `${show(domain.privateDnsZoneName)} is the AD domain ${show(domain.name)} or under it: the domain controllers answer for that namespace and would never ask Azure DNS; use a separate zone such as "hpc.internal"`,
    });
  }
  secrets.allowedSubnets.forEach((role, i) => {
    if (secrets.allowedSubnets.indexOf(role) !== i) issues.push({ path: `secrets.allowedSubnets[${i}]`, message: `${show(role)} is listed twice` });
  });
  if (domain.availabilityZones && domain.availabilityZones[0] === domain.availabilityZones[1]) {
    issues.push({ path: 'domain.availabilityZones', message: `both domain controllers in zone ${domain.availabilityZones[0]}: use two different zones` });
  }
  if (secrets.licensing === 'license-server' && !secrets.licenseServer) {
    issues.push({ path: 'secrets.licenseServer', message: 'is required when secrets.licensing is "license-server": give the floating licence server as host:port' });
  }
  if (secrets.licensing !== 'license-server' && secrets.licenseServer) {
    issues.push({ path: 'secrets.licenseServer', message: `is only used with secrets.licensing "license-server" (it is ${show(secrets.licensing)})` });
  }
  return issues;
}
