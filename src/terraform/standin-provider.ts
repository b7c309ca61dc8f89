/**
 * The behaviour of a stand-in provider: the tfplugin5 RPCs answered from a
 * schema in `terraform providers schema -json` format, so that the real
 * terraform binary can validate, plan and apply a configuration with no real
 * provider and no cloud.
 *
 * - validate: refuses values for read-only attributes (terraform itself checks
 *   names, types, required arguments and block counts against the schema);
 * - plan: the proposed new state, with every unset computed attribute unknown;
 * - apply: the planned state with unknowns replaced by deterministic fakes
 *   (Azure-shaped resource ids, GUIDs for principal/tenant/object ids,
 *   addresses for `*_ip_address*`, one element for computed lists);
 * - read: the state unchanged, so a second plan after apply is empty.
 *
 * Message field numbers follow Terraform's plugin protocol 5 (tfplugin5.proto,
 * MPL-2.0, see NOTICE.md beside this file).
 */
import { createHash } from 'crypto';
import { decode, encode, isObject, isUnknown, Unknown, Value } from './msgpack';
import { fieldBytes, fieldString, ProtoWriter, readMessage } from './protobuf';
import type { CtyType, ProviderSchemaJson, SchemaBlockJson, SchemaJson } from './provider-schema';
import type { UnaryHandler } from './plugin-server';

const NESTING = { single: 1, list: 2, set: 3, map: 4, group: 5 } as const;
const ERROR = 1;

/** A diagnostic to send back. */
interface Diagnostic {
  readonly summary: string;
  readonly detail?: string;
  readonly path?: ReadonlyArray<string | number>;
}

