/**
 * Real terraform against synthesized stacks, offline: stand-in providers
 * (terraform/standin-provider.ts) replace azurerm, random and avere, so the terraform binary on PATH
 * validates, plans and applies our output without downloading anything.
 *
 * - {@link startStandIns}: schemas (derived from the installed provider
 *   packages, cached by package version; hand-written for avere) restricted to
 *   the types the stacks use, served by one host process that terraform
 *   reaches through `TF_REATTACH_PROVIDERS`;
 * - {@link validateStacks}: `terraform validate -json` of every stack;
 * - {@link rehearseApp}: in a copy of the outdir, per stack in deploy order,
 *   `init`, `apply`, then `plan -detailed-exitcode`, which must
 *   report no changes; later stacks read earlier outputs through
 *   `terraform_remote_state` exactly as synthesized (non-local backends are
 *   replaced by local state through override files).
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BUNDLED_SCHEMA_INDEXES, BlockSchema, SchemaIndex, TypeSpec } from '../validation/schema-index';
import { impliedProviderName, normalizeProviderSource } from '../validation/providers';
import { deployOrder } from '../report/model';
import {
  CtyType,
  deriveProviderSchema,
  DerivedProviderSchema,
  PROVIDER_SCHEMA_FORMAT,
  ProviderSchemaJson,
  SchemaBlockJson,
  SchemaSelection,
} from './provider-schema';

/** Provider packages the stand-ins derive schemas from, when installed (CDK for Terraform's or CDK Terrain's). */
export const STANDIN_PACKAGES: readonly string[] = ['@cdktf/provider-azurerm', '@cdktf/provider-random', '@cdktn/provider-azurerm', '@cdktn/provider-random'];

const ROOT = path.join(__dirname, '..', '..');

/** One provider a stand-in serves. */
export interface StandInProvider {
  /** `registry.terraform.io/hashicorp/azurerm`. */
  readonly source: string;
  /** Where its schema came from: `@cdktf/provider-azurerm@14.23.1 (azurerm 4.55.0)` or `hand-written`. */
  readonly origin: string;
  readonly resourceTypes: number;
  readonly dataSourceTypes: number;
}

/** What {@link prepareStandIns} set up. */
export interface StandInSetup {
  /** The folder holding the schemas, sockets and CLI configuration. */
  readonly dir: string;
  /** Environment for terraform: the reattached providers, a CLI config of its own, no checkpoint calls, no prompts. */
  readonly env: NodeJS.ProcessEnv;
  readonly providers: readonly StandInProvider[];
  /** Stops the provider host. */
  readonly stop: () => void;
}

/** A synthesized stack as the harness reads it. */
interface StackFile {
  readonly name: string;
  readonly dir: string;
  readonly json: StackJson;
  readonly dependencies: readonly string[];
}

interface StackJson {
  terraform?: { backend?: Record<string, Record<string, unknown>>; required_providers?: Record<string, { source?: string }> };
  resource?: Record<string, Record<string, { provider?: string }>>;
  data?: Record<string, Record<string, { backend?: string; config?: Record<string, unknown> }>>;
  variable?: Record<string, { type?: string; default?: unknown; sensitive?: boolean }>;
}

/** The stacks of a cdktf outdir (from its manifest), with their dependencies. */
export function readStacks(outdir: string): StackFile[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8')) as {
    stacks: Record<string, { name: string; workingDirectory: string; synthesizedStackPath: string; dependencies?: string[] }>;
  };
  return Object.values(manifest.stacks).map((s) => ({
    name: s.name,
    dir: path.join(outdir, s.workingDirectory),
    json: JSON.parse(fs.readFileSync(path.join(outdir, s.synthesizedStackPath), 'utf8')) as StackJson,
    dependencies: s.dependencies ?? [],
  }));
}

/** `<node_modules>/.cache/cdktf-azure-photogrammetry` of this checkout. */
function cacheDir(): string {
  return path.join(ROOT, 'node_modules', '.cache', 'cdktf-azure-photogrammetry');
}

/**
 * The schema of an installed provider package for the given types, or
 * undefined when the package is not installed. Derived types are cached per
 * package version (`node_modules/.cache/cdktf-azure-photogrammetry/`); a miss
 * derives only the missing types, so a cold start reads the assembly once and
 * only the generated files of the types in use. Types the package does not
 * have are simply absent (terraform then reports them as unsupported).
 */
