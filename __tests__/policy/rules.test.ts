/** Every rule: a compliant and a non-compliant resource. */
import { describePorts, isInternetSource, PolicyContext, PolicyResource, RULES, SENSITIVE_VALUES_RULE } from '../../src/policy/rules';
import { POLICY_RULES, PolicyRuleId } from '../../src/policy/rule-ids';

const rule = (id: PolicyRuleId) => RULES.find((r) => r.id === id)!;
const ctx = (stack: Record<string, any> = {}): PolicyContext => ({ stack, taggable: (t) => t !== 'azurerm_role_assignment' });
const check = (id: PolicyRuleId, type: string, config: Record<string, any>, stack: Record<string, any> = {}) => rule(id).check({ type, name: 'x', config } as PolicyResource, ctx(stack));

const nsgRule = (over: Record<string, any>) => ({ name: 'r', direction: 'Inbound', access: 'Allow', protocol: 'Tcp', destination_port_range: '3389', source_address_prefix: '203.0.113.0/24', ...over });
const linuxVm = { disable_password_authentication: true, admin_ssh_key: [{ username: 'u', public_key: 'k' }] };
const vault = { purge_protection_enabled: true, rbac_authorization_enabled: true, network_acls: { default_action: 'Deny' }, soft_delete_retention_days: 90, lifecycle: { prevent_destroy: true } };
const account = {
  https_traffic_only_enabled: true,
  min_tls_version: 'TLS1_2',
  allow_nested_items_to_be_public: false,
  network_rules: { default_action: 'Deny' },
  blob_properties: { delete_retention_policy: { days: 7 } },
  lifecycle: { prevent_destroy: true },
};

const cases: Array<[PolicyRuleId, string, Record<string, any>, Record<string, any>, RegExp, Record<string, any>?]> = [
  [POLICY_RULES.NSG_INTERNET_INGRESS, 'azurerm_network_security_rule', nsgRule({}), nsgRule({ source_address_prefix: 'Internet' }), /allows RDP \(3389\) from Internet/],
  [POLICY_RULES.NSG_INTERNET_INGRESS, 'azurerm_network_security_rule', nsgRule({ source_address_prefix: '*', access: 'Deny' }), nsgRule({ source_address_prefixes: ['10.0.0.0/8', '0.0.0.0/0'], destination_port_range: '20-30' }), /SSH \(22\) from 0\.0\.0\.0\/0/],
  [POLICY_RULES.NSG_INTERNET_INGRESS, 'azurerm_network_security_group', { security_rule: [nsgRule({})] }, { security_rule: [nsgRule({}), nsgRule({ name: 'web', source_address_prefix: 'Any', destination_port_range: '*' })] }, /rule web allows every port from Any/],
  [POLICY_RULES.SUBNET_NSG, 'azurerm_subnet', { name: 'snet' }, { name: 'snet' }, /has no azurerm_subnet_network_security_group_association/, { resource: { azurerm_subnet_network_security_group_association: { a: { subnet_id: '${azurerm_subnet.x.id}' } } } }],
  [POLICY_RULES.NIC_IP_FORWARDING, 'azurerm_network_interface', { ip_forwarding_enabled: false }, { ip_forwarding_enabled: true }, /IP forwarding is enabled/],
  [POLICY_RULES.VM_SSH_KEY_ONLY, 'azurerm_linux_virtual_machine', linuxVm, { admin_ssh_key: [{}] }, /disable_password_authentication is not set to true/],
  [POLICY_RULES.VM_SSH_KEY_ONLY, 'azurerm_linux_virtual_machine_scale_set', linuxVm, { ...linuxVm, admin_password: '${var.p}' }, /an admin_password is set/],
  [POLICY_RULES.VM_ENCRYPTION_AT_HOST, 'azurerm_windows_virtual_machine', { encryption_at_host_enabled: true }, {}, /encryption_at_host_enabled is not true/],
  [POLICY_RULES.VM_BOOT_DIAGNOSTICS, 'azurerm_linux_virtual_machine_scale_set', { boot_diagnostics: {} }, {}, /no boot_diagnostics block/],
  [POLICY_RULES.KV_PURGE_PROTECTION, 'azurerm_key_vault', vault, { ...vault, purge_protection_enabled: false }, /purge_protection_enabled is not true/],
  [POLICY_RULES.KV_RBAC, 'azurerm_key_vault', vault, { ...vault, rbac_authorization_enabled: false }, /RBAC authorization is not enabled/],
  [POLICY_RULES.KV_NETWORK_DENY, 'azurerm_key_vault', vault, { ...vault, network_acls: { default_action: 'Allow' } }, /default_action is not "Deny"/],
  [POLICY_RULES.KV_SOFT_DELETE, 'azurerm_key_vault', vault, { ...vault, soft_delete_retention_days: 120 }, /soft_delete_retention_days is 120; allowed 7–90/],
  [POLICY_RULES.KV_SECRET_HYGIENE, 'azurerm_key_vault_secret', { content_type: 'password', expiration_date: '${timeadd(plantimestamp(), "8760h")}' }, { content_type: 'password' }, /missing expiration_date/],
  [POLICY_RULES.ST_HTTPS_ONLY, 'azurerm_storage_account', account, { ...account, https_traffic_only_enabled: undefined }, /not explicitly true/],
  [POLICY_RULES.ST_TLS, 'azurerm_storage_account', account, { ...account, min_tls_version: 'TLS1_0' }, /min_tls_version is TLS1_0/],
  [POLICY_RULES.ST_PUBLIC_NESTED, 'azurerm_storage_account', account, { ...account, allow_nested_items_to_be_public: undefined }, /provider default is true/],
  [POLICY_RULES.ST_NETWORK_DENY, 'azurerm_storage_account', account, { ...account, network_rules: { default_action: 'Allow' } }, /do not default to "Deny"/],
  [POLICY_RULES.ST_BLOB_SOFT_DELETE, 'azurerm_storage_account', account, { ...account, blob_properties: {} }, /delete_retention_policy is not set/],
  [POLICY_RULES.PREVENT_DESTROY, 'azurerm_storage_container', { lifecycle: { prevent_destroy: true } }, {}, /prevent_destroy is off/],
  [POLICY_RULES.TAGS, 'azurerm_resource_group', { tags: { a: 'b' } }, { tags: {} }, /no tags/],
];

