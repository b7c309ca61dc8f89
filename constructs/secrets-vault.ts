import { DataAzurermClientConfig } from '@cdktf/provider-azurerm/lib/data-azurerm-client-config';
import { KeyVault } from '@cdktf/provider-azurerm/lib/key-vault';
import { KeyVaultSecret } from '@cdktf/provider-azurerm/lib/key-vault-secret';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { Password } from '@cdktf/provider-random/lib/password';
import { Fn, TerraformStack, TerraformVariable, Token } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { InputIssue, show, throwIfIssues } from '../src/errors';
import {
  ADMIN_ACCOUNTS,
  ADMIN_ACCOUNT_SECRETS,
  AdminAccount,
  KEY_VAULT_RETENTION_DAYS,
  keyVaultIpRangeIssues,
  keyVaultNameIssues,
  PASSWORD_SPECIALS,
  retentionDaysIssues,
} from '../src/identity/key-vault';
import { Naming } from '../src/naming';
import { validateTags } from '../src/tags';
import { ensureRandomProvider, uniqueNameSuffix } from './providers';
import { withNormalizedLocation } from '../src/azure/regions';
import { warn, WARNING_IDS } from '../src/warnings';
import { applyAvmInterfaces, AvmInterfaceProps, AvmResources, avmIssues } from './avm';

/** Name of the Terraform variable that carries the Metashape activation code. */
export const ACTIVATION_CODE_VARIABLE = 'photoscan_activation_code';

/** A generated password and where it lives in the vault. */
export interface GeneratedSecret {
  /** The password: a reference to the `random_password` result (sensitive; lives in state only). */
  readonly value: string;
  /** Key Vault secret name. */
  readonly secretName: string;
  /** Versionless secret URI (`https://<vault>.vault.azure.net/secrets/<name>`), for VM and app references. */
  readonly versionlessId: string;
  /** ARM id of the secret (versionless), the scope for a role assignment on this secret alone. */
  readonly resourceId: string;
}

/** A secret stored in the vault whose value is not generated here. */
export interface StoredSecret {
  readonly secretName: string;
  readonly versionlessId: string;
  readonly resourceId: string;
}

/** How processing nodes are licensed (the vault's input: it creates the code's variable and secret). */
export type Licensing = { readonly kind: 'code' } | { readonly kind: 'license-server'; readonly address: string } | { readonly kind: 'none' };

/**
 * Licensing as the machines use it, with what their identities need to read the code: what
 * {@link ISecretsVault.licensing} gives and the cluster takes.
 */
export type ClusterLicensing =
  | {
      readonly kind: 'code';
      readonly keyVaultUri: string;
      readonly secretName: string;
      /** ARM id of the secret, for the role assignment. */ readonly secretResourceId: string;
    }
  | { readonly kind: 'license-server'; readonly address: string }
  | { readonly kind: 'none' };

/** A principal Azure RBAC assigns roles to. */
export interface IPrincipal {
  /** Object id (a managed identity's principal id, a user's or group's object id). */
  readonly principalId: string;
  /** @default "ServicePrincipal" (managed identities) */
  readonly principalType?: 'ServicePrincipal' | 'User' | 'Group';
}

/** Something with an identity that can be granted access (a VM's or scale set's managed identity). */
export interface IGrantable {
  readonly grantPrincipal: IPrincipal;
}

/** Whom a grant is for: a grantable construct, a principal, or a principal id (a service principal). */
export type Grantee = IGrantable | IPrincipal | string;

/** Options of {@link ISecretsVault.grantSecretsRead}. */
export interface GrantSecretsReadOptions {
  /** One secret (a {@link StoredSecret} or its ARM id) instead of the whole vault. @default the whole vault */
  readonly secret?: StoredSecret | string;
  /** Where the role assignment is created (any stack). @default the grantee when it is a construct, else the vault */
  readonly scope?: Construct;
  /** Its construct id. @default a unique id per grant */
  readonly id?: string;
}