export function packageProviderSchema(packageName: string, selection: SchemaSelection): DerivedProviderSchema | undefined {
  let packageDir: string;
  try {
    packageDir = path.dirname(require.resolve(`${packageName}/package.json`, { paths: [process.cwd(), ROOT] }));
  } catch {
    return undefined;
  }
  const version = (JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as { version: string }).version;
  const file = path.join(cacheDir(), `standin-${packageName.replace(/^@/, '').replace(/[^A-Za-z0-9._-]+/g, '-')}-${version}-${PROVIDER_SCHEMA_FORMAT}.json`);
  let cached: (DerivedProviderSchema & { missing?: { resources: string[]; dataSources: string[] } }) | undefined;
  try {
    cached = JSON.parse(fs.readFileSync(file, 'utf8')) as DerivedProviderSchema & { missing?: { resources: string[]; dataSources: string[] } };
  } catch {
    cached = undefined;
  }
  const known = (kind: 'resources' | 'dataSources', name: string) =>
    !!cached &&
    (name in (kind === 'resources' ? cached.schema.resource_schemas : cached.schema.data_source_schemas) || (cached.missing?.[kind] ?? []).includes(name));
  const todo: SchemaSelection = {
    resources: selection.resources.filter((n) => !known('resources', n)),
    dataSources: selection.dataSources.filter((n) => !known('dataSources', n)),
  };
  if (cached && todo.resources.length === 0 && todo.dataSources.length === 0) return cached;
  const derived = deriveProviderSchema(packageDir, todo);
  const merged = {
    ...derived,
    schema: {
      provider: derived.schema.provider,
      resource_schemas: { ...(cached?.schema.resource_schemas ?? {}), ...derived.schema.resource_schemas },
      data_source_schemas: { ...(cached?.schema.data_source_schemas ?? {}), ...derived.schema.data_source_schemas },
    },
    missing: {
      resources: [...(cached?.missing?.resources ?? []), ...todo.resources.filter((n) => !(n in derived.schema.resource_schemas))],
      dataSources: [...(cached?.missing?.dataSources ?? []), ...todo.dataSources.filter((n) => !(n in derived.schema.data_source_schemas))],
    },
  };
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(merged));
    fs.renameSync(tmp, file); // atomic; a concurrent writer's types are derived again next time
  } catch {
    // read-only tree: derive again next time
  }
  return merged;
}

/** A hand-written {@link SchemaIndex} (e.g. avere) as a provider schema; every optional argument optional + computed. */
export function schemaFromIndex(index: SchemaIndex): ProviderSchemaJson {
  const ctyOf = (t: TypeSpec): CtyType => (t === 'any' ? 'dynamic' : typeof t === 'string' ? t : 'list' in t ? ['list', ctyOf(t.list)] : ['map', ctyOf(t.map)]);
  const block = (b: BlockSchema, computed: readonly string[] = []): SchemaBlockJson => ({
    attributes: {
      ...Object.fromEntries(
        Object.entries(b.attributes).map(([k, a]) => [
          k,
          a.required ? { type: ctyOf(a.type), required: true } : { type: ctyOf(a.type), optional: true, computed: true },
        ]),
      ),
      ...Object.fromEntries(computed.filter((c) => !(c in b.attributes)).map((c) => [c, { type: 'string' as CtyType, computed: true }])),
    },
    block_types: Object.fromEntries(
      Object.entries(b.blocks).map(([k, n]) => [
        k,
        { nesting_mode: 'list' as const, block: block(n.block), ...(n.required ? { min_items: 1 } : {}), ...(n.list ? {} : { max_items: 1 }) },
      ]),
    ),
  });
  const root = (b: BlockSchema) => ({ version: 0, block: block(b, [...new Set(['id', ...(b.computed ?? [])])]) });
  return {
    provider: { version: 0, block: block(index.providerConfig ?? { attributes: {}, blocks: {} }) },
    resource_schemas: Object.fromEntries(Object.entries(index.resources).map(([k, b]) => [k, root(b)])),
    data_source_schemas: Object.fromEntries(Object.entries(index.dataSources).map(([k, b]) => [k, root(b)])),
  };
}

