#!/usr/bin/env node
/**
 * `npm run test:cdktn`: builds and tests the CDK Terrain flavour of the library (issue 16) from this source tree.
 *
 * 1. Writes the flavour (scripts/cdktn/flavour.js: `cdktf` → `cdktn`, `@cdktf/provider-*` → `@cdktn/provider-*`,
 *    package `cdktn-azure-photogrammetry`) into a folder outside the repository:
 *    `$CDKTN_FLAVOUR_DIR`, default `<tmpdir>/cdktn-azure-photogrammetry`. A second run reuses its node_modules.
 * 2. Installs the CDK Terrain packages there: npm install from this repository's package-lock.json (the shared
 *    packages keep their pins) with the `overrides` the flavour's package.json carries; only when the flavour's
 *    dependencies or the lockfile changed since the last install.
 * 3. Runs the flavour's `npm test` there (type-check + build beside the whole jest suite, including the consumer
 *    test that packs the flavour and installs it into a fresh project).
 * 4. Synthesizes the default app and every example in both flavours (scripts/cdktn/synth-all.ts) and compares them
 *    with the versions masked (scripts/cdktn/compare.js).
 * 5. On Node >= 22 only (what cdktn-cli requires), `cdktn synth` of the default app in the flavour folder.
 * Prints the jest counts, the synth comparison and the time taken; fails when any step fails.
 *
 * Options: `--prepare` (steps 1-2 only: then iterate with `npx jest <file>` inside the folder), `--pack` (steps 1-2,
 * then `npm pack` of the flavour into this repository's folder: `npm run pack:cdktn`, the package to publish),
 * `--no-jest` (skip step 3). Other arguments go to jest (e.g. a test file).
 */