/** The vault as other constructs use it. {@link SecretsVault} creates one; {@link SecretsVault.fromSecretsVaultAttributes} imports one. */
export interface ISecretsVault extends IConstruct {
  readonly vaultId: string;
  readonly vaultUri: string;
  /** Licensing of the processing nodes, ready for the cluster's `licensing`. */
  readonly licensing: ClusterLicensing;
  /** The activation code secret, when licensing is "code". */
  readonly activationCode?: StoredSecret;
  /** Lets a principal read secrets ("Key Vault Secrets User") on the vault or one secret. */
  grantSecretsRead(grantee: Grantee, options?: GrantSecretsReadOptions): RoleAssignment;
}

/** A vault created elsewhere, for {@link SecretsVault.fromSecretsVaultAttributes}. */
export interface SecretsVaultAttributes {
  readonly vaultId: string;
  /** `https://<name>.vault.azure.net/` */
  readonly vaultUri: string;
  /** The activation code secret, with licensing "code". @default none */
  readonly activationCode?: StoredSecret;
  /** @default `{ kind: "code" }` with `activationCode`, else `{ kind: "none" }` */
  readonly licensing?: ClusterLicensing;
}

function principalOf(grantee: Grantee): IPrincipal {
  if (typeof grantee === 'string') return { principalId: grantee };
  return 'grantPrincipal' in grantee ? grantee.grantPrincipal : grantee;
}

abstract class SecretsVaultBase extends Construct implements ISecretsVault {
  abstract readonly vaultId: string;
  abstract readonly vaultUri: string;
  abstract readonly licensing: ClusterLicensing;
  abstract readonly activationCode?: StoredSecret;
  private grants = 0;

  /**
   * Lets a principal read secrets ("Key Vault Secrets User"): the whole vault, or one secret. The assignment is
   * created next to the grantee (when it is a construct, in its stack) unless `options.scope` says otherwise.
   */
  grantSecretsRead(grantee: Grantee, options: GrantSecretsReadOptions = {}): RoleAssignment {
    const principal = principalOf(grantee);
    const scope = options.scope ?? (grantee instanceof Construct ? grantee : this);
    const secret = typeof options.secret === 'string' ? options.secret : options.secret?.resourceId;
    return new RoleAssignment(scope, options.id ?? `${this.node.id}-secrets-read-${++this.grants}`, {
      scope: secret ?? this.vaultId,
      roleDefinitionName: 'Key Vault Secrets User',
      principalId: principal.principalId,
      principalType: principal.principalType ?? 'ServicePrincipal',
    });
  }
}

class ImportedSecretsVault extends SecretsVaultBase {
  readonly vaultId: string;
  readonly vaultUri: string;
  readonly licensing: ClusterLicensing;
  readonly activationCode?: StoredSecret;

  constructor(scope: Construct, id: string, attrs: SecretsVaultAttributes) {
    super(scope, id);
    this.vaultId = attrs.vaultId;
    this.vaultUri = attrs.vaultUri;
    this.activationCode = attrs.activationCode;
    this.licensing =
      attrs.licensing ??
      (attrs.activationCode
        ? { kind: 'code', keyVaultUri: attrs.vaultUri, secretName: attrs.activationCode.secretName, secretResourceId: attrs.activationCode.resourceId }
        : { kind: 'none' });
  }
}

