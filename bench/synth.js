#!/usr/bin/env node
/**
 * Benchmark: `npm run synth` (warm caches) side by side with
 * - `node -e "require('cdktf')"`, the floor any cdktf app pays on this machine (target: synth ≤ 2.5× of it);
 * - a cold `npm run synth`: the runner's transpile cache and the validator's schema index cleared before each
 *   run, as on a fresh clone (target: ≤ 1.5× a warm one);
 * - the same app written the stock cdktf way (root import of @cdktf/provider-azurerm, run by ts-node with
 *   type-checking, as `cdktf init --template=typescript` sets it up), checking both produce the same Terraform JSON.
 * Runs them alternately, reports median wall time and peak RSS of each (target: ≤ 160 MiB) and the ratios.
 *
 * The stock variant is generated, not kept: the app's sources are copied to
 * bench/.stock/ and every `@cdktf/provider-azurerm/lib/<module>` import is
 * rewritten to the package root.
 *
 * Usage: node bench/synth.js [--runs N] [--no-stock]   (default 5 runs of each; --no-stock skips the slow stock app)
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
const withStock = !process.argv.includes('--no-stock');
/** What a fresh clone lacks: the runner's transpile cache and the offline validator's derived schema indexes. */
const cacheRoot = path.join(root, 'node_modules', '.cache', 'cdktf-azure-photogrammetry');
function clearCaches() {
  if (!fs.existsSync(cacheRoot)) return;
  for (const entry of fs.readdirSync(cacheRoot)) {
    if (entry === 'ts' || entry.startsWith('schema-')) fs.rmSync(path.join(cacheRoot, entry), { recursive: true, force: true });
  }
}

/** `import { A, B as C } from '@cdktf/provider-azurerm/lib/foo-bar'` → root namespace import + aliases. */
function toRootImports(source) {
  return source.replace(/import \{([^}]+)\} from '@cdktf\/provider-azurerm\/lib\/([a-z0-9-]+)';/g, (_, names, module) => {
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
  });
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
          alwaysStrict: true,
          declaration: true,
          experimentalDecorators: true,
          inlineSourceMap: true,
          inlineSources: true,
          lib: ['es2022'],
          module: 'CommonJS',
          noEmitOnError: true,
          noFallthroughCasesInSwitch: true,
          noImplicitAny: true,
          noImplicitReturns: true,
          noImplicitThis: true,
          noUnusedLocals: true,
          noUnusedParameters: true,
          resolveJsonModule: true,
          strict: true,
          strictNullChecks: true,
          strictPropertyInitialization: true,
          stripInternal: true,
          target: 'ES2022',
          incremental: true,
          skipLibCheck: true,
          esModuleInterop: true,
          types: ['node'],
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

function summarize(command, rs) {
  return { command, medianWallSeconds: median(rs.map((r) => r.wall)), peakRssMiB: Math.max(...rs.map((r) => r.rssMiB)) };
}

function main() {
  if (withStock) prepareStock();
  const env = { ...process.env, CHECKPOINT_DISABLE: '1' };
  delete env.PHOTOGRAMMETRY_CONFIG;
  const stockOut = path.join(stockDir, 'cdktf.out');
  const floor = [];
  const fast = [];
  const cold = [];
  const stock = [];
  const synth = () => measure('npm', ['run', '--silent', 'synth'], root, env);
  const requireCdktf = () => measure(process.execPath, ['-e', "require('cdktf')"], root, env);
  // One warm-up each (fills the transpile cache and the validator's schema index, as on any second run).
  synth();
  requireCdktf();
  if (withStock) measure('npx', ['ts-node', 'main.ts'], stockDir, { ...env, CDKTF_OUTDIR: stockOut });
  for (let i = 0; i < runs; i++) {
    floor.push(requireCdktf());
    fast.push(synth());
    if (withStock) stock.push(measure('npx', ['ts-node', 'main.ts'], stockDir, { ...env, CDKTF_OUTDIR: stockOut }));
    clearCaches();
    cold.push(synth()); // refills the caches: the next warm run is warm again
  }
  const summary = {
    runs,
    requireCdktf: summarize(`node -e "require('cdktf')"`, floor),
    fast: summarize('npm run synth (warm)', fast),
    cold: summarize('npm run synth (cold: transpile cache and schema index cleared)', cold),
  };
  summary.synthOverRequireCdktf = summary.fast.medianWallSeconds / summary.requireCdktf.medianWallSeconds;
  summary.coldOverWarm = summary.cold.medianWallSeconds / summary.fast.medianWallSeconds;
  summary.targets = {
    'synth ≤ 2.5× require(cdktf)': summary.synthOverRequireCdktf <= 2.5,
    'cold ≤ 1.5× warm': summary.coldOverWarm <= 1.5,
    'peak RSS ≤ 160 MiB (warm)': summary.fast.peakRssMiB <= 160,
    'peak RSS ≤ 160 MiB (cold)': summary.cold.peakRssMiB <= 160,
  };
  if (withStock) {
    summary.stock = summarize('npx ts-node main.ts (root import, type-checked)', stock);
    summary.sameTerraformJson = JSON.stringify(stackJson(path.join(root, 'cdktf.out'))) === JSON.stringify(stackJson(stockOut));
    summary.speedup = summary.stock.medianWallSeconds / summary.fast.medianWallSeconds;
  }
  fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
  fs.writeFileSync(
    path.join(__dirname, 'results', 'synth.json'),
    JSON.stringify({ ...summary, require_cdktf_runs: floor, fast_runs: fast, cold_runs: cold, stock_runs: stock }, null, 2),
  );
  const f = (x) => x.toFixed(2);
  const line = (label, r) => console.log(`${label.padEnd(34)} median ${f(r.medianWallSeconds)} s   peak RSS ${f(r.peakRssMiB)} MiB`);
  console.log(`runs: ${runs} of each, alternating`);
  line(`node -e "require('cdktf')"`, summary.requireCdktf);
  line('npm run synth (warm)', summary.fast);
  line('npm run synth (cold caches)', summary.cold);
  if (withStock) line('stock cdktf (ts-node)', summary.stock);
  console.log(`synth / require('cdktf'): ${f(summary.synthOverRequireCdktf)}x; cold / warm: ${f(summary.coldOverWarm)}x`);
  for (const [target, met] of Object.entries(summary.targets)) console.log(`  ${met ? 'met   ' : 'MISSED'} ${target}`);
  if (withStock) console.log(`speed-up over stock ${f(summary.speedup)}x; same Terraform JSON: ${summary.sameTerraformJson}`);
  if (withStock && !summary.sameTerraformJson) process.exitCode = 1;
}

if (process.argv.includes('--prepare-only')) prepareStock();
else main();
