/**
 * Layer b of the validation: a real `terraform validate` of every synthesized
 * stack, run only where it can work offline, i.e. where the terraform binary
 * is on PATH and every required provider is available locally (in
 * `TF_PLUGIN_CACHE_DIR`, a `plugin_cache_dir` or `filesystem_mirror` of the
 * CLI configuration, or an implied local mirror such as `~/.terraform.d/plugins`).
 * Terraform then installs providers from those folders only (a generated CLI
 * configuration without `direct {}`), so it never touches the network.
 *
 * `PHOTOGRAMMETRY_TF_VALIDATE=0` turns the layer off; `=1` forces an attempt
 * with the user's own CLI configuration even when no local provider was found.
 * Each stack is validated in a temporary copy, so `cdktf.out` is never touched.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { normalizeProviderSource, parseVersion, satisfiesVersionConstraint } from './providers';

/** Environment variable that turns the layer off (`0`) or forces an attempt (`1`). */
export const TF_VALIDATE_ENV = 'PHOTOGRAMMETRY_TF_VALIDATE';

/** One diagnostic of `terraform validate -json` (or of a failed `terraform init`). */
export interface TerraformDiagnostic {
  readonly stack: string;
  readonly severity: 'error' | 'warning';
  readonly summary: string;
  readonly detail?: string;
  /** Resource address, when terraform gives one. */
  readonly address?: string;
  /** `cdk.tf.json:12:5`, when terraform gives a range. */
  readonly location?: string;
}

/** Outcome of {@link runTerraformValidate}. */
export type TerraformValidateResult =
  | { readonly status: 'skipped'; readonly reason: string }
  | { readonly status: 'passed' | 'failed'; readonly stacks: readonly string[]; readonly diagnostics: readonly TerraformDiagnostic[] };

/** Options of {@link runTerraformValidate}; the defaults read the real environment. */
export interface TerraformValidateOptions {
  /** Environment to read settings from and pass to terraform. Default `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
  /** The terraform binary. Default: `terraform` found on the env's PATH. */
  readonly terraformBinary?: string;
  /** Per-command time limit. Default 120 s for init, 120 s for validate. */
  readonly initTimeoutMs?: number;
  readonly validateTimeoutMs?: number;
}

/** A provider the stacks require. */
export interface ProviderRequirement {
  /** `registry.terraform.io/hashicorp/azurerm`. */
  readonly source: string;
  /** Version constraints from every stack that requires it. */
  readonly constraints: readonly string[];
}

/** Where a provider was looked for and whether it was found. */
export interface LocalProviderSearch {
  /** Folders that hold every required provider, to use as filesystem mirrors. */
  readonly mirrors: readonly string[];
  /** Requirements no folder satisfies. */
  readonly missing: readonly ProviderRequirement[];
  /** Every folder considered, with why (for the skip reason). */
  readonly searched: readonly string[];
}

/**
 * Runs `terraform init -backend=false` and `terraform validate -json` on a
 * copy of every stack listed in `<outdir>/manifest.json`, or explains why it
 * was skipped. Never hangs on the network: providers come from local folders
 * only (unless forced), checkpoint calls are disabled, and commands time out.
 */