describe.each(cases)('%s on %s', (id, type, good, bad, message, stack) => {
  test('compliant', () => expect(check(id, type, good, stack)).toEqual({ ok: true }));
  test('non-compliant', () => {
    const v = check(id, type, bad, {});
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.message).toMatch(message);
  });
});

test('every rule id has a test case (or its own test below)', () => {
  const tested = new Set<string>([...cases.map((c) => c[0]), POLICY_RULES.VM_MANAGED_DISKS, POLICY_RULES.SENSITIVE_VALUES, POLICY_RULES.PUBLIC_IP]);
  expect([...new Set(Object.values(POLICY_RULES))].filter((id) => !tested.has(id))).toEqual([]);
});

test('managed disks only: the legacy azurerm_virtual_machine always fails, naming why', () => {
  expect(check(POLICY_RULES.VM_MANAGED_DISKS, 'azurerm_virtual_machine', { storage_os_disk: [{ vhd_uri: 'https://x' }] })).toEqual({ ok: false, message: 'uses unmanaged VHDs (vhd_uri)' });
  expect(check(POLICY_RULES.VM_MANAGED_DISKS, 'azurerm_virtual_machine', { storage_os_disk: [{ managed_disk_type: 'Premium_LRS' }] })).toMatchObject({ ok: false, message: expect.stringContaining('legacy') });
});

test('sensitive values: secret-looking variables and outputs must be sensitive; public keys are not secrets', () => {
  expect(SENSITIVE_VALUES_RULE.check('variable', 'photoscan_activation_code', { sensitive: true })).toEqual({ ok: true });
  expect(SENSITIVE_VALUES_RULE.check('variable', 'photoscan_activation_code', {})).toMatchObject({ ok: false, message: 'variable photoscan_activation_code looks like a secret but is not sensitive' });
  expect(SENSITIVE_VALUES_RULE.check('output', 'admin_password', { sensitive: false }).ok).toBe(false);
  expect(SENSITIVE_VALUES_RULE.check('variable', 'storage_key', {}).ok).toBe(false);
  expect(SENSITIVE_VALUES_RULE.check('variable', 'admin_ssh_public_key', {})).toEqual({ ok: true });
  expect(SENSITIVE_VALUES_RULE.check('variable', 'hpc_cache_rp_object_id', {})).toEqual({ ok: true });
});

test('helpers: Internet sources and named ports', () => {
  expect(['*', 'Internet', 'Any', '0.0.0.0/0', '::/0', '10.0.0.0/0'].every(isInternetSource)).toBe(true);
  expect(['10.0.0.0/8', 'VirtualNetwork', 'AzureLoadBalancer'].some(isInternetSource)).toBe(false);
  expect(describePorts(['5980-5990', '53'])).toBe('WinRM (5985), WinRM (5986), DNS (53)');
  expect(describePorts(['8080'])).toBe('port 8080');
});

test('rules carry checkov/trivy ids in their own formats', () => {
  for (const r of RULES) {
    for (const c of r.checkov) expect(c).toMatch(/^CKV2?_AZURE_\d+$/);
    for (const t of r.trivy) expect(t).toMatch(/^AVD-AZU-\d{4}$/);
  }
});
