/**
 * `npm run rehearse [-- <outdir>]`: the real terraform binary against the
 * synthesized stacks in `cdktf.out` (or `<outdir>`), offline, with stand-in
 * providers: `terraform validate` of every stack, then a rehearsal of a first
 * deployment in a temporary copy — per stack in deploy order `init`, `apply`,
 * and a second `plan` that must report no changes, with the stacks reading each
 * other's outputs through `terraform_remote_state`. Nothing in `cdktf.out` and
 * no state of yours is touched. Exits 1 when a stack fails; without terraform
 * on PATH it says SKIPPED (and fails under CI=true).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describeStandIns, findTerraform, rehearseApp, startStandIns, validateStacks } from '../src/terraform/harness';

export async function rehearse(outdir: string, write: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Promise<boolean> {
  const tf = findTerraform();
  if (!('binary' in tf)) {
    write(`rehearsal: SKIPPED (${tf.missing})`);
    return process.env.CI !== 'true';
  }
  const started = Date.now();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pgm-rehearse-'));
  const setup = await startStandIns(path.join(work, 'standin'), [outdir]);
  try {
    write(`terraform ${tf.version} with stand-in providers: ${describeStandIns(setup.providers)}`);
    let ok = true;
    for (const v of await validateStacks(outdir, setup)) {
      ok &&= v.diagnostics.length === 0;
      write(`validate ${v.stack}: ${v.diagnostics.length === 0 ? 'ok' : 'FAILED'} (${v.ms} ms)`);
      for (const d of v.diagnostics) write(`  ${d.summary}${d.detail ? `: ${d.detail.replace(/\s*\n\s*/g, ' ')}` : ''}`);
    }
    for (const s of await rehearseApp(outdir, path.join(work, 'app'), setup)) {
      ok &&= s.ok;
      write(`rehearse ${s.stack}: ${s.ok ? `applied ${s.applied} resources, second plan empty` : 'FAILED'} (${s.ms} ms)`);
      for (const d of s.diagnostics) write(`  ${d.summary}${d.detail ? `: ${d.detail.replace(/\s*\n\s*/g, ' ')}` : ''}`);
    }
    write(`rehearsal: ${ok ? 'passed' : 'FAILED'} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    return ok;
  } finally {
    setup.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const outdir = path.resolve(process.argv[2] ?? process.env.CDKTF_OUTDIR ?? path.join(__dirname, '..', 'cdktf.out'));
  rehearse(outdir).then((ok) => (process.exitCode = ok ? 0 : 1));
}
