/**
 * Issue 12, parts 2–3: Avere honestly opt-in (RSA key with a comment, Marketplace terms a choice, the controller's
 * roles out of reach of the vault and the DCs) and one deploy location the vault — and Avere's SSH path — admit.
 */
import { TerraformStack } from 'cdktf';
import { SecretsVault } from '../../constructs/secrets-vault';
import { deployLocation, defaultRunnerSubnetCidr } from '../../src/config/deploy';
import { parseConfig } from '../../src/config/load';
import { avereSshKeyIssues } from '../../src/identity/ssh-key';
import { Naming } from '../../src/naming';
import { resourcesOf, synthApp, synthInStack } from '../support/synth';

const RSA =
  'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7MQshdNYaze3sW7nmjkZziXiIVL63olY+5UQiA3IpIqE5mK0lYG0lmh9/AGGZfG2nRIuMNA1SgYCUqy72s8QPnUi5yekJlWlbYyu73itfno1rBNGo30xmQemgeQ2Yxmcd3KUcMIOnXYlaIuuyTHshrgXwQv5h0M0QFpr6w629kJ+veEbB0F7xEEy2BM0xfC4GaEV1AGIfo93goQkakvn46cqHg6Amwv+mQfpVqF1yCkkgOqYy7CBdtZXbtdhxOyf0cbAIG//ziveHsgLVyendux0kk4iOIBaiCDgd88kVgzhvhaDqsLYHIt12bE/hAj0bC0y/tl95xOzv384ErdfD vfx@example';
const RSA_NO_COMMENT = RSA.split(' ').slice(0, 2).join(' ');
const ED25519 = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGk1pXYlNXdSgHCM2ZcGzvJJ8uk6HMiyDf9P4tyXQY1u me@example';
const AVERE = { storage: { backend: 'avere' as const } };

describe('Avere vFXT admin key: only "ssh-rsa AAAA… user@host"', () => {
  test('the configuration refuses an ed25519 key with the Avere backend, naming the field and the construct prop', () => {
    expect(() => parseConfig({ ...AVERE, adminSshPublicKey: ED25519 })).toThrow(
      /adminSshPublicKey: is an ssh-ed25519 key; the Avere vFXT \(AvereCache\.sshPublicKey → avere_vfxt\.vfxt_ssh_key_data\) accepts only "ssh-rsa AAAA… user@host"/,
    );
  });

  test('the configuration refuses an RSA key without a comment with the Avere backend', () => {
    expect(() => parseConfig({ ...AVERE, adminSshPublicKey: RSA_NO_COMMENT })).toThrow(/adminSshPublicKey: has no comment \(user@host\); the Avere vFXT/);
  });

  test('other backends keep accepting ed25519', () => {
    expect(() => parseConfig({ storage: { backend: 'managed-lustre' }, adminSshPublicKey: ED25519 })).not.toThrow();
  });

  test('the rule itself: RSA with a comment passes; ed25519 and comment-less fail at the given field', () => {
    expect(avereSshKeyIssues('sshPublicKey', RSA)).toEqual([]);
    expect(avereSshKeyIssues('sshPublicKey', ED25519)).toEqual([{ path: 'sshPublicKey', message: expect.stringMatching(/is an ssh-ed25519 key/) }]);
    expect(avereSshKeyIssues('sshPublicKey', RSA_NO_COMMENT)).toEqual([{ path: 'sshPublicKey', message: expect.stringMatching(/has no comment/) }]);
  });

  // The construct's own refusal (prop sshPublicKey): __tests__/constructs/avere-cache.test.ts, 'bad input'.

  test('a key given as the Terraform variable carries the Avere rule as a validation', () => {
    const app = synthApp(AVERE);
    const validations = app.stacks.storage.variable?.admin_ssh_public_key?.validation ?? [];
    expect(validations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          condition: expect.stringContaining('^ssh-rsa AAAAB3NzaC1yc2E'),
          error_message: expect.stringMatching(/storage\.backend "avere".*ssh-rsa AAAA… user@host/),
        }),
      ]),
    );
    // Not with another backend.
    const other = synthApp({ storage: { backend: 'managed-lustre' } });
    for (const v of (other.stacks.storage.variable?.admin_ssh_public_key?.validation ?? []) as Array<{ condition: string }>)
      expect(v.condition).not.toContain('^ssh-rsa AAAAB3NzaC1yc2E');
  });
});

