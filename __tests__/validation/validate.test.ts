/**
 * The offline validator finds each kind of problem in deliberately broken
 * stacks, at the right path, and nothing in valid ones.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { formatProblem } from '../../src/validation/problems';
import { validateOutdir, validateOutdirDetailed, validateStack } from '../../src/validation/validate';
import { schemas, StackJson, summary, validate, validStack } from './fixtures';
import { AZURERM_VERSION, CORE_VERSION } from '../support/toolchain';

/** Problems of the valid stack after `mutate`. */
function problemsAfter(mutate: (json: StackJson) => void) {
  const json = validStack();
  mutate(json);
  return validate(json);
}

describe('validateStack', () => {
  test('a valid stack (count, for_each, dynamic blocks, aliases, remote state, string-encoded numbers and bools) has no problems', () => {
    expect(validate(validStack())).toEqual([]);
  });

  test('a stack that is not an object', () => {
    expect(summary(validate([]))).toEqual(['invalid-stack ']);
  });

  test('unknown top-level key', () => {
    const problems = problemsAfter((j) => {
      j.resources = j.resource;
    });
    expect(summary(problems)).toEqual(['unknown-top-level-key resources']);
    expect(problems[0].message).toContain('did you mean "resource"?');
  });

  test('unknown resource type, with a suggestion', () => {
    const problems = problemsAfter((j) => {
      j.resource.azurerm_virtual_netwrok = { other: { name: 'x' } };
    });
    expect(summary(problems)).toEqual(['unknown-resource-type resource.azurerm_virtual_netwrok.other']);
    expect(problems[0].message).toBe(
      `unknown resource type "azurerm_virtual_netwrok": provider registry.terraform.io/hashicorp/azurerm ${AZURERM_VERSION} has no such resource type (did you mean "azurerm_virtual_network"?)`,
    );
  });

  test('resource type of a provider without a schema', () => {
    const problems = problemsAfter((j) => {
      j.terraform.required_providers.null = { source: 'hashicorp/null' };
      j.resource.null_resource = { x: {} };
    });
    expect(summary(problems)).toEqual(['unknown-resource-type resource.null_resource.x']);
    expect(problems[0].message).toContain('no schema is loaded for provider registry.terraform.io/hashicorp/null');
  });

  test('unknown data source', () => {
    const problems = problemsAfter((j) => {
      j.data.azurerm_client_configuration = { me: {} };
    });
    expect(summary(problems)).toEqual(['unknown-data-source data.azurerm_client_configuration.me']);
    expect(problems[0].message).toContain('(did you mean "azurerm_client_config"?)');
  });

  test('unsupported argument at the top level of a resource, with a suggestion', () => {
    const problems = problemsAfter((j) => {
      const subnet = j.resource.azurerm_subnet.jumpbox;
      subnet.adress_prefixes = subnet.address_prefixes;
      delete subnet.address_prefixes;
    });
    expect(problems.map(formatProblem)).toEqual([
      'test resource.azurerm_subnet.jumpbox: unsupported argument "adress_prefixes" (did you mean "address_prefixes"?)',
    ]);
    expect(problems[0].code).toBe('unsupported-argument');
  });

  test('unsupported camelCase argument suggests the snake_case name', () => {
    const problems = problemsAfter((j) => {
      j.resource.azurerm_virtual_network.photoscan.addressSpace = ['10.1.0.0/16'];
    });
    expect(problems.map(formatProblem)).toEqual([
      'test resource.azurerm_virtual_network.photoscan: unsupported argument "addressSpace" (did you mean "address_space"?)',
    ]);
  });

  test('setting a read-only attribute', () => {
    const problems = problemsAfter((j) => {
      j.resource.azurerm_virtual_network.photoscan.guid = 'x';
    });
    expect(summary(problems)).toEqual(['unsupported-argument resource.azurerm_virtual_network.photoscan']);
    expect(problems[0].message).toContain('read-only attribute');
  });

  test('unsupported argument inside a nested block (list and single, attribute-style and real blocks)', () => {
    const problems = problemsAfter((j) => {
      j.resource.azurerm_virtual_network.photoscan.subnet[0].nmae = 'x';
      j.resource.azurerm_linux_virtual_machine.jumpbox.os_disk.cachng = 'None';
      j.resource.azurerm_subnet.jumpbox.delegation[0].service_delegation.action = ['a'];
    });
    expect(summary(problems)).toEqual([
      'unsupported-argument resource.azurerm_virtual_network.photoscan.subnet[0]',
      'unsupported-argument resource.azurerm_subnet.jumpbox.delegation[0].service_delegation',
      'unsupported-argument resource.azurerm_linux_virtual_machine.jumpbox.os_disk',
    ]);
    expect(problems[0].message).toBe('unsupported argument "nmae" (did you mean "name"?)');
    expect(problems[1].message).toBe('unsupported argument "action" (did you mean "actions"?)');
  });

  test('unsupported argument inside a dynamic block content (cdktf emits camelCase keys there)', () => {
    const problems = problemsAfter((j) => {
      j.resource.azurerm_linux_virtual_machine.jumpbox.dynamic.secret.content.keyVaultId = '${kv.value}';
      delete j.resource.azurerm_linux_virtual_machine.jumpbox.dynamic.secret.content.key_vault_id;
    });
    expect(summary(problems)).toEqual([
      'unsupported-argument resource.azurerm_linux_virtual_machine.jumpbox.dynamic.secret.content',
      'missing-required-argument resource.azurerm_linux_virtual_machine.jumpbox.dynamic.secret.content',
    ]);
    expect(problems[0].message).toContain('(did you mean "key_vault_id"?)');
  });

  test('dynamic block for something that is not a block', () => {
    const problems = problemsAfter((j) => {
      j.resource.azurerm_linux_virtual_machine.jumpbox.dynamic.size = { for_each: '${var.x}', content: {} };
    });
    expect(summary(problems)).toContain('unsupported-argument resource.azurerm_linux_virtual_machine.jumpbox.dynamic');
  });

  test('missing required argument (absent or null), top level and nested', () => {
    const problems = problemsAfter((j) => {
      delete j.resource.azurerm_subnet.jumpbox.resource_group_name;
      j.resource.random_password.admin.length = null;
      delete j.resource.azurerm_linux_virtual_machine.jumpbox.os_disk.caching;
      delete j.data.terraform_remote_state['cross-stack-reference-input-network'].backend;
    });
    expect(summary(problems)).toEqual([
      'missing-required-argument resource.azurerm_subnet.jumpbox',
      'missing-required-argument resource.azurerm_linux_virtual_machine.jumpbox.os_disk',
      'missing-required-argument resource.random_password.admin',
      'missing-required-argument data.terraform_remote_state.cross-stack-reference-input-network',
    ]);
    expect(problems[0].message).toBe('missing required argument "resource_group_name"');
    expect(problems[2].message).toBe('missing required argument "length"');
  });

  test('missing required block (absent, or an empty list), top level and nested', () => {
    const problems = problemsAfter((j) => {
      delete j.resource.azurerm_linux_virtual_machine.jumpbox.os_disk;
      delete j.resource.azurerm_subnet.jumpbox.delegation[0].service_delegation;
    });
    expect(summary(problems)).toEqual([
      'missing-required-block resource.azurerm_subnet.jumpbox.delegation[0]',
      'missing-required-block resource.azurerm_linux_virtual_machine.jumpbox',
    ]);
    expect(problems[1].message).toBe('missing required block "os_disk"');
    const empty = problemsAfter((j) => {
      j.resource.azurerm_linux_virtual_machine.jumpbox.os_disk = [];
    });
    expect(summary(empty)).toEqual(['missing-required-block resource.azurerm_linux_virtual_machine.jumpbox']);
  });

  test('wrong value types: object for a string, non-numeric string for a number, number for a bool, string for a list, list for a map', () => {
    const problems = problemsAfter((j) => {
      j.resource.azurerm_resource_group.rg.location = { region: 'eastus' };
      j.resource.azurerm_network_security_rule.ssh.priority = 'high';
      j.resource.random_password.admin.special = 1;
      j.resource.azurerm_virtual_network.photoscan.address_space = '10.0.0.0/16';
      j.resource.azurerm_virtual_network.photoscan.subnet[0].address_prefixes = [{ cidr: '10.0.1.0/24' }];
      j.resource.azurerm_resource_group.rg.tags = ['a'];
      j.resource.azurerm_subnet.jumpbox.default_outbound_access_enabled = 'yes';
    });
    expect(problems.map(formatProblem)).toEqual([
      'test resource.azurerm_resource_group.rg.location: expected a string, got an object',
      'test resource.azurerm_resource_group.rg.tags: expected a map of string, got a list',
      'test resource.azurerm_virtual_network.photoscan.address_space: expected a list of string, got the string "10.0.0.0/16"',
      'test resource.azurerm_virtual_network.photoscan.subnet[0].address_prefixes[0]: expected a string, got an object',
      'test resource.azurerm_subnet.jumpbox.default_outbound_access_enabled: expected a bool, got the string "yes"',
      'test resource.azurerm_network_security_rule.ssh.priority: expected a number, got the string "high"',
      'test resource.random_password.admin.special: expected a bool, got the number 1',
    ]);
    expect(new Set(problems.map((p) => p.code))).toEqual(new Set(['invalid-value-type']));
  });

  test('values Terraform converts are accepted: "3" for a number, "true"/"1" for a bool, numbers and bools for strings, and interpolations', () => {
    const problems = problemsAfter((j) => {
      j.resource.azurerm_network_security_rule.ssh.priority = '3';
      j.resource.random_password.admin.upper = '1';
      j.resource.random_password.admin.lower = '${var.admin_cidr != ""}';
      j.resource.random_password.admin.min_upper = '${length(var.admin_cidr)}';
      j.resource.azurerm_resource_group.rg.tags.flag = true;
      j.resource.azurerm_resource_group.rg.tags.n = 42;
      j.resource.azurerm_virtual_network.photoscan.address_space = '${concat(["10.0.0.0/16"], [var.admin_cidr])}';
      j.resource.azurerm_virtual_network.photoscan.subnet = '${[for s in ["a"] : { name = s }]}'; // attribute-style block
    });
    expect(problems).toEqual([]);
  });

  test('a template with text around the interpolation is a string, not a list', () => {
    const problems = problemsAfter((j) => {
      j.resource.azurerm_virtual_network.photoscan.address_space = 'cidr-${var.admin_cidr}';
    });
    expect(summary(problems)).toEqual(['invalid-value-type resource.azurerm_virtual_network.photoscan.address_space']);
  });

  test('wrong nested block shape: a string, a number, or a list of strings for a block; several blocks where one is allowed', () => {
    const problems = problemsAfter((j) => {
      const vm = j.resource.azurerm_linux_virtual_machine.jumpbox;
      vm.os_disk = '${var.admin_cidr}';
      vm.admin_ssh_key = ['ssh-rsa AAAA'];
      vm.source_image_reference = 7;
      j.resource.azurerm_virtual_network.photoscan.timeouts = [{ create: '1h' }, { delete: '1h' }];
    });
    expect(summary(problems)).toEqual([
      'too-many-blocks resource.azurerm_virtual_network.photoscan.timeouts',
      'invalid-block-shape resource.azurerm_linux_virtual_machine.jumpbox.os_disk',
      'invalid-block-shape resource.azurerm_linux_virtual_machine.jumpbox.admin_ssh_key[0]',
      'invalid-block-shape resource.azurerm_linux_virtual_machine.jumpbox.source_image_reference',
    ]);
    expect(problems[1].message).toBe(
      '"os_disk" is a block: expected an object or an array of objects, got the string "${var.admin_cidr}" (a block cannot be set from an expression; use a dynamic block)',
    );
  });

  test('reference to an undeclared resource, with a suggestion', () => {
    const problems = problemsAfter((j) => {
      j.resource.azurerm_subnet.jumpbox.virtual_network_name = '${azurerm_virtual_network.photoscn.name}';
    });
    expect(problems.map(formatProblem)).toEqual([
      'test resource.azurerm_subnet.jumpbox.virtual_network_name: reference to undeclared resource azurerm_virtual_network.photoscn (azurerm_virtual_network.photoscn.name) (did you mean "azurerm_virtual_network.photoscan"?)',
    ]);
    expect(problems[0].code).toBe('undeclared-resource');
  });

  test('references inside function calls, nested strings, depends_on and outputs are checked', () => {
    const problems = problemsAfter((j) => {
      j.resource.azurerm_linux_virtual_machine.jumpbox.network_interface_ids = ['${element(azurerm_network_interface.nic.*.id, 0)}'];
      j.resource.azurerm_resource_group.rg.name = '${join("-", ["rg", "${azurerm_storage_account.sa.name}"])}';
      j.resource.azurerm_virtual_network.photoscan.depends_on = ['azurerm_resource_group.missing'];
      j.output.broken = { value: '${azurerm_subnet.nope.id}' };
    });
    expect(summary(problems)).toEqual([
      'undeclared-resource resource.azurerm_resource_group.rg.name',
      'undeclared-resource resource.azurerm_virtual_network.photoscan.depends_on[0]',
      'undeclared-resource resource.azurerm_linux_virtual_machine.jumpbox.network_interface_ids[0]',
      'undeclared-resource output.broken.value',
    ]);
  });

  test('reference to an undeclared data source', () => {
    const problems = problemsAfter((j) => {
      j.resource.azurerm_resource_group.rg.tags.sub = '${data.azurerm_subscription.current.id}';
    });
    expect(summary(problems)).toEqual(['undeclared-data-source resource.azurerm_resource_group.rg.tags.sub']);
    expect(problems[0].message).toContain('data.azurerm_subscription.current');
  });

  test('reference to an undeclared variable', () => {
    const problems = problemsAfter((j) => {
      j.resource.azurerm_network_security_rule.ssh.source_address_prefix = '${var.admin_cidrs}';
    });
    expect(problems.map(formatProblem)).toEqual([
      'test resource.azurerm_network_security_rule.ssh.source_address_prefix: reference to undeclared variable "admin_cidrs" (var.admin_cidrs) (did you mean "admin_cidr"?)',
    ]);
    expect(problems[0].code).toBe('undeclared-variable');
  });

  test('reference to an undeclared local (also from another local)', () => {
    const problems = problemsAfter((j) => {
      j.locals.jumpbox_name = '${local.prefx}-jumpbox';
    });
    expect(summary(problems)).toEqual(['undeclared-local locals.jumpbox_name']);
    expect(problems[0].message).toContain('(did you mean "prefix"?)');
  });

  test('reference to an undeclared remote state (a cross-stack reference without its terraform_remote_state)', () => {
    const problems = problemsAfter((j) => {
      j.output.network_subnet.value = '${data.terraform_remote_state.cross-stack-reference-input-storage.outputs.x}';
    });
    expect(summary(problems)).toEqual(['undeclared-remote-state output.network_subnet.value']);
  });

  test('reference to an undeclared module', () => {
    const problems = problemsAfter((j) => {
      j.output.m = { value: '${module.avere.controller_address}' };
    });
    expect(summary(problems)).toEqual(['undeclared-module output.m.value']);
  });

  test('references to attributes a resource does not have', () => {
    const problems = problemsAfter((j) => {
      j.output.vnet_id.value = '${azurerm_virtual_network.photoscan.ids}';
      j.output.tenant = { value: '${data.azurerm_client_config.current.tenant}' };
      j.output.guid = { value: '${azurerm_virtual_network.photoscan.guid}' }; // computed: fine
    });
    expect(summary(problems)).toEqual(['unsupported-attribute-reference output.vnet_id.value', 'unsupported-attribute-reference output.tenant.value']);
    expect(problems[0].message).toContain('(did you mean "id"?)');
    expect(problems[1].message).toContain('(did you mean "tenant_id"?)');
  });

  test('each/count outside for_each/count, missing instance key, self-reference', () => {
    const problems = problemsAfter((j) => {
      j.resource.azurerm_resource_group.rg.name = '${each.key}';
      j.resource.azurerm_resource_group.rg.location = '${count.index}';
      j.output.subnet = { value: '${azurerm_subnet.compute.id}' };
      j.resource.azurerm_virtual_network.photoscan.name = '${azurerm_virtual_network.photoscan.guid}';
      j.output.path = { value: '${path.modul}' };
    });
    expect(summary(problems)).toEqual([
      'invalid-reference resource.azurerm_resource_group.rg.name',
      'invalid-reference resource.azurerm_resource_group.rg.location',
      'invalid-reference resource.azurerm_virtual_network.photoscan.name',
      'missing-instance-key output.subnet.value',
      'invalid-reference output.path.value',
    ]);
  });

  test('malformed expressions and unresolved cdktf tokens', () => {
    const problems = problemsAfter((j) => {
      j.resource.azurerm_resource_group.rg.name = '${local.prefix';
      j.resource.azurerm_resource_group.rg.location = '${TfToken[TOKEN.12]}';
      j.resource.azurerm_network_security_rule.ssh.priority = -1.8881545897087626e289;
    });
    expect(summary(problems)).toEqual([
      'invalid-expression resource.azurerm_resource_group.rg.name',
      'invalid-expression resource.azurerm_resource_group.rg.location',
      'invalid-expression resource.azurerm_network_security_rule.ssh.priority',
    ]);
    expect(problems[1].message).toContain('unresolved cdktf token');
  });

  test('missing required provider: a resource prefix or provider block without a required_providers entry', () => {
    const problems = problemsAfter((j) => {
      delete j.terraform.required_providers.random;
    });
    expect(problems.map(formatProblem)).toEqual([
      'test resource.random_password.admin: resource type "random_password" uses provider "random", which is not declared in terraform.required_providers',
    ]);
    expect(problems[0].code).toBe('missing-required-provider');
    const noTerraformBlock = problemsAfter((j) => {
      delete j.terraform;
    });
    expect(summary(noTerraformBlock).filter((s) => s.startsWith('missing-required-provider'))).toEqual([
      'missing-required-provider resource.azurerm_resource_group.rg',
      'missing-required-provider resource.random_password.admin',
    ]);
  });

  test('provider source and version mismatches', () => {
    const problems = problemsAfter((j) => {
      j.terraform.required_providers.azurerm = { source: 'acme/azurerm', version: AZURERM_VERSION };
      j.terraform.required_providers.random.version = '~> 2.0';
    });
    expect(summary(problems)).toEqual([
      'provider-version-mismatch terraform.required_providers.random.version',
      ...[
        'azurerm_resource_group.rg',
        'azurerm_virtual_network.photoscan',
        'azurerm_subnet.jumpbox',
        'azurerm_network_security_rule.ssh',
        'azurerm_linux_virtual_machine.jumpbox',
      ].map((r) => `provider-source-mismatch resource.${r}`),
      'provider-source-mismatch data.azurerm_client_config.current',
    ]);
    expect(problems[1].message).toBe(
      'resource type "azurerm_resource_group" is described by the schema of registry.terraform.io/hashicorp/azurerm, but terraform.required_providers.azurerm.source is registry.terraform.io/acme/azurerm',
    );
  });

  test('meta-arguments: undeclared provider alias, count with for_each, bad lifecycle, ignore_changes of a non-argument', () => {
    const problems = problemsAfter((j) => {
      j.resource.azurerm_network_security_rule.ssh.provider = 'azurerm.east';
      j.resource.azurerm_subnet.compute.for_each = '${toset(["a"])}';
      j.resource.azurerm_virtual_network.photoscan.lifecycle = { ignore_changes: ['addressSpace'], prevent_destory: true };
    });
    expect(summary(problems)).toEqual([
      'unsupported-argument resource.azurerm_virtual_network.photoscan.lifecycle',
      'unsupported-argument resource.azurerm_virtual_network.photoscan.lifecycle.ignore_changes[0]',
      'invalid-meta-argument resource.azurerm_subnet.compute',
      'undeclared-provider-config resource.azurerm_network_security_rule.ssh.provider',
    ]);
    expect(problems[1].message).toContain('(did you mean "address_space"?)');
  });

  test('provider blocks are validated against the provider schema', () => {
    const problems = problemsAfter((j) => {
      j.provider.azurerm[0].subscription = 'x';
      j.provider.azurerm[0].features = 'all';
    });
    expect(summary(problems)).toEqual(['invalid-block-shape provider.azurerm[0].features', 'unsupported-argument provider.azurerm[0]']);
    expect(problems[1].message).toContain('(did you mean "subscription_id"?)');
  });

  test('outputs and variables: missing value, unknown keys', () => {
    const problems = problemsAfter((j) => {
      j.output.vnet_id = { description: 'no value', sensitiv: true };
      j.variable.admin_cidr.defualt = 'x';
    });
    expect(summary(problems)).toEqual([
      'unsupported-argument variable.admin_cidr',
      'unsupported-argument output.vnet_id',
      'missing-required-argument output.vnet_id',
    ]);
  });
});

