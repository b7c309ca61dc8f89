import { Aspects, TerraformStack, TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../src/config/schema';
import { Naming } from '../src/naming';
import { addTags, literalTagValues } from '../src/tags';
import { ADMIN_SSH_KEY_VARIABLE, avereSshKeyCondition, SSH_KEY_TERRAFORM_CONDITION } from '../src/identity/ssh-key';
import { PolicyAspect } from '../src/policy/aspect';
import { ensureAzurermProvider } from '../constructs/providers';
import { configureBackend } from './backend';
import { addWarningHint, WARNING_IDS } from '../src/warnings';

/** Where the props the library's warnings name come from in the configuration file. */
export const CONFIG_WARNING_HINTS: Readonly<Record<string, string>> = {
  [WARNING_IDS.NO_ADMIN_SOURCES]:
    'In the configuration file: "network": { "adminSourceCidrs": ["203.0.113.0/24"] }, or "compute": { "bastion": { "enabled": true } }.',
  [WARNING_IDS.UNLICENSED]: 'In the configuration file: "secrets": { "licensing": "code" }, or "license-server" with "licenseServer": "host:port".',
  [WARNING_IDS.AVERE_RETIRED]: 'In the configuration file: "storage": { "backend": "managed-lustre" }.',
};

/** Props every stack of the environment takes. */
export interface PhotogrammetryStackProps {
  /** The validated environment configuration. */
  readonly config: EnvironmentConfig;
}

/**
 * Base of the network, storage and compute stacks: backend, azurerm provider,
 * naming and tags from the one configuration.
 */
export class PhotogrammetryStack extends TerraformStack {
  readonly config: EnvironmentConfig;
  readonly naming: Naming;
  /** Tags for every taggable resource of the stack (config tags + `stack`). */
  readonly tags: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: PhotogrammetryStackProps) {
    super(scope, id);
    this.config = props.config;
    this.naming = new Naming(props.config.namePrefix);
    // Tag values are free text from the configuration: escape Terraform's template sequences in them.
    this.tags = literalTagValues({ ...props.config.tags, stack: id });
    // Every taggable resource of the stack inherits them (merged under its own tags), before the policy pack reads them.
    addTags(this, this.tags);
    // Construct warnings name props; say where each prop comes from in the configuration file.
    for (const [id, hint] of Object.entries(CONFIG_WARNING_HINTS)) addWarningHint(this, id, hint);
    configureBackend(this, props.config.backend);
    ensureAzurermProvider(this, { features: [{}], subscriptionId: props.config.subscriptionId });
    // The policy pack checks the synthesized stack: errors fail synth, warnings annotate; it writes the report.
    this.policy = new PolicyAspect();
    Aspects.of(this).add(this.policy);
  }

  /** The policy pack applied to this stack (its findings after synth). */
  readonly policy: PolicyAspect;

  private sshKeyVariable?: TerraformVariable;

  /**
   * The Linux admin SSH public key: the configuration's `adminSshPublicKey` when set (validated at synth), else
   * a reference to the Terraform variable `admin_ssh_public_key`, declared in this stack on first use.
   */
  get adminSshPublicKey(): string {
    if (this.config.adminSshPublicKey !== undefined) return this.config.adminSshPublicKey.trim();
    this.sshKeyVariable ??= new TerraformVariable(this, ADMIN_SSH_KEY_VARIABLE, {
      type: 'string',
      description: 'OpenSSH public key of the Linux admin account (ssh-ed25519 or ssh-rsa ≥ 2048 bits). Set TF_VAR_admin_ssh_public_key.',
      validation: [
        {
          condition: SSH_KEY_TERRAFORM_CONDITION,
          errorMessage: 'admin_ssh_public_key must be an OpenSSH public key line: "ssh-ed25519 AAAA…" or "ssh-rsa AAAA…".',
        },
        // The Avere vFXT gets the same key; its provider accepts only "ssh-rsa AAAA… user@host".
        ...(this.config.storage.backend === 'avere'
          ? [
              {
                condition: avereSshKeyCondition(`var.${ADMIN_SSH_KEY_VARIABLE}`),
                errorMessage:
                  'With storage.backend "avere", admin_ssh_public_key must be "ssh-rsa AAAA… user@host" (RSA with a comment): the avere provider refuses other keys for vfxt_ssh_key_data.',
              },
            ]
          : []),
      ],
    });
    return this.sshKeyVariable.stringValue;
  }
}