function writeBlock(w: ProtoWriter, block: SchemaBlockJson): void {
  for (const [name, attr] of Object.entries(block.attributes ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    w.message(2, (a) =>
      a
        .bytes(1, name)
        .bytes(2, JSON.stringify(attr.type))
        .varint(4, !!attr.required)
        .varint(5, !!attr.optional)
        .varint(6, !!attr.computed)
        .varint(7, !!attr.sensitive),
    );
  }
  for (const [name, nested] of Object.entries(block.block_types ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    w.message(3, (n) =>
      n
        .bytes(1, name)
        .message(2, (b) => writeBlock(b, nested.block))
        .varint(3, NESTING[nested.nesting_mode])
        .varint(4, nested.min_items ?? 0)
        .varint(5, nested.max_items ?? 0),
    );
  }
}

function writeSchema(w: ProtoWriter, schema: SchemaJson): void {
  w.varint(1, schema.version).message(2, (b) => writeBlock(b, schema.block));
}

function writeDiagnostics(w: ProtoWriter, field: number, diagnostics: readonly Diagnostic[]): void {
  for (const d of diagnostics) {
    w.message(field, (m) => {
      m.varint(1, ERROR).bytes(2, d.summary).bytes(3, d.detail);
      if (d.path?.length) {
        m.message(4, (p) => {
          for (const step of d.path!) p.message(1, (s) => (typeof step === 'number' ? s.varint(3, step) : s.bytes(1, step)));
        });
      }
    });
  }
}

/** DynamicValue { msgpack = 1; json = 2 } → a value. */
function readDynamic(data: Buffer | undefined): Value {
  if (!data) return null;
  const fields = readMessage(data);
  const mp = fieldBytes(fields, 1);
  if (mp) return decode(mp);
  const json = fieldBytes(fields, 2);
  return json ? (JSON.parse(json.toString('utf8')) as Value) : null;
}

function dynamic(value: Value): (w: ProtoWriter) => void {
  return (w) => {
    w.bytes(1, encode(value));
  };
}

/** The implied cty type of a block's value. */
export function blockType(block: SchemaBlockJson): CtyType {
  const attrs: Record<string, CtyType> = {};
  for (const [name, attr] of Object.entries(block.attributes ?? {})) attrs[name] = attr.type;
  for (const [name, nested] of Object.entries(block.block_types ?? {})) {
    const inner = blockType(nested.block);
    attrs[name] = nested.nesting_mode === 'single' || nested.nesting_mode === 'group' ? inner : [nested.nesting_mode, inner];
  }
  return ['object', attrs];
}

/** Every unset computed attribute of a block value (and of its nested blocks) becomes unknown. */
function unknownComputed(value: Value, block: SchemaBlockJson): Value {
  if (!isObject(value)) return value;
  const out: { [k: string]: Value } = { ...value };
  for (const [name, attr] of Object.entries(block.attributes ?? {})) {
    if (attr.computed && (out[name] === null || out[name] === undefined)) out[name] = Unknown.PLAIN;
  }
  for (const [name, nested] of Object.entries(block.block_types ?? {})) {
    const v = out[name];
    if (Array.isArray(v)) out[name] = v.map((item) => unknownComputed(item, nested.block));
    else if (nested.nesting_mode === 'map' && isObject(v))
      out[name] = Object.fromEntries(Object.entries(v).map(([k, item]) => [k, unknownComputed(item, nested.block)]));
    else if (isObject(v)) out[name] = unknownComputed(v, nested.block);
  }
  return out;
}

/** A canonical text of a value, for comparing set elements. */
function canonical(v: Value): string {
  if (isUnknown(v)) return '?';
  if (Buffer.isBuffer(v)) return `b:${v.toString('hex')}`;
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isObject(v))
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

/**
 * Carries computed values of set-nested block elements over from the prior
 * state. Terraform correlates list elements by index itself, but not set
 * elements that have unset computed attributes (what the real provider's SDK
 * fills from its defaults): an element matches a prior one when every
 * attribute the configuration sets is equal, and then keeps the prior values
 * of the attributes it leaves unset.
 */
function carryPrior(proposed: Value, prior: Value, block: SchemaBlockJson): Value {
  if (!isObject(proposed) || !isObject(prior)) return proposed;
  const out: { [k: string]: Value } = { ...proposed };
  for (const [name, nested] of Object.entries(block.block_types ?? {})) {
    const now = out[name];
    const before = prior[name];
    if (nested.nesting_mode === 'set' && Array.isArray(now) && Array.isArray(before)) {
      const unused = [...before];
      out[name] = now.map((element) => {
        if (!isObject(element)) return element;
        const i = unused.findIndex(
          (p) =>
            isObject(p) &&
            Object.entries(element).every(([k, v]) => v === null || isUnknown(v) || k in (nested.block.block_types ?? {}) || canonical(v) === canonical(p[k])),
        );
        if (i < 0) return element;
        const match = unused.splice(i, 1)[0] as { [k: string]: Value };
        const merged: { [k: string]: Value } = { ...element };
        for (const [k, attr] of Object.entries(nested.block.attributes ?? {})) if (attr.computed && merged[k] === null) merged[k] = match[k];
        return carryPrior(merged, match, nested.block);
      });
    } else if ((nested.nesting_mode === 'list' || nested.nesting_mode === 'set') && Array.isArray(now) && Array.isArray(before)) {
      out[name] = now.map((element, i) => carryPrior(element, before[i] ?? null, nested.block));
    } else if (isObject(now) && isObject(before)) {
      out[name] = carryPrior(now, before, nested.block);
    }
  }
  return out;
}

/** Where a fake is made: the resource type and its known top-level values (for names and ids). */
interface FakeContext {
  readonly typeName: string;
  readonly resource: { [k: string]: Value };
}

const SUBSCRIPTION = '00000000-0000-0000-0000-000000000000';

/** Azure resource-id shapes of the types whose ids other resources parse. */
const ID_SHAPES: Record<string, (r: { [k: string]: Value }) => string> = {
  azurerm_resource_group: (r) => `/subscriptions/${SUBSCRIPTION}/resourceGroups/${r.name}`,
  azurerm_subnet: (r) =>
    `/subscriptions/${SUBSCRIPTION}/resourceGroups/${r.resource_group_name}/providers/Microsoft.Network/virtualNetworks/${r.virtual_network_name}/subnets/${r.name}`,
};

function guid(seed: string): string {
  const h = createHash('sha1').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The known primitive arguments of a resource, as a stable text: two resources of a type get different fakes. */
function identityOf(r: { [k: string]: Value }): string {
  return Object.keys(r)
    .sort()
    .filter((k) => ['string', 'number', 'boolean'].includes(typeof r[k]))
    .map((k) => `${k}=${String(r[k])}`)
    .join('&');
}

function fakeString(name: string, path: string, ctx: FakeContext): string {
  const r = ctx.resource;
  const seed = `${ctx.typeName}|${path}|${identityOf(r)}`;
  if (ctx.typeName.startsWith('random_') && path === 'result' && typeof r.length === 'number') {
    let out = '';
    for (let i = 0; out.length < r.length; i++)
      out += createHash('sha256')
        .update(`${seed}|${i}`)
        .digest('hex')
        .replace(/[^a-z0-9]/g, '');
    return out.slice(0, r.length);
  }
  if (path === 'id') {
    const shape = ID_SHAPES[ctx.typeName];
    if (shape) return shape(r);
    const rg = typeof r.resource_group_name === 'string' ? r.resource_group_name : 'rg-standin';
    const nm = typeof r.name === 'string' ? r.name : guid(seed).slice(0, 8);
    return `/subscriptions/${SUBSCRIPTION}/resourceGroups/${rg}/providers/Microsoft.StandIn/${ctx.typeName.replace(/^[a-z]+_/, '')}/${nm}`;
  }
  if (/(^|_)(principal|tenant|object|client|application|subscription)_id$|^guid$|_guid$/.test(name))
    return name.startsWith('subscription') ? SUBSCRIPTION : guid(seed);
  if (/ip_address/.test(name)) {
    const h = createHash('sha1').update(seed).digest();
    return `10.255.${h[0]}.${4 + (h[1] % 250)}`;
  }
  if (/_id$/.test(name)) return `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-standin/providers/Microsoft.StandIn/${name}/${guid(seed).slice(0, 8)}`;
  if (/(^|_)(fqdn|hostname|host_name|endpoint|uri|url)$/.test(name)) return `${guid(seed).slice(0, 8)}.standin.example`;
  return `mock-${ctx.typeName}-${path.replace(/\[\d+\]/g, '')}`;
}

/** A fake known value of a type. */
function fake(type: CtyType, name: string, path: string, ctx: FakeContext): Value {
  if (type === 'string') return fakeString(name, path, ctx);
  if (type === 'number') return 1;
  if (type === 'bool') return false;
  if (type === 'dynamic') return [Buffer.from('"string"'), fakeString(name, path, ctx)];
  if (Array.isArray(type)) {
    const [kind, inner] = type;
    if (kind === 'list' || kind === 'set') return [fake(inner as CtyType, name, `${path}[0]`, ctx)];
    if (kind === 'map') return {};
    if (kind === 'object') {
      return Object.fromEntries(Object.entries(inner as Record<string, CtyType>).map(([k, t]) => [k, fake(t, k, `${path}.${k}`, ctx)]));
    }
  }
  return null;
}

/** Replaces every unknown inside a value of a type with a fake. */
function known(value: Value, type: CtyType, name: string, path: string, ctx: FakeContext): Value {
  if (isUnknown(value)) return fake(type, name, path, ctx);
  if (value === null || !Array.isArray(type)) return value;
  const [kind, inner] = type;
  if ((kind === 'list' || kind === 'set') && Array.isArray(value)) return value.map((v, i) => known(v, inner as CtyType, name, `${path}[${i}]`, ctx));
  if (kind === 'map' && isObject(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, known(v, inner as CtyType, name, `${path}.${k}`, ctx)]));
  if (kind === 'object' && isObject(value)) {
    const attrs = inner as Record<string, CtyType>;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, attrs[k] ? known(v, attrs[k], k, path ? `${path}.${k}` : k, ctx) : v]));
  }
  return value;
}

