/**
 * The policy pack's rules: each a small pure function over one synthesized
 * resource (its Terraform type and JSON configuration, with the whole stack
 * for context), cdk-nag style. They catch at synth what checkov and trivy
 * would report on the Terraform, and explain it.
 */
import { POLICY_RULES, PolicyRuleId } from './rule-ids';

/** One resource as it appears in `cdk.tf.json`. */
export interface PolicyResource {
  readonly type: string;
  /** Logical name (the key under the type). */
  readonly name: string;
  readonly config: Readonly<Record<string, any>>;
}

/** What a rule can see besides the resource. */
export interface PolicyContext {
  /** The whole synthesized stack. */
  readonly stack: Readonly<Record<string, any>>;
  /** True when the resource type has a `tags` argument (from the provider schema). */
  readonly taggable: (type: string) => boolean;
}

/** A rule's verdict on one resource: compliant, or the problem in one sentence. */
export type Verdict = { readonly ok: true } | { readonly ok: false; readonly message: string };

export interface PolicyRule {
  readonly id: PolicyRuleId;
  readonly description: string;
  readonly severity: 'error' | 'warning';
  /** Matching checkov checks. */
  readonly checkov: readonly string[];
  /** Matching trivy (formerly tfsec) checks. */
  readonly trivy: readonly string[];
  /** Resource types the rule looks at; `'*'` for all. */
  readonly appliesTo: readonly string[] | '*';
  readonly check: (resource: PolicyResource, context: PolicyContext) => Verdict;
}

const OK: Verdict = { ok: true };
const fail = (message: string): Verdict => ({ ok: false, message });
const list = (v: unknown): any[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);
const first = (v: unknown): Record<string, any> | undefined => list(v)[0];

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

/** One NSG rule, standalone or inline. */
function nsgRuleVerdict(rule: Record<string, any>): Verdict {
  if (String(rule.direction).toLowerCase() !== 'inbound' || String(rule.access).toLowerCase() !== 'allow') return OK;
  const sources = [...list(rule.source_address_prefix), ...list(rule.source_address_prefixes)].map(String);
  const open = sources.filter(isInternetSource);
  if (open.length === 0) return OK;
  const ports = [...list(rule.destination_port_range), ...list(rule.destination_port_ranges)].map(String);
  return fail(`rule ${rule.name ?? ''} allows ${describePorts(ports.length ? ports : ['*'])} from ${open.join(', ')} (the Internet)`);
}

const truthy = (v: unknown) => v === true;