/** Props of {@link SecretsVault}. */
export interface SecretsVaultProps extends AvmInterfaceProps {
  readonly naming: Naming;
  readonly location: string;
  /** Resource group of the vault. */
  readonly resourceGroupName: string;
  /**
   * Vault name (3–24 letters, digits, hyphens; globally unique).
   * @default `kv-<prefix>-` + a random 6-character suffix generated once and kept in state
   */
  readonly vaultName?: string;
  /** Days deleted secrets are kept (7–90). @default 90 */
  readonly softDeleteRetentionDays?: number;
  /** Subnets allowed through the vault firewall (they need the Microsoft.KeyVault service endpoint). @default [] */
  readonly allowedSubnetIds?: readonly string[];
  /**
   * Public IPs/CIDRs allowed through the vault firewall: Terraform itself writes the secrets, so the machine that
   * runs it must be allowed here or sit in one of the `runnerSubnetIds`. @default []
   */
  readonly allowedIpRanges?: readonly string[];
  /**
   * Subnets where Terraform runs (e.g. a self-hosted CI runner's subnet, with the Microsoft.KeyVault service
   * endpoint), allowed through the vault firewall. With neither these nor `allowedIpRanges`, no place Terraform
   * runs could write the secrets: the vault is refused.
   * @default []
   */
  readonly runnerSubnetIds?: readonly string[];
  /** Days from creation until generated secrets expire. @default 365 */
  readonly secretValidityDays?: number;
  /** `lifecycle.prevent_destroy` on the vault. @default true */
  readonly preventDestroy?: boolean;
  /** Licensing of the processing nodes. @default { kind: 'code' } — the Terraform variable `photoscan_activation_code` */
  readonly licensing?: Licensing;
  /**
   * The admin accounts to generate a password for (each a `random_password` stored as a secret). Add "vfxtAdmin"
   * only with the Avere backend.
   * @default SecretsVault.DEFAULT_PASSWORDS — domainAdmin, safeMode, localAdmin
   */
  readonly passwords?: readonly AdminAccount[];
  /** Tags of every taggable resource. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/** The props {@link secretsVaultIssues} checks. */
export type SecretsVaultRuleProps = Pick<SecretsVaultProps, 'vaultName' | 'softDeleteRetentionDays' | 'allowedIpRanges' | 'secretValidityDays' | 'licensing'>;

/**
 * SecretsVault's rules for its props (the configuration file applies the same ones at its paths): the vault name,
 * soft-delete retention (7–90 days), firewall IP ranges, secret validity (1–3650 days) and the licence server address.
 */
export function secretsVaultIssues(props: SecretsVaultRuleProps): InputIssue[] {
  const retention = props.softDeleteRetentionDays ?? SecretsVault.DEFAULT_SOFT_DELETE_RETENTION_DAYS;
  const validity = props.secretValidityDays ?? SecretsVault.DEFAULT_SECRET_VALIDITY_DAYS;
  const issues: InputIssue[] = [
    ...(props.vaultName === undefined ? [] : keyVaultNameIssues('vaultName', props.vaultName)),
    ...retentionDaysIssues('softDeleteRetentionDays', retention),
    ...keyVaultIpRangeIssues('allowedIpRanges', props.allowedIpRanges ?? [], (r) => Token.isUnresolved(r)),
  ];
  if (!Number.isInteger(validity) || validity < 1 || validity > SECRET_VALIDITY_MAX_DAYS)
    issues.push({ path: 'secretValidityDays', message: `${show(validity)} is not allowed; use a whole number of days, 1–${SECRET_VALIDITY_MAX_DAYS}` });
  const licensing = props.licensing;
  if (licensing?.kind === 'license-server' && !/^[A-Za-z0-9.-]+:\d{1,5}$/.test(licensing.address)) {
    issues.push({ path: 'licensing.address', message: `${show(licensing.address)} is not host:port, e.g. "10.0.1.20:5842"` });
  }
  return issues;
}

/** The longest validity of a generated secret (days). */
export const SECRET_VALIDITY_MAX_DAYS = 3650;

/**
 * The environment's Key Vault: RBAC authorization, purge protection, soft
 * delete, firewall default Deny. Holds a generated password per admin account
 * and the Metashape activation code. Values reach the JSON only as references
 * (`random_password` results, a sensitive variable): they live in state and in
 * the vault, never in `cdktf.out`.
 */
export class SecretsVault extends SecretsVaultBase {
  /** Accounts with a generated password unless the `passwords` prop says otherwise. */
  static readonly DEFAULT_PASSWORDS: readonly AdminAccount[] = ['domainAdmin', 'safeMode', 'localAdmin'];
  /** Days until generated secrets expire unless `secretValidityDays` says otherwise. */
  static readonly DEFAULT_SECRET_VALIDITY_DAYS = 365;
  /** Soft-delete retention unless `softDeleteRetentionDays` says otherwise. */
  static readonly DEFAULT_SOFT_DELETE_RETENTION_DAYS = KEY_VAULT_RETENTION_DAYS.max;