/** Values given for read-only attributes (terraform leaves that check to providers). */
function readOnlyViolations(value: Value, block: SchemaBlockJson, path: Array<string | number> = []): Diagnostic[] {
  if (!isObject(value)) return [];
  const out: Diagnostic[] = [];
  for (const [name, attr] of Object.entries(block.attributes ?? {})) {
    const v = value[name];
    if (attr.computed && !attr.optional && !attr.required && v !== null && v !== undefined) {
      out.push({
        summary: 'Value for unconfigurable attribute',
        detail: `Can't configure a value for "${name}": its value will be decided automatically based on the result of applying this configuration.`,
        path: [...path, name],
      });
    }
  }
  for (const [name, nested] of Object.entries(block.block_types ?? {})) {
    const v = value[name];
    if (Array.isArray(v)) v.forEach((item, i) => out.push(...readOnlyViolations(item, nested.block, [...path, name, i])));
    else if (isObject(v)) out.push(...readOnlyViolations(v, nested.block, [...path, name]));
  }
  return out;
}

/** Fills in what a JSON state lacks (attributes added to the schema since) so the value conforms to the block. */
function conform(value: Value, block: SchemaBlockJson): Value {
  if (!isObject(value)) return value;
  const out: { [k: string]: Value } = {};
  for (const [name, attr] of Object.entries(block.attributes ?? {})) out[name] = conformType(value[name] ?? null, attr.type);
  for (const [name, nested] of Object.entries(block.block_types ?? {})) {
    const v = value[name];
    if (nested.nesting_mode === 'single' || nested.nesting_mode === 'group') out[name] = v === undefined ? null : conform(v, nested.block);
    else if (nested.nesting_mode === 'map')
      out[name] = isObject(v) ? Object.fromEntries(Object.entries(v).map(([k, item]) => [k, conform(item, nested.block)])) : {};
    else out[name] = Array.isArray(v) ? v.map((item) => conform(item, nested.block)) : [];
  }
  return out;
}

