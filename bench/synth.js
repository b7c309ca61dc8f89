#!/usr/bin/env node
/**
 * Benchmark: `npm run synth` against the same app written the stock cdktf way
 * (root import of @cdktf/provider-azurerm, run by ts-node with type-checking,
 * as `cdktf init --template=typescript` sets it up). Runs the two alternately,
 * reports median wall time and peak RSS of each, and checks both produce the
 * same Terraform JSON.
 *
 * The stock variant is generated, not kept: the app's sources are copied to
 * bench/.stock/ and every `@cdktf/provider-azurerm/lib/<module>` import is
 * rewritten to the package root.
 *
 * Usage: node bench/synth.js [--runs N]      (default 5 runs of each)
 *        node bench/synth.js --prepare-only  (only generate bench/.stock/)
 */
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const stockDir = path.join(__dirname, '.stock');
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 5;
const GNU_TIME = '/usr/bin/time';

/** `import { A, B as C } from '@cdktf/provider-azurerm/lib/foo-bar'` → root namespace import + aliases. */
function toRootImports(source) {
  return source.replace(
    /import \{([^}]+)\} from '@cdktf\/provider-azurerm\/lib\/([a-z0-9-]+)';/g,
    (_, names, module) => {
      const ns = module.replace(/-([a-z0-9])/g, (__, c) => c.toUpperCase());
      const alias = `__azurerm_${ns}`;
      const aliases = names
        .split(',')
        .map((n) => n.trim())
        .filter(Boolean)
        .map((n) => {
          const [name, as] = n.split(/\s+as\s+/);
          return `import ${as || name} = ${alias}.${name};`;
        });
      return [`import { ${ns} as ${alias} } from '@cdktf/provider-azurerm';`, ...aliases].join('\n');
    },
  );
}

function copyTree(from, to, transform) {
  fs.mkdirSync(to, { recursive: true });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const src = path.join(from, entry.name);
    const dst = path.join(to, entry.name);
    if (entry.isDirectory()) copyTree(src, dst, transform);
    else if (entry.name.endsWith('.ts')) fs.writeFileSync(dst, transform(fs.readFileSync(src, 'utf8')));
    else fs.copyFileSync(src, dst); // script assets (PowerShell, cloud-init, shell, units)
  }
}

function prepareStock() {
  fs.rmSync(stockDir, { recursive: true, force: true });
  fs.mkdirSync(stockDir, { recursive: true });
  for (const dir of ['src', 'constructs', 'stacks']) copyTree(path.join(root, dir), path.join(stockDir, dir), toRootImports);
  fs.writeFileSync(path.join(stockDir, 'main.ts'), toRootImports(fs.readFileSync(path.join(root, 'main.ts'), 'utf8')));
  fs.mkdirSync(path.join(stockDir, 'scripts'), { recursive: true });
  fs.copyFileSync(path.join(root, 'scripts', 'cli.ts'), path.join(stockDir, 'scripts', 'cli.ts')); // main.ts's runner
  // The tsconfig of cdktf's TypeScript template (target/lib raised to ES2022: the app uses BigInt).
  fs.writeFileSync(
    path.join(stockDir, 'tsconfig.json'),
    JSON.stringify(
      {
        compilerOptions: {
          alwaysStrict: true, declaration: true, experimentalDecorators: true, inlineSourceMap: true, inlineSources: true,
          lib: ['es2022'], module: 'CommonJS', noEmitOnError: true, noFallthroughCasesInSwitch: true, noImplicitAny: true,
          noImplicitReturns: true, noImplicitThis: true, noUnusedLocals: true, noUnusedParameters: true, resolveJsonModule: true,
          strict: true, strictNullChecks: true, strictPropertyInitialization: true, stripInternal: true, target: 'ES2022',
          incremental: true, skipLibCheck: true, esModuleInterop: true, types: ['node'],
        },
        include: ['**/*.ts'],
        exclude: ['node_modules', 'cdktf.out'],
      },
      null,
      2,
    ),
  );
  const rootImports = fs.readFileSync(path.join(stockDir, 'constructs/hpc-network.ts'), 'utf8').match(/from '@cdktf\/provider-azurerm'/g);
  if (!rootImports) throw new Error('bench: the stock variant has no root imports; the rewrite failed');
}

/** Runs `cmd args` in `cwd` under GNU time; returns wall seconds and peak RSS (MiB, largest process). */
function measure(cmd, args, cwd, env) {
  const haveTime = fs.existsSync(GNU_TIME);
  const start = process.hrtime.bigint();
  const result = haveTime
    ? spawnSync(GNU_TIME, ['-f', '__RSS_KB=%M', cmd, ...args], { cwd, env, encoding: 'utf8' })
    : spawnSync(cmd, args, { cwd, env, encoding: 'utf8' });
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) throw new Error(`bench: ${cmd} ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
  const rss = /__RSS_KB=(\d+)/.exec(result.stderr ?? '');
  return { wall, rssMiB: rss ? Number(rss[1]) / 1024 : NaN };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function stackJson(outdir) {
  return ['network', 'storage', 'compute'].map((s) => fs.readFileSync(path.join(outdir, 'stacks', s, 'cdk.tf.json'), 'utf8'));
}

function main() {
  prepareStock();
  const env = { ...process.env, CHECKPOINT_DISABLE: '1' };
  delete env.PHOTOGRAMMETRY_CONFIG;
  const stockOut = path.join(stockDir, 'cdktf.out');
  const fast = [];
  const stock = [];
  // One warm-up each (fills the transpile cache and the validator's schema index, as on any second run).
  measure('npm', ['run', '--silent', 'synth'], root, env);
  measure('npx', ['ts-node', 'main.ts'], stockDir, { ...env, CDKTF_OUTDIR: stockOut });
  for (let i = 0; i < runs; i++) {
    fast.push(measure('npm', ['run', '--silent', 'synth'], root, env));
    stock.push(measure('npx', ['ts-node', 'main.ts'], stockDir, { ...env, CDKTF_OUTDIR: stockOut }));
  }
  const same = JSON.stringify(stackJson(path.join(root, 'cdktf.out'))) === JSON.stringify(stackJson(stockOut));
  const summary = {
    runs,
    fast: { command: 'npm run synth', medianWallSeconds: median(fast.map((r) => r.wall)), peakRssMiB: Math.max(...fast.map((r) => r.rssMiB)) },
    stock: { command: 'npx ts-node main.ts (root import, type-checked)', medianWallSeconds: median(stock.map((r) => r.wall)), peakRssMiB: Math.max(...stock.map((r) => r.rssMiB)) },
    sameTerraformJson: same,
  };
  summary.speedup = summary.stock.medianWallSeconds / summary.fast.medianWallSeconds;
  fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
  fs.writeFileSync(path.join(__dirname, 'results', 'synth.json'), JSON.stringify({ ...summary, fast_runs: fast, stock_runs: stock }, null, 2));
  const f = (x) => x.toFixed(2);
  console.log(`runs: ${runs} of each, alternating`);
  console.log(`npm run synth        median ${f(summary.fast.medianWallSeconds)} s   peak RSS ${f(summary.fast.peakRssMiB)} MiB`);
  console.log(`stock cdktf (ts-node) median ${f(summary.stock.medianWallSeconds)} s   peak RSS ${f(summary.stock.peakRssMiB)} MiB`);
  console.log(`speed-up ${f(summary.speedup)}x; same Terraform JSON: ${same}`);
  if (!same) process.exitCode = 1;
}

if (process.argv.includes('--prepare-only')) prepareStock();
else main();
