/**
 * `npm run synth` end to end: synthesizes into a staging folder, validates
 * offline, and only then replaces the output; any failure leaves the previous
 * output untouched.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { printAnnotations, swapInto } from '../../scripts/synth';

const root = path.join(__dirname, '..', '..');

function runSynth(outdir: string, env: Record<string, string> = {}, args: string[] = []) {
  return spawnSync(process.execPath, [path.join(root, 'scripts/run-ts.js'), path.join(root, 'scripts/synth.ts'), ...args], {
    cwd: root,
    env: { ...process.env, CDKTF_OUTDIR: outdir, PHOTOGRAMMETRY_CONFIG: '', PHOTOGRAMMETRY_TF_VALIDATE: '0', ...env },
    encoding: 'utf8',
  });
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pgm-synth-script-'));

test('synthesizes the three stacks, prints the warnings and the validation summary, leaves no staging folder', () => {
  const outdir = path.join(work, 'ok');
  const run = runSynth(outdir);
  expect(run.status).toBe(0);
  expect(fs.readdirSync(path.join(outdir, 'stacks')).sort()).toEqual(['compute', 'network', 'storage']);
  expect(fs.readdirSync(outdir).sort()).toEqual(['manifest.json', 'policy-report.json', 'policy-report.md', 'stacks']);
  expect(run.stderr).toMatch(/\[network\] Warning: .*adminSourceCidrs is empty/);
  expect(run.stderr).toMatch(/offline validation: 3 stacks, \d+ resources, \d+ data sources, 0 problems/);
  expect(run.stdout).toMatch(/synthesized into /);
  expect(fs.existsSync(`${outdir}.staging`)).toBe(false);
});

test('a bad configuration fails with the field named, exit 1, and the previous output left as it was', () => {
  const outdir = path.join(work, 'kept');
  fs.mkdirSync(outdir);
  fs.writeFileSync(path.join(outdir, 'marker'), 'previous synth');
  const config = path.join(work, 'bad.json');
  fs.writeFileSync(config, JSON.stringify({ network: { adminSourceCidrs: ['0.0.0.0/0'] } }));
  const run = runSynth(outdir, { PHOTOGRAMMETRY_CONFIG: config });
  expect(run.status).toBe(1);
  expect(run.stderr).toMatch(/adminSourceCidrs/);
  expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
  expect(run.stderr).toMatch(/was left unchanged/);
  expect(fs.readFileSync(path.join(outdir, 'marker'), 'utf8')).toBe('previous synth');
  expect(fs.existsSync(`${outdir}.staging`)).toBe(false);
});

test('a policy pack error stops synth, names the rule and the resource, and leaves the previous output as it was', () => {
  const outdir = path.join(work, 'kept-policy');
  fs.mkdirSync(outdir);
  fs.writeFileSync(path.join(outdir, 'marker'), 'previous synth');
  const run = runSynth(outdir, {}, ['__tests__/fixtures/policy-violation-app.ts']);
  expect(run.status).toBe(1);
  expect(run.stderr).toMatch(/\[compute\/stray-pip\] \[PGM-NET-3\] azurerm_public_ip\.stray-pip: public IP pip-stray/);
  expect(run.stderr).not.toMatch(/\n\s+at /);
  expect(run.stderr).toMatch(/was left unchanged/);
  expect(fs.readdirSync(outdir)).toEqual(['marker']);
  expect(fs.existsSync(`${outdir}.staging`)).toBe(false);
  // The message names this run's report (kept beside the output), not the previous run's.
  const failed = `${outdir}.failed`;
  expect(run.stderr).toContain(`this run's policy report: ${path.join(failed, 'policy-report.md')}`);
  expect(run.stderr).not.toMatch(/see cdktf\.out\/policy-report\.md/);
  expect(fs.readFileSync(path.join(failed, 'policy-report.md'), 'utf8')).toMatch(/PGM-NET-3/);
  expect(fs.existsSync(path.join(failed, 'stacks', 'compute', 'policy-report.json'))).toBe(true);
});

test("a later successful synth removes the failed run's report", () => {
  const outdir = path.join(work, 'kept-policy');
  expect(fs.existsSync(`${outdir}.failed`)).toBe(true);
  const run = runSynth(outdir);
  expect(run.status).toBe(0);
  expect(fs.existsSync(`${outdir}.failed`)).toBe(false);
});

test('printAnnotations counts errors and prints every annotation with its stack', () => {
  const dir = fs.mkdtempSync(path.join(work, 'manifest-'));
  fs.writeFileSync(
    path.join(dir, 'manifest.json'),
    JSON.stringify({
      stacks: {
        network: { annotations: [{ constructPath: 'network/a', level: '@cdktf/warn', message: 'careful' }] },
        compute: { annotations: [{ constructPath: 'compute/b', level: '@cdktf/error', message: 'broken' }] },
      },
    }),
  );
  const written: string[] = [];
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => (written.push(String(chunk)), true));
  try {
    expect(printAnnotations(dir)).toBe(1);
  } finally {
    spy.mockRestore();
  }
  expect(written).toEqual(['[network] Warning: network/a: careful\n', '[compute] Error: compute/b: broken\n']);
});

test('swapInto replaces the target with the staging folder', () => {
  const target = path.join(work, 'target');
  const staging = path.join(work, 'staging');
  fs.mkdirSync(target);
  fs.writeFileSync(path.join(target, 'old'), '');
  fs.mkdirSync(staging);
  fs.writeFileSync(path.join(staging, 'new'), '');
  swapInto(staging, target);
  expect(fs.readdirSync(target)).toEqual(['new']);
  expect(fs.existsSync(staging)).toBe(false);
  expect(fs.readdirSync(work).filter((f) => f.startsWith('target.old'))).toEqual([]);
});
