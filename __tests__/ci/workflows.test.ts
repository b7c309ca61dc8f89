/**
 * The GitHub Actions workflows: valid against the workflow schema, every command
 * they run exists in this repository, and they deploy the app's stacks in order.
 */
import { validateWorkflow } from '@action-validator/core';
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { STACK_NAMES } from '../../stacks/app';

const root = path.join(__dirname, '..', '..');
const dir = path.join(root, '.github', 'workflows');
const files = fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };

type Step = { uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, string> };
type Workflow = {
  on: unknown;
  permissions?: Record<string, string>;
  concurrency?: { group: string; 'cancel-in-progress'?: boolean };
  env?: Record<string, string>;
  jobs: Record<string, { steps: Step[] }>;
};
const load = (f: string) => parse(fs.readFileSync(path.join(dir, f), 'utf8')) as Workflow;
const steps = (w: Workflow) => Object.values(w.jobs).flatMap((j) => j.steps);

test('there are the pull-request and deploy workflows', () => {
  expect(files.sort()).toEqual(['deploy.yml', 'pull-request.yml']);
});

describe.each(files)('%s', (file) => {
  const source = fs.readFileSync(path.join(dir, file), 'utf8');
  const wf = load(file);

  test('is a valid workflow (action-validator schema)', () => {
    expect(validateWorkflow(source).errors).toEqual([]);
  });

  test('every npm script and repository file it runs exists', () => {
    const commands = steps(wf)
      .flatMap((s) => [s.run ?? '', typeof s.with?.script === 'string' ? s.with.script : ''])
      .join('\n');
    for (const [, script] of commands.matchAll(/npm run ([\w:-]+)/g)) expect(Object.keys(pkg.scripts)).toContain(script);
    for (const [, file] of commands.matchAll(/\.?\/?(scripts\/[\w./-]+\.(?:js|ts))/g)) expect(fs.existsSync(path.join(root, file))).toBe(true);
    for (const script of Object.keys(pkg.scripts).filter((s) => commands.includes(`npm run ${s}`))) {
      for (const [, file] of pkg.scripts[script].matchAll(/(scripts\/[\w./-]+\.(?:js|ts))/g)) expect(fs.existsSync(path.join(root, file))).toBe(true);
    }
  });

  test('installs with npm ci, runs the tests, and uses terraform without the wrapper (cdktf needs raw output)', () => {
    const runs = steps(wf).map((s) => s.run ?? '');
    expect(runs).toEqual(expect.arrayContaining(['npm ci', 'npm test', 'npm run synth']));
    const tf = steps(wf).find((s) => s.uses?.startsWith('hashicorp/setup-terraform'));
    expect(tf?.with?.terraform_wrapper).toBe(false);
    expect(wf.env?.CHECKPOINT_DISABLE).toBe('1');
  });

  test('logs in to Azure by OIDC, never with a client secret', () => {
    expect(wf.permissions?.['id-token']).toBe('write');
    expect(wf.env?.ARM_USE_OIDC).toBe('true');
    expect(source).not.toMatch(/ARM_CLIENT_SECRET|client-secret|creds:/);
  });
});

test('pull requests: plan every stack, then one comment updated in place', () => {
  const wf = load('pull-request.yml');
  expect(wf.on).toEqual({ pull_request: { branches: ['main'] } });
  expect(wf.permissions?.['pull-requests']).toBe('write');
  const s = steps(wf);
  const plan = s.findIndex((x) => x.run === 'npm run ci:plan');
  const comment = s.findIndex((x) => x.uses?.startsWith('actions/github-script'));
  expect(plan).toBeGreaterThan(s.findIndex((x) => x.run === 'npm run validate'));
  expect(comment).toBeGreaterThan(plan);
  expect(String(s[comment].with?.script)).toContain("require('./scripts/ci/pr-comment.js')");
});

test('main: deploys the app stacks in deploy order, one at a time, with the activation code from a secret', () => {
  const wf = load('deploy.yml');
  expect(wf.on).toMatchObject({ push: { branches: ['main'] } });
  expect(wf.concurrency).toEqual({ group: 'deploy-production', 'cancel-in-progress': false });
  const deploy = steps(wf).find((x) => x.run?.includes('cdktf deploy'))!;
  expect(deploy.run).toBe(`npx cdktf deploy ${STACK_NAMES.join(' ')} --auto-approve --parallelism 1 --skip-synth`);
  expect(deploy.env?.TF_VAR_photoscan_activation_code).toBe('${{ secrets.PHOTOSCAN_ACTIVATION_CODE }}');
});

test('pull requests: a job builds and tests the CDK Terrain flavour on Node 22 and synthesizes with the cdktn CLI', () => {
  const wf = load('pull-request.yml') as Workflow & { jobs: Record<string, { steps: Step[]; env?: Record<string, string>; 'runs-on': unknown }> };
  const job = wf.jobs.cdktn;
  expect(job).toBeDefined();
  expect(job.steps.find((s) => s.uses?.startsWith('actions/setup-node'))?.with?.['node-version']).toBe(22);
  const runs = job.steps.map((s) => s.run);
  expect(runs).toEqual(expect.arrayContaining(['npm ci', 'npm run test:cdktn', 'npx cdktn synth']));
  expect(runs.indexOf('npm run test:cdktn')).toBeGreaterThan(runs.indexOf('npm ci'));
  // The flavour is written outside the checkout, and the CLI runs there.
  expect(job.env?.CDKTN_FLAVOUR_DIR).toMatch(/^\$\{\{ github\.workspace \}\}\/\.\.\//);
  // The workflow's PHOTOGRAMMETRY_CONFIG names a file only the plan job writes: this job synthesizes the default app.
  expect(job.env?.PHOTOGRAMMETRY_CONFIG).toBe('');
  expect(job.steps.find((s) => s.run === 'npx cdktn synth')).toMatchObject({ 'working-directory': '${{ env.CDKTN_FLAVOUR_DIR }}' });
});

test('main: deploys with either toolchain (dispatch input or PHOTOGRAMMETRY_TOOLCHAIN), cdktn from the rewritten checkout on Node 22', () => {
  const wf = load('deploy.yml') as Workflow & { on: { workflow_dispatch: { inputs: Record<string, { options: string[]; default: string }> } } };
  const TF = ['cdk', 'tf'].join(''); // unquoted in the YAML, so the CDK Terrain flavour's rewrite leaves it (and this test) alone
  expect(wf.on.workflow_dispatch.inputs.toolchain).toMatchObject({ options: [TF, 'cdktn'], default: TF });
  expect(wf.env?.TOOLCHAIN).toBe("${{ inputs.toolchain || vars.PHOTOGRAMMETRY_TOOLCHAIN || 'cdktf' }}");
  const s = steps(wf) as Array<Step & { if?: string; name?: string }>;
  expect(s.find((x) => x.uses?.startsWith('actions/setup-node'))?.with?.['node-version']).toBe("${{ env.TOOLCHAIN == 'cdktn' && 22 || 20 }}");
  const cdktn = s.filter((x) => x.if === "env.TOOLCHAIN == 'cdktn'").map((x) => x.run);
  expect(cdktn).toEqual([
    'node scripts/cdktn/flavour.js .',
    'npm install --no-audit --no-fund',
    `npx cdktn deploy ${STACK_NAMES.join(' ')} --auto-approve --parallelism 1 --skip-synth`,
  ]);
  expect(s.find((x) => x.run === 'npm ci')?.if).toBe("env.TOOLCHAIN != 'cdktn'");
});
