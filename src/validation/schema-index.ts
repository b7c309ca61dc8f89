/**
 * Compact Terraform provider schemas for offline validation.
 *
 * The prebuilt cdktf provider packages ship their whole provider schema in the
 * jsii assembly (`node_modules/@cdktf/provider-azurerm/.jsii`, 88 MB of JSON):
 * every resource class names its Terraform type in a registry link, and every
 * config struct property names its Terraform attribute in another link. Parsing
 * that file costs 0.6 s and 230 MB, so it is done once per package version and
 * the derived {@link SchemaIndex} (a few MB, only what validation needs) is
 * cached under `node_modules/.cache/cdktf-azure-photogrammetry/`.
 *
 * Providers without a jsii package get a hand-written {@link SchemaIndex} in the
 * same format, passed as `extra` to {@link loadSchemaIndexes}.
 */
import { AVERE_SCHEMA_INDEX } from '../providers/avere/schema';
import { AttributeSchema, BlockSchema, NestedBlockSchema, SCHEMA_INDEX_FORMAT_VERSION, SchemaIndex, TypeSpec } from '../providers/schema-types';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';

export { SCHEMA_INDEX_FORMAT_VERSION } from '../providers/schema-types';
export type { AttributeSchema, BlockSchema, NestedBlockSchema, SchemaIndex, TypeSpec } from '../providers/schema-types';

/** Schemas of providers this library binds by hand (no cdktf package ships them). */
export const BUNDLED_SCHEMA_INDEXES: readonly SchemaIndex[] = [AVERE_SCHEMA_INDEX];

/** Provider packages whose schemas {@link loadSchemaIndexes} loads by default (when installed). */
export const DEFAULT_SCHEMA_PACKAGES: readonly string[] = ['@cdktf/provider-azurerm', '@cdktf/provider-random'];

/** Source address of Terraform's built-in provider (`terraform_remote_state`, `terraform_data`). */
export const BUILTIN_PROVIDER_SOURCE = 'terraform.io/builtin/terraform';

/** Options of {@link loadSchemaIndexes}. */
export interface LoadSchemaOptions {
  /** Provider packages to derive schemas from; missing packages are skipped. Default {@link DEFAULT_SCHEMA_PACKAGES}. */
  readonly packages?: readonly string[];
  /** Hand-written indexes for providers without a jsii package; they override same-named types. */
  readonly extra?: readonly SchemaIndex[];
  /** Where derived indexes are cached. Default `<node_modules>/.cache/cdktf-azure-photogrammetry`. */
  readonly cacheDir?: string;
  /** Directory packages are resolved from. Default: the current directory, then this module's. */
  readonly resolveFrom?: string;
}

/**
 * The schema indexes for validation: Terraform's built-in provider, then every
 * installed package of `packages`, then the providers this library binds by
 * hand (`avere`), then `extra`. Derived indexes come from the
 * cache (built on a miss) and are memoized for the life of the process.
 */
export function loadSchemaIndexes(options: LoadSchemaOptions = {}): SchemaIndex[] {
  const indexes: SchemaIndex[] = [BUILTIN_SCHEMA_INDEX];
  for (const pkg of options.packages ?? DEFAULT_SCHEMA_PACKAGES) {
    const index = loadPackageSchemaIndex(pkg, options);
    if (index) indexes.push(index);
  }
  return indexes.concat(BUNDLED_SCHEMA_INDEXES, options.extra ?? []);
}

const memo = new Map<string, SchemaIndex>();

/**
 * The schema index of one cdktf provider package, or `undefined` when the
 * package is not installed. Reads the cache file for the package's name and
 * version; on a miss derives the index from the jsii assembly and writes the
 * cache (atomically, so concurrent test workers can share it).
 */
export function loadPackageSchemaIndex(packageName: string, options: Omit<LoadSchemaOptions, 'packages' | 'extra'> = {}): SchemaIndex | undefined {
  const packageDir = resolvePackageDir(packageName, options.resolveFrom);
  if (!packageDir) return undefined;
  const version = (JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as { version: string }).version;
  const cacheFile = schemaCachePath(options.cacheDir ?? defaultCacheDir(packageDir), packageName, version);
  const known = memo.get(cacheFile);
  if (known) return known;
  const index =
    readCachedIndex(cacheFile) ??
    readShippedIndex(packageName, version) ??
    writeCachedIndex(cacheFile, buildSchemaIndex(readJsiiAssembly(packageDir), packageName, version));
  memo.set(cacheFile, index);
  return index;
}

/** The cache file of a package's index: `schema-<sanitized name>-<version>-<format version>.json`. */
export function schemaCachePath(cacheDir: string, packageName: string, packageVersion: string): string {
  return path.join(cacheDir, `schema-${schemaFileStem(packageName, packageVersion)}.json`);
}