describe('validateOutdir', () => {
  function writeOutdir(stacks: Record<string, unknown>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgm-validate-'));
    const manifest = { version: CORE_VERSION, stacks: {} as Record<string, unknown> };
    for (const [name, json] of Object.entries(stacks)) {
      fs.mkdirSync(path.join(dir, 'stacks', name), { recursive: true });
      fs.writeFileSync(path.join(dir, 'stacks', name, 'cdk.tf.json'), JSON.stringify(json));
      manifest.stacks[name] = { name, synthesizedStackPath: `stacks/${name}/cdk.tf.json`, workingDirectory: `stacks/${name}` };
    }
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
    return dir;
  }

  test('validates every stack of the manifest and counts resources', () => {
    const broken = validStack();
    broken.resource.azurerm_subnet.jumpbox.adress_prefixes = [];
    const dir = writeOutdir({ good: validStack(), bad: broken });
    try {
      const result = validateOutdirDetailed(dir, { schemas: schemas() });
      expect(result.stacks).toEqual([
        { stack: 'good', resources: 7, dataSources: 2 },
        { stack: 'bad', resources: 7, dataSources: 2 },
      ]);
      expect(result.problems.map((p) => `${p.stack} ${p.code} ${p.path}`)).toEqual(['bad unsupported-argument resource.azurerm_subnet.jumpbox']);
      expect(validateOutdir(dir, { schemas: schemas() })).toEqual(result.problems);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a missing manifest or stack file is a problem, not an exception', () => {
    const dir = writeOutdir({ a: validStack() });
    try {
      fs.rmSync(path.join(dir, 'stacks', 'a', 'cdk.tf.json'));
      expect(validateOutdir(dir, { schemas: schemas() }).map((p) => `${p.stack} ${p.code}`)).toEqual(['a invalid-stack']);
      fs.rmSync(path.join(dir, 'manifest.json'));
      expect(validateOutdir(dir, { schemas: schemas() }).map((p) => p.code)).toEqual(['invalid-stack']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('extra schemas', () => {
  test('a hand-written schema for a provider without a jsii package validates its resources', () => {
    const avere = {
      formatVersion: 1,
      provider: 'registry.terraform.io/hashicorp/avere',
      resources: {
        avere_vfxt: {
          attributes: {
            controller_address: { type: 'string' as const, required: true },
            vfxt_node_count: { type: 'number' as const, required: true },
          },
          blocks: {
            azure_storage_filer: {
              block: { attributes: { account_name: { type: 'string' as const, required: true } }, blocks: {} },
              required: false,
              list: true,
            },
          },
          computed: ['vserver_ip_addresses'],
        },
      },
      dataSources: {},
    };
    const json = validStack();
    json.terraform.required_providers.avere = { source: 'hashicorp/avere', version: '1.3.3' };
    json.resource.avere_vfxt = { cache: { controller_address: '10.0.1.4', vfxt_node_count: '3', azure_storage_filer: [{ account_name: 'sa' }] } };
    json.output.vserver = { value: '${avere_vfxt.cache.vserver_ip_addresses}' };
    expect(validateStack('test', json, schemas().concat([avere]))).toEqual([]);

    json.resource.avere_vfxt.cache.azure_storage_filer[0] = { acount_name: 'sa' };
    delete json.resource.avere_vfxt.cache.vfxt_node_count;
    expect(summary(validateStack('test', json, schemas().concat([avere])))).toEqual([
      'unsupported-argument resource.avere_vfxt.cache.azure_storage_filer[0]',
      'missing-required-argument resource.avere_vfxt.cache.azure_storage_filer[0]',
      'missing-required-argument resource.avere_vfxt.cache',
    ]);
    // The library bundles the avere schema (src/providers/avere), so default validation knows the type too.
    expect(summary(validate(json))).toEqual(expect.arrayContaining(['unsupported-argument resource.avere_vfxt.cache.azure_storage_filer[0]']));
  });
});
