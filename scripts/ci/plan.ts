/**
 * CI: `terraform init` + `plan` (which validates) for every stack of `cdktf.out`, in
 * deploy order (producers first), then `terraform show -json` → a summary per
 * stack. Writes `cdktf.out/plan-summary.json` and `cdktf.out/plan-comment.md`
 * (the pull-request comment, with the architecture report). A stack that reads
 * a producer of the same change that is not applied yet (first deployment, or
 * an output the change adds) is reported as planned after that producer, not
 * as a failure. Exit 1 when any stack really fails to validate or plan.
 *
 * Needs terraform, Azure credentials (ARM_* / OIDC) and a reachable backend: run it in CI, not offline.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { deferredBy, renderPlanComment, StackPlanResult, summarizePlan } from '../../src/ci/plan-summary';
import { deployOrder, loadAppModel } from '../../src/report/model';
import { writeArchitectureReport } from '../../src/report/report';

function terraform(cwd: string, args: string[]): { ok: boolean; stdout: string; stderr: string } {
  const r = spawnSync('terraform', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' },
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.error) return { ok: false, stdout: '', stderr: r.error.message };
  return { ok: r.status === 0, stdout: r.stdout, stderr: r.stderr };
}

function main(): number {
  const outdir = path.resolve(process.env.CDKTF_OUTDIR ?? 'cdktf.out');
  const model = loadAppModel(outdir);
  const results: StackPlanResult[] = [];
  for (const stack of deployOrder(model.stacks)) {
    const dir = path.join(outdir, 'stacks', stack);
    process.stderr.write(`== ${stack}\n`);
    const steps: string[][] = [
      ['init', '-input=false', '-no-color'],
      ['plan', '-input=false', '-no-color', '-lock-timeout=5m', '-out=tfplan'], // plan validates the configuration first
    ];
    let error: string | undefined;
    for (const args of steps) {
      const r = terraform(dir, args);
      if (!r.ok) {
        error = `terraform ${args[0]}:\n${r.stderr || r.stdout}`;
        break;
      }
    }
    if (error) {
      results.push(deferredBy(stack, error, results) ?? { stack, error });
      continue;
    }
    const show = terraform(dir, ['show', '-json', 'tfplan']);
    results.push(show.ok ? summarizePlan(stack, JSON.parse(show.stdout)) : { stack, error: `terraform show:\n${show.stderr}` });
  }
  const { markdown } = writeArchitectureReport(outdir);
  const runUrl = process.env.GITHUB_RUN_ID
    ? `${process.env.GITHUB_SERVER_URL}/${process.env.GITHUB_REPOSITORY}/actions/runs/${process.env.GITHUB_RUN_ID}`
    : undefined;
  const comment = renderPlanComment(results, markdown, { commit: process.env.GITHUB_SHA, runUrl });
  fs.writeFileSync(path.join(outdir, 'plan-summary.json'), `${JSON.stringify(results, null, 2)}\n`);
  fs.writeFileSync(path.join(outdir, 'plan-comment.md'), comment);
  process.stdout.write(`${comment}\n`);
  return results.some((r) => 'error' in r) ? 1 : 0;
}

if (require.main === module) process.exitCode = main();
