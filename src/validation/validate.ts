/**
 * Offline validation of synthesized cdktf stacks (`cdktf.out/stacks/<name>/cdk.tf.json`)
 * against provider schemas ({@link SchemaIndex}): resource and data source
 * types, arguments and nested blocks (unknown, missing, wrongly typed),
 * references inside `${...}` expressions, meta-arguments, outputs, and the
 * providers in `terraform.required_providers`.
 *
 * It catches in milliseconds, without providers or network, what
 * `terraform validate` would catch about the configuration's shape. It does
 * not evaluate expressions or check provider-side rules (value ranges,
 * conflicting arguments).
 */
import * as fs from 'fs';
import * as path from 'path';
import { hasTemplateSequence, isSingleInterpolation } from './expressions';
import type { ProblemCode, ValidationProblem } from './problems';
import { impliedProviderName, normalizeProviderSource, satisfiesVersionConstraint } from './providers';
import { checkExpression, checkTemplate, DeclaredBlock, Declarations, RefScope, ROOT_SCOPE } from './references';
import { BlockSchema, BUILTIN_PROVIDER_SOURCE, loadSchemaIndexes, NestedBlockSchema, normalizeAttributeName, SchemaIndex, TypeSpec } from './schema-index';
import { didYouMean } from './suggest';

export type { ProblemCode, ValidationProblem } from './problems';
export { formatProblem } from './problems';

type JsonObject = Record<string, unknown>;

/** Top-level keys of a Terraform JSON configuration file. */
const TOP_LEVEL_KEYS = [
  '//',
  'terraform',
  'provider',
  'resource',
  'data',
  'ephemeral',
  'variable',
  'output',
  'locals',
  'module',
  'moved',
  'import',
  'removed',
  'check',
];
/** Meta-arguments every managed resource accepts. */
const RESOURCE_META = new Set(['count', 'for_each', 'depends_on', 'provider', 'lifecycle', 'provisioner', 'connection']);
/** Meta-arguments every data source accepts. */
const DATA_META = new Set(['count', 'for_each', 'depends_on', 'provider', 'lifecycle']);
const LIFECYCLE_KEYS = ['create_before_destroy', 'prevent_destroy', 'ignore_changes', 'replace_triggered_by', 'precondition', 'postcondition'];
const OUTPUT_KEYS = ['value', 'description', 'sensitive', 'depends_on', 'precondition', 'ephemeral'];
const VARIABLE_KEYS = ['type', 'default', 'description', 'sensitive', 'nullable', 'validation', 'ephemeral'];
const MODULE_META = ['source', 'version', 'count', 'for_each', 'depends_on', 'providers'];
/** cdktf encodes number tokens as doubles around -1.8e+289; no real configuration value is that large. */
const UNRESOLVED_NUMBER_TOKEN = 1e280;

// ---------------------------------------------------------------------------
// Public API

/** Counts for the summary line. */
export interface StackSummary {
  readonly stack: string;
  readonly resources: number;
  readonly dataSources: number;
}

/** Result of {@link validateOutdirDetailed}. */
export interface OutdirValidation {
  readonly stacks: readonly StackSummary[];
  readonly problems: readonly ValidationProblem[];
}

/** Options of {@link validateOutdir}. */
export interface ValidateOutdirOptions {
  /** Schemas to validate against. Default: {@link loadSchemaIndexes}() (cached jsii-derived schemas). */
  readonly schemas?: readonly SchemaIndex[];
}

/**
 * Validates every stack listed in `<outdir>/manifest.json`. Pure apart from
 * reading the files (and loading the default schemas when none are given).
 */
export function validateOutdir(outdir: string, options: ValidateOutdirOptions = {}): ValidationProblem[] {
  return [...validateOutdirDetailed(outdir, options).problems];
}

