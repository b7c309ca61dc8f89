/**
 * Synthesizes the default app and every `examples/*.json` into `<outdir>/<name>/` (`default`, `managed-lustre`, ...),
 * in one process. `npm run test:cdktn` runs it in both flavours and compares the resources (scripts/cdktn/compare.js).
 *
 * Usage: node scripts/run-ts.js scripts/cdktn/synth-all.ts <outdir>
 */
import { App } from 'cdktf';
import * as fs from 'fs';
import * as path from 'path';
import { parseConfig } from '../../src/config/load';
import { addPhotogrammetryStacks } from '../../stacks/app';

const root = path.join(__dirname, '..', '..');

function main(outdir: string): void {
  const examples = fs
    .readdirSync(path.join(root, 'examples'))
    .filter((f) => f.endsWith('.json'))
    .sort();
  const apps: Array<[string, unknown]> = [
    ['default', {}],
    ...examples.map((f): [string, unknown] => [f.replace(/\.json$/, ''), JSON.parse(fs.readFileSync(path.join(root, 'examples', f), 'utf8'))]),
  ];
  fs.rmSync(outdir, { recursive: true, force: true });
  fs.mkdirSync(outdir, { recursive: true });
  for (const [name, input] of apps) {
    const app = new App({ outdir: path.join(outdir, name), stackTraces: false });
    addPhotogrammetryStacks(app, parseConfig(input));
    app.synth();
  }
  process.stdout.write(`synthesized ${apps.length} apps into ${outdir}\n`);
}

if (require.main === module) {
  const outdir = process.argv[2];
  if (!outdir) {
    process.stderr.write('usage: node scripts/run-ts.js scripts/cdktn/synth-all.ts <outdir>\n');
    process.exit(2);
  }
  process.env.CHECKPOINT_DISABLE = '1';
  main(path.resolve(outdir));
}
