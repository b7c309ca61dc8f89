import { TerraformStack } from 'cdktf';
import { HpcNetwork } from '../../constructs/hpc-network';
import { SecretsVault, SecretsVaultProps } from '../../constructs/secrets-vault';
import { parseConfig } from '../../src/config/load';
import { PASSWORD_SPECIALS } from '../../src/identity/key-vault';
import { Naming } from '../../src/naming';
import { resourcesOf, synthApp, synthInStack } from '../support/synth';

// The Avere backend: it adds the vFXT admin password and the cache subnet that these tests also check.
const app = synthApp({ storage: { backend: 'avere' }, secrets: { allowedIpRanges: ['203.0.113.7/32'] } });
const network = app.stacks.network;
const one = (type: string) => {
  const all = resourcesOf(network, type);
  expect(all).toHaveLength(1);
  return all[0];
};

describe('SecretsVault in the network stack', () => {
  test('Key Vault: RBAC, purge protection, 90-day soft delete, firewall default Deny with the compute and AD subnets and the allowed IPs, prevent_destroy, tags', () => {
    const [, vault] = one('azurerm_key_vault');
    expect(vault).toMatchObject({
      sku_name: 'standard',
      rbac_authorization_enabled: true,
      purge_protection_enabled: true,
      soft_delete_retention_days: 90,
      network_acls: {
        default_action: 'Deny',
        bypass: 'AzureServices',
        ip_rules: ['203.0.113.7/32'],
        virtual_network_subnet_ids: [
          expect.stringMatching(/^\$\{azurerm_subnet\.hpc-network_compute-subnet_\w+\.id\}$/),
          expect.stringMatching(/^\$\{azurerm_subnet\.hpc-network_ad-subnet_\w+\.id\}$/),
          // Where Terraform runs (deploy.from "runner-subnet", the default): __tests__/constructs/deploy-location.test.ts
          expect.stringMatching(/^\$\{azurerm_subnet\.runner_subnet_\w+\.id\}$/),
        ],
      },
      lifecycle: { prevent_destroy: true },
      tags: { workload: 'photogrammetry', 'managed-by': 'cdktf', stack: 'network' },
    });
    expect(vault.tenant_id).toMatch(/^\$\{data\.azurerm_client_config\.\w+\.tenant_id\}$/);
    // Globally unique: a random suffix generated once and kept in state.
    expect(vault.name).toMatch(/^kv-pgm-\$\{random_string\.[\w-]+\.result\}$/);
    const [, suffix] = one('random_string');
    expect(suffix).toMatchObject({ length: 6, upper: false, special: false });
  });

  test('one random_password per admin account, each in a Key Vault secret with content type and a fixed expiry', () => {
    const passwords = resourcesOf(network, 'random_password');
    expect(passwords).toHaveLength(4);
    for (const [, p] of passwords)
      expect(p).toMatchObject({ length: 28, special: true, override_special: PASSWORD_SPECIALS, min_upper: 2, min_lower: 2, min_numeric: 2, min_special: 2 });
    const secrets: Record<string, Record<string, any>> = Object.fromEntries(resourcesOf(network, 'azurerm_key_vault_secret').map(([, s]) => [s.name, s]));
    expect(Object.keys(secrets).sort()).toEqual([
      'domain-admin-password',
      'dsrm-password',
      'local-admin-password',
      'photoscan-activation-code',
      'vfxt-admin-password',
    ]);
    for (const [name, s] of Object.entries(secrets)) {
      expect(s.content_type).toBeTruthy();
      expect(s.expiration_date).toBe('${timeadd(plantimestamp(), "8760h")}');
      expect(s.lifecycle).toEqual({ ignore_changes: ['expiration_date'] });
      expect(s.depends_on).toEqual([expect.stringMatching(/^azurerm_role_assignment\.secrets_deployer-secrets-officer_/)]);
      expect(s.value).toMatch(name === 'photoscan-activation-code' ? /^\$\{var\.photoscan_activation_code\}$/ : /^\$\{random_password\.[\w-]+\.result\}$/);
    }
  });

  test('the deployer is Key Vault Secrets Officer on the vault', () => {
    const [, officer] = resourcesOf(network, 'azurerm_role_assignment').find(([, r]) => r.role_definition_name === 'Key Vault Secrets Officer')!;
    expect(officer.scope).toMatch(/^\$\{azurerm_key_vault\.\w+\.id\}$/);
    expect(officer.principal_id).toMatch(/^\$\{data\.azurerm_client_config\.\w+\.object_id\}$/);
  });

  test('the activation code is a sensitive variable without a default, never read at synth', () => {
    expect(network.variable?.photoscan_activation_code).toEqual(
      expect.objectContaining({
        type: 'string',
        sensitive: true,
        nullable: false,
        validation: [expect.objectContaining({ condition: '${length(trimspace(var.photoscan_activation_code)) > 0}' })],
      }),
    );
    expect(network.variable?.photoscan_activation_code).not.toHaveProperty('default');
  });

  test('no firewall IP range but the runner subnet: no warning (the vault is writable from where CI runs)', () => {
    const warnings = synthApp().manifest.stacks.network.annotations.map((a) => a.message);
    expect(warnings.filter((w) => /SecretsVault: no public IP range/.test(w))).toEqual([]);
  });
});