/** {@link validateOutdir} plus per-stack resource counts. */
export function validateOutdirDetailed(outdir: string, options: ValidateOutdirOptions = {}): OutdirValidation {
  const manifestPath = path.join(outdir, 'manifest.json');
  let manifest: { stacks?: Record<string, { synthesizedStackPath?: string }> };
  try {
    manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as typeof manifest;
  } catch (error) {
    const problem: ValidationProblem = {
      stack: '-',
      path: manifestPath,
      code: 'invalid-stack',
      message: `cannot read the cdktf manifest: ${(error as Error).message}`,
    };
    return { stacks: [], problems: [problem] };
  }
  const schemas = options.schemas ?? loadSchemaIndexes();
  const stacks: StackSummary[] = [];
  const problems: ValidationProblem[] = [];
  for (const [stack, entry] of Object.entries(manifest.stacks ?? {})) {
    const file = path.join(outdir, entry.synthesizedStackPath ?? path.join('stacks', stack, 'cdk.tf.json'));
    let json: unknown;
    try {
      json = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (error) {
      problems.push({ stack, path: file, code: 'invalid-stack', message: `cannot read the synthesized stack: ${(error as Error).message}` });
      continue;
    }
    stacks.push({ stack, resources: countBlocks(json, 'resource'), dataSources: countBlocks(json, 'data') });
    problems.push(...validateStack(stack, json, schemas));
  }
  return { stacks, problems };
}

/**
 * Validates one synthesized stack (the parsed `cdk.tf.json`) against `schemas`
 * (from {@link loadSchemaIndexes}). Returns the problems, in document order;
 * an empty array means the stack is valid as far as this validator can tell.
 */
export function validateStack(stackName: string, json: unknown, schemas: readonly SchemaIndex[]): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const report = (p: string, code: ProblemCode, message: string) => problems.push({ stack: stackName, path: p, code, message });
  if (!isObject(json)) {
    report('', 'invalid-stack', `expected a JSON object, got ${describeValue(json)}`);
    return problems;
  }
  const ctx = createContext(json, schemas, report);
  checkTopLevelKeys(ctx);
  checkRequiredProviders(ctx);
  checkProviderBlocks(ctx);
  checkBlocks(ctx, 'resource');
  checkBlocks(ctx, 'data');
  checkVariables(ctx);
  checkLocals(ctx);
  checkOutputs(ctx);
  checkModules(ctx);
  checkImports(ctx);
  return problems;
}

// ---------------------------------------------------------------------------
// Stack context: schemas by provider, required providers, declarations

/** The schemas of one provider source, merged over all indexes for it. */
interface ProviderSchemas {
  readonly source: string;
  readonly version?: string;
  readonly providerConfig?: BlockSchema;
  readonly resources: Readonly<Record<string, BlockSchema>>;
  readonly dataSources: Readonly<Record<string, BlockSchema>>;
}

interface RequiredProvider {
  readonly source: string;
  readonly version?: string;
}

interface Resolved {
  readonly schema?: BlockSchema;
  readonly problem?: { readonly code: ProblemCode; readonly message: string };
}

type Kind = 'resource' | 'data';

interface Context {
  readonly json: JsonObject;
  readonly report: (path: string, code: ProblemCode, message: string) => void;
  readonly bySource: ReadonlyMap<string, ProviderSchemas>;
  readonly required: ReadonlyMap<string, RequiredProvider>;
  readonly decl: Declarations;
  /** The schema of a resource or data source block (memoized by kind, type and provider). */
  readonly resolve: (kind: Kind, type: string, body: JsonObject) => Resolved;
  /** Provider local name → declared aliases. */
  readonly providerAliases: ReadonlyMap<string, ReadonlySet<string>>;
}

const mergedCache = new WeakMap<readonly SchemaIndex[], Map<string, ProviderSchemas>>();

/** Indexes merged by provider source; later indexes override types of earlier ones. */
function mergeBySource(indexes: readonly SchemaIndex[]): Map<string, ProviderSchemas> {
  const cached = mergedCache.get(indexes);
  if (cached) return cached;
  const merged = new Map<string, ProviderSchemas>();
  for (const index of indexes) {
    const source = normalizeProviderSource(index.provider);
    const previous = merged.get(source);
    merged.set(source, {
      source,
      version: index.providerVersion ?? previous?.version,
      providerConfig: index.providerConfig ?? previous?.providerConfig,
      resources: previous ? { ...previous.resources, ...index.resources } : index.resources,
      dataSources: previous ? { ...previous.dataSources, ...index.dataSources } : index.dataSources,
    });
  }
  mergedCache.set(indexes, merged);
  return merged;
}

