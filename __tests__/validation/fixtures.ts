/** Shared fixtures for the validation tests: the schemas (loaded once per worker) and a valid stack to break. */
import { loadSchemaIndexes, SchemaIndex } from '../../src/validation/schema-index';
import { ValidationProblem, validateStack } from '../../src/validation/validate';
import { AZURERM_VERSION, CORE_VERSION } from '../support/toolchain';

/** A synthesized stack as JSON (loosely typed so tests can break it). */
export type StackJson = Record<string, any>;

let cached: SchemaIndex[] | undefined;

/** The default schemas (built-in, azurerm, random), from the shared cache file. */
export function schemas(): SchemaIndex[] {
  cached ??= loadSchemaIndexes();
  return cached;
}

/** Validates `json` as stack "test" against the default schemas. */
export function validate(json: unknown, extra: readonly SchemaIndex[] = []): ValidationProblem[] {
  return validateStack('test', json, extra.length ? schemas().concat(extra) : schemas());
}

/** `code path` of every problem, for compact assertions. */
export function summary(problems: readonly ValidationProblem[]): string[] {
  return problems.map((p) => `${p.code} ${p.path}`);
}

/**
 * A small but complete stack in the shape cdktf emits, valid against
 * the installed azurerm and random providers (cdktf: azurerm 4.55.0, random 3.7.2; CDK Terrain: 4.73.0, 3.9.1).
 * Every test starts from a fresh copy.
 */
export function validStack(): StackJson {
  return {
    '//': { metadata: { backend: 'local', stackName: 'test', version: CORE_VERSION }, outputs: {} },
    terraform: {
      backend: { local: { path: '../../terraform.test.tfstate' } },
      required_providers: {
        azurerm: { source: 'azurerm', version: AZURERM_VERSION },
        random: { source: 'hashicorp/random', version: '~> 3.7' },
      },
    },
    provider: { azurerm: [{ features: [{}] }, { alias: 'west', features: [{}] }], random: [{}] },
    variable: { admin_cidr: { type: 'string', default: '10.0.0.0/8', description: 'Admin network' } },
    locals: { prefix: 'pgm', jumpbox_name: '${local.prefix}-jumpbox' },
    data: {
      azurerm_client_config: { current: {} },
      terraform_remote_state: {
        'cross-stack-reference-input-network': { backend: 'local', config: { path: '../../terraform.network.tfstate' }, workspace: '${terraform.workspace}' },
      },
    },
    resource: {
      azurerm_resource_group: {
        rg: {
          '//': { metadata: { path: 'test/rg', uniqueId: 'rg' } },
          name: '${local.prefix}-rg',
          location: 'eastus',
          tags: { tenant: '${data.azurerm_client_config.current.tenant_id}', 'managed-by': 'cdktf' },
        },
      },
      azurerm_virtual_network: {
        photoscan: {
          name: 'vnet-pgm',
          location: '${azurerm_resource_group.rg.location}',
          resource_group_name: '${azurerm_resource_group.rg.name}',
          address_space: ['10.0.0.0/16'],
          flow_timeout_in_minutes: '10',
          subnet: [{ name: 'cache', address_prefixes: ['10.0.1.0/24'], id: null, security_group: null }],
          timeouts: { create: '30m' },
          depends_on: ['azurerm_resource_group.rg'],
          lifecycle: { ignore_changes: ['tags'], prevent_destroy: false },
        },
      },
      azurerm_subnet: {
        jumpbox: {
          name: '${local.jumpbox_name}',
          resource_group_name: '${azurerm_resource_group.rg.name}',
          virtual_network_name: '${azurerm_virtual_network.photoscan.name}',
          address_prefixes: ['10.0.2.0/24'],
          delegation: [{ name: 'batch', service_delegation: { name: 'Microsoft.Batch/batchAccounts', actions: [] } }],
        },
        compute: {
          count: 2,
          name: 'compute-${count.index}',
          resource_group_name: '${azurerm_resource_group.rg.name}',
          virtual_network_name: '${azurerm_virtual_network.photoscan.name}',
          address_prefixes: ['${cidrsubnet("10.0.0.0/16", 8, count.index + 10)}'],
          default_outbound_access_enabled: 'false',
        },
      },
      azurerm_network_security_rule: {
        ssh: {
          provider: 'azurerm.west',
          name: 'allow-ssh',
          priority: 100,
          direction: 'Inbound',
          access: 'Allow',
          protocol: 'Tcp',
          source_address_prefix: '${var.admin_cidr}',
          destination_port_ranges: ['22', 3389],
          resource_group_name: '${azurerm_resource_group.rg.name}',
          network_security_group_name: 'nsg',
        },
      },
      azurerm_linux_virtual_machine: {
        jumpbox: {
          for_each: '${toset(["a", "b"])}',
          name: 'vm-${each.key}',
          location: '${azurerm_resource_group.rg.location}',
          resource_group_name: '${azurerm_resource_group.rg.name}',
          size: 'Standard_B2s',
          admin_username: 'azureuser',
          admin_password: '${random_password.admin.result}',
          network_interface_ids: ['${element(azurerm_subnet.compute.*.id, 0)}'],
          os_disk: { caching: 'ReadWrite', storage_account_type: 'Standard_LRS' },
          admin_ssh_key: [{ username: 'azureuser', public_key: 'ssh-rsa AAAA' }],
          dynamic: {
            secret: {
              for_each: '${var.admin_cidr == "" ? [] : [1]}',
              iterator: 'kv',
              content: { key_vault_id: '${kv.value}', certificate: [{ url: 'https://kv/cert' }] },
            },
          },
        },
      },
      random_password: { admin: { length: 24, special: 'true', min_numeric: '2' } },
    },
    output: {
      vnet_id: { value: '${azurerm_virtual_network.photoscan.id}', sensitive: true },
      vm_ids: { value: '${[for vm in azurerm_linux_virtual_machine.jumpbox : vm.id]}' },
      network_subnet: {
        value: '${data.terraform_remote_state.cross-stack-reference-input-network.outputs.subnet_id}',
      },
    },
  };
}