  /** A vault created elsewhere: grant reads on it and hand its licensing to the cluster. */
  static fromSecretsVaultAttributes(scope: Construct, id: string, attrs: SecretsVaultAttributes): ISecretsVault {
    return new ImportedSecretsVault(scope, id, attrs);
  }

  readonly vaultId: string;
  readonly vaultName: string;
  readonly vaultUri: string;
  readonly resourceGroupName: string;
  /** The activation code secret, when licensing is "code". */
  readonly activationCode?: StoredSecret;
  /** Floating licence server `host:port`, when licensing is "license-server". */
  readonly licenseServer?: string;
  /** Licensing of the processing nodes, as the cluster takes it. */
  readonly licensing: ClusterLicensing;
  /** The vault resource, for escape hatches (also `defaultChild`). */
  readonly vault: KeyVault;
  /** The lock, role assignments and diagnostic setting of the `lock`, `roleAssignments`, `diagnosticSettings` props. */
  readonly avm: AvmResources;
  /** The deployer's "Key Vault Secrets Officer" assignment: secrets are written after it. */
  readonly officerAssignment: RoleAssignment;

  private readonly passwords = new Map<AdminAccount, GeneratedSecret>();
  private readonly expiration: string;
  private readonly tags?: Record<string, string>;

  constructor(scope: Construct, id: string, props: SecretsVaultProps) {
    super(scope, id);
    props = withNormalizedLocation(props, `SecretsVault props (${this.node.path})`);
    const retention = props.softDeleteRetentionDays ?? SecretsVault.DEFAULT_SOFT_DELETE_RETENTION_DAYS;
    const validity = props.secretValidityDays ?? SecretsVault.DEFAULT_SECRET_VALIDITY_DAYS;
    const passwords = new Set(props.passwords ?? SecretsVault.DEFAULT_PASSWORDS);
    const licensing = props.licensing ?? { kind: 'code' };
    const issues: InputIssue[] = [...secretsVaultIssues(props), ...validateTags(props.tags ?? {}, 'tags'), ...avmIssues(props)];
    for (const [i, account] of [...passwords].entries()) {
      if (!(ADMIN_ACCOUNTS as readonly string[]).includes(account))
        issues.push({ path: `passwords[${i}]`, message: `${JSON.stringify(account)} is not an admin account; use ${ADMIN_ACCOUNTS.join(', ')}` });
    }
    if ((props.runnerSubnetIds ?? []).length === 0 && (props.allowedIpRanges ?? []).length === 0) {
      issues.push({
        path: 'runnerSubnetIds',
        message:
          'and allowedIpRanges are both empty: the vault firewall (default Deny) would admit no place Terraform runs, and Terraform writes the secrets. ' +
          'Give the subnet of your runner (runnerSubnetIds) or its public egress IP (allowedIpRanges, e.g. ["203.0.113.7/32"])',
      });
    }
    throwIfIssues(`SecretsVault props (${this.node.path})`, issues);

    this.tags = props.tags ? { ...props.tags } : undefined;
    this.resourceGroupName = props.resourceGroupName;
    this.expiration = Fn.timeadd(Fn.plantimestamp(), `${validity * 24}h`);
    ensureRandomProvider(this);

    let name = props.vaultName;
    if (name === undefined) {
      name = `${props.naming.name('keyVault')}-${uniqueNameSuffix(this)}`;
    }
    const client = new DataAzurermClientConfig(this, 'client');
    const ipRanges = [...(props.allowedIpRanges ?? [])];
    const vault = new KeyVault(this, 'vault', {
      name,
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      tenantId: client.tenantId,
      skuName: 'standard',
      rbacAuthorizationEnabled: true,
      purgeProtectionEnabled: true,
      softDeleteRetentionDays: retention,
      publicNetworkAccessEnabled: true, // reachable only through the firewall rules below
      networkAcls: {
        defaultAction: 'Deny',
        bypass: 'AzureServices',
        ipRules: ipRanges,
        virtualNetworkSubnetIds: [...(props.allowedSubnetIds ?? []), ...(props.runnerSubnetIds ?? [])],
      },
      lifecycle: { preventDestroy: props.preventDestroy ?? true },
      tags: this.tags,
    });
    this.vault = vault;
    this.node.defaultChild = vault;
    this.vaultId = vault.id;
    this.vaultName = vault.name;
    this.vaultUri = vault.vaultUri;

    /** Lock, role assignments and AuditEvent logs of the vault (AVM interfaces), when asked for. */
    this.avm = applyAvmInterfaces(this, props, { resourceId: vault.id, purpose: 'keyvault', defaultLogs: ['AuditEvent'] });

    this.officerAssignment = new RoleAssignment(this, 'deployer-secrets-officer', {
      scope: vault.id,
      roleDefinitionName: 'Key Vault Secrets Officer',
      principalId: client.objectId,
      description: 'The principal that runs Terraform writes the generated secrets.',
    });

    for (const account of ADMIN_ACCOUNTS.filter((a) => passwords.has(a))) this.passwords.set(account, this.generatePassword(account));

    if (licensing.kind === 'code') {
      const code = new TerraformVariable(TerraformStack.of(this), ACTIVATION_CODE_VARIABLE, {
        type: 'string',
        sensitive: true,
        nullable: false,
        description: 'Metashape (PhotoScan) activation code; set TF_VAR_photoscan_activation_code. Stored in Key Vault, read by the nodes at boot.',
        validation: [
          {
            condition: `\${length(trimspace(var.${ACTIVATION_CODE_VARIABLE})) > 0}`,
            errorMessage: `${ACTIVATION_CODE_VARIABLE} must not be empty (or set secrets.licensing to "license-server" or "none").`,
          },
        ],
      });
      this.activationCode = this.storeSecret('activation-code', 'photoscan-activation-code', code.stringValue, 'Metashape activation code');
      this.licensing = {
        kind: 'code',
        keyVaultUri: this.vaultUri,
        secretName: this.activationCode.secretName,
        secretResourceId: this.activationCode.resourceId,
      };
    } else if (licensing.kind === 'license-server') {
      this.licenseServer = licensing.address;
      this.licensing = { kind: 'license-server', address: licensing.address };
    } else {
      this.licensing = { kind: 'none' };
      warn(
        this,
        WARNING_IDS.UNLICENSED,
        'SecretsVault: licensing is "none": the processing nodes will run Metashape unlicensed (demo mode, no network processing results can be saved). ' +
          'Set the licensing prop to { kind: "code" } (and TF_VAR_photoscan_activation_code) or { kind: "license-server", address: "host:port" }.',
      );
    }
  }