function schemaFileStem(packageName: string, packageVersion: string): string {
  const safeName = packageName.replace(/^@/, '').replace(/[^A-Za-z0-9._-]+/g, '-');
  return `${safeName}-${packageVersion}-${SCHEMA_INDEX_FORMAT_VERSION}`;
}

/**
 * Where the indexes of the pinned provider versions ship, derived in advance (`npm run schemas`): a fresh clone
 * validates without parsing the 88 MB assembly (≈ 2 s, 300 MB). Other versions are derived and cached as before.
 */
export const SHIPPED_SCHEMA_DIR = path.join(__dirname, 'schemas');

/** The shipped index file of a package version: `<sanitized name>-<version>-<format version>.json.gz`. */
export function shippedSchemaPath(packageName: string, packageVersion: string, dir = SHIPPED_SCHEMA_DIR): string {
  return path.join(dir, `${schemaFileStem(packageName, packageVersion)}.json.gz`);
}

/** The shipped index of exactly this package version and index format, or undefined. */
export function readShippedIndex(packageName: string, packageVersion: string, dir = SHIPPED_SCHEMA_DIR): SchemaIndex | undefined {
  let data: Buffer;
  try {
    data = fs.readFileSync(shippedSchemaPath(packageName, packageVersion, dir));
  } catch {
    return undefined;
  }
  const index = JSON.parse(zlib.gunzipSync(data).toString('utf8')) as SchemaIndex;
  return index.formatVersion === SCHEMA_INDEX_FORMAT_VERSION && index.packageVersion === packageVersion ? index : undefined;
}

/** Writes the shipped index of an installed package (derived from its jsii assembly); returns the file. */
export function writeShippedIndex(packageName: string, dir = SHIPPED_SCHEMA_DIR, resolveFrom?: string): string {
  const packageDir = resolvePackageDir(packageName, resolveFrom);
  if (!packageDir) throw new Error(`${packageName} is not installed`);
  const version = (JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as { version: string }).version;
  const file = shippedSchemaPath(packageName, version, dir);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(file, zlib.gzipSync(JSON.stringify(buildSchemaIndex(readJsiiAssembly(packageDir), packageName, version)), { level: 9 }));
  return file;
}

/** `<node_modules>/.cache/cdktf-azure-photogrammetry` for the node_modules folder that holds `packageDir`. */
function defaultCacheDir(packageDir: string): string {
  let dir = packageDir;
  while (path.basename(dir) !== 'node_modules') {
    const parent = path.dirname(dir);
    if (parent === dir) return path.join(packageDir, '.cache', 'cdktf-azure-photogrammetry');
    dir = parent;
  }
  return path.join(dir, '.cache', 'cdktf-azure-photogrammetry');
}

/** The installed folder of `packageName`, or undefined. */
function resolvePackageDir(packageName: string, resolveFrom?: string): string | undefined {
  const paths = resolveFrom ? [resolveFrom] : [process.cwd(), __dirname];
  try {
    return path.dirname(require.resolve(`${packageName}/package.json`, { paths }));
  } catch {
    return undefined;
  }
}

function readCachedIndex(file: string): SchemaIndex | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const index = JSON.parse(text) as SchemaIndex;
    return index.formatVersion === SCHEMA_INDEX_FORMAT_VERSION ? index : undefined;
  } catch {
    return undefined; // a torn or corrupt cache is rebuilt
  }
}

function writeCachedIndex(file: string, index: SchemaIndex): SchemaIndex {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(index));
    fs.renameSync(tmp, file); // atomic: readers never see a half-written file
  } catch {
    // A read-only tree still validates, it just rebuilds the index each run.
  }
  return index;
}

// ---------------------------------------------------------------------------
// Deriving an index from a jsii assembly

/** The parts of a jsii type reference the derivation reads. */
export interface JsiiTypeRef {
  readonly primitive?: string;
  readonly fqn?: string;
  readonly collection?: { readonly kind: 'array' | 'map'; readonly elementtype: JsiiTypeRef };
  readonly union?: { readonly types: readonly JsiiTypeRef[] };
}

export interface JsiiDocs {
  readonly summary?: string;
  readonly remarks?: string;
}

export interface JsiiProperty {
  readonly name: string;
  readonly optional?: boolean;
  readonly static?: boolean;
  readonly type: JsiiTypeRef;
  readonly docs?: JsiiDocs;
}

export interface JsiiType {
  readonly kind: string;
  readonly datatype?: boolean;
  readonly interfaces?: readonly string[];
  readonly properties?: readonly JsiiProperty[];
  readonly initializer?: { readonly parameters?: ReadonlyArray<{ readonly name: string; readonly type: JsiiTypeRef }> };
  readonly docs?: JsiiDocs;
}

