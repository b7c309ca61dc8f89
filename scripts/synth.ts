/**
 * `npm run synth`: synthesizes every stack into a staging folder, prints the
 * synth warnings, validates the result offline, and only then replaces
 * `cdktf.out`. A failed synth or validation leaves the previous `cdktf.out`
 * as it was.
 */
import * as fs from 'fs';
import * as path from 'path';
import { FAILED_REPORT_DIR_ENV } from './cli';
import { runOfflineValidation } from './validate';

const root = path.join(__dirname, '..');

/** Prints the warning and error annotations of every stack, as `cdktf synth` does. */
export function printAnnotations(outdir: string): number {
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8')) as {
    stacks: Record<string, { annotations: Array<{ constructPath: string; level: string; message: string }> }>;
  };
  let errors = 0;
  for (const [stack, { annotations }] of Object.entries(manifest.stacks)) {
    for (const a of annotations) {
      const level = a.level.replace('@cdktf/', '');
      if (level === 'error') errors++;
      process.stderr.write(`[${stack}] ${level === 'warn' ? 'Warning' : level === 'error' ? 'Error' : 'Info'}: ${a.constructPath}: ${a.message}\n`);
    }
  }
  return errors;
}

/** Replaces `target` with `staging` (the old tree is removed only after the new one is in place). */
export function swapInto(staging: string, target: string): void {
  const old = `${target}.old-${process.pid}`;
  if (fs.existsSync(target)) fs.renameSync(target, old);
  fs.renameSync(staging, target);
  fs.rmSync(old, { recursive: true, force: true });
}

/** Where a failed run's policy report is kept: beside the output, which a failed run leaves as it was. */
export function failedReportDir(outdir: string): string {
  return `${outdir}.failed`;
}

/** Copies the policy reports of a failed run out of the staging folder (the app-wide ones and each stack's); true when there were any. */
export function keepPolicyReports(staging: string, target: string): boolean {
  const files = ['policy-report.md', 'policy-report.json'].filter((f) => fs.existsSync(path.join(staging, f)));
  const stacksDir = path.join(staging, 'stacks');
  const stacks = fs.existsSync(stacksDir) ? fs.readdirSync(stacksDir).filter((s) => fs.existsSync(path.join(stacksDir, s, 'policy-report.json'))) : [];
  if (files.length === 0 && stacks.length === 0) return false;
  fs.mkdirSync(target, { recursive: true });
  for (const f of files) fs.copyFileSync(path.join(staging, f), path.join(target, f));
  for (const s of stacks) {
    fs.mkdirSync(path.join(target, 'stacks', s), { recursive: true });
    fs.copyFileSync(path.join(stacksDir, s, 'policy-report.json'), path.join(target, 'stacks', s, 'policy-report.json'));
  }
  return true;
}

async function main(): Promise<number> {
  const outdir = path.resolve(root, process.env.CDKTF_OUTDIR ?? 'cdktf.out');
  const staging = `${outdir}.staging`;
  const failedReports = failedReportDir(outdir);
  fs.rmSync(staging, { recursive: true, force: true });
  fs.rmSync(failedReports, { recursive: true, force: true });
  const fail = (why: string) => {
    const kept = keepPolicyReports(staging, failedReports);
    fs.rmSync(staging, { recursive: true, force: true });
    process.stderr.write(
      `${why}; ${path.relative(root, outdir)} was left unchanged.${kept ? ` This run's policy report: ${path.relative(root, path.join(failedReports, 'policy-report.md'))}` : ''}\n`,
    );
    return 1;
  };

  // `npm run synth -- other-app.ts` synthesizes another cdktf entry the same safe way (default: main.ts). The entry
  // runs in this process (one start-up, one schema index for the policy pack and the validator) and writes to the
  // staging folder; it reports failure through process.exitCode (scripts/cli.ts).
  const entry = path.resolve(root, process.argv[2] ?? 'main.ts');
  process.env.CDKTF_OUTDIR = staging;
  process.env[FAILED_REPORT_DIR_ENV] = failedReports;
  process.env.CHECKPOINT_DISABLE = '1';
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the app entry is a path chosen at run time and must run in this process
  require(entry);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded after the entry, whose run it awaits
  await (require('./cli') as typeof import('./cli')).lastRun;
  if (process.exitCode) return fail('synth failed');
  if (printAnnotations(staging) > 0) return fail('synth reported errors');
  if (!runOfflineValidation(staging)) return fail('offline validation failed');

  swapInto(staging, outdir);
  process.stdout.write(`synthesized into ${path.relative(root, outdir)}/\n`);
  process.stdout.write('terraform validate: not part of synth; `npm run validate` runs it where the providers are installed\n');
  return 0;
}

if (require.main === module) void main().then((code) => (process.exitCode = code));