function createContext(json: JsonObject, schemas: readonly SchemaIndex[], report: Context['report']): Context {
  const bySource = mergeBySource(schemas);
  const required = readRequiredProviders(json);
  const resolved = new Map<string, Resolved>();
  const resolve = (kind: Kind, type: string, body: JsonObject): Resolved => {
    const local = providerLocalName(type, body);
    const key = `${kind} ${type} ${local}`;
    let result = resolved.get(key);
    if (!result) {
      result = resolveSchema(bySource, required, kind, type, local);
      resolved.set(key, result);
    }
    return result;
  };
  const declare = (kind: Kind | 'ephemeral') => {
    const out = new Map<string, Map<string, DeclaredBlock>>();
    for (const [type, names] of objectEntries(json[kind])) {
      const byName = new Map<string, DeclaredBlock>();
      for (const [name, value] of objectEntries(names)) {
        const body = firstObject(value) ?? {};
        const schema = kind === 'ephemeral' ? undefined : resolve(kind, type, body).schema;
        byName.set(name, { schema, repeated: body.count != null || body.for_each != null });
      }
      out.set(type, byName);
    }
    return out;
  };
  const decl: Declarations = {
    resources: declare('resource'),
    dataSources: declare('data'),
    ephemeral: declare('ephemeral'),
    variables: new Set(objectEntries(json.variable).map(([name]) => name)),
    locals: new Set(asObjects(json.locals).flatMap((o) => Object.keys(o))),
    modules: new Set(objectEntries(json.module).map(([name]) => name)),
  };
  const providerAliases = new Map<string, Set<string>>();
  for (const [name, configs] of objectEntries(json.provider)) {
    const aliases = providerAliases.get(name) ?? new Set<string>();
    for (const config of asObjects(configs)) if (typeof config.alias === 'string') aliases.add(config.alias);
    providerAliases.set(name, aliases);
  }
  return { json, report, bySource, required, decl, resolve, providerAliases };
}

/** `terraform.required_providers` by local name (entries may be `{source, version}` or a legacy version string). */
function readRequiredProviders(json: JsonObject): Map<string, RequiredProvider> {
  const out = new Map<string, RequiredProvider>();
  for (const terraform of asObjects(json.terraform))
    for (const required of asObjects(terraform.required_providers))
      for (const [name, entry] of Object.entries(required)) {
        if (typeof entry === 'string') out.set(name, { source: normalizeProviderSource(name), version: entry });
        else if (isObject(entry))
          out.set(name, {
            source: normalizeProviderSource(typeof entry.source === 'string' ? entry.source : name),
            version: typeof entry.version === 'string' ? entry.version : undefined,
          });
      }
  return out;
}

/** The provider local name a block uses: its `provider` meta-argument, else the type's prefix. */
function providerLocalName(type: string, body: JsonObject): string {
  return typeof body.provider === 'string' && body.provider.length > 0 ? body.provider.replace(/^\$\{(.*)\}$/, '$1').split('.')[0] : impliedProviderName(type);
}

/** Finds the schema of a resource or data source type through the provider its local name maps to. */
function resolveSchema(
  bySource: ReadonlyMap<string, ProviderSchemas>,
  required: ReadonlyMap<string, RequiredProvider>,
  kind: Kind,
  type: string,
  local: string,
): Resolved {
  const table = (p: ProviderSchemas) => (kind === 'resource' ? p.resources : p.dataSources);
  const word = kind === 'resource' ? 'resource type' : 'data source';
  const code: ProblemCode = kind === 'resource' ? 'unknown-resource-type' : 'unknown-data-source';
  const builtin = bySource.get(BUILTIN_PROVIDER_SOURCE);
  if (local === 'terraform' && builtin && table(builtin)[type]) return { schema: table(builtin)[type] };

  const requirement = required.get(local);
  const source = requirement?.source ?? normalizeProviderSource(local);
  const provider = bySource.get(source);
  if (provider) {
    const schema = table(provider)[type];
    if (schema) return { schema };
    const version = provider.version ? ` ${provider.version}` : '';
    return {
      problem: {
        code,
        message: `unknown ${word} "${type}": provider ${source}${version} has no such ${word}${didYouMean(type, Object.keys(table(provider)))}`,
      },
    };
  }
  const elsewhere = [...bySource.values()].find((p) => table(p)[type]);
  if (elsewhere && !requirement) return { schema: table(elsewhere)[type] }; // the missing requirement is reported on its own
  if (elsewhere)
    return {
      schema: table(elsewhere)[type],
      problem: {
        code: 'provider-source-mismatch',
        message: `${word} "${type}" is described by the schema of ${elsewhere.source}, but terraform.required_providers.${local}.source is ${source}`,
      },
    };
  return {
    problem: {
      code,
      message: `unknown ${word} "${type}": no schema is loaded for provider ${source} (register one with loadSchemaIndexes({ extra: [...] }))`,
    },
  };
}

// ---------------------------------------------------------------------------
// Top level, providers

function checkTopLevelKeys(ctx: Context): void {
  for (const key of Object.keys(ctx.json))
    if (!TOP_LEVEL_KEYS.includes(key)) ctx.report(key, 'unknown-top-level-key', `unknown top-level key "${key}"${didYouMean(key, TOP_LEVEL_KEYS)}`);
}