/** The provider schemas the stand-ins can serve for a selection of types, by normalized source. */
export function availableSchemas(
  selection: SchemaSelection,
  packages: readonly string[] = STANDIN_PACKAGES,
): Map<string, { schema: ProviderSchemaJson; origin: string }> {
  const out = new Map<string, { schema: ProviderSchemaJson; origin: string }>();
  for (const pkg of packages) {
    const derived = packageProviderSchema(pkg, selection);
    if (derived && !out.has(derived.source))
      out.set(derived.source, {
        schema: derived.schema,
        origin: `${derived.packageName}@${derived.packageVersion} (${derived.source.split('/').pop()} ${derived.version ?? '?'})`,
      });
  }
  for (const index of BUNDLED_SCHEMA_INDEXES) {
    if (!out.has(index.provider)) out.set(index.provider, { schema: schemaFromIndex(index), origin: 'hand-written (src/providers)' });
  }
  return out;
}

/** Types each provider must serve for these stacks, by normalized source. */
function usedTypes(stacks: readonly StackFile[]): Map<string, { resources: Set<string>; dataSources: Set<string> }> {
  const out = new Map<string, { resources: Set<string>; dataSources: Set<string> }>();
  for (const stack of stacks) {
    const required = stack.json.terraform?.required_providers ?? {};
    const sourceOf = (localName: string) => normalizeProviderSource(required[localName]?.source ?? localName);
    const entry = (source: string) => {
      let e = out.get(source);
      if (!e) out.set(source, (e = { resources: new Set(), dataSources: new Set() }));
      return e;
    };
    for (const localName of Object.keys(required)) entry(sourceOf(localName));
    for (const [kind, group] of [
      ['resources', stack.json.resource],
      ['dataSources', stack.json.data],
    ] as const) {
      for (const [type, instances] of Object.entries(group ?? {})) {
        if (type === 'terraform_remote_state' || type === 'terraform_data') continue;
        const names = new Set(
          Object.values(instances as Record<string, { provider?: string }>).map((i) =>
            (i.provider ?? impliedProviderName(type)).split('.')[0].replace(/^\$\{|\}$/g, ''),
          ),
        );
        for (const name of names) entry(sourceOf(name))[kind].add(type);
      }
    }
  }
  return out;
}

/**
 * Starts the stand-in providers for every provider the stacks of `outdirs`
 * require: each provider's schema restricted to the types used (a misspelled
 * type stays unknown to terraform) is written to `<dir>/schemas/`, and one
 * host process serves them all on unix sockets. Terraform reaches them
 * through `TF_REATTACH_PROVIDERS` (go-plugin's reattach mode, the way
 * providers are debugged), so no command pays for starting a provider and
 * `init` installs nothing. Throws when a required provider has no schema here.
 * Call `stop()` when done.
 */
export async function startStandIns(dir: string, outdirs: readonly string[], packages?: readonly string[]): Promise<StandInSetup> {
  const stacks = outdirs.flatMap((o) => readStacks(o));
  const used = usedTypes(stacks);
  const all = [...used.values()];
  const schemas = availableSchemas({ resources: all.flatMap((u) => [...u.resources]), dataSources: all.flatMap((u) => [...u.dataSources]) }, packages);
  fs.mkdirSync(path.join(dir, 'schemas'), { recursive: true });
  const providers: StandInProvider[] = [];
  for (const [source, types] of [...used].sort(([a], [b]) => a.localeCompare(b))) {
    const available = schemas.get(source);
    if (!available) throw new Error(`no stand-in schema for provider ${source}: install its cdktf provider package or add a hand-written schema`);
    const pick = <T>(all: Record<string, T>, names: Set<string>) =>
      Object.fromEntries(
        [...names]
          .sort()
          .filter((n) => n in all)
          .map((n) => [n, all[n]]),
      );
    const schema: ProviderSchemaJson = {
      provider: available.schema.provider,
      resource_schemas: pick(available.schema.resource_schemas, types.resources),
      data_source_schemas: pick(available.schema.data_source_schemas, types.dataSources),
    };
    fs.writeFileSync(path.join(dir, 'schemas', `${source.split('/').pop()}.json`), JSON.stringify({ source, schema }));
    providers.push({
      source,
      origin: available.origin,
      resourceTypes: Object.keys(schema.resource_schemas).length,
      dataSourceTypes: Object.keys(schema.data_source_schemas).length,
    });
  }
  const entry = path.join(__dirname, `standin-main${path.extname(__filename)}`);
  const args = entry.endsWith('.ts') ? ['-r', path.join(ROOT, 'scripts', 'run-ts.js'), entry, dir] : [entry, dir];
  const host = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const reattach = await new Promise<string>((resolve, reject) => {
    let out = '';
    let err = '';
    host.stdout.on('data', (c: Buffer) => {
      out += c.toString('utf8');
      const line = /^ready (.*)$/m.exec(out);
      if (line) resolve(line[1]);
    });
    host.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
    host.on('exit', (code) => reject(new Error(`the stand-in provider host exited (${code}): ${err.trim()}`)));
  });
  host.removeAllListeners('exit');
  // No CLI configuration of the user's (plugin caches, mirrors, credentials) applies to the rehearsal.
  const rc = path.join(dir, 'terraformrc');
  fs.writeFileSync(rc, 'provider_installation {\n  direct {}\n}\n');
  // GOMAXPROCS=1: several short terraform processes run side by side on a small machine; one OS thread each
  // keeps Go's scheduler and GC from spinning on cores the others need (measured: less CPU in total).
  const env: NodeJS.ProcessEnv = {
    GOMAXPROCS: '1',
    ...process.env,
    TF_REATTACH_PROVIDERS: reattach,
    TF_CLI_CONFIG_FILE: rc,
    CHECKPOINT_DISABLE: '1',
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
  };
  delete env.TF_PLUGIN_CACHE_DIR;
  delete env.TF_LOG;
  const stop = () => {
    if (host.exitCode === null) host.kill('SIGTERM');
  };
  host.unref();
  (host.stdin as unknown as { unref?: () => void }).unref?.();
  (host.stdout as unknown as { unref?: () => void }).unref?.();
  (host.stderr as unknown as { unref?: () => void }).unref?.();
  return { dir, env, providers, stop };
}