describe('Avere vFXT: Marketplace terms are a choice', () => {
  test('default: no azurerm_marketplace_agreement (accept with az vm image terms accept), the controller still has its plan', () => {
    const app = synthApp({ ...AVERE, adminSshPublicKey: RSA });
    expect(resourcesOf(app.stacks.storage, 'azurerm_marketplace_agreement')).toEqual([]);
    const [[, controller]] = resourcesOf(app.stacks.storage, 'azurerm_linux_virtual_machine');
    expect(controller.plan).toEqual({ name: 'avere-vfxt-controller', product: 'vfxt', publisher: 'microsoft-avere' });
    expect(controller.depends_on ?? []).toEqual([]);
  });

  test('acceptMarketplaceTerms: true → both agreements, and the controller waits for them', () => {
    const app = synthApp({ storage: { backend: 'avere', avere: { acceptMarketplaceTerms: true } }, adminSshPublicKey: RSA });
    const terms = resourcesOf(app.stacks.storage, 'azurerm_marketplace_agreement').map(([, t]) => t);
    expect(terms.map((t) => t.plan).sort()).toEqual(['avere-vfxt-controller', 'avere-vfxt-node']);
    expect(terms.every((t) => t.publisher === 'microsoft-avere' && t.offer === 'vfxt')).toBe(true);
    const [[, controller]] = resourcesOf(app.stacks.storage, 'azurerm_linux_virtual_machine');
    expect(controller.depends_on).toHaveLength(2);
  });
});

describe('Avere vFXT controller roles: nothing on the network resource group (vault, DCs)', () => {
  const app = synthApp({ ...AVERE, adminSshPublicKey: RSA });
  const roles = resourcesOf(app.stacks.storage, 'azurerm_role_assignment')
    .map(([, r]) => r)
    .filter((r) => String(r.principal_id).includes('azurerm_linux_virtual_machine'));

  test('its own resource group: Avere Contributor, User Access Administrator, VM Contributor; the cache subnet: Avere Contributor', () => {
    const byRole = roles.map((r) => [r.role_definition_name, r.scope]).sort();
    expect(byRole).toEqual([
      ['Avere Contributor', expect.stringMatching(/^\$\{azurerm_resource_group\.resource-group\.id\}$/)],
      ['Avere Contributor', expect.stringMatching(/cache-subnet.*id/)],
      ['User Access Administrator', expect.stringMatching(/^\$\{azurerm_resource_group\.resource-group\.id\}$/)],
      ['Virtual Machine Contributor', expect.stringMatching(/^\$\{azurerm_resource_group\.resource-group\.id\}$/)],
    ]);
  });

  test('no assignment is scoped to the network resource group (which holds the Key Vault and the domain controllers)', () => {
    expect(roles).toHaveLength(4);
    // The network resource group reaches the storage stack as a cross-stack output of hpc-network's resource group.
    for (const r of roles) expect(String(r.scope)).not.toMatch(/hpc-network_resource-group/);
    expect(roles.filter((r) => r.role_definition_name === 'User Access Administrator')).toHaveLength(1);
  });
});

describe('deploy location: the runner subnet (default)', () => {
  const app = synthApp({ adminSshPublicKey: ED25519 });
  const net = app.stacks.network;

  test('a runner subnet, last /27 of the PhotoScan VNet, with the Key Vault service endpoint and an NSG', () => {
    expect(defaultRunnerSubnetCidr('10.0.0.0/16')).toBe('10.0.255.224/27');
    expect(deployLocation(parseConfig({}))).toEqual({ kind: 'runner-subnet', cidr: '10.0.255.224/27' });
    const [[, subnet]] = resourcesOf(net, 'azurerm_subnet').filter(([, s]) => s.name === 'snet-pgm-runner');
    expect(subnet).toMatchObject({ address_prefixes: ['10.0.255.224/27'], service_endpoints: ['Microsoft.KeyVault'] });
    expect(resourcesOf(net, 'azurerm_subnet_network_security_group_association').some(([, a]) => String(a.subnet_id).includes('runner_subnet'))).toBe(true);
  });

  test('the vault admits the runner subnet and no IP', () => {
    const [[, vault]] = resourcesOf(net, 'azurerm_key_vault');
    expect(vault.network_acls.ip_rules).toEqual([]);
    expect(vault.network_acls.virtual_network_subnet_ids).toContainEqual(expect.stringMatching(/^\$\{azurerm_subnet\.runner_subnet_\w+\.id\}$/));
  });

  test('with Avere, the cache subnet admits SSH from the runner subnet (the avere provider reaches the controller)', () => {
    const a = synthApp({ ...AVERE, adminSshPublicKey: RSA, deploy: { runnerSubnetCidr: '10.0.8.0/28' } });
    const rules = resourcesOf(a.stacks.storage, 'azurerm_network_security_rule').map(([, r]) => r);
    expect(rules).toContainEqual(
      expect.objectContaining({
        name: 'allow-ssh-from-deployer',
        access: 'Allow',
        direction: 'Inbound',
        destination_port_range: '22',
        source_address_prefix: '10.0.8.0/28',
        priority: 300,
      }),
    );
  });

  test.each([
    [{ deploy: { runnerSubnetCidr: '10.0.1.0/27' } }, /deploy\.runnerSubnetCidr: "10\.0\.1\.0\/27" overlaps addressPlan\.computeSubnet/],
    [{ deploy: { runnerSubnetCidr: '10.9.0.0/27' } }, /deploy\.runnerSubnetCidr: "10\.9\.0\.0\/27" is outside addressPlan\.photoscanVnet/],
    [{ deploy: { runnerSubnetCidr: '10.0.8.5/27' } }, /deploy\.runnerSubnetCidr: "10\.0\.8\.5\/27" is not aligned/],
    [{ deploy: { runnerSubnetCidr: '10.0.8.0/30' } }, /deploy\.runnerSubnetCidr: .*smaller than the \/29/],
    [{ deploy: { egressCidrs: ['203.0.113.7/32'] } }, /deploy\.egressCidrs: is only used with deploy\.from "egress-ips"/],
  ])('refused: %j', (input, message) => {
    expect(() => parseConfig(input as never)).toThrow(message);
  });
});

