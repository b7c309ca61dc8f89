/**
 * The terraform checks can fail: deliberately broken stacks, each reported by
 * the real terraform binary through the stand-in providers — by `validate`
 * (undeclared reference, misspelled argument, missing required argument, a
 * block given twice where one is allowed, two un-aliased configurations of one
 * provider, a value for a read-only attribute) or by the rehearsal (a
 * cross-stack output the producing stack does not declare).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { rehearseApp, StandInSetup, startStandIns, StackRehearsal, StackValidation, validateStacks } from '../../src/terraform/harness';
import { terraformForTests } from '../support/terraform';
import { AZURERM_VERSION, CORE_VERSION } from '../support/toolchain';

const tf = terraformForTests('broken-stack tests of terraform validate and the rehearsal');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pgm-broken-'));

const REQUIRED = { azurerm: { source: 'hashicorp/azurerm', version: AZURERM_VERSION } };
const PROVIDER = { azurerm: [{ features: [{}] }] };
const RG = { name: 'rg-x', location: 'westeurope' };

/** A stack with one azurerm provider and the given resources (and more top-level blocks). */
function stack(resource: object, extra: object = {}): object {
  return { terraform: { required_providers: REQUIRED, backend: { local: { path: 'terraform.tfstate' } } }, provider: PROVIDER, resource, ...extra };
}

/** Writes an outdir with a cdktf manifest. */
function writeOutdir(dir: string, stacks: Record<string, { json: object; dependencies?: string[] }>): string {
  const manifest: Record<string, object> = {};
  for (const [name, s] of Object.entries(stacks)) {
    fs.mkdirSync(path.join(dir, 'stacks', name), { recursive: true });
    fs.writeFileSync(path.join(dir, 'stacks', name, 'cdk.tf.json'), JSON.stringify(s.json, null, 2));
    manifest[name] = { name, workingDirectory: `stacks/${name}`, synthesizedStackPath: `stacks/${name}/cdk.tf.json`, dependencies: s.dependencies ?? [] };
  }
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ version: CORE_VERSION, stacks: manifest }));
  return dir;
}

const broken = writeOutdir(path.join(work, 'broken'), {
  'undeclared-reference': { json: stack({ azurerm_resource_group: { rg: { name: 'rg-x', location: '${azurerm_resource_group.missing.location}' } } }) },
  'misspelled-argument': { json: stack({ azurerm_resource_group: { rg: { name: 'rg-x', locaton: 'westeurope' } } }) },
  'missing-required': { json: stack({ azurerm_resource_group: { rg: { name: 'rg-x' } } }) },
  'block-twice': {
    json: stack({
      azurerm_resource_group: { rg: RG },
      azurerm_key_vault: {
        kv: {
          name: 'kv-x',
          location: 'westeurope',
          resource_group_name: '${azurerm_resource_group.rg.name}',
          sku_name: 'standard',
          tenant_id: '00000000-0000-0000-0000-000000000000',
          network_acls: [
            { bypass: 'None', default_action: 'Deny' },
            { bypass: 'AzureServices', default_action: 'Allow' },
          ],
        },
      },
    }),
  },
  'duplicate-provider': { json: { ...stack({ azurerm_resource_group: { rg: RG } }), provider: { azurerm: [{ features: [{}] }, { features: [{}] }] } } },
  'read-only-attribute': {
    json: stack({
      azurerm_resource_group: { rg: RG },
      azurerm_virtual_network: {
        vnet: { name: 'vnet-x', location: 'westeurope', resource_group_name: 'rg-x', address_space: ['10.0.0.0/16'], guid: 'chosen' },
      },
    }),
  },
});

/** A producer with output `rg_name`, and a consumer that reads `rg_nam` through terraform_remote_state. */
const crossStack = writeOutdir(path.join(work, 'cross'), {
  producer: {
    json: {
      ...stack({ azurerm_resource_group: { rg: RG } }),
      terraform: { required_providers: REQUIRED, backend: { local: { path: '../../../terraform.producer.tfstate' } } },
      output: { rg_name: { value: '${azurerm_resource_group.rg.name}' } },
    },
  },
  consumer: {
    dependencies: ['producer'],
    json: {
      terraform: { required_providers: REQUIRED, backend: { local: { path: '../../../terraform.consumer.tfstate' } } },
      provider: PROVIDER,
      data: {
        terraform_remote_state: { 'cross-stack-reference-input-producer': { backend: 'local', config: { path: '../../../terraform.producer.tfstate' } } },
      },
      resource: {
        azurerm_resource_group: {
          second: { name: '${data.terraform_remote_state.cross-stack-reference-input-producer.outputs.rg_nam}', location: 'westeurope' },
        },
      },
    },
  },
});

let setup: StandInSetup | undefined;
let validation: StackValidation[] = [];
let rehearsal: StackRehearsal[] = [];

beforeAll(async () => {
  if (!tf) return;
  setup = await startStandIns(path.join(work, 'standin'), [broken, crossStack]);
  [validation, rehearsal] = await Promise.all([validateStacks(broken, setup), rehearseApp(crossStack, path.join(work, 'rehearsal'), setup)]);
}, 120_000);

afterAll(() => {
  setup?.stop();
  fs.rmSync(work, { recursive: true, force: true });
});

const maybe = tf ? test : test.skip;

function errorsOf(name: string): string[] {
  const v = validation.find((s) => s.stack === name);
  if (!v) throw new Error(`stack ${name} was not validated`);
  return v.diagnostics.map((d) => `${d.summary}: ${d.detail ?? ''}`);
}

maybe.each([
  ['undeclared-reference', /Reference to undeclared resource.*"azurerm_resource_group" "missing" has not been declared/s],
  ['misspelled-argument', /Extraneous JSON object property: No argument or block type is named "locaton". Did you mean "location"\?/],
  ['missing-required', /Missing required argument.*"location"/s],
  ['block-twice', /Too many network_acls blocks/],
  ['duplicate-provider', /Duplicate provider configuration/],
  ['read-only-attribute', /(unconfigurable attribute|Invalid Configuration for Read-Only Attribute).*"guid"/s],
])('terraform validate reports %s', (name, expected) => {
  const errors = errorsOf(name);
  expect(errors.length).toBeGreaterThan(0);
  expect(errors.join('\n')).toMatch(expected);
});

maybe('the rehearsal reports a cross-stack output the producing stack does not declare', () => {
  expect(rehearsal.map((s) => [s.stack, s.ok])).toEqual([
    ['producer', true],
    ['consumer', false],
  ]);
  expect(rehearsal[1].diagnostics.map((d) => `${d.summary}: ${d.detail}`).join('\n')).toMatch(/Unsupported attribute.*rg_nam/s);
});
