/**
 * Full provider schemas for the stand-in providers, in the format of
 * `terraform providers schema -json` (one provider's part of it), derived from
 * an installed cdktf provider package: the jsii assembly gives the structure
 * (arguments, nested blocks, required vs optional, Terraform names), the
 * package's generated JavaScript recovers what the assembly loses:
 * - set vs list, for nested blocks and for primitive collections (`type: "set"` in
 *   each block's `...ToHclTerraform` mapping; `Fn.tolist(...)` around set getters);
 * - single nested blocks (`type: "struct"`, e.g. `timeouts`) vs list blocks of at most one;
 * - computed-only (read-only) attributes at every depth, with their exact
 *   Terraform names and types (the `get...Attribute('name')` getters and the
 *   `new ...List(this, "name", wrapsSet)` complex attributes of each class).
 * Not recoverable from the package: which optional arguments are also computed
 * (every optional argument is served as optional + computed), sensitivity (a
 * name heuristic), defaults, validators, ForceNew. A real `terraform providers
 * schema -json` dump has the same format and can be used instead.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  ATTRIBUTE_LINK,
  isStruct,
  JsiiAssembly,
  JsiiProperty,
  JsiiType,
  JsiiTypeRef,
  nestedStructOf,
  readJsiiAssembly,
  REPRESENTS,
  structProperties,
  terraformName,
  unwrap,
  camelToSnake,
} from '../validation/schema-index';

/** A cty type in its JSON form. */
export type CtyType = string | [string, CtyType] | ['object', Record<string, CtyType>] | ['object', Record<string, CtyType>, string[]];

export interface SchemaAttributeJson {
  readonly type: CtyType;
  readonly required?: boolean;
  readonly optional?: boolean;
  readonly computed?: boolean;
  readonly sensitive?: boolean;
}

export interface SchemaBlockJson {
  readonly attributes?: Record<string, SchemaAttributeJson>;
  readonly block_types?: Record<string, SchemaNestedBlockJson>;
}

export interface SchemaNestedBlockJson {
  readonly nesting_mode: 'single' | 'list' | 'set' | 'map' | 'group';
  readonly block: SchemaBlockJson;
  readonly min_items?: number;
  readonly max_items?: number;
}

export interface SchemaJson {
  readonly version: number;
  readonly block: SchemaBlockJson;
}

/** One provider's schemas, as under `provider_schemas["registry.terraform.io/hashicorp/azurerm"]` of `terraform providers schema -json`. */
export interface ProviderSchemaJson {
  readonly provider: SchemaJson;
  readonly resource_schemas: Record<string, SchemaJson>;
  readonly data_source_schemas: Record<string, SchemaJson>;
}

/** A derived schema with where it came from. */
export interface DerivedProviderSchema {
  /** `registry.terraform.io/hashicorp/azurerm`. */
  readonly source: string;
  /** Provider version the package was generated for, e.g. `4.55.0`. */
  readonly version?: string;
  readonly packageName: string;
  readonly packageVersion: string;
  readonly schema: ProviderSchemaJson;
}

/** Bump when the derivation changes: part of the cache file name. */
export const PROVIDER_SCHEMA_FORMAT = 1;

/** Attribute names served as sensitive (the packages do not say which are). */
const SENSITIVE_NAME = /(^|_)(password|secret|token|private_key|access_key|primary_key|secondary_key|connection_string|sas|client_secret|result)$/;

/** Everything the generated JavaScript of one class tells. */
interface JsClassFacts {
  /** camelCase getter → Terraform name and how it is read. */
  readonly getters: Map<string, { name: string; kind: string; set: boolean }>;
  /** camelCase property → complex attribute (`this._x = new Y(this, "x", wrapsSet)`). */
  readonly complex: Map<string, { name: string; className: string; set: boolean }>;
}

/** Per-struct mapping from the `...ToHclTerraform` function: Terraform name → isBlock, type, storage class. */
type HclFacts = Map<string, { isBlock: boolean; type: string; storage: string }>;

class JsFacts {
  private readonly files = new Map<string, { classes: Map<string, JsClassFacts>; hcl: Map<string, HclFacts> }>();
  constructor(private readonly packageDir: string) {}

  /** The facts of the JS file compiled from `src/<dir>/index.ts`. */
  file(locationInModule: string | undefined): { classes: Map<string, JsClassFacts>; hcl: Map<string, HclFacts> } {
    const rel = (locationInModule ?? '').replace(/^src\//, 'lib/').replace(/\.ts$/, '.js');
    const known = this.files.get(rel);
    if (known) return known;
    let text = '';
    try {
      text = fs.readFileSync(path.join(this.packageDir, rel), 'utf8');
    } catch {
      // no JS (or another layout): the jsii structure alone is used
    }
    const parsed = { classes: parseClasses(text), hcl: parseHcl(text) };
    this.files.set(rel, parsed);
    return parsed;
  }
}

const HCL_ATTR = /^\s+(?:"([^"]+)"|(\w+)): \{\n\s+value: [^\n]*\n\s+isBlock: (true|false),\n\s+type: "(\w+)",\n\s+storageClassType: "(\w+)",/gm;

