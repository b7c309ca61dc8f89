/**
 * The real terraform binary against the synthesized stacks of the default app
 * and of every example in examples/: `terraform validate` of each stack, then a
 * rehearsal of a first deployment (init, apply, plan again) in deploy order
 * with local state and `terraform_remote_state` between the stacks, against
 * the stand-in providers. The second plan of every stack must be empty.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pool, rehearseApp, StandInSetup, startStandIns, StackRehearsal, StackValidation, validateStacks } from '../../src/terraform/harness';
import { leaveNote } from '../support/notes';
import { synthApp } from '../support/synth';
import { terraformForTests } from '../support/terraform';

const EXAMPLES_DIR = path.join(__dirname, '..', '..', 'examples');
const APPS: Array<[string, object]> = [
  ['default', {}],
  ...fs
    .readdirSync(EXAMPLES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f): [string, object] => [`examples/${f}`, JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, f), 'utf8'))]),
];

const tf = terraformForTests('terraform validate + rehearsal of the default app and the examples');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pgm-rehearsal-'));
const results = new Map<string, { validation: StackValidation[]; rehearsal: StackRehearsal[] }>();
let setup: StandInSetup | undefined;
let ms = 0;

beforeAll(async () => {
  if (!tf) return;
  const started = Date.now();
  const outdirs = APPS.map(([name, input]) => [name, synthApp(input).outdir] as const);
  setup = await startStandIns(path.join(work, 'standin'), outdirs.map(([, o]) => o));
  await pool(
    outdirs.map(([name, outdir], i) => async () => {
      const validation = await validateStacks(outdir, setup!, 1);
      const rehearsal = await rehearseApp(outdir, path.join(work, `app-${i}`), setup!);
      results.set(name, { validation, rehearsal });
      fs.rmSync(outdir, { recursive: true, force: true });
    }),
    2,
  );
  ms = Date.now() - started;
}, 240_000);

afterAll(() => {
  setup?.stop();
  fs.rmSync(work, { recursive: true, force: true });
  if (!tf || !setup) return;
  const all = [...results.values()];
  const valid = all.flatMap((r) => r.validation).filter((v) => v.diagnostics.length === 0).length;
  const rehearsed = all.flatMap((r) => r.rehearsal);
  const resources = rehearsed.reduce((n, s) => n + s.applied, 0);
  const empty = rehearsed.filter((s) => s.ok).length;
  const providers = setup.providers.map((p) => `${p.source.split('/').pop()} ← ${p.origin}`).join('; ');
  leaveNote(
    `terraform ${tf.version} (stand-in providers: ${providers}): validate passed on ${valid}/${all.length * 3} stacks; rehearsal of ${all.length} apps ` +
      `(${APPS.map(([n]) => n).join(', ')}): ${resources} resources applied, second plan empty on ${empty}/${all.length * 3} stacks (${(ms / 1000).toFixed(1)} s)`,
  );
});

const maybe = tf ? describe : describe.skip;

maybe.each(APPS.map(([name]) => name))('%s', (name) => {
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
