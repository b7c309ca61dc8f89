/**
 * Configuration of the network stack's identity pieces: the Active Directory
 * domain (DomainServices) and the Key Vault and licensing (SecretsVault).
 */
import { z } from 'zod';
import { DomainServices, domainServicesIssues } from '../../constructs/domain-services';
import { SecretsVault, secretsVaultIssues } from '../../constructs/secrets-vault';
import { atConfigPaths, InputIssue, PropPathMap, show } from '../errors';

/** Subnets that may be allowed through the Key Vault firewall (the PhotoScan VNet's). */
export const KEY_VAULT_SUBNET_ROLES = ['jumpbox', 'compute', 'ad'] as const;
export type KeyVaultSubnetRole = (typeof KEY_VAULT_SUBNET_ROLES)[number];
/** Default of `secrets.allowedSubnets`. */
export const DEFAULT_KEY_VAULT_SUBNETS: readonly KeyVaultSubnetRole[] = ['compute', 'ad'];

/**
 * Active Directory domain settings. Only the shape is checked here; the rules (valid names, premium-storage size,
 * disk range, zones) are DomainServices' (`domainServicesIssues`), run by `./load` at these paths.
 */
export const domainSchema = z
  .strictObject({
    /** FQDN of the AD forest root domain. */
    name: z.string().default(DomainServices.DEFAULT_DOMAIN_NAME),
    /** NetBIOS name of the domain (≤ 15 characters). */
    netbiosName: z.string().default(DomainServices.DEFAULT_NETBIOS_NAME),
    /** Admin account of every Windows VM; on the DCs it becomes the domain administrator. */
    adminUsername: z.string().default(DomainServices.DEFAULT_ADMIN_USERNAME),
    /** VM size of the two domain controllers (seed: Standard_DS2_v2, a retired generation). */
    controllerSize: z.string().default(DomainServices.DEFAULT_CONTROLLER_SIZE),
    /** Size of the data disk that holds NTDS and SYSVOL (GiB). */
    dataDiskSizeGb: z.number().default(DomainServices.DEFAULT_DATA_DISK_SIZE_GB),
    /** Availability zones of DC-01 and DC-02. Default: zones 1 and 2 where the region has zones, else an availability set. */
    availabilityZones: z.array(z.string()).optional(),
    /** Azure Private DNS zone for names Terraform manages (e.g. the cache's round-robin name); must not be the AD domain or under it. */
    privateDnsZoneName: z.string().default(DomainServices.DEFAULT_PRIVATE_DNS_ZONE_NAME),
  })
  .prefault({});

/** Key Vault and secret settings. */
export const secretsSchema = z
  .strictObject({
    /** Key Vault name. Default: `kv-<prefix>-` plus a random 6-character suffix kept in state (globally unique). */
    keyVaultName: z.string().optional(),
    /** Days Key Vault keeps deleted secrets (7–90). */
    softDeleteRetentionDays: z.number().default(SecretsVault.DEFAULT_SOFT_DELETE_RETENTION_DAYS),
    /**
     * Subnets of the PhotoScan VNet allowed through the vault firewall (each gets the Microsoft.KeyVault service
     * endpoint): "compute" (the nodes read the activation code at boot) and "ad" (operators on the domain
     * controllers read the DSRM and domain admin passwords without opening a public IP range).
     */
    allowedSubnets: z
      .array(z.enum(KEY_VAULT_SUBNET_ROLES, { message: `expected one of ${KEY_VAULT_SUBNET_ROLES.map((r) => `"${r}"`).join(', ')}` }))
      .default([...DEFAULT_KEY_VAULT_SUBNETS]),
    /** Public IP ranges (CIDR) allowed through the vault firewall, e.g. the egress IP of the machine that runs Terraform. */
    allowedIpRanges: z
      .array(z.string().regex(/^\d{1,3}(\.\d{1,3}){3}(\/\d{1,2})?$/, { message: 'expected an IPv4 address or CIDR such as "203.0.113.7/32"' }))
      .default([]),
    /** Days from creation until generated secrets expire (set once at creation; rotate by replacing the secret). */
    secretValidityDays: z.number().default(SecretsVault.DEFAULT_SECRET_VALIDITY_DAYS),
    /** Keep `lifecycle.prevent_destroy` on the vault (recommended: it holds every password). */
    preventDestroy: z.boolean().default(true),
    /**
     * How processing nodes are licensed: "code" (the Terraform variable `photoscan_activation_code`, stored in the
     * vault), "license-server" (floating licences from `licenseServer`), or "none" (unlicensed: synth warns).
     */
    licensing: z.enum(['code', 'license-server', 'none']).default('code'),
    /** Floating licence server `host:port`, for licensing "license-server". */
    licenseServer: z.string().optional(),
  })
  .prefault({});

