/**
 * Schema indexes: derived correctly from jsii assemblies (a synthetic one, and
 * the real azurerm and random ones through the shared cache), cached by
 * package name, version and format version.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  BUILTIN_PROVIDER_SOURCE,
  buildSchemaIndex,
  JsiiAssembly,
  loadPackageSchemaIndex,
  loadSchemaIndexes,
  readJsiiAssembly,
  readShippedIndex,
  SCHEMA_INDEX_FORMAT_VERSION,
  schemaCachePath,
  SHIPPED_SCHEMA_DIR,
  shippedSchemaPath,
  writeShippedIndex,
} from '../../src/validation/schema-index';
import { schemas } from './fixtures';
import { AZURERM_PACKAGE, AZURERM_PACKAGE_VERSION, AZURERM_VERSION, RANDOM_PACKAGE, RANDOM_VERSION } from '../support/toolchain';

const link = (doc: string, attr: string) =>
  `Docs at Terraform Registry: {@link https://registry.terraform.io/providers/acme/fake/0.9.0/docs/${doc}#${attr} X#${attr}}.`;

/** A tiny assembly in the shape cdktf's provider generator emits. */
const fakeAssembly: JsiiAssembly = {
  name: '@fake/provider-fake',
  version: '1.2.3',
  types: {
    'fake.provider.FakeProvider': {
      kind: 'class',
      docs: { summary: 'Represents a {@link https://registry.terraform.io/providers/acme/fake/0.9.0/docs fake}.' },
      initializer: {
        parameters: [
          { name: 'scope', type: { fqn: 'constructs.Construct' } },
          { name: 'id', type: { primitive: 'string' } },
          { name: 'config', type: { fqn: 'fake.provider.FakeProviderConfig' } },
        ],
      },
    },
    'fake.provider.FakeProviderConfig': {
      kind: 'interface',
      datatype: true,
      properties: [{ name: 'apiKey', optional: true, type: { primitive: 'string' }, docs: { summary: link('', 'api_key') } }],
    },
    'fake.thing.Thing': {
      kind: 'class',
      docs: { summary: 'Represents a {@link https://registry.terraform.io/providers/acme/fake/0.9.0/docs/resources/thing fake_thing}.' },
      initializer: { parameters: [{ name: 'config', type: { fqn: 'fake.thing.ThingConfig' } }] },
      properties: [
        { name: 'tfResourceType', static: true, type: { primitive: 'string' } },
        { name: 'arn', type: { primitive: 'string' } },
        { name: 'nameInput', type: { primitive: 'string' } },
        { name: 'name', type: { primitive: 'string' } },
      ],
    },
    'fake.thing.ThingConfig': {
      kind: 'interface',
      datatype: true,
      interfaces: ['cdktf.TerraformMetaArguments'],
      properties: [
        { name: 'name', type: { primitive: 'string' }, docs: { summary: link('resources/thing', 'name') } },
        {
          name: 'use32BitMode',
          optional: true,
          type: { union: { types: [{ primitive: 'boolean' }, { fqn: 'cdktf.IResolvable' }] } },
          docs: { summary: link('resources/thing', 'use_32_bit_mode') },
        },
        {
          name: 'sizes',
          optional: true,
          type: { collection: { kind: 'array', elementtype: { primitive: 'number' } } },
          docs: { summary: link('resources/thing', 'sizes') },
        },
        {
          name: 'labels',
          optional: true,
          type: { collection: { kind: 'map', elementtype: { primitive: 'string' } } },
          docs: { summary: link('resources/thing', 'labels') },
        },
        {
          name: 'rule',
          type: { union: { types: [{ fqn: 'cdktf.IResolvable' }, { collection: { kind: 'array', elementtype: { fqn: 'fake.thing.ThingRule' } } }] } },
          docs: { summary: 'rule block.', remarks: link('resources/thing', 'rule') },
        },
        { name: 'settings', optional: true, type: { fqn: 'fake.thing.ThingSettings' }, docs: { summary: link('resources/thing', 'settings') } },
      ],
    },
    'fake.thing.ThingRule': {
      kind: 'interface',
      datatype: true,
      properties: [{ name: 'port', type: { primitive: 'number' }, docs: { summary: link('resources/thing', 'port') } }],
    },
    'fake.thing.ThingSettings': {
      kind: 'interface',
      datatype: true,
      properties: [{ name: 'mode', optional: true, type: { primitive: 'string' }, docs: { summary: link('resources/thing', 'mode') } }],
    },
    'fake.dataFakeThing.DataFakeThing': {
      kind: 'class',
      docs: { summary: 'Represents a {@link https://registry.terraform.io/providers/acme/fake/0.9.0/docs/data-sources/thing fake_thing}.' },
      initializer: { parameters: [{ name: 'config', type: { fqn: 'fake.dataFakeThing.DataFakeThingConfig' } }] },
    },
    'fake.dataFakeThing.DataFakeThingConfig': {
      kind: 'interface',
      datatype: true,
      properties: [{ name: 'name', type: { primitive: 'string' }, docs: { summary: link('data-sources/thing', 'name') } }],
    },
  },
};

