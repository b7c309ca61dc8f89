/**
 * The CDK Terrain flavour's build step (scripts/cdktn/flavour.js) and synth comparison (scripts/cdktn/compare.js).
 * This file is itself rewritten in the flavour, so the cdktf spellings are assembled at run time (`TF`) to keep the
 * inputs cdktf's in both flavours.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const flavour = require('../../scripts/cdktn/flavour') as {
  CDKTN_PACKAGES: Record<string, string>;
  writeFlavourTree(root: string, dest: string): string[];
  rewriteText(text: string): string;
  rewritePackageJson(pkg: Record<string, any>): Record<string, any>;
};
const compare = require('../../scripts/cdktn/compare') as {
  maskVersions(tf: unknown): any;
  compareSynthDirs(a: string, b: string): Array<{ app: string; stacks: number; resources: number; differences: string[] }>;
};

const TF = ['cdk', 'tf'].join('');

describe('rewriteText', () => {
  test.each([
    [`import { App, Fn } from '${TF}';`, `import { App, Fn } from 'cdktn';`],
    [`const { App } = require("${TF}");`, `const { App } = require("cdktn");`],
    [
      `import * as core from '${TF}';\nimport '${TF}';\nawait import('${TF}');\njest.mock('${TF}');`,
      `import * as core from 'cdktn';\nimport 'cdktn';\nawait import('cdktn');\njest.mock('cdktn');`,
    ],
    [`require.resolve('${TF}/package.json')`, `require.resolve('cdktn/package.json')`],
    [`import { Subnet } from '@${TF}/provider-azurerm/lib/subnet';`, `import { Subnet } from '@cdktn/provider-azurerm/lib/subnet';`],
    [`"@${TF}/provider-random": "^12.0.1"`, `"@cdktn/provider-random": "^12.0.1"`],
    [`npm install -g ${TF}-cli && npx ${TF} synth`, `npm install -g cdktn-cli && npx cdktn synth`],
  ])('%s', (input, expected) => {
    expect(flavour.rewriteText(input)).toBe(expected);
  });

  test('keeps what CDK Terrain keeps and strings that are not module specifiers (the managed-by tag: same resources in both flavours)', () => {
    const text = `level === '@${TF}/warn' || '@${TF}/error'; read('${TF}.json'); rm -rf ${TF}.out; .cache/${TF}-azure-photogrammetry; ${TF}.Fn.tolist(; tags: { 'managed-by': '${TF}' }; toolchain || '${TF}'`;
    expect(flavour.rewriteText(text)).toBe(text);
  });
});

test('the build step is a fixed point of itself: its copy in the CDK Terrain flavour has the same code (comments aside)', () => {
  const code = (text: string) =>
    text
      .split('\n')
      .filter((l) => !/^\s*(\/\*\*|\*|\/\/)/.test(l))
      .join('\n');
  for (const file of ['flavour.js', 'compare.js']) {
    const text = fs.readFileSync(path.join(__dirname, '..', '..', 'scripts', 'cdktn', file), 'utf8');
    expect(code(flavour.rewriteText(text))).toBe(code(text));
  }
});

describe('rewritePackageJson', () => {
  const pkg = {
    name: `${TF}-azure-photogrammetry`,
    description: 'CDK for Terraform constructs',
    keywords: [TF, 'azure'],
    scripts: { synth: 'node scripts/run-ts.js scripts/synth.ts' },
    dependencies: { zod: '^4.6.7' },
    peerDependencies: { [`@${TF}/provider-azurerm`]: '^14.23.1', [`@${TF}/provider-random`]: '^12.0.1', [TF]: '^0.21.0', constructs: '^10.4.2' },
    devDependencies: { [TF]: '^0.21.0', [`${TF}-cli`]: '^0.21.0', constructs: '^10.8.1', jest: '^29.7.0' },
  };
  const out = flavour.rewritePackageJson(pkg);

  test('is its own package with CDK Terrain peers', () => {
    expect(out.name).toBe('cdktn-azure-photogrammetry');
    expect(out.description).toBe('CDK Terrain constructs');
    expect(out.keywords).toEqual(['cdktn', 'azure']);
    expect(out.peerDependencies).toEqual({
      '@cdktn/provider-azurerm': '^16.1.0',
      '@cdktn/provider-random': '^15.0.1',
      cdktn: '^0.24.0',
      constructs: '>=10.6.0 <10.8.0',
    });
    expect(out.dependencies).toEqual({ zod: '^4.6.7' });
  });

  test('develops against cdktn and its CLI, constructs below 10.8 (cdktn 0.24 peer range), jest unchanged', () => {
    expect(out.devDependencies).toEqual({ cdktn: '^0.24.0', 'cdktn-cli': '^0.24.0', constructs: '>=10.6.0 <10.8.0', jest: '^29.7.0' });
  });

  test('overrides the azurerm provider package peer (it declares cdktn ^0.23)', () => {
    expect(out.overrides).toEqual({ '@cdktn/provider-azurerm': { cdktn: '$cdktn' } });
  });
});

test('writeFlavourTree: the whole source tree, imports rewritten, its own package.json, no lockfile, no node_modules', () => {
  const root = path.join(__dirname, '..', '..');
  const dest = fs.mkdtempSync(path.join(os.tmpdir(), 'pgm-cdktn-tree-'));
  try {
    const files = flavour.writeFlavourTree(root, dest);
    expect(files).toEqual(expect.arrayContaining(['main.ts', 'stacks/app.ts', 'src/tags.ts', 'examples/managed-lustre.json', '.github/workflows/deploy.yml']));
    expect(files.some((f) => f.startsWith('node_modules/') || f.startsWith('dist/'))).toBe(false);
    expect(fs.existsSync(path.join(dest, 'package-lock.json'))).toBe(false);
    expect(JSON.parse(fs.readFileSync(path.join(dest, 'package.json'), 'utf8')).name).toBe('cdktn-azure-photogrammetry');
    const main = fs.readFileSync(path.join(dest, 'main.ts'), 'utf8');
    expect(main).toContain("from 'cdktn'");
    expect(main).not.toContain(`'${TF}'`);
    expect(fs.readFileSync(path.join(dest, 'constructs', 'hpc-network.ts'), 'utf8')).not.toContain(`@${TF}/provider-`);
    const tags = fs.readFileSync(path.join(dest, 'src', 'tags.ts'), 'utf8');
    expect(tags).toContain("from 'cdktn'");
    expect(tags).toContain(`'managed-by': '${TF}'`); // the tag value stays: same resources in both flavours
    expect(fs.readFileSync(path.join(dest, 'README.md'), 'utf8')).toBe(fs.readFileSync(path.join(root, 'README.md'), 'utf8'));
  } finally {
    fs.rmSync(dest, { recursive: true, force: true });
  }
});

describe('compareSynthDirs', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pgm-cdktn-compare-'));
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  function write(flavourDir: string, app: string, stack: string, tf: unknown): void {
    const dir = path.join(work, flavourDir, app, 'stacks', stack);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'cdk.tf.json'), JSON.stringify(tf));
  }
  const stack = (azurerm: string, core: string, size: string) => ({
    '//': { metadata: { version: core, stackName: 'compute' } },
    terraform: { required_providers: { azurerm: { source: 'azurerm', version: azurerm } } },
    resource: { azurerm_linux_virtual_machine: { node: { size } }, azurerm_subnet: { a: {}, b: {} } },
  });

  test('provider and toolchain versions are masked; a changed attribute is reported with its path', () => {
    write('a', 'default', 'compute', stack('4.55.0', '0.21.0', 'Standard_NC4as_T4_v3'));
    write('b', 'default', 'compute', stack('4.73.0', '0.24.0', 'Standard_NC4as_T4_v3'));
    write('a', 'lustre', 'compute', stack('4.55.0', '0.21.0', 'Standard_NC4as_T4_v3'));
    write('b', 'lustre', 'compute', stack('4.73.0', '0.24.0', 'Standard_NC8as_T4_v3'));
    write('a', 'lustre', 'storage', {});
    expect(compare.compareSynthDirs(path.join(work, 'a'), path.join(work, 'b'))).toEqual([
      { app: 'default', stacks: 1, resources: 3, differences: [] },
      {
        app: 'lustre',
        stacks: 2,
        resources: 3,
        differences: [
          'compute: resource.azurerm_linux_virtual_machine.node.size: "Standard_NC4as_T4_v3" ≠ "Standard_NC8as_T4_v3"',
          'storage: stack only in the first',
        ],
      },
    ]);
  });
});