/** The terraform binary on PATH and its version, or why there is none. */
export function findTerraform(env: NodeJS.ProcessEnv = process.env): { binary: string; version: string } | { missing: string } {
  const binary = env.TERRAFORM_BINARY ?? 'terraform';
  const run = spawnSync(binary, ['version', '-json'], { encoding: 'utf8', env: { ...env, CHECKPOINT_DISABLE: '1' }, timeout: 30_000 });
  if (run.error || run.status !== 0) return { missing: `no terraform binary (${binary}) on PATH: ${run.error?.message ?? run.stderr.trim()}` };
  try {
    return { binary, version: (JSON.parse(run.stdout) as { terraform_version: string }).terraform_version };
  } catch {
    return { binary, version: 'unknown' };
  }
}

/** Result of one terraform command. */
export interface CommandResult {
  readonly args: readonly string[];
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** Runs terraform asynchronously (so stacks of several apps run side by side). */
export function terraform(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs = 300_000): Promise<CommandResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(env.TERRAFORM_BINARY ?? 'terraform', args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => err.push(Buffer.from(String(e))));
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ args, status, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), ms: Date.now() - started });
    });
  });
}

/** One diagnostic of `terraform validate -json` or `plan -json`. */
export interface Diagnostic {
  readonly stack: string;
  readonly severity: 'error' | 'warning';
  readonly summary: string;
  readonly detail?: string;
  readonly address?: string;
}

/** The error diagnostics of `-json` output (validate's one document, or plan/apply's line stream), else stderr. */
export function diagnosticsOf(stack: string, result: CommandResult): Diagnostic[] {
  const out: Diagnostic[] = [];
  const add = (d: { severity?: string; summary?: string; detail?: string; address?: string }) =>
    out.push({ stack, severity: d.severity === 'warning' ? 'warning' : 'error', summary: d.summary ?? '', detail: d.detail, address: d.address });
  const text = result.stdout.trim();
  if (text.startsWith('{') && !text.includes('\n{')) {
    try {
      const doc = JSON.parse(text) as { diagnostics?: Array<{ severity?: string; summary?: string; detail?: string; address?: string }> };
      (doc.diagnostics ?? []).forEach(add);
    } catch {
      // fall through to line parsing
    }
  } else {
    for (const line of text.split('\n')) {
      try {
        const msg = JSON.parse(line) as { type?: string; diagnostic?: { severity?: string; summary?: string; detail?: string; address?: string } };
        if (msg.type === 'diagnostic' && msg.diagnostic) add(msg.diagnostic);
      } catch {
        // not JSON
      }
    }
  }
  if (result.status !== 0 && !out.some((d) => d.severity === 'error'))
    add({ severity: 'error', summary: `terraform ${result.args[0]} exited ${result.status}`, detail: result.stderr.trim().slice(0, 2000) });
  return out;
}