/**
 * Every provider a resource, data source or provider block uses must be in
 * `terraform.required_providers`, and the versions required there must be the
 * ones the loaded schemas describe.
 */
function checkRequiredProviders(ctx: Context): void {
  const reported = new Set<string>();
  const need = (local: string, where: string, what: string) => {
    if (ctx.required.has(local) || reported.has(local)) return;
    reported.add(local);
    ctx.report(where, 'missing-required-provider', `${what} uses provider "${local}", which is not declared in terraform.required_providers`);
  };
  for (const kind of ['resource', 'data'] as const)
    for (const [type, names] of objectEntries(ctx.json[kind]))
      for (const [name, value] of objectEntries(names)) {
        const body = firstObject(value) ?? {};
        const local = providerLocalName(type, body);
        const builtin = local === 'terraform' && !ctx.resolve(kind, type, body).problem;
        if (!builtin) need(local, `${kind}.${type}.${name}`, `${kind === 'resource' ? 'resource type' : 'data source'} "${type}"`);
      }
  for (const [name] of objectEntries(ctx.json.provider)) need(name, `provider.${name}`, `provider block "${name}"`);

  for (const [local, requirement] of ctx.required) {
    const provider = ctx.bySource.get(requirement.source);
    if (!provider?.version || !requirement.version) continue;
    if (!satisfiesVersionConstraint(provider.version, requirement.version))
      ctx.report(
        `terraform.required_providers.${local}.version`,
        'provider-version-mismatch',
        `version constraint "${requirement.version}" excludes ${provider.version}, the version of the loaded ${requirement.source} schema; ` +
          'the validation may not match what terraform installs',
      );
  }
}

/** `provider.<name>` configuration blocks, against the provider's config schema when there is one. */
function checkProviderBlocks(ctx: Context): void {
  for (const [name, value] of objectEntries(ctx.json.provider)) {
    const configs = Array.isArray(value) ? value : [value];
    configs.forEach((config, i) => {
      const p = Array.isArray(value) ? `provider.${name}[${i}]` : `provider.${name}`;
      if (!isObject(config)) {
        ctx.report(p, 'invalid-block-shape', `a provider block must be an object, got ${describeValue(config)}`);
        return;
      }
      const source = ctx.required.get(name)?.source ?? normalizeProviderSource(name);
      const schema = ctx.bySource.get(source)?.providerConfig;
      if (schema) checkBody(ctx, config, schema, p, new Set(['alias', 'version']));
      walkReferences(ctx, config, p, ROOT_SCOPE);
    });
  }
}

// ---------------------------------------------------------------------------
// Resources and data sources

function checkBlocks(ctx: Context, kind: Kind): void {
  for (const [type, names] of objectEntries(ctx.json[kind])) {
    const reported = new Set<string>();
    for (const [name, value] of objectEntries(names)) {
      const p = `${kind}.${type}.${name}`;
      const body = firstObject(value);
      if (!body) {
        ctx.report(p, 'invalid-block-shape', `a ${kind} block must be an object, got ${describeValue(value)}`);
        continue;
      }
      const resolved = ctx.resolve(kind, type, body);
      if (resolved.problem && !reported.has(resolved.problem.message)) {
        ctx.report(p, resolved.problem.code, resolved.problem.message); // once per type, not per block
        reported.add(resolved.problem.message);
      }
      const schema = resolved.schema;
      const meta = kind === 'resource' ? RESOURCE_META : DATA_META;
      if (schema) checkBody(ctx, body, schema, p, meta);
      checkMetaArguments(ctx, body, schema, p, kind);
      const scope: RefScope = {
        each: body.for_each != null,
        count: body.count != null,
        self: false,
        iterators: new Set(),
        selfAddress: kind === 'resource' ? `${type}.${name}` : undefined,
      };
      walkBlockReferences(ctx, body, p, scope);
    }
  }
}

/**
 * The arguments and nested blocks of one block body against its schema:
 * unknown keys (with a suggestion), value types, block shapes, and required
 * arguments and blocks. `meta` names extra keys allowed at this level.
 */