describe('buildSchemaIndex', () => {
  const index = buildSchemaIndex(fakeAssembly);

  test('provider address, version and config come from the provider class', () => {
    expect(index.provider).toBe('registry.terraform.io/acme/fake');
    expect(index.providerVersion).toBe('0.9.0');
    expect(index.packageName).toBe('@fake/provider-fake');
    expect(index.packageVersion).toBe('1.2.3');
    expect(index.providerConfig).toEqual({ attributes: { api_key: { type: 'string', required: false } }, blocks: {} });
  });

  test('resources: names from registry links, types, required flags, blocks and computed attributes', () => {
    expect(index.resources.fake_thing).toEqual({
      attributes: {
        name: { type: 'string', required: true },
        use_32_bit_mode: { type: 'bool', required: false },
        sizes: { type: { list: 'number' }, required: false },
        labels: { type: { map: 'string' }, required: false },
      },
      blocks: {
        rule: { block: { attributes: { port: { type: 'number', required: true } }, blocks: {} }, required: true, list: true },
        settings: { block: { attributes: { mode: { type: 'string', required: false } }, blocks: {} }, required: false, list: false, attribute: true },
      },
      computed: ['arn'],
    });
    expect(Object.keys(index.dataSources)).toEqual(['fake_thing']);
  });

  test("CDK Terrain's assemblies (cdktn.IResolvable in the unions) give the same index; an unknown token type leaves the union untyped", () => {
    const retag = (fqn: string) => JSON.parse(JSON.stringify(fakeAssembly).replace(/"cdktf\.IResolvable"/g, JSON.stringify(fqn))) as JsiiAssembly;
    expect(JSON.stringify(fakeAssembly)).toContain('"cdktf.IResolvable"');
    expect(buildSchemaIndex(retag('cdktn.IResolvable'))).toEqual(index);
    // A union with a second non-token member is not unwrapped: the block becomes an untyped attribute.
    const other = buildSchemaIndex(retag('other.Thing')).resources.fake_thing;
    expect(other.attributes.use_32_bit_mode).toEqual({ type: 'any', required: false });
    expect(other.blocks.rule).toBeUndefined();
  });

  test('an assembly without a provider class is refused', () => {
    const types = { ...fakeAssembly.types };
    delete (types as Record<string, unknown>)['fake.provider.FakeProvider'];
    expect(() => buildSchemaIndex({ ...fakeAssembly, types })).toThrow(/no provider class/);
  });
});