export function runTerraformValidate(outdir: string, options: TerraformValidateOptions = {}): TerraformValidateResult {
  const env = options.env ?? process.env;
  const mode = env[TF_VALIDATE_ENV];
  if (mode === '0' || mode === 'false') return { status: 'skipped', reason: `disabled by ${TF_VALIDATE_ENV}=${mode}` };
  const forced = mode === '1' || mode === 'true';

  const terraform = options.terraformBinary ?? findOnPath('terraform', env);
  if (!terraform) return { status: 'skipped', reason: 'terraform is not on PATH' };

  let stacks: Array<{ name: string; dir: string; json: unknown }>;
  try {
    stacks = readStacks(outdir);
  } catch (error) {
    return { status: 'skipped', reason: `cannot read ${path.join(outdir, 'manifest.json')}: ${(error as Error).message}` };
  }
  if (stacks.length === 0) return { status: 'skipped', reason: `no stacks in ${outdir}` };

  const search = findLocalProviders(requiredProviders(stacks.map((s) => s.json)), env);
  if (search.missing.length > 0 && !forced) return { status: 'skipped', reason: skipReason(search) };

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pgm-tf-validate-'));
  try {
    const cliConfig = search.missing.length === 0 ? writeMirrorCliConfig(work, search.mirrors) : undefined;
    const runEnv: NodeJS.ProcessEnv = { ...env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', TF_INPUT: '0' };
    if (cliConfig) {
      runEnv.TF_CLI_CONFIG_FILE = cliConfig;
      delete runEnv.TF_PLUGIN_CACHE_DIR; // the cache is one of the mirrors now
    }
    const diagnostics: TerraformDiagnostic[] = [];
    for (const stack of stacks) {
      const copy = path.join(work, stack.name);
      copyStackDir(stack.dir, copy);
      diagnostics.push(...validateCopy(terraform, stack.name, copy, runEnv, options));
    }
    const failed = diagnostics.some((d) => d.severity === 'error');
    return { status: failed ? 'failed' : 'passed', stacks: stacks.map((s) => s.name), diagnostics };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** `init` then `validate -json` in one stack copy; init failures become an error diagnostic. */
function validateCopy(terraform: string, stack: string, cwd: string, env: NodeJS.ProcessEnv, options: TerraformValidateOptions): TerraformDiagnostic[] {
  const init = spawnSync(terraform, ['init', '-backend=false', '-input=false', '-no-color'], {
    cwd,
    env,
    encoding: 'utf8',
    timeout: options.initTimeoutMs ?? 120_000,
    killSignal: 'SIGKILL',
  });
  if (init.error || init.status !== 0) {
    const why = init.error ? init.error.message : tail(`${init.stderr}\n${init.stdout}`);
    return [{ stack, severity: 'error', summary: 'terraform init failed', detail: why }];
  }
  const run = spawnSync(terraform, ['validate', '-json', '-no-color'], {
    cwd,
    env,
    encoding: 'utf8',
    timeout: options.validateTimeoutMs ?? 120_000,
    killSignal: 'SIGKILL',
  });
  if (run.error) return [{ stack, severity: 'error', summary: 'terraform validate did not finish', detail: run.error.message }];
  return parseValidateOutput(stack, run.stdout, run.stderr, run.status);
}

/** Diagnostics from `terraform validate -json` output. */
export function parseValidateOutput(stack: string, stdout: string, stderr = '', status: number | null = 0): TerraformDiagnostic[] {
  type Raw = {
    valid?: boolean;
    diagnostics?: Array<{
      severity?: string;
      summary?: string;
      detail?: string;
      address?: string;
      range?: { filename?: string; start?: { line?: number; column?: number } };
    }>;
  };
  let parsed: Raw;
  try {
    parsed = JSON.parse(stdout) as Raw;
  } catch {
    return status === 0 ? [] : [{ stack, severity: 'error', summary: 'terraform validate failed', detail: tail(`${stderr}\n${stdout}`) }];
  }
  const diagnostics: TerraformDiagnostic[] = (parsed.diagnostics ?? []).map((d) => ({
    stack,
    severity: d.severity === 'warning' ? 'warning' : 'error',
    summary: d.summary ?? '(no summary)',
    detail: d.detail || undefined,
    address: d.address,
    location: d.range?.filename ? `${d.range.filename}:${d.range.start?.line ?? 0}:${d.range.start?.column ?? 0}` : undefined,
  }));
  if (parsed.valid === false && !diagnostics.some((d) => d.severity === 'error'))
    diagnostics.push({ stack, severity: 'error', summary: 'terraform validate reported the configuration invalid' });
  return diagnostics;
}

// ---------------------------------------------------------------------------
// Finding providers locally

/** The providers the stacks require (builtin `terraform` excluded), merged by source. */
export function requiredProviders(stackJsons: readonly unknown[]): ProviderRequirement[] {
  const bySource = new Map<string, string[]>();
  for (const json of stackJsons) {
    const required = (json as { terraform?: { required_providers?: Record<string, unknown> } })?.terraform?.required_providers ?? {};
    for (const [name, entry] of Object.entries(required)) {
      const e = typeof entry === 'string' ? { version: entry } : ((entry ?? {}) as { source?: string; version?: string });
      const source = normalizeProviderSource(e.source ?? name);
      if (source === 'terraform.io/builtin/terraform') continue;
      const constraints = bySource.get(source) ?? [];
      if (e.version && !constraints.includes(e.version)) constraints.push(e.version);
      bySource.set(source, constraints);
    }
  }
  return [...bySource].map(([source, constraints]) => ({ source, constraints }));
}

/**
 * Looks for each required provider, for this machine's platform, in the
 * local folders Terraform can install from without network.
 */
export function findLocalProviders(requirements: readonly ProviderRequirement[], env: NodeJS.ProcessEnv = process.env): LocalProviderSearch {
  const candidates = candidateDirs(env);
  const searched = candidates.map((c) => (c.dir ? `${c.label} ${c.dir}${isDir(c.dir) ? '' : ' (missing)'}` : c.label));
  const mirrors = new Set<string>();
  const missing: ProviderRequirement[] = [];
  const platform = terraformPlatform();
  for (const requirement of requirements) {
    const dir = candidates.find((c) => c.dir && hasProvider(c.dir, requirement, platform))?.dir;
    if (dir) mirrors.add(dir);
    else missing.push(requirement);
  }
  return { mirrors: [...mirrors], missing, searched };
}

interface CandidateDir {
  readonly label: string;
  readonly dir?: string;
}

/** TF_PLUGIN_CACHE_DIR, the CLI configuration's cache and mirrors, and the implied local mirror folders. */
function candidateDirs(env: NodeJS.ProcessEnv): CandidateDir[] {
  const home = env.HOME ?? os.homedir();
  const out: CandidateDir[] = [
    env.TF_PLUGIN_CACHE_DIR ? { label: 'TF_PLUGIN_CACHE_DIR', dir: env.TF_PLUGIN_CACHE_DIR } : { label: 'TF_PLUGIN_CACHE_DIR (unset)' },
  ];
  const configFile = env.TF_CLI_CONFIG_FILE || path.join(home, '.terraformrc');
  const config = readText(configFile);
  if (config === undefined) out.push({ label: `CLI config ${configFile} (missing)` });
  else {
    for (const m of config.matchAll(/"?plugin_cache_dir"?\s*[=:]\s*"([^"]*)"/g)) out.push({ label: 'plugin_cache_dir', dir: expandPath(m[1], env, home) });
    for (const m of config.matchAll(/filesystem_mirror[^}]*?"?path"?\s*[=:]\s*"([^"]*)"/g))
      out.push({ label: 'filesystem_mirror', dir: expandPath(m[1], env, home) });
  }
  const dataHome = env.XDG_DATA_HOME || path.join(home, '.local', 'share');
  const dataDirs = (env.XDG_DATA_DIRS || '/usr/local/share:/usr/share').split(':').filter(Boolean);
  out.push({ label: 'implied mirror', dir: path.join(home, '.terraform.d', 'plugins') });
  for (const d of [dataHome, ...dataDirs]) out.push({ label: 'implied mirror', dir: path.join(d, 'terraform', 'plugins') });
  return out;
}

/**
 * Whether `dir` holds a version of the provider that satisfies every
 * constraint, for `platform`, in the unpacked (`<host>/<ns>/<type>/<version>/<os_arch>/`)
 * or packed (`terraform-provider-<type>_<version>_<os_arch>.zip`) mirror layout.
 */
function hasProvider(dir: string, requirement: ProviderRequirement, platform: string): boolean {
  const typeDir = path.join(dir, ...requirement.source.split('/'));
  const type = requirement.source.split('/').pop() ?? '';
  let entries: string[];
  try {
    entries = fs.readdirSync(typeDir);
  } catch {
    return false;
  }
  const ok = (version: string) => parseVersion(version) !== undefined && requirement.constraints.every((c) => satisfiesVersionConstraint(version, c));
  return entries.some((entry) => {
    const packed = new RegExp(`^terraform-provider-${type}_(.+)_${platform}\\.zip$`).exec(entry);
    if (packed) return ok(packed[1]);
    return ok(entry) && isDir(path.join(typeDir, entry, platform));
  });
}

/** The reason given when providers are missing. */
function skipReason(search: LocalProviderSearch): string {
  const what = search.missing.map((r) => `${r.source}${r.constraints.length ? ` ${r.constraints.join(', ')}` : ''}`).join('; ');
  return (
    `no local copy of provider ${what} for ${terraformPlatform()} (terraform cannot download providers offline); ` +
    `searched: ${search.searched.join(', ')}; set ${TF_VALIDATE_ENV}=1 to run terraform init anyway`
  );
}

/** A CLI configuration that installs providers from the given folders only: no `direct {}`, so no network. */
function writeMirrorCliConfig(work: string, mirrors: readonly string[]): string {
  const file = path.join(work, 'terraform.rc');
  const blocks = mirrors.map((m) => `  filesystem_mirror {\n    path = ${JSON.stringify(m)}\n  }`).join('\n');
  fs.writeFileSync(file, `provider_installation {\n${blocks}\n}\n`);
  return file;
}

// ---------------------------------------------------------------------------
// Helpers

function readStacks(outdir: string): Array<{ name: string; dir: string; json: unknown }> {
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8')) as {
    stacks?: Record<string, { synthesizedStackPath?: string }>;
  };
  return Object.entries(manifest.stacks ?? {}).map(([name, entry]) => {
    const file = path.join(outdir, entry.synthesizedStackPath ?? path.join('stacks', name, 'cdk.tf.json'));
    return { name, dir: path.dirname(file), json: JSON.parse(fs.readFileSync(file, 'utf8')) as unknown };
  });
}

/** Copies a stack folder without terraform's working data or state. */
function copyStackDir(from: string, to: string): void {
  fs.cpSync(from, to, {
    recursive: true,
    filter: (src) => !/(^|[\\/])\.terraform([\\/]|$)|\.tfstate(\.backup)?$|\.terraform\.lock\.hcl$/.test(path.relative(from, src)),
  });
}

/** The executable `name` on the env's PATH, or undefined. */
export function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const exts = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean))
    for (const ext of exts) {
      const candidate = path.join(dir, name + ext);
      try {
        fs.accessSync(candidate, fs.constants.X_OK);
        if (fs.statSync(candidate).isFile()) return candidate;
      } catch {
        // not here
      }
    }
  return undefined;
}

/** `linux_amd64`, `darwin_arm64`, `windows_amd64`: Terraform's platform names. */
export function terraformPlatform(): string {
  const osName = process.platform === 'win32' ? 'windows' : process.platform;
  const arch = ({ x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm' } as Record<string, string>)[process.arch] ?? process.arch;
  return `${osName}_${arch}`;
}

function expandPath(p: string, env: NodeJS.ProcessEnv, home: string): string {
  return p.replace(/^~(?=$|[\\/])/, home).replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_, name: string) => env[name] ?? '');
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function tail(text: string, lines = 15): string {
  return text.trim().split('\n').slice(-lines).join('\n');
}
