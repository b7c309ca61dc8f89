import { DataAzurermClientConfig } from '@cdktf/provider-azurerm/lib/data-azurerm-client-config';
import { KeyVault } from '@cdktf/provider-azurerm/lib/key-vault';
import { KeyVaultSecret } from '@cdktf/provider-azurerm/lib/key-vault-secret';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { Password } from '@cdktf/provider-random/lib/password';
import { StringResource } from '@cdktf/provider-random/lib/string-resource';
import { Annotations, Fn, TerraformStack, TerraformVariable, Token } from 'cdktf';
import { Construct } from 'constructs';
import { InputIssue, throwIfIssues } from '../src/errors';
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
import { ensureRandomProvider } from './providers';

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

/** How processing nodes are licensed. */
export type Licensing = { readonly kind: 'code' } | { readonly kind: 'license-server'; readonly address: string } | { readonly kind: 'none' };

/** Props of {@link SecretsVault}. */
export interface SecretsVaultProps {
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
   * runs it must be allowed (or run inside an allowed subnet). @default [] — synth warns
   */
  readonly allowedIpRanges?: readonly string[];
  /** Days from creation until generated secrets expire. @default 365 */
  readonly secretValidityDays?: number;
  /** `lifecycle.prevent_destroy` on the vault. @default true */
  readonly preventDestroy?: boolean;
  /** Licensing of the processing nodes. @default { kind: 'code' } — the Terraform variable `photoscan_activation_code` */
  readonly licensing?: Licensing;
  /** Tags of every taggable resource. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * The environment's Key Vault: RBAC authorization, purge protection, soft
 * delete, firewall default Deny. Holds a generated password per admin account
 * and the Metashape activation code. Values reach the JSON only as references
 * (`random_password` results, a sensitive variable): they live in state and in
 * the vault, never in `cdktf.out`.
 */
export class SecretsVault extends Construct {
  readonly vaultId: string;
  readonly vaultName: string;
  readonly vaultUri: string;
  readonly resourceGroupName: string;
  /** The activation code secret, when licensing is "code". */
  readonly activationCode?: StoredSecret;
  /** Floating licence server `host:port`, when licensing is "license-server". */
  readonly licenseServer?: string;
  /** Licensing of the processing nodes. */
  readonly licensing: Licensing;
  /** The deployer's "Key Vault Secrets Officer" assignment: secrets are written after it. */
  readonly officerAssignment: RoleAssignment;

  private readonly passwords = new Map<AdminAccount, GeneratedSecret>();
  private readonly expiration: string;
  private readonly tags?: Record<string, string>;

  constructor(scope: Construct, id: string, props: SecretsVaultProps) {
    super(scope, id);
    const retention = props.softDeleteRetentionDays ?? KEY_VAULT_RETENTION_DAYS.max;
    const validity = props.secretValidityDays ?? 365;
    const licensing = props.licensing ?? { kind: 'code' };
    const issues: InputIssue[] = [
      ...(props.vaultName === undefined ? [] : keyVaultNameIssues('vaultName', props.vaultName)),
      ...retentionDaysIssues('softDeleteRetentionDays', retention),
      ...keyVaultIpRangeIssues('allowedIpRanges', props.allowedIpRanges ?? [], (r) => Token.isUnresolved(r)),
      ...validateTags(props.tags ?? {}, 'tags'),
    ];
    if (!Number.isInteger(validity) || validity < 1 || validity > 3650) issues.push({ path: 'secretValidityDays', message: `${validity} is not allowed; use 1–3650 days` });
    if (licensing.kind === 'license-server' && !/^[A-Za-z0-9.-]+:\d{1,5}$/.test(licensing.address)) {
      issues.push({ path: 'licensing.address', message: `${JSON.stringify(licensing.address)} is not host:port, e.g. "10.0.1.20:5842"` });
    }
    throwIfIssues(`SecretsVault props (${this.node.path})`, issues);

    this.tags = props.tags ? { ...props.tags } : undefined;
    this.resourceGroupName = props.resourceGroupName;
    this.licensing = licensing;
    this.expiration = Fn.timeadd(Fn.plantimestamp(), `${validity * 24}h`);
    ensureRandomProvider(this);

    let name = props.vaultName;
    if (name === undefined) {
      const suffix = new StringResource(this, 'name-suffix', { length: 6, upper: false, special: false, numeric: true });
      name = `${props.naming.name('keyVault')}-${suffix.result}`;
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
        virtualNetworkSubnetIds: [...(props.allowedSubnetIds ?? [])],
      },
      lifecycle: { preventDestroy: props.preventDestroy ?? true },
      tags: this.tags,
    });
    this.vaultId = vault.id;
    this.vaultName = vault.name;
    this.vaultUri = vault.vaultUri;
    if (ipRanges.length === 0) {
      Annotations.of(this).addWarning(
        'SecretsVault: no public IP range is allowed through the Key Vault firewall (default Deny). Terraform writes the secrets from where it runs, ' +
          'so run it inside an allowed subnet (e.g. a self-hosted runner) or list its egress IP: "secrets": { "allowedIpRanges": ["203.0.113.7/32"] }.',
      );
    }

    this.officerAssignment = new RoleAssignment(this, 'deployer-secrets-officer', {
      scope: vault.id,
      roleDefinitionName: 'Key Vault Secrets Officer',
      principalId: client.objectId,
      description: 'The principal that runs Terraform writes the generated secrets.',
    });

    for (const account of ADMIN_ACCOUNTS) this.passwords.set(account, this.generatePassword(account));

    if (licensing.kind === 'code') {
      const code = new TerraformVariable(TerraformStack.of(this), ACTIVATION_CODE_VARIABLE, {
        type: 'string',
        sensitive: true,
        nullable: false,
        description: 'Metashape (PhotoScan) activation code; set TF_VAR_photoscan_activation_code. Stored in Key Vault, read by the nodes at boot.',
        validation: [{ condition: `\${length(trimspace(var.${ACTIVATION_CODE_VARIABLE})) > 0}`, errorMessage: `${ACTIVATION_CODE_VARIABLE} must not be empty (or set secrets.licensing to "license-server" or "none").` }],
      });
      this.activationCode = this.storeSecret('activation-code', 'photoscan-activation-code', code.stringValue, 'Metashape activation code');
    } else if (licensing.kind === 'license-server') {
      this.licenseServer = licensing.address;
    } else {
      Annotations.of(this).addWarning(
        'SecretsVault: licensing is "none": the processing nodes will run Metashape unlicensed (demo mode, no network processing results can be saved). ' +
          'Set "secrets": { "licensing": "code" } and TF_VAR_photoscan_activation_code, or "license-server" with "licenseServer": "host:port".',
      );
    }
  }

  /** The generated password of an admin account. */
  password(account: AdminAccount): GeneratedSecret {
    const secret = this.passwords.get(account);
    if (!secret) throw new Error(`SecretsVault.password: unknown account ${JSON.stringify(account)}; one of ${ADMIN_ACCOUNTS.join(', ')}`);
    return secret;
  }

  /**
   * Lets a managed identity read secrets ("Key Vault Secrets User"): the whole vault, or one secret when
   * `secretResourceId` (a {@link GeneratedSecret.resourceId}) is given. Created in `scope`, which may be another stack.
   */
  grantSecretsRead(scope: Construct, id: string, principalId: string, secretResourceId?: string): RoleAssignment {
    return new RoleAssignment(scope, id, {
      scope: secretResourceId ?? this.vaultId,
      roleDefinitionName: 'Key Vault Secrets User',
      principalId,
      principalType: 'ServicePrincipal',
    });
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