function checkBody(ctx: Context, body: JsonObject, schema: BlockSchema, p: string, meta: ReadonlySet<string> = new Set()): void {
  const dynamic = isObject(body.dynamic) ? body.dynamic : {};
  for (const [key, value] of Object.entries(body)) {
    if (key === '//' || meta.has(key)) continue;
    const attribute = schema.attributes[key];
    const block = schema.blocks[key];
    if (key === 'dynamic' && !attribute && !block) checkDynamic(ctx, value, schema, `${p}.dynamic`);
    else if (attribute) checkValue(ctx, value, attribute.type, `${p}.${key}`);
    else if (block) checkNestedBlock(ctx, value, key, block, `${p}.${key}`);
    else ctx.report(p, 'unsupported-argument', unsupportedMessage(key, schema, meta));
  }
  for (const [key, attribute] of Object.entries(schema.attributes))
    if (attribute.required && body[key] == null) ctx.report(p, 'missing-required-argument', `missing required argument "${key}"`);
  for (const [key, block] of Object.entries(schema.blocks)) {
    const given = body[key];
    if (block.required && (given == null || (Array.isArray(given) && given.length === 0)) && dynamic[key] == null)
      ctx.report(p, 'missing-required-block', `missing required block "${key}"${block.list ? ' (at least one)' : ''}`);
  }
}

function unsupportedMessage(key: string, schema: BlockSchema, meta: ReadonlySet<string>): string {
  const computed = (schema.computed ?? []).some((c) => normalizeAttributeName(c) === normalizeAttributeName(key));
  if (computed) return `unsupported argument "${key}": it is a read-only attribute, set by the provider`;
  const names = [...Object.keys(schema.attributes), ...Object.keys(schema.blocks), ...meta];
  return `unsupported argument "${key}"${didYouMean(key, names)}`;
}

/** A nested block: an object or array of objects (or, for attribute-style blocks, a whole expression). */
function checkNestedBlock(ctx: Context, value: unknown, key: string, nested: NestedBlockSchema, p: string): void {
  if (value == null) return;
  if (typeof value === 'string' && nested.attribute && isSingleInterpolation(value)) return;
  if (Array.isArray(value)) {
    if (!nested.list && value.length > 1) ctx.report(p, 'too-many-blocks', `at most one "${key}" block is allowed, got ${value.length}`);
    value.forEach((element, i) => {
      if (isObject(element)) checkBody(ctx, element, nested.block, `${p}[${i}]`);
      else if (!(typeof element === 'string' && nested.attribute && isSingleInterpolation(element)))
        ctx.report(`${p}[${i}]`, 'invalid-block-shape', `each "${key}" block must be an object, got ${describeValue(element)}`);
    });
    return;
  }
  if (isObject(value)) {
    checkBody(ctx, value, nested.block, p);
    return;
  }
  const expected = nested.attribute ? 'an object, an array of objects, or a whole "${...}" expression' : 'an object or an array of objects';
  const hint =
    typeof value === 'string' && !nested.attribute && hasTemplateSequence(value) ? ' (a block cannot be set from an expression; use a dynamic block)' : '';
  ctx.report(p, 'invalid-block-shape', `"${key}" is a block: expected ${expected}, got ${describeValue(value)}${hint}`);
}

/** `"dynamic": { "<block>": { "for_each": ..., "iterator"?: ..., "content": {...} } }`. */
function checkDynamic(ctx: Context, value: unknown, schema: BlockSchema, p: string): void {
  for (const [name, spec] of objectEntries(value)) {
    const nested = schema.blocks[name];
    if (!nested) {
      const why = schema.attributes[name]
        ? `"${name}" is an argument, not a block`
        : `unsupported block type "${name}"${didYouMean(name, Object.keys(schema.blocks))}`;
      ctx.report(p, 'unsupported-argument', `dynamic block: ${why}`);
      continue;
    }
    const dp = `${p}.${name}`;
    if (!isObject(spec)) {
      ctx.report(dp, 'invalid-block-shape', `a dynamic block must be an object with for_each and content, got ${describeValue(spec)}`);
      continue;
    }
    for (const key of Object.keys(spec))
      if (!['for_each', 'iterator', 'labels', 'content', '//'].includes(key))
        ctx.report(dp, 'unsupported-argument', `unsupported argument "${key}" in a dynamic block`);
    if (spec.for_each == null) ctx.report(dp, 'missing-required-argument', 'missing required argument "for_each"');
    if (!isObject(spec.content)) ctx.report(dp, 'missing-required-block', 'missing required block "content"');
    else checkBody(ctx, spec.content, nested.block, `${dp}.content`);
  }
}

/** Checks `value` against an attribute type (see {@link acceptsValue} for what Terraform converts). */
function checkValue(ctx: Context, value: unknown, type: TypeSpec, p: string): void {
  if (value == null || type === 'any') return;
  if (typeof type === 'object' && 'list' in type && Array.isArray(value)) {
    value.forEach((element, i) => checkValue(ctx, element, type.list, `${p}[${i}]`));
    return;
  }
  if (typeof type === 'object' && 'map' in type && isObject(value)) {
    for (const [key, element] of Object.entries(value)) checkValue(ctx, element, type.map, `${p}.${key}`);
    return;
  }
  if (!acceptsValue(type, value)) ctx.report(p, 'invalid-value-type', `expected ${describeType(type)}, got ${describeValue(value)}`);
}