describe('loadPackageSchemaIndex cache', () => {
  let root: string;
  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'pgm-schema-'));
    const pkg = path.join(root, 'node_modules', '@fake', 'provider-fake');
    fs.mkdirSync(pkg, { recursive: true });
    fs.writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: '@fake/provider-fake', version: '1.2.3' }));
    fs.writeFileSync(path.join(pkg, '.jsii'), JSON.stringify(fakeAssembly));
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  test('the cache file is keyed by package name, version and format version', () => {
    expect(path.basename(schemaCachePath('/c', '@acme/provider-azurerm', '14.23.1'))).toBe(
      `schema-acme-provider-azurerm-14.23.1-${SCHEMA_INDEX_FORMAT_VERSION}.json`,
    );
    // Both toolchains' packages have their own cache files (the name is part of the key, so a switch never reads the other's).
    const [tf, tn] = ['tf', 'tn'].map((t) => path.basename(schemaCachePath('/c', `@cdk${t}/provider-azurerm`, '16.1.0')));
    expect([tf, tn]).toEqual([
      `schema-cdktf-provider-azurerm-16.1.0-${SCHEMA_INDEX_FORMAT_VERSION}.json`,
      `schema-cdktn-provider-azurerm-16.1.0-${SCHEMA_INDEX_FORMAT_VERSION}.json`,
    ]);
  });

  test('builds on a miss, writes the cache next to node_modules, then serves the cache', () => {
    const first = loadPackageSchemaIndex('@fake/provider-fake', { resolveFrom: root });
    const file = schemaCachePath(path.join(root, 'node_modules', '.cache', 'cdktf-azure-photogrammetry'), '@fake/provider-fake', '1.2.3');
    expect(first?.resources.fake_thing).toBeDefined();
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual(first);
    expect(loadPackageSchemaIndex('@fake/provider-fake', { resolveFrom: root })).toBe(first); // memoized
  });

  test('a corrupt or old-format cache file is rebuilt', () => {
    const cacheDir = path.join(root, 'other-cache');
    const file = schemaCachePath(cacheDir, '@fake/provider-fake', '1.2.3');
    fs.mkdirSync(cacheDir, { recursive: true });
    fs.writeFileSync(file, '{"formatVersion": 0');
    const index = loadPackageSchemaIndex('@fake/provider-fake', { resolveFrom: root, cacheDir });
    expect(index?.formatVersion).toBe(SCHEMA_INDEX_FORMAT_VERSION);
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).formatVersion).toBe(SCHEMA_INDEX_FORMAT_VERSION);
  });

  test('a shipped index of the same version and format is used instead of deriving one (nothing written to the cache)', () => {
    const shipped = path.join(root, 'shipped');
    const file = writeShippedIndex('@fake/provider-fake', shipped, root);
    expect(path.basename(file)).toBe(`fake-provider-fake-1.2.3-${SCHEMA_INDEX_FORMAT_VERSION}.json.gz`);
    expect(readShippedIndex('@fake/provider-fake', '1.2.3', shipped)?.resources.fake_thing).toBeDefined();
    expect(readShippedIndex('@fake/provider-fake', '1.2.4', shipped)).toBeUndefined(); // another version: derived
  });

  test('a package that is not installed yields no index', () => {
    expect(loadPackageSchemaIndex('@fake/not-installed', { resolveFrom: root })).toBeUndefined();
    expect(loadSchemaIndexes({ packages: ['@fake/not-installed'], resolveFrom: root }).map((i) => i.provider)).toEqual([
      BUILTIN_PROVIDER_SOURCE,
      'registry.terraform.io/hashicorp/avere',
    ]);
  });
});

