/**
 * `npm run ci:plan` (scripts/ci/plan.ts) end to end against the stand-in
 * providers, as the pull-request workflow runs it:
 * - on a fresh backend the producers are planned and the stacks that read them
 *   are reported as planned after the producer is applied, not as failures;
 * - after network is deployed, a change that adds a network output the storage
 *   stack reads defers storage the same way.
 * That any other error (e.g. an output no stack provides) still fails the job is
 * tested on the classification itself, with terraform's messages, in
 * __tests__/ci/plan-comment.test.ts.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readStacks, rehearsalVariables, StandInSetup, startStandIns, terraform } from '../../src/terraform/harness';
import { synthApp } from '../support/synth';
import { terraformForTests } from '../support/terraform';

const tf = terraformForTests('npm run ci:plan against the stand-in providers');
const root = path.join(__dirname, '..', '..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pgm-ci-plan-'));
let setup: StandInSetup | undefined;
let synthesized: string;

/** Runs scripts/ci/plan.ts on an outdir; returns its exit code and the comment it wrote. */
function ciPlan(outdir: string): { status: number | null; comment: string; stderr: string } {
  const env = { ...setup!.env, ...rehearsalVariables(readStacks(outdir)), CDKTF_OUTDIR: outdir, GITHUB_SHA: '0123456789abcdef0123' };
  const run = spawnSync(process.execPath, [path.join(root, 'scripts', 'run-ts.js'), path.join(root, 'scripts', 'ci', 'plan.ts')], {
    cwd: root,
    env,
    encoding: 'utf8',
  });
  const file = path.join(outdir, 'plan-comment.md');
  return { status: run.status, comment: fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '', stderr: run.stderr };
}

/** How many resources a stack of an outdir declares (what its first plan adds). */
function resourceCount(outdir: string, stack: 'network' | 'storage' | 'compute'): number {
  const json = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8')) as { resource?: Record<string, object> };
  return Object.values(json.resource ?? {}).reduce((n, byName) => n + Object.keys(byName).length, 0);
}

/** Adds output `name` to the network stack and makes the storage stack read it (a tag of its resource group). */
function readNewNetworkOutput(outdir: string): void {
  const file = (s: string) => path.join(outdir, 'stacks', s, 'cdk.tf.json');
  const network = JSON.parse(fs.readFileSync(file('network'), 'utf8'));
  network.output['cross-stack-output-new-thing'] = { value: 'new', sensitive: true };
  fs.writeFileSync(file('network'), JSON.stringify(network, null, 2));
  const storage = JSON.parse(fs.readFileSync(file('storage'), 'utf8'));
  const rg = Object.values(storage.resource.azurerm_resource_group)[0] as { tags: Record<string, string> };
  rg.tags = { ...rg.tags, thing: '${data.terraform_remote_state.cross-stack-reference-input-network.outputs.cross-stack-output-new-thing}' };
  fs.writeFileSync(file('storage'), JSON.stringify(storage, null, 2));
}

beforeAll(async () => {
  if (!tf) return;
  synthesized = synthApp({}).outdir;
  setup = await startStandIns(path.join(work, 'standin'), [synthesized]);
}, 60_000);

afterAll(() => {
  setup?.stop();
  fs.rmSync(work, { recursive: true, force: true });
  if (synthesized) fs.rmSync(synthesized, { recursive: true, force: true });
});

const maybe = tf ? test : test.skip;

maybe(
  'a fresh backend: network is planned; storage and compute are planned after network is applied, and the job passes',
  () => {
    const outdir = path.join(work, 'fresh', 'cdktf.out');
    fs.cpSync(synthesized, outdir, { recursive: true });
    const { status, comment, stderr } = ciPlan(outdir);
    expect(stderr).not.toMatch(/Unable to find remote state/);
    expect(status).toBe(0);
    expect(comment).toContain(`| network | ${resourceCount(synthesized, 'network')} | 0 | 0 | 0 |`);
    expect(comment).toContain('| storage | ⏳ planned after network is applied | | | |');
    expect(comment).toMatch(/\| compute \| ⏳ planned after (network, storage|storage, network|network|storage) is applied/);
    expect(comment).toContain('### ⏳ Planned after deploy');
    expect(comment).toContain(
      '- `storage` after `network`: storage reads network through terraform_remote_state, and network has no state yet (first deployment).',
    );
    expect(comment).not.toContain('plan failed');
    expect(comment).toContain('## Architecture');
  },
  90_000,
);

maybe(
  'after network is deployed, a new network output read by storage defers storage',
  async () => {
    const outdir = path.join(work, 'deployed', 'cdktf.out');
    fs.cpSync(synthesized, outdir, { recursive: true });
    const network = path.join(outdir, 'stacks', 'network');
    const env = { ...setup!.env, ...rehearsalVariables(readStacks(outdir)) };
    expect((await terraform(['init', '-input=false'], network, env)).status).toBe(0);
    expect((await terraform(['apply', '-auto-approve', '-input=false'], network, env)).status).toBe(0);

    readNewNetworkOutput(outdir);
    const added = ciPlan(outdir);
    expect(added.status).toBe(0);
    expect(added.comment).toContain('| network | 0 | 0 | 0 | 0 |');
    expect(added.comment).toContain('| storage | ⏳ planned after network is applied | | | |');
    expect(added.comment).toContain('network adds the output cross-stack-output-new-thing it reads in this change');
    // compute reads the file system's mount addresses from storage, which has no state yet: deferred in turn.
    expect(added.comment).toContain('| compute | ⏳ planned after storage is applied | | | |');
    expect(added.comment).toContain('compute reads storage through terraform_remote_state, and storage is itself planned only after network');
  },
  120_000,
);