/**
 * Whether Terraform accepts this (non-null, non-collection-matching) JSON
 * value for the type, converting as it does: numbers and bools become strings;
 * strings like `"3"` become numbers and `"true"`/`"false"`/`"1"`/`"0"` bools;
 * a string with `${...}` is computed and may become anything, except that a
 * template with literal text around its interpolations is always a string.
 */
function acceptsValue(type: TypeSpec, value: unknown): boolean {
  if (typeof value === 'string') {
    if (type === 'string') return true;
    if (isSingleInterpolation(value)) return true;
    if (type === 'number') return hasTemplateSequence(value) || /^-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(value);
    if (type === 'bool') return hasTemplateSequence(value) || ['true', 'false', '1', '0'].includes(value);
    return false;
  }
  if (typeof value === 'number') return type === 'string' || type === 'number';
  if (typeof value === 'boolean') return type === 'string' || type === 'bool';
  return false; // arrays and objects that did not match a list or map type
}

// ---------------------------------------------------------------------------
// Meta-arguments

function checkMetaArguments(ctx: Context, body: JsonObject, schema: BlockSchema | undefined, p: string, kind: Kind): void {
  if (body.count != null && body.for_each != null) ctx.report(p, 'invalid-meta-argument', 'count and for_each cannot both be set');
  if (body.count != null) checkValue(ctx, body.count, 'number', `${p}.count`);
  if (body.for_each != null) {
    const v = body.for_each;
    if (!(Array.isArray(v) || isObject(v) || (typeof v === 'string' && isSingleInterpolation(v))))
      ctx.report(`${p}.for_each`, 'invalid-value-type', `for_each must be a map or a set of strings, got ${describeValue(v)}`);
  }
  if (body.depends_on != null && !(Array.isArray(body.depends_on) && body.depends_on.every((d) => typeof d === 'string')))
    ctx.report(
      `${p}.depends_on`,
      'invalid-meta-argument',
      `depends_on must be a list of references such as "azurerm_resource_group.rg", got ${describeValue(body.depends_on)}`,
    );
  checkProviderMeta(ctx, body.provider, `${p}.provider`);
  checkLifecycle(ctx, body.lifecycle, schema, `${p}.lifecycle`, kind);
}

/** `provider = "azurerm"` or `"azurerm.alias"`: the alias must be declared by a provider block. */
function checkProviderMeta(ctx: Context, value: unknown, p: string): void {
  if (value == null) return;
  if (typeof value !== 'string' || !/^[A-Za-z][A-Za-z0-9_-]*(\.[A-Za-z_][A-Za-z0-9_-]*)?$/.test(value.replace(/^\$\{(.*)\}$/, '$1'))) {
    ctx.report(p, 'invalid-meta-argument', `provider must be a provider reference such as "azurerm" or "azurerm.west", got ${describeValue(value)}`);
    return;
  }
  const [name, alias] = value.replace(/^\$\{(.*)\}$/, '$1').split('.');
  if (alias !== undefined && !ctx.providerAliases.get(name)?.has(alias))
    ctx.report(p, 'undeclared-provider-config', `provider "${name}.${alias}" is not configured: no provider.${name} block has alias "${alias}"`);
}

/** `lifecycle`: known keys; `ignore_changes` must name arguments of the resource. */
function checkLifecycle(ctx: Context, value: unknown, schema: BlockSchema | undefined, p: string, kind: Kind): void {
  if (value == null) return;
  if (!isObject(value)) {
    ctx.report(p, 'invalid-block-shape', `"lifecycle" is a block: expected an object, got ${describeValue(value)}`);
    return;
  }
  const allowed = kind === 'resource' ? LIFECYCLE_KEYS : ['precondition', 'postcondition'];
  for (const key of Object.keys(value))
    if (key !== '//' && !allowed.includes(key)) ctx.report(p, 'unsupported-argument', `unsupported argument "${key}" in lifecycle${didYouMean(key, allowed)}`);
  for (const key of ['create_before_destroy', 'prevent_destroy']) if (value[key] != null) checkValue(ctx, value[key], 'bool', `${p}.${key}`);
  const ignore = value.ignore_changes;
  if (ignore == null || ignore === 'all' || (typeof ignore === 'string' && isSingleInterpolation(ignore))) return;
  if (!Array.isArray(ignore)) {
    ctx.report(`${p}.ignore_changes`, 'invalid-value-type', `expected a list of argument names or "all", got ${describeValue(ignore)}`);
    return;
  }
  ignore.forEach((entry, i) => {
    const name = typeof entry === 'string' ? /^[A-Za-z_][A-Za-z0-9_-]*/.exec(entry)?.[0] : undefined;
    if (name === undefined) ctx.report(`${p}.ignore_changes[${i}]`, 'invalid-value-type', `expected an argument name, got ${describeValue(entry)}`);
    else if (schema && !(name in schema.attributes) && !(name in schema.blocks)) {
      const suggestion = didYouMean(name, [...Object.keys(schema.attributes), ...Object.keys(schema.blocks)]);
      ctx.report(`${p}.ignore_changes[${i}]`, 'unsupported-argument', `ignore_changes names "${name}", which is not an argument of this ${kind}${suggestion}`);
    }
  });
}