describe('firewall subnets', () => {
  const endpoints = (json: ReturnType<typeof synthApp>['stacks']['network']) =>
    Object.fromEntries(resourcesOf(json, 'azurerm_subnet').map(([, s]) => [s.name, s.service_endpoints ?? []]));

  test('every allowed subnet has the Microsoft.KeyVault service endpoint (Azure refuses the network rule otherwise); the others keep theirs', () => {
    const e = endpoints(network);
    expect(e['snet-pgm-compute']).toEqual(['Microsoft.KeyVault', 'Microsoft.Storage']);
    expect(e['snet-pgm-ad']).toEqual(['Microsoft.KeyVault']);
    expect(e['snet-pgm-jumpbox']).toEqual([]);
    expect(e['snet-pgm-cache']).toEqual(['Microsoft.Storage']);
  });

  test('secrets.allowedSubnets picks the subnets: ["jumpbox"] admits the jump box subnet (and the runner subnet, where Terraform runs)', () => {
    const a = synthApp({ secrets: { allowedSubnets: ['jumpbox'] } });
    const [[, vault]] = resourcesOf(a.stacks.network, 'azurerm_key_vault');
    expect(vault.network_acls.virtual_network_subnet_ids).toEqual([
      expect.stringMatching(/^\$\{azurerm_subnet\.hpc-network_jumpbox-subnet_\w+\.id\}$/),
      expect.stringMatching(/^\$\{azurerm_subnet\.runner_subnet_\w+\.id\}$/),
    ]);
    const e = endpoints(a.stacks.network);
    expect(e['snet-pgm-jumpbox']).toEqual(['Microsoft.KeyVault']);
    expect(e['snet-pgm-ad']).toEqual([]);
  });

  test.each([
    [{ allowedSubnets: ['cache'] }, /secrets.allowedSubnets\[0\]: expected one of "jumpbox", "compute", "ad"/],
    [{ allowedSubnets: ['ad', 'ad'] }, /secrets.allowedSubnets\[1\]: "ad" is listed twice/],
    [{ allowedIpRanges: ['0.0.0.0/x'] }, /secrets.allowedIpRanges\[0\]: expected an IPv4 address or CIDR/],
    [{ allowedIpRanges: ['192.168.0.0/24'] }, /secrets.allowedIpRanges\[0\]: "192.168.0.0\/24" is a private range/],
    [{ secretValidityDays: 0 }, /secrets.secretValidityDays: 0 is not allowed; use a whole number of days, 1–3650/],
    [{ licensing: 'code', licenseServer: '10.0.1.20:5842' }, /secrets.licenseServer: is only used with secrets.licensing "license-server"/],
    [{ licensing: 'license-server', licenseServer: 'no-port' }, /secrets.licenseServer: "no-port" is not host:port/],
  ])('bad config secrets %j', (secrets, message) => {
    expect(() => parseConfig({ secrets } as never)).toThrow(message);
  });
});

describe('licensing', () => {
  test('"license-server": no activation variable or secret; the address is exposed', () => {
    const a = synthApp({ secrets: { licensing: 'license-server', licenseServer: '10.0.1.20:5842' } });
    expect(a.stacks.network.variable?.photoscan_activation_code).toBeUndefined();
    expect(resourcesOf(a.stacks.network, 'azurerm_key_vault_secret').map(([, s]) => s.name)).not.toContain('photoscan-activation-code');
  });

  test('"none": synth warns that the nodes run unlicensed', () => {
    const a = synthApp({ secrets: { licensing: 'none' } });
    expect(a.manifest.stacks.network.annotations.map((x) => x.message)).toEqual(expect.arrayContaining([expect.stringMatching(/unlicensed/)]));
  });
});

