#!/usr/bin/env node
/**
 * `npm test`: the type-check + build (`tsc -p tsconfig.dev.json`, then
 * scripts/postbuild.js) and jest run side by side instead of one after the
 * other, so the 2-core machine is busy from the first second. The only test
 * that needs the build (the package consumer test) waits for the marker this
 * script writes when the build is done (`PGM_BUILD_MARKER`). Fails when either
 * fails; arguments go to jest.
 */
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.join(__dirname, '..');
const marker = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pgm-build-')), 'status');

function run(args, env) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit', env });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function build() {
  const tsc = await run([require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.dev.json'], process.env);
  const status = tsc === 0 ? await run([path.join(__dirname, 'postbuild.js')], process.env) : tsc;
  fs.writeFileSync(marker, status === 0 ? 'ok' : `failed (exit ${status}): see the type-check output above`);
  return status;
}

async function main() {
  const jestBin = require.resolve('jest/bin/jest');
  const [built, tested] = await Promise.all([build(), run([jestBin, ...process.argv.slice(2)], { ...process.env, PGM_BUILD_MARKER: marker })]);
  fs.rmSync(path.dirname(marker), { recursive: true, force: true });
  if (built !== 0) process.stderr.write('npm test: the type-check/build failed\n');
  process.exitCode = built !== 0 || tested !== 0 ? 1 : 0;
}

main();
