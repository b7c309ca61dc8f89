/**
 * The real terraform binary against the synthesized stacks of the default app
 * and of every example in examples/: `terraform validate` of each stack, then a
 * rehearsal of a first deployment (init, apply, plan again) in deploy order
 * with local state and `terraform_remote_state` between the stacks, against
 * the stand-in providers. The second plan of every stack must be empty.
 *
 * The apps are split into shards, one test file each, so that jest's two
 * workers share the terraform work.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describeStandIns, pool, rehearseApp, StandInSetup, startStandIns, StackRehearsal, StackValidation, validateStacks } from '../../src/terraform/harness';
import { leaveNote } from './notes';
import { synthApp } from './synth';
import { terraformForTests } from './terraform';

const EXAMPLES_DIR = path.join(__dirname, '..', '..', 'examples');

/** The default app and every examples/*.json, by name. */
export const REHEARSED_APPS: ReadonlyArray<readonly [string, object]> = [
  ['default', {}],
  ...fs
    .readdirSync(EXAMPLES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => [`examples/${f}`, JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, f), 'utf8')) as object] as const),
];

/** Defines the tests of shard `shard` (0-based) of `shards`. */
export function rehearsalSuite(shard: number, shards: number): void {
  const apps = REHEARSED_APPS.filter((_, i) => i % shards === shard);
  const tf = terraformForTests(`terraform validate + rehearsal of ${apps.map(([n]) => n).join(', ')}`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pgm-rehearsal-'));
  const results = new Map<string, { validation: StackValidation[]; rehearsal: StackRehearsal[] }>();
  let setup: StandInSetup | undefined;
  let ms = 0;

  beforeAll(async () => {
    if (!tf) return;
    const started = Date.now();
    const outdirs = apps.map(([name, input]) => [name, synthApp(input).outdir] as const);
    setup = await startStandIns(
      path.join(work, 'standin'),
      outdirs.map(([, o]) => o),
    );
    await pool(
      outdirs.map(([name, outdir], i) => async () => {
        const validation = await validateStacks(outdir, setup!, 1);
        const rehearsal = await rehearseApp(outdir, path.join(work, `app-${i}`), setup!);
        results.set(name, { validation, rehearsal });
        fs.rmSync(outdir, { recursive: true, force: true });
      }),
      1, // the other shard runs in jest's other worker
    );
    ms = Date.now() - started;
  }, 600_000); // 13 apps over two shards: ≈ 1–2.5 min each on a quiet 2-core machine, more when it is shared

  afterAll(() => {
    setup?.stop();
    fs.rmSync(work, { recursive: true, force: true });
    if (!tf || !setup) return;
    const all = [...results.values()];
    const validations = all.flatMap((r) => r.validation);
    const rehearsed = all.flatMap((r) => r.rehearsal);
    leaveNote(
      `terraform ${tf.version} with stand-in providers (${describeStandIns(setup.providers)}), ${apps.map(([n]) => n).join(', ')}: ` +
        `validate passed on ${validations.filter((v) => v.diagnostics.length === 0).length}/${validations.length} stacks; ` +
        `${rehearsed.filter((s) => s.ok).length}/${rehearsed.length} stacks applied (${rehearsed.reduce((n, s) => n + s.applied, 0)} resources) ` +
        `with an empty second plan (${(ms / 1000).toFixed(1)} s)`,
    );
  });

  const maybe = tf ? describe : describe.skip;

  maybe.each(apps.map(([name]) => name))('%s', (name) => {
    test('terraform validate passes on every stack', () => {
      const r = results.get(name)!;
      expect(r.validation.map((v) => v.stack).sort()).toEqual(['compute', 'network', 'storage']);
      expect(r.validation.flatMap((v) => v.diagnostics)).toEqual([]);
    });

    test('plan, apply and a second plan with no changes, for network, storage and compute in deploy order', () => {
      const r = results.get(name)!;
      expect(r.rehearsal.flatMap((s) => s.diagnostics)).toEqual([]);
      expect(r.rehearsal.map((s) => s.stack)).toEqual(['network', 'storage', 'compute']);
      for (const stack of r.rehearsal) {
        expect(stack).toMatchObject({ ok: true, drift: 0 });
        expect(stack.applied).toBeGreaterThan(0);
      }
    });
  });
}
