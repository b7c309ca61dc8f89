/** What CI runs is what the README tells a new user to run. */
import * as fs from 'fs';
import * as path from 'path';

const root = path.join(__dirname, '..');
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');
const shellBlocks = (markdown: string) => [...markdown.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1].trim());

describe('README commands', () => {
  const blocks = shellBlocks(read('README.md'));

  test('the quick start gives the synth and the test command', () => {
    expect(blocks).toContain('npm ci && npm run synth');
    expect(blocks).toContain('npm ci && npm test');
  });

  test(".ci/run runs exactly the README test command (after installing the boot tests' validators when missing), then the linters", () => {
    const commands = read('.ci/run')
      .split('\n')
      .filter((l) => l.trim() && !l.startsWith('#') && !/^(set|cd|export) /.test(l));
    expect(commands).toEqual([
      'if ! command -v shellcheck >/dev/null || ! command -v cloud-init >/dev/null; then',
      '  apt-get update && apt-get install -y --no-install-recommends shellcheck cloud-init',
      'fi',
      'npm ci && npm test',
      'npm run lint',
    ]);
  });

  test('the scripts the README names exist in package.json, and cdktf.json runs main.ts', () => {
    const scripts = JSON.parse(read('package.json')).scripts;
    for (const s of ['synth', 'test', 'validate', 'bench', 'build']) expect(scripts[s]).toBeDefined();
    expect(JSON.parse(read('cdktf.json')).app).toBe('node scripts/run-ts.js main.ts');
  });
});

test.each([
  ['the package root', '../src/index', (api: string) => api.split('\n## Entry `cdktf-azure-photogrammetry/tooling`')[0]],
  ['the /tooling entry', '../src/tooling', (api: string) => api.split('\n## Entry `cdktf-azure-photogrammetry/tooling`')[1] ?? ''],
])('API.md documents every runtime export of %s, in its section (regenerate with `npm run docs`)', (_entry, module, section) => {
  const lib = require(module) as Record<string, unknown>;
  const api = section(fs.readFileSync(path.join(__dirname, '..', 'API.md'), 'utf8'));
  const headings = new Set([...api.replace(/\\_/g, '_').matchAll(/^#{2,7} (?:Namespace )?`?([A-Za-z_$][\w$]*)/gm)].map((m) => m[1]));
  const missing = Object.keys(lib).filter((name) => name !== 'default' && !headings.has(name));
  expect(missing).toEqual([]);
});

test('the package root exports none of the tooling (validator, report, CI helpers)', () => {
  const lib = require('../src/index') as Record<string, unknown>;

  const tooling = require('../src/tooling') as Record<string, unknown>;
  expect(Object.keys(tooling).filter((name) => name in lib)).toEqual([]);
  expect('validation' in lib).toBe(false);
});