export type DomainConfig = z.output<typeof domainSchema>;
export type SecretsConfig = z.output<typeof secretsSchema>;

// Moved next to the other domain-name rules; re-exported here for existing imports.
export { controllerSizeIssues, isSameOrUnder } from '../identity/domain-name';

/** Where DomainServices' props come from in the configuration (its controller addresses are the address plan's, checked there). */
export const DOMAIN_SERVICES_CONFIG_PATHS: PropPathMap = {
  domainName: 'domain.name',
  netbiosName: 'domain.netbiosName',
  adminUsername: 'domain.adminUsername',
  controllerSize: 'domain.controllerSize',
  dataDiskSizeGb: 'domain.dataDiskSizeGb',
  availabilityZones: 'domain.availabilityZones',
  privateDnsZoneName: 'domain.privateDnsZoneName',
};

/** DomainServices' rules applied to the `domain` section, at its paths. */
export function domainConstructIssues(config: { domain: DomainConfig }): InputIssue[] {
  const d = config.domain;
  return atConfigPaths(
    domainServicesIssues({
      domainName: d.name,
      netbiosName: d.netbiosName,
      adminUsername: d.adminUsername,
      controllerSize: d.controllerSize,
      dataDiskSizeGb: d.dataDiskSizeGb,
      availabilityZones: d.availabilityZones,
      privateDnsZoneName: d.privateDnsZoneName,
    }),
    DOMAIN_SERVICES_CONFIG_PATHS,
    'DomainServices',
  );
}

/** Where SecretsVault's props come from in the configuration file. */
const SECRETS_VAULT_CONFIG_PATHS: PropPathMap = {
  vaultName: 'secrets.keyVaultName',
  softDeleteRetentionDays: 'secrets.softDeleteRetentionDays',
  allowedIpRanges: 'secrets.allowedIpRanges',
  secretValidityDays: 'secrets.secretValidityDays',
  'licensing.address': 'secrets.licenseServer',
};

/** SecretsVault's rules applied to the `secrets` section, at its paths. */
export function secretsConstructIssues(config: { secrets: SecretsConfig }): InputIssue[] {
  const s = config.secrets;
  return atConfigPaths(
    secretsVaultIssues({
      vaultName: s.keyVaultName,
      softDeleteRetentionDays: s.softDeleteRetentionDays,
      allowedIpRanges: s.allowedIpRanges,
      secretValidityDays: s.secretValidityDays,
      licensing: s.licenseServer === undefined ? undefined : { kind: 'license-server', address: s.licenseServer },
    }),
    SECRETS_VAULT_CONFIG_PATHS,
    'SecretsVault',
  );
}

/** Cross-field checks of these sections (the domain's own rules: {@link domainConstructIssues}; the vault's: {@link secretsConstructIssues}). */
export function domainIssues(config: { domain: DomainConfig; secrets: SecretsConfig }): InputIssue[] {
  const { secrets } = config;
  const issues: InputIssue[] = [];
  secrets.allowedSubnets.forEach((role, i) => {
    if (secrets.allowedSubnets.indexOf(role) !== i) issues.push({ path: `secrets.allowedSubnets[${i}]`, message: `${show(role)} is listed twice` });
  });
  if (secrets.licensing === 'license-server' && !secrets.licenseServer) {
    issues.push({
      path: 'secrets.licenseServer',
      message: 'is required when secrets.licensing is "license-server": give the floating licence server as host:port',
    });
  }
  if (secrets.licensing !== 'license-server' && secrets.licenseServer) {
    issues.push({ path: 'secrets.licenseServer', message: `is only used with secrets.licensing "license-server" (it is ${show(secrets.licensing)})` });
  }
  return issues;
}