describe('the installed provider packages', () => {
  const [builtin, azurerm, random] = schemas();

  test('built-in, the installed azurerm and random are loaded (the version and counts of the installed package)', () => {
    expect([builtin.provider, azurerm.provider, random.provider]).toEqual([
      BUILTIN_PROVIDER_SOURCE,
      'registry.terraform.io/hashicorp/azurerm',
      'registry.terraform.io/hashicorp/random',
    ]);
    expect(azurerm.providerVersion).toBe(AZURERM_VERSION);
    expect(azurerm.packageVersion).toBe(AZURERM_PACKAGE_VERSION);
    expect(azurerm.packageName).toBe(AZURERM_PACKAGE);
    expect(random.providerVersion).toBe(RANDOM_VERSION);
    // Resource and data source types of each provider version the two flavours install (an unknown version fails here
    // until its counts are added: a schema that lost hundreds of types would otherwise go unnoticed).
    const counts: Record<string, [number, number]> = { '4.55.0': [1127, 399], '4.73.0': [1132, 396] };
    expect([Object.keys(azurerm.resources).length, Object.keys(azurerm.dataSources).length]).toEqual(counts[AZURERM_VERSION]);
  });

  test('azurerm_virtual_network', () => {
    const vnet = azurerm.resources.azurerm_virtual_network;
    expect(
      Object.entries(vnet.attributes)
        .filter(([, a]) => a.required)
        .map(([n]) => n)
        .sort(),
    ).toEqual(['location', 'name', 'resource_group_name']);
    expect(vnet.attributes.address_space).toEqual({ type: { list: 'string' }, required: false });
    expect(vnet.attributes.tags).toEqual({ type: { map: 'string' }, required: false });
    expect(vnet.blocks.subnet).toMatchObject({ list: true, attribute: true, required: false });
    expect(vnet.blocks.ddos_protection_plan).toMatchObject({ list: false, required: false });
    expect(vnet.blocks.ddos_protection_plan.attribute).toBeUndefined();
    expect(vnet.computed).toEqual(['guid']);
  });

  test('names come from registry links, not from camelCase (use_32_bit_worker)', () => {
    const siteConfig = azurerm.resources.azurerm_linux_web_app.blocks.site_config.block;
    expect(siteConfig.attributes.use_32_bit_worker).toEqual({ type: 'bool', required: false });
  });

  test('required nested blocks, data sources, provider config, random_password', () => {
    expect(azurerm.resources.azurerm_linux_virtual_machine.blocks.os_disk).toMatchObject({ required: true, list: false });
    expect(azurerm.dataSources.azurerm_client_config.computed).toEqual(['client_id', 'object_id', 'subscription_id', 'tenant_id']);
    expect(azurerm.providerConfig?.blocks.features).toMatchObject({ list: true });
    expect(azurerm.providerConfig?.attributes.alias).toEqual({ type: 'string', required: false });
    expect(random.resources.random_password.attributes.length).toEqual({ type: 'number', required: true });
    expect(random.resources.random_password.computed).toContain('result');
  });
});

describe('the shipped schema indexes (src/validation/schemas, `npm run schemas`)', () => {
  const root = path.join(__dirname, '..', '..');
  const installed = ['@cdktf/provider-azurerm', '@cdktf/provider-random'].flatMap((name) => {
    try {
      const dir = path.dirname(require.resolve(`${name}/package.json`, { paths: [root] }));
      return [{ name, dir, version: (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version }];
    } catch {
      return []; // another toolchain's packages are installed: their indexes are derived and cached
    }
  });

  test.each(installed.map((p) => [p.name, p] as const))('%s: the shipped index is what its installed jsii assembly derives', (name, p) => {
    const file = shippedSchemaPath(name, p.version);
    expect(fs.existsSync(file) ? path.relative(root, file) : `missing ${path.relative(root, file)}: run npm run schemas`).toBe(path.relative(root, file));
    expect(readShippedIndex(name, p.version)).toEqual(JSON.parse(JSON.stringify(buildSchemaIndex(readJsiiAssembly(p.dir), name, p.version))));
  });

  test('only indexes of installed versions are shipped (for each package: its installed version; both toolchains ship theirs)', () => {
    expect(installed.map((p) => p.name)).toEqual([AZURERM_PACKAGE, RANDOM_PACKAGE]);
    for (const p of installed) {
      const prefix = path.basename(shippedSchemaPath(p.name, '')).replace(/--.*$/, '-'); // `cdktf-provider-azurerm-`
      const versions = fs.readdirSync(SHIPPED_SCHEMA_DIR).filter((f) => f.startsWith(prefix) && /^\d/.test(f.slice(prefix.length)));
      expect(versions).toEqual([path.basename(shippedSchemaPath(p.name, p.version))]);
    }
    // The other toolchain's indexes are shipped too, so a fresh clone of either flavour validates without the assembly.
    expect(fs.readdirSync(SHIPPED_SCHEMA_DIR).sort()).toEqual([
      `cdktf-provider-azurerm-14.23.1-${SCHEMA_INDEX_FORMAT_VERSION}.json.gz`,
      `cdktf-provider-random-12.0.1-${SCHEMA_INDEX_FORMAT_VERSION}.json.gz`,
      `cdktn-provider-azurerm-16.1.0-${SCHEMA_INDEX_FORMAT_VERSION}.json.gz`,
      `cdktn-provider-random-15.0.1-${SCHEMA_INDEX_FORMAT_VERSION}.json.gz`,
    ]);
  });
});