export const RULES: readonly PolicyRule[] = [
  {
    id: POLICY_RULES.NSG_INTERNET_INGRESS,
    description: 'No NSG rule allows inbound traffic (RDP, SSH, WinRM, DNS, LDAP, SMB or any port) from the Internet',
    severity: 'error',
    checkov: ['CKV_AZURE_9', 'CKV_AZURE_10', 'CKV_AZURE_77', 'CKV_AZURE_160'],
    trivy: ['AVD-AZU-0047', 'AVD-AZU-0048', 'AVD-AZU-0050'],
    appliesTo: ['azurerm_network_security_rule', 'azurerm_network_security_group'],
    check: (r) => {
      if (r.type === 'azurerm_network_security_rule') return nsgRuleVerdict(r.config);
      for (const rule of list(r.config.security_rule)) {
        const v = nsgRuleVerdict(rule);
        if (!v.ok) return v;
      }
      return OK;
    },
  },
  {
    id: POLICY_RULES.SUBNET_NSG,
    description: 'Every subnet has a network security group',
    severity: 'error',
    checkov: ['CKV2_AZURE_31'],
    trivy: [],
    appliesTo: ['azurerm_subnet'],
    check: (r, ctx) => {
      if (['GatewaySubnet', 'AzureFirewallSubnet', 'AzureFirewallManagementSubnet', 'RouteServerSubnet'].includes(String(r.config.name))) return OK;
      const associations = Object.values((ctx.stack.resource?.azurerm_subnet_network_security_group_association ?? {}) as Record<string, { subnet_id?: string }>);
      return associations.some((a) => String(a.subnet_id).includes(`azurerm_subnet.${r.name}.id`))
        ? OK
        : fail(`subnet ${r.config.name ?? r.name} has no azurerm_subnet_network_security_group_association in its stack`);
    },
  },
  {
    id: POLICY_RULES.PUBLIC_IP,
    description: 'Public IP addresses only on the jump boxes (or Azure Bastion), each suppressed with its reason',
    severity: 'error',
    checkov: [],
    trivy: [],
    appliesTo: ['azurerm_public_ip', 'azurerm_public_ip_prefix'],
    check: (r) => fail(`public IP ${r.config.name ?? r.name}: only jump boxes and Bastion may have one (suppress ${POLICY_RULES.PUBLIC_IP} there with the reason)`),
  },
  {
    id: POLICY_RULES.NIC_IP_FORWARDING,
    description: 'No IP forwarding on network interfaces',
    severity: 'error',
    checkov: ['CKV_AZURE_118'],
    trivy: [],
    appliesTo: ['azurerm_network_interface'],
    check: (r) => (truthy(r.config.ip_forwarding_enabled) || truthy(r.config.enable_ip_forwarding) ? fail('IP forwarding is enabled') : OK),
  },
  {
    id: POLICY_RULES.VM_SSH_KEY_ONLY,
    description: 'Linux VMs and scale sets: SSH keys only, password authentication explicitly off',
    severity: 'error',
    checkov: ['CKV_AZURE_1', 'CKV_AZURE_149', 'CKV_AZURE_178'],
    trivy: ['AVD-AZU-0039'],
    appliesTo: ['azurerm_linux_virtual_machine', 'azurerm_linux_virtual_machine_scale_set'],
    check: (r) => {
      if (r.config.disable_password_authentication !== true) return fail('disable_password_authentication is not set to true');
      if (r.config.admin_password !== undefined) return fail('an admin_password is set');
      if (list(r.config.admin_ssh_key).length === 0) return fail('no admin_ssh_key');
      return OK;
    },
  },
  {
    id: POLICY_RULES.VM_ENCRYPTION_AT_HOST,
    description: 'Encryption at host on VMs and scale sets (temp disks and caches encrypted too)',
    severity: 'error',
    checkov: ['CKV_AZURE_97'],
    trivy: [],
    appliesTo: ['azurerm_linux_virtual_machine', 'azurerm_windows_virtual_machine', 'azurerm_linux_virtual_machine_scale_set', 'azurerm_windows_virtual_machine_scale_set'],
    check: (r) => (r.config.encryption_at_host_enabled === true ? OK : fail('encryption_at_host_enabled is not true')),
  },
  {
    id: POLICY_RULES.VM_BOOT_DIAGNOSTICS,
    description: 'Boot diagnostics on VMs and scale sets',
    severity: 'warning',
    checkov: [],
    trivy: [],
    appliesTo: ['azurerm_linux_virtual_machine', 'azurerm_windows_virtual_machine', 'azurerm_linux_virtual_machine_scale_set', 'azurerm_windows_virtual_machine_scale_set'],
    check: (r) => (r.config.boot_diagnostics !== undefined ? OK : fail('no boot_diagnostics block (add `boot_diagnostics {}` for managed storage)')),
  },
  {
    id: POLICY_RULES.VM_MANAGED_DISKS,
    description: 'Managed disks only (no legacy azurerm_virtual_machine with unmanaged VHDs)',
    severity: 'error',
    checkov: ['CKV_AZURE_92'],
    trivy: [],
    appliesTo: ['azurerm_virtual_machine'],
    check: (r) =>
      first(r.config.storage_os_disk)?.vhd_uri !== undefined || list(r.config.storage_data_disk).some((d) => d.vhd_uri !== undefined)
        ? fail('uses unmanaged VHDs (vhd_uri)')
        : fail('uses the legacy azurerm_virtual_machine; use azurerm_linux_virtual_machine / azurerm_windows_virtual_machine'),
  },
  {
    id: POLICY_RULES.KV_PURGE_PROTECTION,
    description: 'Key Vault purge protection',
    severity: 'error',
    checkov: ['CKV_AZURE_110', 'CKV_AZURE_42'],
    trivy: ['AVD-AZU-0016'],
    appliesTo: ['azurerm_key_vault'],
    check: (r) => (r.config.purge_protection_enabled === true ? OK : fail('purge_protection_enabled is not true')),
  },
  {
    id: POLICY_RULES.KV_RBAC,
    description: 'Key Vault uses RBAC authorization (not access policies)',
    severity: 'error',
    checkov: [],
    trivy: [],
    appliesTo: ['azurerm_key_vault'],
    check: (r) => (r.config.rbac_authorization_enabled === true || r.config.enable_rbac_authorization === true ? OK : fail('RBAC authorization is not enabled')),
  },
  {
    id: POLICY_RULES.KV_NETWORK_DENY,
    description: 'Key Vault firewall denies by default',
    severity: 'error',
    checkov: ['CKV_AZURE_109', 'CKV_AZURE_189'],
    trivy: ['AVD-AZU-0013'],
    appliesTo: ['azurerm_key_vault'],
    check: (r) => (first(r.config.network_acls)?.default_action === 'Deny' ? OK : fail('network_acls.default_action is not "Deny"')),
  },
  {
    id: POLICY_RULES.KV_SOFT_DELETE,
    description: 'Key Vault soft-delete retention between 7 and 90 days',
    severity: 'error',
    checkov: ['CKV_AZURE_42'],
    trivy: [],
    appliesTo: ['azurerm_key_vault'],
    check: (r) => {
      const days = r.config.soft_delete_retention_days;
      return days === undefined || (typeof days === 'number' && days >= 7 && days <= 90) ? OK : fail(`soft_delete_retention_days is ${days}; allowed 7–90`);
    },
  },
  {
    id: POLICY_RULES.KV_SECRET_HYGIENE,
    description: 'Key Vault secrets have a content type and an expiry date',
    severity: 'error',
    checkov: ['CKV_AZURE_41', 'CKV_AZURE_114'],
    trivy: ['AVD-AZU-0015', 'AVD-AZU-0017'],
    appliesTo: ['azurerm_key_vault_secret'],
    check: (r) => {
      const missing = ['content_type', 'expiration_date'].filter((k) => r.config[k] === undefined || r.config[k] === '');
      return missing.length === 0 ? OK : fail(`missing ${missing.join(' and ')}`);
    },
  },
  {
    id: POLICY_RULES.ST_HTTPS_ONLY,
    description: 'Storage accounts accept HTTPS only',
    severity: 'error',
    checkov: ['CKV_AZURE_3'],
    trivy: ['AVD-AZU-0008'],
    appliesTo: ['azurerm_storage_account'],
    check: (r) => (r.config.https_traffic_only_enabled === true || r.config.enable_https_traffic_only === true ? OK : fail('https_traffic_only_enabled is not explicitly true')),
  },
  {
    id: POLICY_RULES.ST_TLS,
    description: 'Storage accounts require TLS 1.2 or later',
    severity: 'error',
    checkov: ['CKV_AZURE_44'],
    trivy: ['AVD-AZU-0011'],
    appliesTo: ['azurerm_storage_account'],
    check: (r) => (['TLS1_2', 'TLS1_3'].includes(String(r.config.min_tls_version)) ? OK : fail(`min_tls_version is ${r.config.min_tls_version ?? 'unset'}; use TLS1_2`)),
  },
  {
    id: POLICY_RULES.ST_PUBLIC_NESTED,
    description: 'Storage accounts allow no anonymous (public) blob access',
    severity: 'error',
    checkov: ['CKV_AZURE_190', 'CKV_AZURE_59'],
    trivy: ['AVD-AZU-0007'],
    appliesTo: ['azurerm_storage_account'],
    check: (r) => (r.config.allow_nested_items_to_be_public === false ? OK : fail('allow_nested_items_to_be_public is not explicitly false (the provider default is true)')),
  },
  {
    id: POLICY_RULES.ST_NETWORK_DENY,
    description: 'Storage account firewall denies by default',
    severity: 'error',
    checkov: ['CKV_AZURE_35'],
    trivy: ['AVD-AZU-0012'],
    appliesTo: ['azurerm_storage_account'],
    check: (r, ctx) => {
      if (first(r.config.network_rules)?.default_action === 'Deny') return OK;
      const separate = Object.values((ctx.stack.resource?.azurerm_storage_account_network_rules ?? {}) as Record<string, any>);
      return separate.some((n) => n.default_action === 'Deny' && String(n.storage_account_id).includes(`azurerm_storage_account.${r.name}.`)) ? OK : fail('network rules do not default to "Deny"');
    },
  },
  {
    id: POLICY_RULES.ST_BLOB_SOFT_DELETE,
    description: 'Storage accounts keep deleted blobs (soft delete)',
    severity: 'error',
    checkov: ['CKV2_AZURE_38'],
    trivy: [],
    appliesTo: ['azurerm_storage_account'],
    check: (r) => ((first(first(r.config.blob_properties)?.delete_retention_policy)?.days ?? 0) >= 1 ? OK : fail('blob_properties.delete_retention_policy is not set')),
  },
  {
    id: POLICY_RULES.PREVENT_DESTROY,
    description: 'The core filer (storage account, containers) and the Key Vault are protected by lifecycle.prevent_destroy',
    severity: 'warning',
    checkov: [],
    trivy: [],
    appliesTo: ['azurerm_storage_account', 'azurerm_storage_container', 'azurerm_key_vault'],
    check: (r) => (first(r.config.lifecycle)?.prevent_destroy === true ? OK : fail('lifecycle.prevent_destroy is off: `terraform destroy` would delete the data')),
  },
  {
    id: POLICY_RULES.TAGS,
    description: 'Every taggable resource has tags',
    severity: 'error',
    checkov: [],
    trivy: [],
    appliesTo: '*',
    check: (r, ctx) => {
      if (!ctx.taggable(r.type)) return OK;
      const tags = r.config.tags;
      return tags && typeof tags === 'object' && Object.keys(tags).length > 0 ? OK : typeof tags === 'string' ? OK : fail('no tags');
    },
  },
];

/** Variable and output names that hold secrets. */
export const SECRET_NAME = /password|secret|token|activation|(?<!public_)key$|_code$|^code$/i;

/** The SENSITIVE_VALUES rule, over the stack's variables and outputs (not resources). */
export const SENSITIVE_VALUES_RULE = {
  id: POLICY_RULES.SENSITIVE_VALUES,
  description: 'Variables and outputs named like a password, secret, key, token or code are sensitive',
  severity: 'error' as const,
  checkov: [] as string[],
  trivy: [] as string[],
  check(kind: 'variable' | 'output', name: string, block: Record<string, any>): Verdict {
    if (!SECRET_NAME.test(name)) return OK;
    return block.sensitive === true ? OK : fail(`${kind} ${name} looks like a secret but is not sensitive`);
  },
};

/** Every rule, by id. */
export const ALL_RULES: ReadonlyArray<Pick<PolicyRule, 'id' | 'description' | 'severity' | 'checkov' | 'trivy'>> = [...RULES, SENSITIVE_VALUES_RULE];