/** Runs `tasks` with at most `limit` at once. */
export async function pool<T>(tasks: ReadonlyArray<() => Promise<T>>, limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

/** Outcome of validating one stack. */
export interface StackValidation {
  readonly stack: string;
  readonly diagnostics: readonly Diagnostic[];
  readonly ms: number;
}

/** `terraform validate -json` of every stack of an outdir, in place (validate writes nothing). */
export async function validateStacks(outdir: string, setup: StandInSetup, concurrency = 2): Promise<StackValidation[]> {
  const stacks = readStacks(outdir);
  return pool(
    stacks.map((s) => async () => {
      const r = await terraform(['validate', '-json', '-no-color'], s.dir, setup.env);
      return { stack: s.name, diagnostics: diagnosticsOf(s.name, r).filter((d) => d.severity === 'error'), ms: r.ms };
    }),
    concurrency,
  );
}

/** Outcome of rehearsing one stack. */
export interface StackRehearsal {
  readonly stack: string;
  /** `apply` succeeded and the plan after it is empty. */
  readonly ok: boolean;
  readonly applied: number;
  /** Changes the second plan still wants (must be 0). */
  readonly drift: number;
  readonly diagnostics: readonly Diagnostic[];
  readonly ms: number;
}

/** A dummy admin key that every backend accepts: RSA with a comment (the Avere vFXT accepts only "ssh-rsa AAAA… user@host"). */
export const REHEARSAL_SSH_PUBLIC_KEY =
  'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7MQshdNYaze3sW7nmjkZziXiIVL63olY+5UQiA3IpIqE5mK0lYG0lmh9/AGGZfG2nRIuMNA1SgYCUqy72s8QPnUi5yekJlWlbYyu73itfno1rBNGo30xmQemgeQ2Yxmcd3KUcMIOnXYlaIuuyTHshrgXwQv5h0M0QFpr6w629kJ+veEbB0F7xEEy2BM0xfC4GaEV1AGIfo93goQkakvn46cqHg6Amwv+mQfpVqF1yCkkgOqYy7CBdtZXbtdhxOyf0cbAIG//ziveHsgLVyendux0kk4iOIBaiCDgd88kVgzhvhaDqsLYHIt12bE/hAj0bC0y/tl95xOzv384ErdfD rehearsal@example';

/** Values for the stacks' input variables (dummy, non-empty), as TF_VAR_ entries. */
export function rehearsalVariables(stacks: ReadonlyArray<{ json: StackJson }>): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const s of stacks) {
    for (const [name, v] of Object.entries(s.json.variable ?? {})) {
      if (v.default !== undefined) continue;
      vars[`TF_VAR_${name}`] = /object_id|_id$/.test(name)
        ? '11111111-2222-3333-4444-555555555555'
        : /ssh_public_key/.test(name)
          ? REHEARSAL_SSH_PUBLIC_KEY
          : `rehearsal-${name}`;
    }
  }
  return vars;
}

/**
 * Copies `outdir` to `<workDir>/cdktf.out` and rehearses a first deployment:
 * per stack in deploy order, `init` (the backend; reattached providers need no
 * installation), `apply -auto-approve`, then `plan
 * -detailed-exitcode`, which must report no changes. Stops at the first stack
 * that fails (later stacks would only report missing remote state).
 */
export async function rehearseApp(outdir: string, workDir: string, setup: StandInSetup): Promise<StackRehearsal[]> {
  const copy = path.join(workDir, 'cdktf.out');
  fs.cpSync(outdir, copy, { recursive: true });
  const stacks = readStacks(copy);
  const env = { ...setup.env, ...rehearsalVariables(stacks) };
  const results: StackRehearsal[] = [];
  for (const name of deployOrder(stacks)) {
    const stack = stacks.find((s) => s.name === name)!;
    localBackendOverride(stack, copy);
    const result = await rehearseStack(stack, env);
    results.push(result);
    if (!result.ok) break;
  }
  return results;
}

