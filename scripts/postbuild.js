#!/usr/bin/env node
/** Build step: copies the script files under src/ (PowerShell, cloud-init, shell) next to the compiled code in dist/src/. */
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const ASSET = /\.(ps1|sh|ya?ml|tpl)$/;

function copy(dir) {
  for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) copy(rel);
    else if (ASSET.test(entry.name)) {
      fs.mkdirSync(path.join(root, 'dist', dir), { recursive: true });
      fs.copyFileSync(path.join(root, rel), path.join(root, 'dist', rel));
    }
  }
}

copy('src');