/** JSON state values of a dynamic attribute are `{value, type}`; msgpack wants `[type JSON, value]`. */
function conformType(value: Value, type: CtyType): Value {
  if (value === null) return null;
  if (type === 'dynamic') {
    if (isObject(value) && 'type' in value && 'value' in value) return [Buffer.from(JSON.stringify(value.type)), value.value];
    return [Buffer.from(JSON.stringify(typeof value === 'number' ? 'number' : typeof value === 'boolean' ? 'bool' : 'string')), value];
  }
  if (!Array.isArray(type)) return value;
  const [kind, inner] = type;
  if ((kind === 'list' || kind === 'set') && Array.isArray(value)) return value.map((v) => conformType(v, inner as CtyType));
  if (kind === 'map' && isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, conformType(v, inner as CtyType)]));
  if (kind === 'object' && isObject(value)) {
    return Object.fromEntries(Object.entries(inner as Record<string, CtyType>).map(([k, t]) => [k, conformType(value[k] ?? null, t)]));
  }
  return value;
}

/** The gRPC handlers of a stand-in provider serving `schema`. */
export function standInHandlers(schema: ProviderSchemaJson): Record<string, UnaryHandler> {
  const resource = (name: string): SchemaJson => {
    const s = schema.resource_schemas[name];
    if (!s) throw new Error(`the stand-in provider has no resource type ${name}`);
    return s;
  };
  const dataSource = (name: string): SchemaJson => {
    const s = schema.data_source_schemas[name];
    if (!s) throw new Error(`the stand-in provider has no data source ${name}`);
    return s;
  };
  /** Validate{ResourceType,DataSource}Config: { type_name = 1; config = 2 } → { diagnostics = 1 }. */
  const validateConfig = (req: Buffer, lookup: (name: string) => SchemaJson) => {
    const f = readMessage(req);
    const w = new ProtoWriter();
    writeDiagnostics(w, 1, readOnlyViolations(readDynamic(fieldBytes(f, 2)), lookup(fieldString(f, 1)).block));
    return w.finish();
  };
  const capabilities = (w: ProtoWriter) => w.varint(1, true).varint(2, true); // plan_destroy, get_provider_schema_optional
  const P = '/tfplugin5.Provider/';
  let schemaAnswer: Buffer | undefined; // the same for every terraform command: encoded once
  return {
    [`${P}GetMetadata`]: () => {
      const w = new ProtoWriter().message(1, capabilities);
      for (const name of Object.keys(schema.data_source_schemas)) w.message(3, (m) => m.bytes(1, name));
      for (const name of Object.keys(schema.resource_schemas)) w.message(4, (m) => m.bytes(1, name));
      return w.finish();
    },
    [`${P}GetSchema`]: () => {
      if (schemaAnswer) return schemaAnswer;
      const w = new ProtoWriter().message(1, (s) => writeSchema(s, schema.provider));
      for (const [name, s] of Object.entries(schema.resource_schemas)) w.message(2, (e) => e.bytes(1, name).message(2, (v) => writeSchema(v, s)));
      for (const [name, s] of Object.entries(schema.data_source_schemas)) w.message(3, (e) => e.bytes(1, name).message(2, (v) => writeSchema(v, s)));
      return (schemaAnswer = w.message(6, capabilities).finish());
    },
    [`${P}PrepareProviderConfig`]: (req) => {
      const config = fieldBytes(readMessage(req), 1);
      return new ProtoWriter().message(1, (d) => d.bytes(1, fieldBytes(readMessage(config ?? Buffer.alloc(0)), 1) ?? encode(null))).finish();
    },
    [`${P}ValidateResourceTypeConfig`]: (req) => validateConfig(req, resource),
    [`${P}ValidateDataSourceConfig`]: (req) => validateConfig(req, dataSource),
    [`${P}UpgradeResourceState`]: (req) => {
      const f = readMessage(req);
      const block = resource(fieldString(f, 1)).block;
      const raw = fieldBytes(readMessage(fieldBytes(f, 3) ?? Buffer.alloc(0)), 1);
      const state = raw ? conform(JSON.parse(raw.toString('utf8')) as Value, block) : null;
      return new ProtoWriter().message(1, dynamic(state)).finish();
    },
    [`${P}Configure`]: () => Buffer.alloc(0),
    [`${P}ReadResource`]: (req) => {
      const f = readMessage(req);
      const w = new ProtoWriter().message(1, (d) => d.bytes(1, fieldBytes(readMessage(fieldBytes(f, 2) ?? Buffer.alloc(0)), 1) ?? encode(null)));
      return w.bytes(3, fieldBytes(f, 3)).finish();
    },
    [`${P}PlanResourceChange`]: (req) => {
      const f = readMessage(req);
      const block = resource(fieldString(f, 1)).block;
      const prior = readDynamic(fieldBytes(f, 2));
      const proposed = readDynamic(fieldBytes(f, 3));
      const planned = proposed === null ? null : unknownComputed(prior === null ? proposed : carryPrior(proposed, prior, block), block);
      return new ProtoWriter().message(1, dynamic(planned)).bytes(3, fieldBytes(f, 5)).finish();
    },
    [`${P}ApplyResourceChange`]: (req) => {
      const f = readMessage(req);
      const typeName = fieldString(f, 1);
      const block = resource(typeName).block;
      const planned = readDynamic(fieldBytes(f, 3));
      const state = planned === null || !isObject(planned) ? null : known(planned, blockType(block), '', '', { typeName, resource: planned });
      return new ProtoWriter().message(1, dynamic(state)).bytes(2, fieldBytes(f, 5)).finish();
    },
    [`${P}ImportResourceState`]: (req) => {
      const f = readMessage(req);
      const w = new ProtoWriter();
      writeDiagnostics(w, 2, [{ summary: 'Import is not supported by the stand-in provider', detail: `${fieldString(f, 1)} ${fieldString(f, 2)}` }]);
      return w.finish();
    },
    [`${P}ReadDataSource`]: (req) => {
      const f = readMessage(req);
      const typeName = fieldString(f, 1);
      const block = dataSource(typeName).block;
      const config = readDynamic(fieldBytes(f, 2));
      const state = isObject(config) ? known(unknownComputed(config, block), blockType(block), '', '', { typeName, resource: config }) : config;
      return new ProtoWriter().message(1, dynamic(state)).finish();
    },
    [`${P}Stop`]: () => Buffer.alloc(0),
  };
}