describe('deploy location: egress IPs', () => {
  test('the vault admits exactly the egress IPs (and the configured extra ranges); no runner subnet', () => {
    const a = synthApp({ deploy: { from: 'egress-ips', egressCidrs: ['203.0.113.7/32'] }, secrets: { allowedIpRanges: ['198.51.100.0/28'] } });
    const [[, vault]] = resourcesOf(a.stacks.network, 'azurerm_key_vault');
    expect(vault.network_acls.ip_rules).toEqual(['198.51.100.0/28', '203.0.113.7/32']);
    expect(resourcesOf(a.stacks.network, 'azurerm_subnet').map(([, s]) => s.name)).not.toContain('snet-pgm-runner');
  });

  test('a vault reachable by no runner is refused: no runner subnet and no IP', () => {
    expect(() => parseConfig({ deploy: { from: 'egress-ips' } })).toThrow(
      /deploy\.egressCidrs: is empty and so is secrets\.allowedIpRanges: no place Terraform runs can write the Key Vault.*runnerSubnetIds and allowedIpRanges/,
    );
  });

  test('Avere cannot deploy from egress IPs (its controller has no public address)', () => {
    expect(() => parseConfig({ ...AVERE, adminSshPublicKey: RSA, deploy: { from: 'egress-ips', egressCidrs: ['203.0.113.7/32'] } })).toThrow(
      /deploy\.from: "egress-ips" cannot deploy storage\.backend "avere".*deployerSourceCidrs/,
    );
  });

  test('private or open egress ranges are refused', () => {
    expect(() => parseConfig({ deploy: { from: 'egress-ips', egressCidrs: ['10.0.0.0/8'] } })).toThrow(
      /deploy\.egressCidrs\[0\]: "10\.0\.0\.0\/8" is a private range/,
    );
  });
});

describe('SecretsVault used directly', () => {
  const base = { naming: new Naming('pgm'), location: 'eastus', resourceGroupName: 'rg', vaultName: 'kv-pgm-fixed' };

  test('a vault reachable by no runner is refused, naming the props', () => {
    expect(() => synthInStack((stack: TerraformStack) => new SecretsVault(stack, 'kv', base))).toThrow(
      /SecretsVault props \(test\/kv\):\n {2}- runnerSubnetIds: and allowedIpRanges are both empty/,
    );
    // An allowed subnet where Terraform does not run (the compute subnet) does not count.
    expect(() => synthInStack((stack: TerraformStack) => new SecretsVault(stack, 'kv', { ...base, allowedSubnetIds: ['/subnets/compute'] }))).toThrow(
      /runnerSubnetIds/,
    );
  });

  test('runnerSubnetIds go into the firewall next to the allowed subnets', () => {
    const json = synthInStack(
      (stack: TerraformStack) => new SecretsVault(stack, 'kv', { ...base, allowedSubnetIds: ['/subnets/compute'], runnerSubnetIds: ['/subnets/runner'] }),
    );
    expect(resourcesOf(json, 'azurerm_key_vault')[0][1].network_acls.virtual_network_subnet_ids).toEqual(['/subnets/compute', '/subnets/runner']);
  });
});