/** The parts of a jsii assembly the derivation reads. */
export interface JsiiAssembly {
  readonly name: string;
  readonly version: string;
  readonly types: Readonly<Record<string, JsiiType>>;
}

/** Reads a package's `.jsii` (following a gzip file redirect if the assembly is compressed). */
export function readJsiiAssembly(packageDir: string): JsiiAssembly {
  const file = path.join(packageDir, '.jsii');
  const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as JsiiAssembly & { schema?: string; filename?: string; compression?: string };
  if (raw.schema !== 'jsii/file-redirect' || !raw.filename) return raw;
  const data = fs.readFileSync(path.join(packageDir, raw.filename));
  return JSON.parse((raw.compression === 'gzip' ? zlib.gunzipSync(data) : data).toString('utf8')) as JsiiAssembly;
}

/** `Represents a {@link https://registry.terraform.io/providers/<ns>/<type>/<version>/docs[/resources/x|/data-sources/x] <tf name>}.` */
export const REPRESENTS =
  /^Represents a \{@link https:\/\/([^/\s]+)\/providers\/([^/\s]+)\/([^/\s]+)\/([^/\s]+)\/docs(?:\/(resources|data-sources)\/[^\s}]*)? ([^\s}]+)\}/;

/** The attribute name in a property's registry link: `...#address_space VirtualNetwork#address_space}`. */
export const ATTRIBUTE_LINK = /\{@link https?:\/\/[^\s}#]*#([A-Za-z0-9_]+)[\s}]/;

/**
 * Derives the schema index of a cdktf provider package from its jsii assembly
 * (pure: no I/O). Throws when the assembly names no provider.
 */
export function buildSchemaIndex(assembly: JsiiAssembly, packageName = assembly.name, packageVersion = assembly.version): SchemaIndex {
  const types = assembly.types;
  const resources: Record<string, BlockSchema> = {};
  const dataSources: Record<string, BlockSchema> = {};
  let provider: string | undefined;
  let providerVersion: string | undefined;
  let providerConfig: BlockSchema | undefined;
  const structs = new Map<string, BlockSchema>();

  for (const type of Object.values(types)) {
    if (type.kind !== 'class') continue;
    const match = REPRESENTS.exec(type.docs?.summary ?? '');
    if (!match) continue;
    const [, host, namespace, name, version, kind, tfName] = match;
    const configFqn = type.initializer?.parameters?.find((p) => p.name === 'config')?.type.fqn;
    const config = configFqn ? structSchema(types, configFqn, structs) : { attributes: {}, blocks: {} };
    if (!kind) {
      provider = `${host}/${namespace}/${name}`.toLowerCase();
      providerVersion = version;
      providerConfig = config;
      continue;
    }
    const computed = computedAttributes(type, configFqn ? types[configFqn] : undefined);
    const schema: BlockSchema = computed.length > 0 ? { ...config, computed } : config;
    (kind === 'resources' ? resources : dataSources)[tfName] = schema;
  }
  if (!provider) throw new Error(`${packageName}: the jsii assembly has no provider class ("Represents a {@link .../docs <name>}")`);
  return {
    formatVersion: SCHEMA_INDEX_FORMAT_VERSION,
    provider,
    providerVersion,
    packageName,
    packageVersion,
    providerConfig,
    resources: sortKeys(resources),
    dataSources: sortKeys(dataSources),
  };
}

/** The block schema of a config (or nested block) struct, memoized by fqn. */
function structSchema(types: JsiiAssembly['types'], fqn: string, memo: Map<string, BlockSchema>, depth = 0): BlockSchema {
  const known = memo.get(fqn);
  if (known) return known;
  const attributes: Record<string, AttributeSchema> = {};
  const blocks: Record<string, NestedBlockSchema> = {};
  const schema: BlockSchema = { attributes, blocks };
  if (depth > 32) return schema; // defensive: provider schemas are trees, never this deep
  memo.set(fqn, schema);
  for (const prop of structProperties(types, fqn)) {
    const name = terraformName(prop);
    const required = !prop.optional;
    const nested = nestedStructOf(types, prop.type);
    if (nested) {
      const block = structSchema(types, nested.fqn, memo, depth + 1);
      const isBlock = / block\.$/.test(prop.docs?.summary ?? '');
      blocks[name] = isBlock ? { block, required, list: nested.list } : { block, required, list: nested.list, attribute: true };
    } else {
      attributes[name] = { type: typeSpec(types, prop.type), required };
    }
  }
  return schema;
}

/** Properties of a struct and of the structs it extends in the same assembly (not cdktf's meta-arguments). */
export function structProperties(types: JsiiAssembly['types'], fqn: string): JsiiProperty[] {
  const type = types[fqn];
  if (!type) return [];
  const inherited = (type.interfaces ?? []).flatMap((parent) => structProperties(types, parent));
  return inherited.concat(type.properties ?? []);
}

/** The Terraform attribute name from the property's registry link (camelCase names are not reliable: `use32BitWorker`). */
export function terraformName(prop: JsiiProperty): string {
  const match = ATTRIBUTE_LINK.exec(`${prop.docs?.summary ?? ''} ${prop.docs?.remarks ?? ''}`);
  return match ? match[1] : camelToSnake(prop.name);
}

/** The toolchain's token interface in a jsii union, whatever the toolchain's package is called. */
const RESOLVABLE = /^[A-Za-z0-9_-]+\.IResolvable$/;

/** Drops the toolchain's `IResolvable` (`cdktf.IResolvable`, `cdktn.IResolvable`) from a union; a union that still has several members becomes undefined. */
export function unwrap(ref: JsiiTypeRef): JsiiTypeRef | undefined {
  if (!ref.union) return ref;
  const members = ref.union.types.filter((t) => !RESOLVABLE.test(t.fqn ?? ''));
  return members.length === 1 ? unwrap(members[0]) : undefined;
}

export function isStruct(types: JsiiAssembly['types'], fqn: string | undefined): fqn is string {
  const type = fqn === undefined ? undefined : types[fqn];
  return !!type && type.kind === 'interface' && !!type.datatype;
}

/** The struct a property holds as a block: `{fqn}` (single) or `array<{fqn}>` (list). */
export function nestedStructOf(types: JsiiAssembly['types'], ref: JsiiTypeRef): { fqn: string; list: boolean } | undefined {
  const t = unwrap(ref);
  if (isStruct(types, t?.fqn)) return { fqn: t.fqn, list: false };
  const element = t?.collection?.kind === 'array' ? unwrap(t.collection.elementtype) : undefined;
  if (isStruct(types, element?.fqn)) return { fqn: element.fqn, list: true };
  return undefined;
}

/** The {@link TypeSpec} of a non-block property type. */
function typeSpec(types: JsiiAssembly['types'], ref: JsiiTypeRef): TypeSpec {
  const t = unwrap(ref);
  if (!t) return 'any';
  if (t.primitive === 'string' || t.primitive === 'date') return 'string';
  if (t.primitive === 'number') return 'number';
  if (t.primitive === 'boolean') return 'bool';
  if (t.collection) {
    const element = isStruct(types, unwrap(t.collection.elementtype)?.fqn) ? 'any' : typeSpec(types, t.collection.elementtype);
    return t.collection.kind === 'array' ? { list: element } : { map: element };
  }
  return 'any';
}

/** Readable-only attributes of a resource class: getters that are not config properties or `...Input` mirrors. */
function computedAttributes(cls: JsiiType, config: JsiiType | undefined): string[] {
  const settable = new Set((config?.properties ?? []).map((p) => p.name));
  const names = new Set<string>();
  for (const prop of cls.properties ?? []) {
    if (prop.static || prop.name.endsWith('Input') || settable.has(prop.name)) continue;
    names.add(camelToSnake(prop.name));
  }
  return [...names].sort();
}

/** `flowTimeoutInMinutes` → `flow_timeout_in_minutes` (best effort; digits are ambiguous). */
export function camelToSnake(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

/** Case-, underscore- and digit-grouping-insensitive key for attribute names (`use_32_bit` = `use32_bit`). */
export function normalizeAttributeName(name: string): string {
  return name.replace(/_/g, '').toLowerCase();
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

// ---------------------------------------------------------------------------
// Terraform's built-in provider

/**
 * Schema of Terraform's built-in provider (`terraform.io/builtin/terraform`):
 * the `terraform_remote_state` data source cdktf uses for cross-stack
 * references, and the `terraform_data` resource.
 */
export const BUILTIN_SCHEMA_INDEX: SchemaIndex = {
  formatVersion: SCHEMA_INDEX_FORMAT_VERSION,
  provider: BUILTIN_PROVIDER_SOURCE,
  resources: {
    terraform_data: {
      attributes: {
        input: { type: 'any', required: false },
        triggers_replace: { type: 'any', required: false },
      },
      blocks: {},
      computed: ['id', 'output'],
    },
  },
  dataSources: {
    terraform_remote_state: {
      attributes: {
        backend: { type: 'string', required: true },
        config: { type: 'any', required: false },
        defaults: { type: 'any', required: false },
        workspace: { type: 'string', required: false },
      },
      blocks: {},
      computed: ['outputs'],
    },
  },
};
