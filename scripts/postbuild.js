#!/usr/bin/env node
/**
 * Build step after `tsc`:
 * - removes what an earlier build left in dist/ for sources that no longer exist (a moved or deleted file), so a
 *   stale module or script is never packed;
 * - copies the script files under src/ (src/vm-scripts/: PowerShell, cloud-init, shell, units) and the shipped schema
 *   indexes (src/validation/schemas/*.json.gz) next to the compiled
 *   code in dist/src/;
 * - writes the package's two entries, dist/index.js + .d.ts (the library, re-exporting dist/src/index) and
 *   dist/tooling.js + .d.ts (validator, report, CI helpers: dist/src/tooling).
 */
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const dist = path.join(root, 'dist');
const ASSET = /\.(ps1|sh|py|ya?ml|tpl|service|timer|json\.gz)$/;

function copyAssets(dir) {
  for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) copyAssets(rel);
    else if (ASSET.test(entry.name)) {
      fs.mkdirSync(path.join(dist, dir), { recursive: true });
      fs.copyFileSync(path.join(root, rel), path.join(dist, rel));
    }
  }
}

/** dist/<rel>.js, .d.ts, .js.map, .d.ts.map → <rel>.ts; an asset → itself. */
function sourceOf(rel) {
  const m = /^(.*)\.(js|d\.ts)(\.map)?$/.exec(rel);
  return m ? [`${m[1]}.ts`, `${m[1]}.tsx`] : [rel];
}

function pruneStale(dir) {
  const full = path.join(dist, dir);
  if (!fs.existsSync(full)) return;
  for (const entry of fs.readdirSync(full, { withFileTypes: true })) {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      pruneStale(rel);
      if (fs.readdirSync(path.join(dist, rel)).length === 0) fs.rmdirSync(path.join(dist, rel));
    } else if (!sourceOf(rel).some((src) => fs.existsSync(path.join(root, src)))) {
      fs.rmSync(path.join(dist, rel));
    }
  }
}

for (const dir of ['src', 'constructs', 'stacks']) pruneStale(dir);
copyAssets('src');
// The package's two entries (package.json `exports`): the library, and the tooling beside it.
for (const entry of ['index', 'tooling']) {
  fs.writeFileSync(path.join(dist, `${entry}.js`), `'use strict';\nmodule.exports = require('./src/${entry}');\n`);
  fs.writeFileSync(path.join(dist, `${entry}.d.ts`), `export * from './src/${entry}';\n`);
}
