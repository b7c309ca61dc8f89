/** Every rule: a passing, a failing and a not-applicable case (and the pack's shape: one rule per file, listed once). */
import * as fs from 'fs';
import * as path from 'path';
import { ALL_RULES, describePorts, isInternetSource, PolicyContext, PolicyResource, RULES, SENSITIVE_VALUES_RULE, Verdict } from '../../src/policy/rules';
import { POLICY_RULES, PolicyRuleId } from '../../src/policy/rule-ids';

const rule = (id: PolicyRuleId) => RULES.find((r) => r.id === id)!;
const ctx = (stack: Record<string, any> = {}): PolicyContext => ({ stack, taggable: (t) => t !== 'azurerm_role_assignment' });
const check = (id: PolicyRuleId, type: string, config: Record<string, any>, stack: Record<string, any> = {}) =>
  rule(id).check({ type, name: 'x', config } as PolicyResource, ctx(stack));

const nsgRule = (over: Record<string, any>) => ({
  name: 'r',
  direction: 'Inbound',
  access: 'Allow',
  protocol: 'Tcp',
  destination_port_range: '3389',
  source_address_prefix: '203.0.113.0/24',
  ...over,
});
const linuxVm = { disable_password_authentication: true, admin_ssh_key: [{ username: 'u', public_key: 'k' }] };
const vault = {
  purge_protection_enabled: true,
  rbac_authorization_enabled: true,
  network_acls: { default_action: 'Deny' },
  soft_delete_retention_days: 90,
  lifecycle: { prevent_destroy: true },
};
const account = {
  https_traffic_only_enabled: true,
  min_tls_version: 'TLS1_2',
  allow_nested_items_to_be_public: false,
  network_rules: { default_action: 'Deny' },
  blob_properties: { delete_retention_policy: { days: 7 } },
  lifecycle: { prevent_destroy: true },
};
const associated = { resource: { azurerm_subnet_network_security_group_association: { a: { subnet_id: '${azurerm_subnet.x.id}' } } } };

/** A resource case: type, config, optional stack. */
type Case = [type: string, config: Record<string, any>, stack?: Record<string, any>];
interface RuleCases {
  readonly pass: Case[];
  /** Failing cases with the expected message. */
  readonly fail: Array<[type: string, config: Record<string, any>, stack: Record<string, any>, message: RegExp]>;
  /** Cases the rule does not apply to, with the expected reason (an uncovered type is always one). */
  readonly notApplicable: Array<[type: string, config: Record<string, any>, stack: Record<string, any>, reason: RegExp]>;
}

