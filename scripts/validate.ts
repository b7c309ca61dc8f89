/**
 * `npm run validate [-- <outdir>] [--offline-only]`: validates the synthesized
 * stacks in `cdktf.out` (or `<outdir>`).
 *
 * 1. Offline, against the provider schemas of the installed cdktf provider
 *    packages: prints every problem as `<stack> <path>: <message>` and a
 *    summary line.
 * 2. `terraform validate` of each stack: with the real providers where they are
 *    available (locally, or downloaded when PHOTOGRAMMETRY_TF_VALIDATE=1), else
 *    with the stand-in providers (src/terraform); the output says which ran.
 *
 * Exits 1 when either layer finds a problem. `npm run synth` calls
 * {@link runOfflineValidation} in-process on its staging folder.
 */
import * as path from 'path';
import { formatProblem } from '../src/validation/problems';
import { runTerraformValidate, TerraformDiagnostic, TerraformValidateOptions, TerraformValidateResult } from '../src/validation/terraform-validate';
import { OutdirValidation, validateOutdirDetailed, ValidateOutdirOptions } from '../src/validation/validate';
import { describeStandIns, findTerraform, standInValidation } from '../src/terraform/harness';

/** Where output goes (stdout by default; tests pass a collector). */
export type Writer = (line: string) => void;

const stdout: Writer = (line) => process.stdout.write(`${line}\n`);

/** Both layers' results. */
export interface ValidationRun {
  readonly offline: OutdirValidation;
  readonly terraform: TerraformValidateResult;
  /** True when neither layer found a problem (a skipped terraform layer counts as no problem). */
  readonly ok: boolean;
}

/** Options of {@link runValidation}. */
export interface RunValidationOptions extends ValidateOutdirOptions {
  /** Skip layer b. */
  readonly offlineOnly?: boolean;
  readonly terraform?: TerraformValidateOptions;
  readonly write?: Writer;
}

/** Runs both layers on `outdir`, printing problems and summaries; returns the results. */
export function runValidation(outdir: string, options: RunValidationOptions = {}): ValidationRun {
  const write = options.write ?? stdout;
  const offline = runOffline(outdir, options, write);
  const terraform: TerraformValidateResult = options.offlineOnly
    ? { status: 'skipped', reason: '--offline-only' }
    : runTerraformValidate(outdir, options.terraform);
  write(formatTerraformResult(terraform));
  return { offline, terraform, ok: offline.problems.length === 0 && terraform.status !== 'failed' };
}

/**
 * Layer a only, printing problems and the summary line; true when there is no
 * problem. This is what `npm run synth` runs before replacing `cdktf.out`.
 */
export function runOfflineValidation(outdir: string, write: Writer = (line) => process.stderr.write(`${line}\n`)): boolean {
  return runOffline(outdir, {}, write).problems.length === 0;
}

function runOffline(outdir: string, options: ValidateOutdirOptions, write: Writer): OutdirValidation {
  const started = process.hrtime.bigint();
  const result = validateOutdirDetailed(outdir, options);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  for (const problem of result.problems) write(formatProblem(problem));
  write(formatSummary(result, ms));
  return result;
}

/** `offline validation: 3 stacks, 30 resources, 3 data sources, 0 problems (25 ms)`. */
export function formatSummary(result: OutdirValidation, ms?: number): string {
  const sum = (key: 'resources' | 'dataSources') => result.stacks.reduce((n, s) => n + s[key], 0);
  const n = result.problems.length;
  const time = ms === undefined ? '' : ` (${Math.round(ms)} ms)`;
  const counts = [plural(result.stacks.length, 'stack'), plural(sum('resources'), 'resource'), plural(sum('dataSources'), 'data source'), plural(n, 'problem')];
  return `offline validation: ${counts.join(', ')}${time}`;
}

/** `terraform validate: skipped (<reason>)`, `... passed (3 stacks)` or `... failed` with one line per diagnostic. */
export function formatTerraformResult(result: TerraformValidateResult): string {
  if (result.status === 'skipped') return `terraform validate: skipped (${result.reason})`;
  const lines = result.diagnostics.map(formatDiagnostic);
  const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
  const head =
    result.status === 'passed'
      ? `terraform validate: passed (${plural(result.stacks.length, 'stack')}${lines.length ? `, ${plural(lines.length, 'warning')}` : ''})`
      : `terraform validate: failed (${plural(errors, 'error')})`;
  return [head, ...lines].join('\n');
}

function formatDiagnostic(d: TerraformDiagnostic): string {
  const where = [d.location, d.address].filter(Boolean).join(' ');
  return `${d.stack}${where ? ` ${where}` : ''}: ${d.severity}: ${d.summary}${d.detail ? `: ${d.detail.replace(/\s*\n\s*/g, ' ')}` : ''}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * `npm run validate`: layer a, then `terraform validate` — with the real
 * providers where terraform can get them (found locally, or downloaded when
 * forced with PHOTOGRAMMETRY_TF_VALIDATE=1, as the pull-request workflow
 * does), otherwise with the stand-in providers (offline, the default here).
 * The output says which ran.
 */
async function main(argv: readonly string[]): Promise<number> {
  const offlineOnly = argv.includes('--offline-only');
  const args = argv.filter((a) => !a.startsWith('--'));
  const outdir = path.resolve(args[0] ?? process.env.CDKTF_OUTDIR ?? path.join(__dirname, '..', 'cdktf.out'));
  const write = stdout;
  const offline = runOffline(outdir, {}, write);
  if (offlineOnly) {
    write(formatTerraformResult({ status: 'skipped', reason: '--offline-only' }));
    return offline.problems.length === 0 ? 0 : 1;
  }
  const real = runTerraformValidate(outdir);
  const tf = findTerraform();
  const disabled = /^disabled/.test(real.status === 'skipped' ? real.reason : '');
  if (real.status !== 'skipped' || disabled || !('binary' in tf)) {
    write(
      real.status === 'skipped'
        ? formatTerraformResult(real)
        : formatTerraformResult(real).replace(/^terraform validate:/, 'terraform validate (real providers):'),
    );
    return offline.problems.length === 0 && real.status !== 'failed' ? 0 : 1;
  }
  const run = await standInValidation(outdir, tf.version);
  const diagnostics = run.stacks.flatMap((s) => s.diagnostics.map((d) => ({ ...d, severity: d.severity })));
  const result: TerraformValidateResult = { status: diagnostics.length ? 'failed' : 'passed', stacks: run.stacks.map((s) => s.stack), diagnostics };
  write(
    formatTerraformResult(result).replace(
      /^terraform validate:/,
      `terraform ${tf.version} validate (stand-in providers, the real ones are not installed here: ${describeStandIns(run.providers)}):`,
    ),
  );
  return offline.problems.length === 0 && diagnostics.length === 0 ? 0 : 1;
}

if (require.main === module) main(process.argv.slice(2)).then((code) => (process.exitCode = code));
