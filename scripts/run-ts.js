#!/usr/bin/env node
/**
 * Runs a TypeScript entry point fast: a CommonJS require hook that strips types
 * with swc (no type-checking; `npm test` type-checks) and caches the output
 * under node_modules/.cache, keyed by file content. ~10x faster and ~150 MB
 * lighter than ts-node with type-checking.
 *
 * Usage: node scripts/run-ts.js <entry.ts> [args...]   (or `-r ./scripts/run-ts.js`)
 */
'use strict';
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');

const cacheDir = path.join(__dirname, '..', 'node_modules', '.cache', 'cdktf-azure-photogrammetry', 'ts');
let swc; // loaded on the first cache miss only

function compile(source, filename) {
  const key = crypto.createHash('sha1').update(filename).update('\0').update(source).digest('hex');
  const cached = path.join(cacheDir, `${key}.js`);
  try {
    return fs.readFileSync(cached, 'utf8');
  } catch {
    swc = swc || require('@swc/core');
    const { code } = swc.transformSync(source, {
      filename,
      sourceMaps: 'inline',
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      module: { type: 'commonjs' },
    });
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
process.setSourceMapsEnabled?.(true);

if (require.main === module) {
  const entry = process.argv[2];
  if (!entry) {
    process.stderr.write('usage: node scripts/run-ts.js <entry.ts> [args...]\n');
    process.exit(2);
  }
  process.argv.splice(1, 1); // the entry sees itself as argv[1]
  require(path.resolve(entry));
}