/** `function xToHclTerraform(struct)` bodies and the resource's `synthesizeHclAttributes()`, keyed by struct name (`VirtualNetworkSubnet`) or `#config`. */
function parseHcl(text: string): Map<string, HclFacts> {
  const out = new Map<string, HclFacts>();
  const starts: Array<{ key: string; index: number }> = [];
  for (const m of text.matchAll(/^function (\w+)ToHclTerraform\(/gm)) starts.push({ key: m[1][0].toUpperCase() + m[1].slice(1), index: m.index! });
  for (const m of text.matchAll(/^\s+synthesizeHclAttributes\(\) \{/gm)) starts.push({ key: '#config', index: m.index! });
  starts.sort((a, b) => a.index - b.index);
  starts.forEach((start, i) => {
    const body = text.slice(start.index, i + 1 < starts.length ? starts[i + 1].index : text.length);
    const facts: HclFacts = new Map();
    for (const m of body.matchAll(HCL_ATTR)) facts.set(m[1] ?? m[2], { isBlock: m[3] === 'true', type: m[4], storage: m[5] });
    out.set(start.key, facts);
  });
  return out;
}

/** Getters and complex attributes of every `class X extends ...` in a file. */
function parseClasses(text: string): Map<string, JsClassFacts> {
  const out = new Map<string, JsClassFacts>();
  const starts = [...text.matchAll(/^class (\w+) extends /gm)];
  starts.forEach((m, i) => {
    const body = text.slice(m.index!, i + 1 < starts.length ? starts[i + 1].index : text.length);
    const getters = new Map<string, { name: string; kind: string; set: boolean }>();
    for (const g of body.matchAll(/\n\s+get (\w+)\(\) \{\n\s+return ((?:cdktf|cdktn)\.Fn\.tolist\()?this\.get(\w*)Attribute\('([^']+)'\)/g)) {
      getters.set(g[1], { name: g[4], kind: g[3], set: !!g[2] });
    }
    const complex = new Map<string, { name: string; className: string; set: boolean }>();
    for (const c of body.matchAll(/this\._(\w+) = new (\w+)\(this, "([^"]+)"(?:, (true|false))?\)/g)) {
      complex.set(c[1], { name: c[3], className: c[2], set: c[4] === 'true' });
    }
    out.set(m[1], { getters, complex });
  });
  return out;
}

/** Which types to derive (all when absent): deriving only what a configuration uses keeps a cold start short. */
export interface SchemaSelection {
  readonly resources: readonly string[];
  readonly dataSources: readonly string[];
}

/** Derives a provider's schema (or the selected types of it) from an installed cdktf provider package. */
export function deriveProviderSchema(packageDir: string, selection?: SchemaSelection): DerivedProviderSchema {
  const assembly = readJsiiAssembly(packageDir);
  return deriveFromAssembly(assembly, new JsFacts(packageDir), selection);
}

function deriveFromAssembly(assembly: JsiiAssembly, js: JsFacts, selection?: SchemaSelection): DerivedProviderSchema {
  const wanted = selection && { resources: new Set(selection.resources), dataSources: new Set(selection.dataSources) };
  const types = assembly.types;
  const resources: Record<string, SchemaJson> = {};
  const dataSources: Record<string, SchemaJson> = {};
  let source: string | undefined;
  let version: string | undefined;
  let providerBlock: SchemaBlockJson = {};
  for (const type of Object.values(types) as Array<JsiiType & { name?: string; locationInModule?: { filename: string } }>) {
    if (type.kind !== 'class') continue;
    const match = REPRESENTS.exec(type.docs?.summary ?? '');
    if (!match) continue;
    const [, host, namespace, name, providerVersion, kind, tfName] = match;
    if (kind && wanted && !(kind === 'resources' ? wanted.resources : wanted.dataSources).has(tfName)) continue;
    const configFqn = type.initializer?.parameters?.find((p) => p.name === 'config')?.type.fqn;
    const file = js.file(type.locationInModule?.filename);
    const block = configFqn ? structBlock(types, configFqn, file, file.hcl.get('#config'), js) : {};
    if (!kind) {
      source = `${host}/${namespace}/${name}`.toLowerCase();
      version = providerVersion;
      providerBlock = stripComputed(block);
      continue;
    }
    const withComputed = addComputed(types, block, type, file.classes.get(type.name ?? ''), js);
    (kind === 'resources' ? resources : dataSources)[tfName] = { version: 0, block: withComputed };
  }
  if (!source) throw new Error(`${assembly.name}: the jsii assembly names no provider`);
  return {
    source,
    version,
    packageName: assembly.name,
    packageVersion: assembly.version,
    schema: { provider: { version: 0, block: providerBlock }, resource_schemas: resources, data_source_schemas: dataSources },
  };
}

type Types = JsiiAssembly['types'];
type FileFacts = ReturnType<JsFacts['file']>;

/** The block of a config or nested-block struct. */
function structBlock(types: Types, fqn: string, file: FileFacts, hcl: HclFacts | undefined, js: JsFacts, depth = 0): SchemaBlockJson {
  const attributes: Record<string, SchemaAttributeJson> = {};
  const blockTypes: Record<string, SchemaNestedBlockJson> = {};
  if (depth > 32) return {};
  for (const prop of structProperties(types, fqn)) {
    const name = terraformName(prop);
    const required = !prop.optional;
    const facts = hcl?.get(name);
    const nested = nestedStructOf(types, prop.type);
    if (nested) {
      const nestedType = types[nested.fqn] as JsiiType & { name?: string; locationInModule?: { filename: string } };
      const nestedFile = js.file(nestedType.locationInModule?.filename) ?? file;
      const inner = structBlock(types, nested.fqn, nestedFile, nestedFile.hcl.get(nestedType.name ?? ''), js, depth + 1);
      const reference = nestedFile.classes.get(`${nestedType.name}OutputReference`);
      const block = addComputed(types, inner, types[`${nested.fqn}OutputReference`], reference, js);
      const mode = facts?.type === 'struct' ? 'single' : facts?.type === 'set' ? 'set' : 'list';
      blockTypes[name] = {
        nesting_mode: mode,
        block,
        ...(required && mode !== 'single' ? { min_items: 1 } : {}),
        ...(!nested.list && mode === 'list' ? { max_items: 1 } : {}),
      };
      continue;
    }
    const type = facts ? (hclType(facts.type, facts.storage) ?? jsiiType(types, prop.type)) : jsiiType(types, prop.type);
    attributes[name] = required ? { type, required: true } : { type, optional: true, computed: true };
    if (SENSITIVE_NAME.test(name)) attributes[name] = { ...attributes[name], sensitive: true };
  }
  return { attributes, block_types: blockTypes };
}

/** Adds the read-only attributes of a resource or output-reference class to a block. */
function addComputed(types: Types, block: SchemaBlockJson, cls: JsiiType | undefined, facts: JsClassFacts | undefined, js: JsFacts): SchemaBlockJson {
  if (!cls) return block;
  const attributes: Record<string, SchemaAttributeJson> = { ...(block.attributes ?? {}) };
  const settable = new Set([...Object.keys(attributes), ...Object.keys(block.block_types ?? {})]);
  for (const prop of cls.properties ?? []) {
    if (prop.static || prop.name.endsWith('Input') || prop.name === 'internalValue' || prop.name === 'fqn' || prop.name === 'friendlyUniqueId') continue;
    const type = computedType(types, prop, facts, js);
    if (!type) continue;
    const name = type.name;
    if (settable.has(name) || CDKTF_META.has(name)) continue;
    attributes[name] = { type: type.type, computed: true, ...(SENSITIVE_NAME.test(name) ? { sensitive: true } : {}) };
  }
  return { ...block, attributes };
}

/** Properties every cdktf resource class has that are not Terraform attributes. */
const CDKTF_META = new Set([
  'terraform_resource_type',
  'terraform_generator_metadata',
  'terraform_meta_arguments',
  'count',
  'for_each',
  'depends_on',
  'provider',
  'lifecycle',
  'provisioners',
  'connection',
  'node',
  'stack',
  'raw_overrides',
  'cdktf_stack',
]);

/** The Terraform name and type of a read-only property, from the JS getter where there is one. */
function computedType(types: Types, prop: JsiiProperty, facts: JsClassFacts | undefined, js: JsFacts): { name: string; type: CtyType } | undefined {
  const getter = facts?.getters.get(prop.name);
  if (getter) {
    const type = getterType(getter.kind, getter.set);
    return type ? { name: getter.name, type } : undefined;
  }
  const complex = facts?.complex.get(prop.name);
  const fqn = unwrap(prop.type)?.fqn;
  if (complex && fqn) {
    const object = objectTypeOfClass(types, fqn, js, 0);
    if (!object) return undefined;
    if (/List$/.test(complex.className)) return { name: complex.name, type: [complex.set ? 'set' : 'list', object] };
    if (/Map$/.test(complex.className)) return { name: complex.name, type: ['map', object] };
    return { name: complex.name, type: object };
  }
  if (!facts) {
    const t = jsiiType(types, prop.type);
    return { name: ATTRIBUTE_LINK.exec(prop.docs?.summary ?? '')?.[1] ?? camelToSnake(prop.name), type: t };
  }
  return undefined; // a cdktf helper property, not an attribute
}

/** The object type behind a complex computed attribute class (`XList` → its `XOutputReference`). */
function objectTypeOfClass(types: Types, fqn: string, js: JsFacts, depth: number): CtyType | undefined {
  if (depth > 8) return undefined;
  const refFqn = types[`${fqn.replace(/(List|Map)$/, '')}OutputReference`] ? `${fqn.replace(/(List|Map)$/, '')}OutputReference` : fqn;
  const cls = types[refFqn] as (JsiiType & { name?: string; locationInModule?: { filename: string } }) | undefined;
  if (!cls) return undefined;
  const facts = js.file(cls.locationInModule?.filename).classes.get(cls.name ?? '');
  const attrs: Record<string, CtyType> = {};
  for (const prop of cls.properties ?? []) {
    if (prop.static || prop.name.endsWith('Input') || prop.name === 'internalValue') continue;
    const getter = facts?.getters.get(prop.name);
    if (getter) {
      const t = getterType(getter.kind, getter.set);
      if (t) attrs[getter.name] = t;
      continue;
    }
    const complex = facts?.complex.get(prop.name);
    const inner = unwrap(prop.type)?.fqn;
    if (complex && inner) {
      const object = objectTypeOfClass(types, inner, js, depth + 1);
      if (!object) continue;
      attrs[complex.name] = /List$/.test(complex.className)
        ? [complex.set ? 'set' : 'list', object]
        : /Map$/.test(complex.className)
          ? ['map', object]
          : object;
    }
  }
  return ['object', attrs];
}

/** The type a `this.get<Kind>Attribute(...)` getter reads. */
function getterType(kind: string, set: boolean): CtyType | undefined {
  const collection = set ? 'set' : 'list';
  switch (kind) {
    case 'String':
      return 'string';
    case 'Number':
      return 'number';
    case 'Boolean':
      return 'bool';
    case 'List':
      return [collection, 'string'];
    case 'NumberList':
      return [collection, 'number'];
    case 'StringMap':
      return ['map', 'string'];
    case 'NumberMap':
      return ['map', 'number'];
    case 'BooleanMap':
      return ['map', 'bool'];
    case 'AnyMap':
      return ['map', 'dynamic'];
    default:
      return undefined;
  }
}

/** The type of an argument from its `...ToHclTerraform` entry: `type` list/set/map/simple, storage `stringList`, `numberListList`... */
function hclType(kind: string, storage: string): CtyType | undefined {
  const m = /^(string|number|boolean|any)((?:List|Map)*)$/.exec(storage);
  if (!m) return undefined;
  let type: CtyType = m[1] === 'boolean' ? 'bool' : m[1] === 'any' ? 'dynamic' : m[1];
  const wrappers = (m[2].match(/List|Map/g) ?? []).reverse();
  wrappers.forEach((w, i) => {
    const outer = i === wrappers.length - 1;
    type = w === 'Map' ? ['map', type] : [outer && kind === 'set' ? 'set' : 'list', type];
  });
  return type;
}

/** The type of an argument from the jsii assembly alone. */
function jsiiType(types: Types, ref: JsiiTypeRef): CtyType {
  const t = unwrap(ref);
  if (!t) return 'dynamic';
  if (t.primitive === 'string' || t.primitive === 'date') return 'string';
  if (t.primitive === 'number') return 'number';
  if (t.primitive === 'boolean') return 'bool';
  if (t.collection) {
    const element = isStruct(types, unwrap(t.collection.elementtype)?.fqn) ? 'dynamic' : jsiiType(types, t.collection.elementtype);
    return [t.collection.kind === 'array' ? 'list' : 'map', element];
  }
  return 'dynamic';
}

/** The provider configuration block has no computed attributes. */
function stripComputed(block: SchemaBlockJson): SchemaBlockJson {
  const attributes = Object.fromEntries(
    Object.entries(block.attributes ?? {}).map(([k, v]) => [k, v.required ? v : { type: v.type, optional: true, ...(v.sensitive ? { sensitive: true } : {}) }]),
  );
  const blockTypes = Object.fromEntries(Object.entries(block.block_types ?? {}).map(([k, v]) => [k, { ...v, block: stripComputed(v.block) }]));
  return { attributes, block_types: blockTypes };
}
