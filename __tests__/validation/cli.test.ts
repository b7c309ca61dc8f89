/** `npm run validate`: output lines, summary, exit status; the in-process entry points synth uses. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { formatSummary, formatTerraformResult, runOfflineValidation, runValidation } from '../../scripts/validate';
import { validStack } from './fixtures';
import { CORE_VERSION } from '../support/toolchain';

let outdir: string;

beforeAll(() => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgm-cli-'));
  const broken = validStack();
  broken.resource.azurerm_subnet.jumpbox.adress_prefixes = ['10.0.3.0/24'];
  const stacks = { network: validStack(), compute: broken };
  for (const [name, json] of Object.entries(stacks)) {
    fs.mkdirSync(path.join(outdir, 'stacks', name), { recursive: true });
    fs.writeFileSync(path.join(outdir, 'stacks', name, 'cdk.tf.json'), JSON.stringify(json));
  }
  const manifest = {
    version: CORE_VERSION,
    stacks: Object.fromEntries(Object.keys(stacks).map((n) => [n, { synthesizedStackPath: `stacks/${n}/cdk.tf.json` }])),
  };
  fs.writeFileSync(path.join(outdir, 'manifest.json'), JSON.stringify(manifest));
});
afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

test('runValidation prints each problem and the summary, runs layer b, and reports not ok', () => {
  const lines: string[] = [];
  const run = runValidation(outdir, { write: (l) => lines.push(l), terraform: { env: { PATH: '' } } });
  expect(run.ok).toBe(false);
  expect(run.offline.problems.map((p) => p.code)).toEqual(['unsupported-argument']);
  expect(run.terraform).toEqual({ status: 'skipped', reason: 'terraform is not on PATH' });
  expect(lines[0]).toBe('compute resource.azurerm_subnet.jumpbox: unsupported argument "adress_prefixes" (did you mean "address_prefixes"?)');
  expect(lines[1]).toMatch(/^offline validation: 2 stacks, 14 resources, 4 data sources, 1 problem \(\d+ ms\)$/);
  expect(lines[2]).toBe('terraform validate: skipped (terraform is not on PATH)');
});

test('runOfflineValidation returns whether the outdir is clean', () => {
  const lines: string[] = [];
  expect(runOfflineValidation(outdir, (l) => lines.push(l))).toBe(false);
  expect(lines).toHaveLength(2);
});

test('summary and terraform result lines', () => {
  expect(formatSummary({ stacks: [{ stack: 'a', resources: 1, dataSources: 0 }], problems: [] })).toBe(
    'offline validation: 1 stack, 1 resource, 0 data sources, 0 problems',
  );
  expect(formatTerraformResult({ status: 'passed', stacks: ['a', 'b'], diagnostics: [] })).toBe('terraform validate: passed (2 stacks)');
  expect(
    formatTerraformResult({
      status: 'failed',
      stacks: ['a'],
      diagnostics: [
        { stack: 'a', severity: 'error', summary: 'Missing required argument', detail: 'The argument "name" is required.', location: 'cdk.tf.json:4:7' },
      ],
    }),
  ).toBe('terraform validate: failed (1 error)\na cdk.tf.json:4:7: error: Missing required argument: The argument "name" is required.');
});