const CASES: Record<Exclude<PolicyRuleId, typeof POLICY_RULES.SENSITIVE_VALUES>, RuleCases> = {
  [POLICY_RULES.NSG_INTERNET_INGRESS]: {
    pass: [
      ['azurerm_network_security_rule', nsgRule({})],
      ['azurerm_network_security_group', { security_rule: [nsgRule({}), nsgRule({ direction: 'Outbound', source_address_prefix: '*' })] }],
    ],
    fail: [
      ['azurerm_network_security_rule', nsgRule({ source_address_prefix: 'Internet' }), {}, /allows RDP \(3389\) from Internet/],
      [
        'azurerm_network_security_rule',
        nsgRule({ source_address_prefixes: ['10.0.0.0/8', '0.0.0.0/0'], destination_port_range: '20-30' }),
        {},
        /SSH \(22\) from 0\.0\.0\.0\/0/,
      ],
      [
        'azurerm_network_security_group',
        { security_rule: [nsgRule({}), nsgRule({ name: 'web', source_address_prefix: 'Any', destination_port_range: '*' })] },
        {},
        /rule web allows every port from Any/,
      ],
    ],
    notApplicable: [
      ['azurerm_network_security_rule', nsgRule({ source_address_prefix: '*', access: 'Deny' }), {}, /rule r is not an inbound Allow rule/],
      ['azurerm_network_security_rule', nsgRule({ source_address_prefix: '*', direction: 'Outbound' }), {}, /not an inbound Allow rule/],
      ['azurerm_network_security_group', {}, {}, /no inline security rules/],
      ['azurerm_subnet', {}, {}, /PGM-NET-1 does not cover azurerm_subnet/],
    ],
  },
  [POLICY_RULES.SUBNET_NSG]: {
    pass: [['azurerm_subnet', { name: 'snet' }, associated]],
    fail: [['azurerm_subnet', { name: 'snet' }, {}, /subnet snet has no azurerm_subnet_network_security_group_association/]],
    notApplicable: [
      ['azurerm_subnet', { name: 'GatewaySubnet' }, {}, /Azure does not support an NSG on GatewaySubnet/],
      ['azurerm_virtual_network', {}, {}, /does not cover/],
    ],
  },
  [POLICY_RULES.PUBLIC_IP]: {
    pass: [
      ['azurerm_network_interface', { name: 'nic', ip_configuration: [{ name: 'ip', subnet_id: 's' }] }],
      ['azurerm_linux_virtual_machine_scale_set', { network_interface: [{ ip_configuration: [{ subnet_id: 's' }] }] }],
    ],
    fail: [
      ['azurerm_public_ip', { name: 'pip-x' }, {}, /public IP pip-x: only jump boxes and Bastion may have one \(suppress PGM-NET-3/],
      [
        'azurerm_network_interface',
        { name: 'nic', ip_configuration: { public_ip_address_id: '${azurerm_public_ip.p.id}' } },
        {},
        /NIC nic attaches a public IP/,
      ],
      [
        'azurerm_windows_virtual_machine_scale_set',
        { name: 'vmss', network_interface: [{ ip_configuration: [{ public_ip_address: [{ name: 'p' }] }] }] },
        {},
        /scale set vmss gives its instances public IPs/,
      ],
    ],
    notApplicable: [['azurerm_bastion_host', {}, {}, /does not cover azurerm_bastion_host/]],
  },
  [POLICY_RULES.NIC_IP_FORWARDING]: {
    pass: [['azurerm_network_interface', { ip_forwarding_enabled: false }]],
    fail: [
      ['azurerm_network_interface', { ip_forwarding_enabled: true }, {}, /IP forwarding is enabled/],
      ['azurerm_network_interface', { enable_ip_forwarding: true }, {}, /IP forwarding is enabled/],
    ],
    notApplicable: [['azurerm_public_ip', {}, {}, /does not cover/]],
  },
  [POLICY_RULES.VM_SSH_KEY_ONLY]: {
    pass: [
      ['azurerm_linux_virtual_machine', linuxVm],
      ['azurerm_linux_virtual_machine_scale_set', linuxVm],
    ],
    fail: [
      ['azurerm_linux_virtual_machine', { admin_ssh_key: [{}] }, {}, /disable_password_authentication is not set to true/],
      ['azurerm_linux_virtual_machine_scale_set', { ...linuxVm, admin_password: '${var.p}' }, {}, /an admin_password is set/],
      ['azurerm_linux_virtual_machine', { disable_password_authentication: true }, {}, /no admin_ssh_key/],
    ],
    notApplicable: [['azurerm_windows_virtual_machine', { admin_password: 'x' }, {}, /does not cover azurerm_windows_virtual_machine/]],
  },
  [POLICY_RULES.VM_ENCRYPTION_AT_HOST]: {
    pass: [['azurerm_windows_virtual_machine', { encryption_at_host_enabled: true }]],
    fail: [['azurerm_linux_virtual_machine_scale_set', {}, {}, /encryption_at_host_enabled is not true/]],
    notApplicable: [['azurerm_managed_disk', {}, {}, /does not cover/]],
  },
  [POLICY_RULES.VM_BOOT_DIAGNOSTICS]: {
    pass: [['azurerm_linux_virtual_machine_scale_set', { boot_diagnostics: {} }]],
    fail: [['azurerm_windows_virtual_machine', {}, {}, /no boot_diagnostics block/]],
    notApplicable: [['azurerm_network_interface', {}, {}, /does not cover/]],
  },
  [POLICY_RULES.VM_MANAGED_DISKS]: {
    pass: [
      ['azurerm_linux_virtual_machine', { os_disk: { caching: 'ReadWrite', storage_account_type: 'Premium_LRS' } }],
      ['azurerm_windows_virtual_machine_scale_set', { os_disk: [{ storage_account_type: 'StandardSSD_LRS' }] }],
    ],
    fail: [
      ['azurerm_virtual_machine', { storage_os_disk: [{ vhd_uri: 'https://x' }] }, {}, /^uses unmanaged VHDs \(vhd_uri\)$/],
      ['azurerm_virtual_machine', { storage_os_disk: [{ managed_disk_type: 'Premium_LRS' }] }, {}, /legacy azurerm_virtual_machine/],
      ['azurerm_linux_virtual_machine', { os_disk: {} }, {}, /os_disk has no storage_account_type/],
    ],
    notApplicable: [['azurerm_managed_disk', {}, {}, /does not cover/]],
  },
  [POLICY_RULES.KV_PURGE_PROTECTION]: {
    pass: [['azurerm_key_vault', vault]],
    fail: [['azurerm_key_vault', { ...vault, purge_protection_enabled: false }, {}, /purge_protection_enabled is not true/]],
    notApplicable: [['azurerm_key_vault_secret', {}, {}, /does not cover/]],
  },
  [POLICY_RULES.KV_RBAC]: {
    pass: [
      ['azurerm_key_vault', vault],
      ['azurerm_key_vault', { enable_rbac_authorization: true }],
    ],
    fail: [['azurerm_key_vault', { ...vault, rbac_authorization_enabled: false }, {}, /RBAC authorization is not enabled/]],
    notApplicable: [['azurerm_storage_account', {}, {}, /does not cover/]],
  },
  [POLICY_RULES.KV_NETWORK_DENY]: {
    pass: [['azurerm_key_vault', vault]],
    fail: [['azurerm_key_vault', { ...vault, network_acls: { default_action: 'Allow' } }, {}, /default_action is not "Deny"/]],
    notApplicable: [['azurerm_storage_account', account, {}, /does not cover/]],
  },
  [POLICY_RULES.KV_SOFT_DELETE]: {
    pass: [
      ['azurerm_key_vault', vault],
      ['azurerm_key_vault', { ...vault, soft_delete_retention_days: undefined }],
    ],
    fail: [['azurerm_key_vault', { ...vault, soft_delete_retention_days: 120 }, {}, /soft_delete_retention_days is 120; allowed 7–90/]],
    notApplicable: [['azurerm_key_vault_secret', {}, {}, /does not cover/]],
  },
  [POLICY_RULES.KV_SECRET_HYGIENE]: {
    pass: [['azurerm_key_vault_secret', { content_type: 'password', expiration_date: '${timeadd(plantimestamp(), "8760h")}' }]],
    fail: [
      ['azurerm_key_vault_secret', { content_type: 'password' }, {}, /missing expiration_date/],
      ['azurerm_key_vault_secret', { content_type: '' }, {}, /missing content_type and expiration_date/],
    ],
    notApplicable: [['azurerm_key_vault', vault, {}, /does not cover/]],
  },
  [POLICY_RULES.ST_HTTPS_ONLY]: {
    pass: [['azurerm_storage_account', account]],
    fail: [['azurerm_storage_account', { ...account, https_traffic_only_enabled: undefined }, {}, /not explicitly true/]],
    notApplicable: [['azurerm_storage_container', {}, {}, /does not cover/]],
  },
  [POLICY_RULES.ST_TLS]: {
    pass: [['azurerm_storage_account', account]],
    fail: [['azurerm_storage_account', { ...account, min_tls_version: 'TLS1_0' }, {}, /min_tls_version is TLS1_0/]],
    notApplicable: [['azurerm_storage_container', {}, {}, /does not cover/]],
  },
  [POLICY_RULES.ST_PUBLIC_NESTED]: {
    pass: [['azurerm_storage_account', account]],
    fail: [['azurerm_storage_account', { ...account, allow_nested_items_to_be_public: undefined }, {}, /provider default is true/]],
    notApplicable: [['azurerm_storage_container', {}, {}, /does not cover/]],
  },
  [POLICY_RULES.ST_NETWORK_DENY]: {
    pass: [
      ['azurerm_storage_account', account],
      [
        'azurerm_storage_account',
        { ...account, network_rules: undefined },
        { resource: { azurerm_storage_account_network_rules: { n: { default_action: 'Deny', storage_account_id: '${azurerm_storage_account.x.id}' } } } },
      ],
    ],
    fail: [['azurerm_storage_account', { ...account, network_rules: { default_action: 'Allow' } }, {}, /do not default to "Deny"/]],
    notApplicable: [['azurerm_storage_account_network_rules', {}, {}, /does not cover/]],
  },
  [POLICY_RULES.ST_BLOB_SOFT_DELETE]: {
    pass: [['azurerm_storage_account', account]],
    fail: [['azurerm_storage_account', { ...account, blob_properties: {} }, {}, /delete_retention_policy is not set/]],
    notApplicable: [
      ['azurerm_storage_account', { ...account, account_kind: 'FileStorage', blob_properties: undefined }, {}, /a FileStorage account holds no blobs/],
      ['azurerm_storage_container', {}, {}, /does not cover/],
    ],
  },
  [POLICY_RULES.PREVENT_DESTROY]: {
    pass: [
      ['azurerm_storage_container', { lifecycle: { prevent_destroy: true } }],
      ['azurerm_key_vault', vault],
    ],
    fail: [['azurerm_storage_container', {}, {}, /prevent_destroy is off/]],
    notApplicable: [['azurerm_resource_group', {}, {}, /does not cover/]],
  },
  [POLICY_RULES.TAGS]: {
    pass: [
      ['azurerm_resource_group', { tags: { a: 'b' } }],
      ['azurerm_resource_group', { tags: '${merge(var.tags, { a = "b" })}' }],
    ],
    fail: [
      ['azurerm_resource_group', { tags: {} }, {}, /no tags/],
      ['azurerm_resource_group', {}, {}, /no tags/],
    ],
    notApplicable: [['azurerm_role_assignment', {}, {}, /azurerm_role_assignment takes no tags/]],
  },
};

const label = (v: Verdict) => v.result;

describe.each(Object.entries(CASES))('%s', (id, cases) => {
  // Rest parameters: jest takes a test function with more parameters than the row has for a `done` callback.
  test.each(cases.pass)('passes: %s %j', (...[type, config, stack]: Case) =>
    expect(check(id as PolicyRuleId, type, config, stack)).toEqual({ result: 'pass' }),
  );
  test.each(cases.fail)('fails: %s %j', (...[type, config, stack, message]: RuleCases['fail'][number]) => {
    const v = check(id as PolicyRuleId, type, config, stack);
    expect(label(v)).toBe('fail');
    if (v.result === 'fail') expect(v.message).toMatch(message);
  });
  test.each(cases.notApplicable)('not applicable: %s %j', (...[type, config, stack, reason]: RuleCases['notApplicable'][number]) => {
    const v = check(id as PolicyRuleId, type, config, stack);
    expect(label(v)).toBe('not-applicable');
    if (v.result === 'not-applicable') expect(v.reason).toMatch(reason);
  });
  test('has at least one case of each kind', () => {
    expect([cases.pass.length, cases.fail.length, cases.notApplicable.length].every((n) => n > 0)).toBe(true);
  });
});

test('sensitive values: secret-looking variables and outputs must be sensitive; other names are not applicable', () => {
  expect(SENSITIVE_VALUES_RULE.check('variable', 'photoscan_activation_code', { sensitive: true })).toEqual({ result: 'pass' });
  expect(SENSITIVE_VALUES_RULE.check('variable', 'photoscan_activation_code', {})).toEqual({
    result: 'fail',
    message: 'variable photoscan_activation_code looks like a secret but is not sensitive',
  });
  expect(SENSITIVE_VALUES_RULE.check('output', 'admin_password', { sensitive: false }).result).toBe('fail');
  expect(SENSITIVE_VALUES_RULE.check('variable', 'storage_key', {}).result).toBe('fail');
  expect(SENSITIVE_VALUES_RULE.check('variable', 'admin_ssh_public_key', {})).toEqual({
    result: 'not-applicable',
    reason: 'variable admin_ssh_public_key is not named like a secret',
  });
  expect(SENSITIVE_VALUES_RULE.check('output', 'hpc_cache_rp_object_id', {}).result).toBe('not-applicable');
});

test('the index lists every rule id once, and every rule has its cases', () => {
  const ids = ALL_RULES.map((r) => r.id);
  expect(new Set(ids).size).toBe(ids.length);
  expect([...ids].sort()).toEqual([...new Set(Object.values(POLICY_RULES))].sort());
  expect(Object.keys(CASES).sort()).toEqual(RULES.map((r) => r.id).sort());
});

test('one rule per file under src/policy/rules/, each file named after its id', () => {
  const dir = path.join(__dirname, '..', '..', 'src', 'policy', 'rules');
  const ruleFiles = fs.readdirSync(dir).filter((f) => /^[a-z]+-\d+-[a-z0-9-]+\.ts$/.test(f));
  expect(ruleFiles).toHaveLength(ALL_RULES.length);
  for (const r of ALL_RULES) {
    const prefix = `${r.id.replace(/^PGM-/, '').toLowerCase()}-`;
    const files = ruleFiles.filter((f) => f.startsWith(prefix));
    expect(files).toHaveLength(1);
    expect(fs.readFileSync(path.join(dir, files[0]), 'utf8')).toContain(`POLICY_RULES.${Object.entries(POLICY_RULES).find(([, v]) => v === r.id)![0]}`);
  }
});

test('helpers: Internet sources and named ports', () => {
  expect(['*', 'Internet', 'Any', '0.0.0.0/0', '::/0', '10.0.0.0/0'].every(isInternetSource)).toBe(true);
  expect(['10.0.0.0/8', 'VirtualNetwork', 'AzureLoadBalancer'].some(isInternetSource)).toBe(false);
  expect(describePorts(['5980-5990', '53'])).toBe('WinRM (5985), WinRM (5986), DNS (53)');
  expect(describePorts(['8080'])).toBe('port 8080');
});

test('rules carry a description and checkov/trivy ids in their own formats', () => {
  for (const r of ALL_RULES) {
    expect(r.description.length).toBeGreaterThan(10);
    for (const c of r.checkov) expect(c).toMatch(/^CKV2?_AZURE_\d+$/);
    for (const t of r.trivy) expect(t).toMatch(/^AVD-AZU-\d{4}$/);
  }
});