'use strict';
const { spawnSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { writeFlavourTree } = require('./cdktn/flavour');
const { compareSynthDirs } = require('./cdktn/compare');

const root = path.join(__dirname, '..');
const dest = path.resolve(process.env.CDKTN_FLAVOUR_DIR || path.join(os.tmpdir(), 'cdktn-azure-photogrammetry'));
const started = Date.now();
const env = { ...process.env, CHECKPOINT_DISABLE: '1', npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };

function step(title) {
  process.stdout.write(`\n== test:cdktn: ${title} (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
}

function run(cmd, args, cwd, extra = {}) {
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit', env: { ...env, ...extra } });
  return r.status ?? 1;
}

function main() {
  const args = process.argv.slice(2);
  const prepareOnly = args.includes('--prepare');
  const pack = args.includes('--pack');
  const noJest = args.includes('--no-jest');
  const jestArgs = args.filter((a) => !['--prepare', '--pack', '--no-jest'].includes(a));
  if (path.relative(root, dest) === '' || !path.relative(root, dest).startsWith('..'))
    throw new Error(`the flavour folder must be outside the repository: ${dest}`);

  step(`writing the CDK Terrain flavour into ${dest}`);
  const files = writeFlavourTree(root, dest);
  process.stdout.write(`${files.length} files\n`);

  const stampFile = path.join(dest, 'node_modules', '.flavour-install');
  // Reinstall only when what npm installs changed (not on a new script or description).
  const manifest = JSON.parse(fs.readFileSync(path.join(dest, 'package.json'), 'utf8'));
  const installs = ['dependencies', 'devDependencies', 'peerDependencies', 'overrides'].map((k) => manifest[k] ?? {});
  const rootLock = path.join(root, 'package-lock.json');
  const stamp = crypto.createHash('sha1').update(JSON.stringify(installs)).update(fs.readFileSync(rootLock)).digest('hex');
  if (!fs.existsSync(stampFile) || fs.readFileSync(stampFile, 'utf8') !== stamp) {
    step('npm install (cdktn, cdktn-cli, @cdktn/provider-azurerm, @cdktn/provider-random; EBADENGINE warnings on Node < 22 are expected)');
    // Start from cdktf's lockfile: every package the flavour shares keeps this repository's pin; npm resolves the rest.
    fs.copyFileSync(rootLock, path.join(dest, 'package-lock.json'));
    if (run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], dest) !== 0) throw new Error('npm install of the CDK Terrain flavour failed');
    fs.writeFileSync(stampFile, stamp);
  } else process.stdout.write('node_modules up to date\n');
  const versions = ['cdktn', 'cdktn-cli', '@cdktn/provider-azurerm', '@cdktn/provider-random', 'constructs'].map(
    (p) => `${p}@${JSON.parse(fs.readFileSync(path.join(dest, 'node_modules', p, 'package.json'), 'utf8')).version}`,
  );
  process.stdout.write(`installed: ${versions.join(', ')}\n`);
  if (pack) {
    step('npm pack of cdktn-azure-photogrammetry (prepack builds it)');
    const packed = spawnSync('npm', ['pack', '--json', '--pack-destination', root], { cwd: dest, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    if (packed.status !== 0) throw new Error('npm pack of the CDK Terrain flavour failed');
    const [{ filename, files: packedFiles }] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('[')));
    process.stdout.write(`${path.join(root, filename)} (${packedFiles.length} files); publish it with npm publish ${filename}\n`);
    return 0;
  }
  if (prepareOnly) return 0;

  let jest;
  if (!noJest) {
    step('type-check, build and the whole jest suite of the flavour (npm test)');
    const results = path.join(dest, '.jest-results.json');
    fs.rmSync(results, { force: true });
    const status = run(process.execPath, ['scripts/test.js', '--json', `--outputFile=${results}`, ...jestArgs], dest);
    const r = fs.existsSync(results) ? JSON.parse(fs.readFileSync(results, 'utf8')) : undefined;
    jest = {
      status,
      passed: r?.numPassedTests ?? 0,
      failed: (r?.numFailedTests ?? 0) + (r?.numRuntimeErrorTestSuites ?? 0),
      skipped: (r?.numPendingTests ?? 0) + (r?.numTodoTests ?? 0),
      suites: r?.numTotalTestSuites ?? 0,
    };
  }

  step('synthesizing the default app and every example in both flavours');
  const cdktfOut = path.join(dest, '.synth-cdktf');
  const cdktnOut = path.join(dest, '.synth-cdktn');
  const synth = (cwd, out) => run(process.execPath, ['scripts/run-ts.js', 'scripts/cdktn/synth-all.ts', out], cwd);
  const synthStatus = synth(root, cdktfOut) || synth(dest, cdktnOut);
  const compared = synthStatus === 0 ? compareSynthDirs(cdktfOut, cdktnOut) : [];
  for (const c of compared) {
    process.stdout.write(`${c.differences.length === 0 ? 'same' : 'DIFFERENT'}  ${c.app}: ${c.stacks} stacks, ${c.resources} resources\n`);
    for (const d of c.differences) process.stdout.write(`    ${d}\n`);
  }
  const same = compared.filter((c) => c.differences.length === 0).length;

  // The CLI: cdktn-cli 0.24 declares Node >= 22 and means it: on Node 20 `cdktn --version` works but `cdktn synth`
  // fails in its bundled HTTP client (`markAsUncloneable is not a function`, a Node 22 API). The library itself (cdktn
  // and the provider packages, steps 3-4) runs on Node 20.
  let cli;
  if (Number(process.versions.node.split('.')[0]) >= 22) {
    step('cdktn synth (the CDK Terrain CLI) of the default app');
    cli = run('npx', ['cdktn', 'synth'], dest) === 0 ? 'cdktn synth passed' : 'cdktn synth FAILED';
  } else cli = `cdktn synth not run: cdktn-cli needs Node >= 22 (here ${process.version}); the apps were synthesized in-process`;

  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  process.stdout.write('\n== test:cdktn summary\n');
  process.stdout.write(`toolchain: ${versions.join(', ')} (node ${process.version})\n`);
  if (jest) process.stdout.write(`jest (cdktn flavour): ${jest.passed} passed, ${jest.failed} failed, ${jest.skipped} skipped in ${jest.suites} suites\n`);
  process.stdout.write(
    `synth cdktf vs cdktn: ${same} same, ${compared.length - same} different of ${compared.length} apps${synthStatus ? ' (synth FAILED)' : ''}\n`,
  );
  process.stdout.write(`cli: ${cli}\n`);
  process.stdout.write(`time: ${seconds} s\n`);
  const ok =
    (!jest || (jest.status === 0 && jest.failed === 0)) && synthStatus === 0 && same === compared.length && compared.length > 0 && !cli.includes('FAILED');
  return ok ? 0 : 1;
}

try {
  process.exitCode = main();
} catch (e) {
  process.stderr.write(`test:cdktn: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
}