// ---------------------------------------------------------------------------
// References

/**
 * References in a resource or data source body: `depends_on` entries are bare
 * expressions, `provider` and `lifecycle.ignore_changes` are not expressions,
 * `provisioner` and `connection` may use `self`, everything else is a template.
 */
function walkBlockReferences(ctx: Context, body: JsonObject, p: string, scope: RefScope): void {
  for (const [key, value] of Object.entries(body)) {
    const kp = `${p}.${key}`;
    if (key === '//' || key === 'provider') continue;
    if (key === 'depends_on') walkDependsOn(ctx, value, kp, scope);
    else if (key === 'dynamic' && isObject(value)) walkDynamicReferences(ctx, value, kp, scope);
    else if (key === 'lifecycle' && isObject(value)) {
      for (const [lk, lv] of Object.entries(value)) {
        if (lk === 'ignore_changes') continue;
        const selfOk = lk === 'postcondition';
        walkReferences(ctx, lv, `${kp}.${lk}`, selfOk ? { ...scope, self: true } : scope);
      }
    } else if (key === 'provisioner' || key === 'connection') walkReferences(ctx, value, kp, { ...scope, self: true });
    else walkReferences(ctx, value, kp, scope);
  }
}

function walkDependsOn(ctx: Context, value: unknown, p: string, scope: RefScope): void {
  if (!Array.isArray(value)) return;
  value.forEach((entry, i) => {
    if (typeof entry !== 'string') return;
    const refs = checkExpression(entry, `${p}[${i}]`, scope, ctx.decl, ctx.report);
    if (refs.some((r) => ['var', 'local', 'each', 'count', 'path', 'terraform', 'self'].includes(r.root)))
      ctx.report(`${p}[${i}]`, 'invalid-meta-argument', `depends_on entries must name resources, data sources or modules, got ${JSON.stringify(entry)}`);
  });
}

/** Every template string in a JSON value; `dynamic` blocks bring their iterator into scope for `content`. */
function walkReferences(ctx: Context, value: unknown, p: string, scope: RefScope): void {
  if (typeof value === 'string') checkTemplate(value, p, scope, ctx.decl, ctx.report);
  else if (typeof value === 'number' && Math.abs(value) > UNRESOLVED_NUMBER_TOKEN) {
    ctx.report(p, 'invalid-expression', `the number ${value} looks like an unresolved cdktf number token (use Token.asNumber on a resolvable value)`);
  } else if (Array.isArray(value)) value.forEach((v, i) => walkReferences(ctx, v, `${p}[${i}]`, scope));
  else if (isObject(value))
    for (const [key, v] of Object.entries(value)) {
      if (key === '//') continue;
      if (key === 'dynamic' && isObject(v)) walkDynamicReferences(ctx, v, `${p}.dynamic`, scope);
      else walkReferences(ctx, v, `${p}.${key}`, scope);
    }
}

function walkDynamicReferences(ctx: Context, dynamic: JsonObject, p: string, scope: RefScope): void {
  for (const [name, spec] of Object.entries(dynamic)) {
    if (!isObject(spec)) {
      walkReferences(ctx, spec, `${p}.${name}`, scope);
      continue;
    }
    const iterator = typeof spec.iterator === 'string' ? spec.iterator : name;
    for (const [key, v] of Object.entries(spec)) {
      if (key === 'iterator' || key === '//') continue;
      const inner = key === 'content' ? { ...scope, iterators: new Set([...scope.iterators, iterator]) } : scope;
      walkReferences(ctx, v, `${p}.${name}.${key}`, inner);
    }
  }
}

// ---------------------------------------------------------------------------
// Variables, locals, outputs, modules, imports

