#!/usr/bin/env node
/**
 * Build step after `tsc`:
 * - copies the script files under src/ (PowerShell, cloud-init, shell) next to the compiled code in dist/src/;
 * - writes the package's one public entry, dist/index.js + dist/index.d.ts, re-exporting dist/src/index.
 */
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const dist = path.join(root, 'dist');
const ASSET = /\.(ps1|sh|py|ya?ml|tpl|service|timer)$/;

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

copyAssets('src');
fs.writeFileSync(path.join(dist, 'index.js'), "'use strict';\nmodule.exports = require('./src/index');\n");
fs.writeFileSync(path.join(dist, 'index.d.ts'), "export * from './src/index';\n");