  /** The generated password of an admin account. */
  password(account: AdminAccount): GeneratedSecret {
    const secret = this.passwords.get(account);
    if (!secret) {
      throw new Error(
        `SecretsVault.password: no password for ${JSON.stringify(account)} in ${this.node.path}; it generates ${[...this.passwords.keys()].join(', ')} (add the account to the passwords prop)`,
      );
    }
    return secret;
  }

  private generatePassword(account: AdminAccount): GeneratedSecret {
    const { secretName, description } = ADMIN_ACCOUNT_SECRETS[account];
    const password = new Password(this, `${secretName}-value`, {
      length: 28,
      special: true,
      overrideSpecial: PASSWORD_SPECIALS,
      minUpper: 2,
      minLower: 2,
      minNumeric: 2,
      minSpecial: 2,
    });
    const stored = this.storeSecret(secretName, secretName, password.result, `password: ${description}`);
    return { value: password.result, ...stored };
  }

  private storeSecret(id: string, secretName: string, value: string, contentType: string): StoredSecret {
    if (!Token.isUnresolved(value)) throw new Error(`SecretsVault: the value of ${secretName} must be a Terraform reference, never a literal`);
    const secret = new KeyVaultSecret(this, id, {
      name: secretName,
      keyVaultId: this.vaultId,
      value,
      contentType,
      expirationDate: this.expiration,
      // The expiry is set once at creation (plan time + validity); later plans must not move it.
      lifecycle: { ignoreChanges: ['expiration_date'] },
      dependsOn: [this.officerAssignment],
      tags: this.tags,
    });
    return { secretName, versionlessId: secret.versionlessId, resourceId: secret.resourceVersionlessId };
  }
}