function checkVariables(ctx: Context): void {
  for (const [name, value] of objectEntries(ctx.json.variable)) {
    const p = `variable.${name}`;
    if (!isObject(value)) {
      ctx.report(p, 'invalid-block-shape', `a variable block must be an object, got ${describeValue(value)}`);
      continue;
    }
    checkKeys(ctx, value, VARIABLE_KEYS, p);
    walkReferences(ctx, value.validation, `${p}.validation`, ROOT_SCOPE);
  }
}

function checkLocals(ctx: Context): void {
  for (const locals of asObjects(ctx.json.locals))
    for (const [name, value] of Object.entries(locals)) if (name !== '//') walkReferences(ctx, value, `locals.${name}`, ROOT_SCOPE);
}

function checkOutputs(ctx: Context): void {
  for (const [name, value] of objectEntries(ctx.json.output)) {
    const p = `output.${name}`;
    if (!isObject(value)) {
      ctx.report(p, 'invalid-block-shape', `an output block must be an object, got ${describeValue(value)}`);
      continue;
    }
    checkKeys(ctx, value, OUTPUT_KEYS, p);
    if (!('value' in value)) ctx.report(p, 'missing-required-argument', 'missing required argument "value"');
    if (value.sensitive != null) checkValue(ctx, value.sensitive, 'bool', `${p}.sensitive`);
    walkReferences(ctx, value.value, `${p}.value`, ROOT_SCOPE);
    walkReferences(ctx, value.precondition, `${p}.precondition`, ROOT_SCOPE);
    walkDependsOn(ctx, value.depends_on, `${p}.depends_on`, ROOT_SCOPE);
  }
}

function checkModules(ctx: Context): void {
  for (const [name, value] of objectEntries(ctx.json.module)) {
    const p = `module.${name}`;
    if (!isObject(value)) {
      ctx.report(p, 'invalid-block-shape', `a module block must be an object, got ${describeValue(value)}`);
      continue;
    }
    if (typeof value.source !== 'string') ctx.report(p, 'missing-required-argument', 'missing required argument "source"');
    const scope: RefScope = { ...ROOT_SCOPE, each: value.for_each != null, count: value.count != null };
    for (const [key, v] of Object.entries(value)) {
      if (key === 'depends_on') walkDependsOn(ctx, v, `${p}.depends_on`, scope);
      else if (!MODULE_META.includes(key) || key === 'count' || key === 'for_each') walkReferences(ctx, v, `${p}.${key}`, scope);
    }
  }
}

/** `import` blocks: `to` must name a declared resource. */
function checkImports(ctx: Context): void {
  asObjects(ctx.json.import).forEach((block, i) => {
    const p = `import[${i}]`;
    if (typeof block.to === 'string') checkExpression(block.to, `${p}.to`, ROOT_SCOPE, ctx.decl, ctx.report);
    else ctx.report(p, 'missing-required-argument', 'missing required argument "to"');
    walkReferences(ctx, block.id, `${p}.id`, ROOT_SCOPE);
  });
}

function checkKeys(ctx: Context, value: JsonObject, allowed: readonly string[], p: string): void {
  for (const key of Object.keys(value))
    if (key !== '//' && !allowed.includes(key)) ctx.report(p, 'unsupported-argument', `unsupported argument "${key}"${didYouMean(key, allowed)}`);
}

// ---------------------------------------------------------------------------
// Small helpers

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Entries of an object (empty for anything else). */
function objectEntries(value: unknown): Array<[string, unknown]> {
  return isObject(value) ? Object.entries(value).filter(([key]) => key !== '//') : [];
}

/** An object, or the objects of an array (Terraform JSON allows either for blocks). */
function asObjects(value: unknown): JsonObject[] {
  if (isObject(value)) return [value];
  return Array.isArray(value) ? value.filter(isObject) : [];
}

function firstObject(value: unknown): JsonObject | undefined {
  return asObjects(value)[0];
}

function countBlocks(json: unknown, kind: Kind): number {
  return isObject(json) ? objectEntries(json[kind]).reduce((n, [, names]) => n + objectEntries(names).length, 0) : 0;
}

/** `a string ("abc")`, `a number (3)`, `an object`, `a list`. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}...` : value)}`;
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'boolean') return `the bool ${value}`;
  if (Array.isArray(value)) return 'a list';
  return 'an object';
}

/** `a string`, `a list of string`, `a map of number`. */
export function describeType(type: TypeSpec): string {
  if (typeof type === 'string') return type === 'any' ? 'any value' : `a ${type}`;
  if ('list' in type) return `a list of ${describeType(type.list).replace(/^an? /, '')}`;
  return `a map of ${describeType(type.map).replace(/^an? /, '')}`;
}
