#!/usr/bin/env node
/**
 * Runs a TypeScript entry point fast: a CommonJS require hook that strips types
 * (scripts/transpile.js; no type-checking, `npm test` type-checks) and caches
 * the output under node_modules/.cache, keyed by file content, so a warm run
 * never loads the transpiler (sucrase) at all.
 *
 * It also turns off cdktf's per-token stack traces (scripts/token-traces.js).
 *
 * Usage: node scripts/run-ts.js <entry.ts> [args...]   (or `-r ./scripts/run-ts.js`)
 */
'use strict';
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');

const cacheDir = path.join(__dirname, '..', 'node_modules', '.cache', 'cdktf-azure-photogrammetry', 'ts');
const { transpile, OPTIONS_KEY } = require('./transpile');

function compile(source, filename) {
  const key = crypto.createHash('sha1').update(OPTIONS_KEY).update('\0').update(filename).update('\0').update(source).digest('hex');
  const cached = path.join(cacheDir, `${key}.js`);
  try {
    return fs.readFileSync(cached, 'utf8');
  } catch {
    const code = transpile(source, filename);
    try {
      fs.mkdirSync(cacheDir, { recursive: true });
      fs.writeFileSync(cached, code);
    } catch {
      // A read-only tree still runs, just without the cache.
    }
    return code;
  }
}

require.extensions['.ts'] = function registerTs(module, filename) {
  module._compile(compile(fs.readFileSync(filename, 'utf8'), filename), filename);
};
// Source maps stay off unless asked for (`NODE_OPTIONS=--enable-source-maps`): with them on, Node decodes the inline
// map of every module it loads, cdktf's and the provider's included, which costs more than a third of a synth.
require('./token-traces').disableTokenStackTraces(path.join(__dirname, '..'));

if (require.main === module) {
  const entry = process.argv[2];
  if (!entry) {
    process.stderr.write('usage: node scripts/run-ts.js <entry.ts> [args...]\n');
    process.exit(2);
  }
  process.argv.splice(1, 2, path.resolve(entry)); // the entry sees itself as argv[1]
  // Load it as the main module, so `require.main === module` holds inside it.
  require('module').runMain();
}