describe('SecretsVault used directly', () => {
  function make(props: Partial<SecretsVaultProps> = {}) {
    return synthInStack((stack: TerraformStack) => {
      const v = new SecretsVault(stack, 'kv', {
        naming: new Naming('pgm'),
        location: 'eastus',
        resourceGroupName: 'rg',
        vaultName: 'kv-pgm-fixed',
        runnerSubnetIds: ['/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/runner'],
        ...props,
      });
      // grantSecretsRead: one secret, or the whole vault
      v.grantSecretsRead('${azurerm_user_assigned_identity.x.principal_id}', { scope: stack, id: 'node-reads-code', secret: v.activationCode! });
      v.grantSecretsRead({ principalId: '00000000-0000-0000-0000-000000000001', principalType: 'Group' }, { scope: stack, id: 'app-reads-all' });
      expect(() => v.password('nope' as never)).toThrow(/no password for "nope"/);
      expect(() => v.password('vfxtAdmin')).toThrow(/no password for "vfxtAdmin".*add the account to the passwords prop/);
    });
  }

  test('grantSecretsRead: Key Vault Secrets User on a secret (versionless ARM id) or on the vault', () => {
    const json = make();
    const users = resourcesOf(json, 'azurerm_role_assignment')
      .filter(([, r]) => r.role_definition_name === 'Key Vault Secrets User')
      .map(([, r]) => r);
    expect(users).toHaveLength(2);
    expect(users).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          scope: expect.stringMatching(/^\$\{azurerm_key_vault_secret\.kv_activation-code_\w+\.resource_versionless_id\}$/),
          principal_type: 'ServicePrincipal',
        }),
        expect.objectContaining({
          scope: expect.stringMatching(/^\$\{azurerm_key_vault\.kv_vault_\w+\.id\}$/),
          principal_id: '00000000-0000-0000-0000-000000000001',
          principal_type: 'Group',
        }),
      ]),
    );
    expect(resourcesOf(json, 'azurerm_key_vault')[0][1].name).toBe('kv-pgm-fixed');
    expect(resourcesOf(json, 'random_string')).toEqual([]);
  });

  test.each([
    [{ vaultName: 'kv' }, /vaultName: "kv" is not a valid Key Vault name/],
    [{ vaultName: '1kv-pgm' }, /vaultName: "1kv-pgm" is not a valid Key Vault name/],
    [{ vaultName: 'kv--pgm' }, /vaultName/],
    [{ vaultName: 'kv-pgm-this-name-is-too-long' }, /vaultName/],
    [{ vaultName: 'kv-pgm-' }, /vaultName/],
    [{ softDeleteRetentionDays: 6 }, /softDeleteRetentionDays: 6 days is not allowed: Key Vault keeps deleted secrets 7–90 days/],
    [{ softDeleteRetentionDays: 91 }, /softDeleteRetentionDays: 91 days/],
    [{ secretValidityDays: 0 }, /secretValidityDays: 0 is not allowed/],
    [{ licensing: { kind: 'license-server', address: 'nohost' } }, /licensing.address: "nohost" is not host:port/],
    [{ allowedIpRanges: ['203.0.113.7/32', '0.0.0.0/0'] }, /allowedIpRanges\[1\]: "0.0.0.0\/0" would let the whole Internet through/],
    [{ allowedIpRanges: ['10.0.0.0/16'] }, /allowedIpRanges\[0\]: "10.0.0.0\/16" is a private range/],
  ] as Array<[Partial<SecretsVaultProps>, RegExp]>)('bad props %j → %s', (props, message) => {
    expect(() =>
      synthInStack(
        (stack) =>
          new SecretsVault(stack, 'kv', {
            naming: new Naming('pgm'),
            location: 'eastus',
            resourceGroupName: 'rg',
            allowedIpRanges: ['203.0.113.7/32'],
            ...props,
          }),
      ),
    ).toThrow(message);
  });
});

test('HpcNetwork is untouched by the vault: the compute subnet keeps its Key Vault service endpoint', () => {
  const json = synthInStack((stack) => new HpcNetwork(stack, 'n', { naming: new Naming('pgm'), location: 'eastus' }));
  const compute = resourcesOf(json, 'azurerm_subnet').find(([, s]) => s.name === 'snet-pgm-compute')![1];
  expect(compute.service_endpoints).toContain('Microsoft.KeyVault');
});