/** init, apply, plan again: one stack of a rehearsal. */
async function rehearseStack(stack: StackFile, env: NodeJS.ProcessEnv): Promise<StackRehearsal> {
  const name = stack.name;
  const started = Date.now();
  const init = await terraform(['init', '-input=false', '-no-color'], stack.dir, env);
  if (init.status !== 0) return { stack: name, ok: false, applied: 0, drift: 0, diagnostics: diagnosticsOf(name, init), ms: Date.now() - started };
  const apply = await terraform(['apply', '-auto-approve', '-input=false', '-json'], stack.dir, env);
  const applied = countApplied(apply.stdout);
  if (apply.status !== 0) return { stack: name, ok: false, applied, drift: 0, diagnostics: diagnosticsOf(name, apply), ms: Date.now() - started };
  const plan = await terraform(['plan', '-detailed-exitcode', '-input=false', '-json'], stack.dir, env);
  const drift = countPlanned(plan.stdout);
  const ok = plan.status === 0;
  const diagnostics = plan.status === 2 ? driftDiagnostics(name, plan.stdout) : ok ? [] : diagnosticsOf(name, plan);
  return { stack: name, ok, applied, drift, diagnostics, ms: Date.now() - started };
}

/** Resources created by an `apply -json` run (its closing change summary). */
function countApplied(stdout: string): number {
  for (const line of stdout.split('\n').reverse()) {
    if (!line.includes('"change_summary"')) continue;
    const changes = (JSON.parse(line) as { changes?: { add?: number; operation?: string } }).changes;
    if (changes?.operation === 'apply') return changes.add ?? 0;
  }
  return 0;
}

/** Resource changes in a `plan -json` run. */
function countPlanned(stdout: string): number {
  return stdout.split('\n').filter((l) => l.includes('"type":"planned_change"')).length;
}

function driftDiagnostics(stack: string, stdout: string): Diagnostic[] {
  return stdout
    .split('\n')
    .filter((l) => l.includes('"type":"planned_change"'))
    .map((l) => {
      const change = (JSON.parse(l) as { change: { resource: { addr: string }; action: string } }).change;
      return {
        stack,
        severity: 'error' as const,
        summary: `second plan is not empty: ${change.action} ${change.resource.addr}`,
        address: change.resource.addr,
      };
    });
}

/**
 * A stack whose backend is not `local` (e.g. azurerm) gets an override file
 * that keeps its state in the rehearsal folder, and its remote-state reads
 * of other stacks point there too. Local backends stay as synthesized.
 */
function localBackendOverride(stack: StackFile, outdir: string): void {
  const backend = stack.json.terraform?.backend ?? {};
  const stateOf = (name: string) => path.join(path.dirname(outdir), `terraform.${name}.tfstate`);
  const override: Record<string, unknown> = {};
  if (!('local' in backend) && Object.keys(backend).length > 0) override.terraform = { backend: { local: { path: stateOf(stack.name) } } };
  const reads = stack.json.data?.terraform_remote_state ?? {};
  const remote: Record<string, unknown> = {};
  for (const [key, read] of Object.entries(reads)) {
    if (read.backend === 'local') continue;
    const producer = /cross-stack-reference-input-(.+)$/.exec(key)?.[1];
    if (producer) remote[key] = { backend: 'local', config: { path: stateOf(producer) } };
  }
  if (Object.keys(remote).length > 0) override.data = { terraform_remote_state: remote };
  if (Object.keys(override).length > 0) fs.writeFileSync(path.join(stack.dir, 'rehearsal_override.tf.json'), JSON.stringify(override, null, 2));
}

/** Result of {@link standInValidation}. */
export interface StandInValidationRun {
  readonly terraformVersion: string;
  readonly providers: readonly StandInProvider[];
  readonly stacks: readonly StackValidation[];
  readonly ms: number;
}

/** `terraform validate` of every stack of an outdir against stand-in providers (start, validate, stop). */
export async function standInValidation(outdir: string, terraformVersion: string): Promise<StandInValidationRun> {
  const started = Date.now();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgm-standin-'));
  const setup = await startStandIns(dir, [outdir]);
  try {
    const stacks = await validateStacks(outdir, setup);
    return { terraformVersion, providers: setup.providers, stacks, ms: Date.now() - started };
  } finally {
    setup.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** `azurerm ← @cdktf/provider-azurerm@14.23.1 (azurerm 4.55.0); random ← ...`. */
export function describeStandIns(providers: readonly StandInProvider[]): string {
  return providers.map((p) => `${p.source.split('/').pop()} ← ${p.origin}`).join('; ');
}
