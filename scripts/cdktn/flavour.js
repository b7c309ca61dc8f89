/**
 * The CDK Terrain flavour of this library (issue 16): the same source tree with
 * its imports rewritten from CDK for Terraform (`cdktf`, `@cdktf/provider-*`) to
 * CDK Terrain (`cdktn`, `@cdktn/provider-*`), published as its own package
 * (`cdktn-azure-photogrammetry`). cdktf's classes and cdktn's are different
 * types, so one compiled package cannot serve both toolchains.
 *
 * The rewrite is generic (regular expressions over every file of the tree), so
 * new constructs, tests and examples need nothing here. What it does NOT touch:
 * `cdktf.json`, `cdktf.out` and the `@cdktf/warn` / `@cdktf/error` annotation
 * levels, which CDK Terrain 0.24 keeps under their old names.
 *
 * Pure functions (unit-tested in __tests__/scripts/cdktn-flavour.test.ts) plus
 * {@link writeFlavourTree}, which copies the files git knows into a folder.
 */
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

/**
 * The CDK Terrain packages the flavour depends on, and the ranges it declares.
 * - `cdktn` 0.24 declares `constructs >=10.6.0 <10.8.0` (cdktf's flavour develops on ^10.8.1).
 * - `@cdktn/provider-azurerm` 16.1 (azurerm 4.73) declares `cdktn ^0.23.0`: it works with 0.24, but npm refuses the
 *   peer conflict, hence the `overrides` entry below (a consumer needs the same entry, see README "CDK Terrain").
 * - `cdktn-cli` and `@cdktn/provider-random` declare Node >= 22; on Node 20 npm only warns (EBADENGINE) and both run.
 */
const CDKTN_PACKAGES = Object.freeze({
  cdktn: '^0.24.0',
  'cdktn-cli': '^0.24.0',
  '@cdktn/provider-azurerm': '^16.1.0',
  '@cdktn/provider-random': '^15.0.1',
  constructs: '>=10.6.0 <10.8.0',
});

/** npm `overrides` the flavour needs: the azurerm provider package accepts cdktn 0.24 (it declares ^0.23). */
const CDKTN_OVERRIDES = Object.freeze({ '@cdktn/provider-azurerm': { cdktn: '$cdktn' } });

/**
 * `cdktf`, spelt so that this file is a fixed point of its own rewrite (the flavour's copy of it behaves the same;
 * the unit test checks it).
 */
const TF = ['cdk', 'tf'].join('');

/** Files whose text is rewritten; everything else is copied as is, Markdown too (the README documents both flavours). */
const TEXT_FILE = /\.(ts|js|cjs|mjs|json|yml|yaml|snap|sh|txt)$/;

/**
 * Rewrites one file's text from cdktf to CDK Terrain:
 * - `@cdktf/provider-<x>` → `@cdktn/provider-<x>` (package names and deep imports);
 * - the module specifier `cdktf` (also `cdktf/package.json`) after `from`, `import`, `require(`, `require.resolve(`,
 *   `import(` or `jest.mock(` → `cdktn`; other strings stay (the `managed-by: cdktf` tag: both flavours deploy the same
 *   resources, so a migration plans no tag change);
 * - `cdktf-cli` → `cdktn-cli` and the CLI command `cdktf <command>` → `cdktn <command>`.
 * Annotation levels (`@cdktf/warn`), `cdktf.json`, `cdktf.out` and the `cdktf.` namespace alias of generated code
 * stay: CDK Terrain keeps them.
 */
function rewriteText(text) {
  return text
    .replace(/@cdktf\/provider-/g, '@cdktn/provider-')
    .replace(/(\bfrom\s+|\bimport\s+|\brequire(?:\.resolve)?\(\s*|\bimport\(\s*|\bjest\.mock\(\s*)(['"`])cdktf(?=['"`/])/g, '$1$2cdktn')
    .replace(/\bcdktf-cli\b/g, 'cdktn-cli')
    .replace(/\bcdktf (synth|deploy|diff|destroy|get|plan|apply|output|list|init|provider|watch|debug|convert)\b/g, 'cdktn $1');
}

/** The CDK Terrain package of a cdktf package name (`cdktf`, `cdktf-cli`, `@cdktf/provider-*`); other names unchanged. */
function renamePackage(name) {
  if (name === TF) return 'cdktn';
  if (name === `${TF}-cli`) return 'cdktn-cli';
  return name.replace(/^@cdktf\/provider-/, '@cdktn/provider-');
}

/** Replaces a dependency map's cdktf packages by their CDK Terrain counterparts (same key order, ranges from {@link CDKTN_PACKAGES}). */
function rewriteDependencies(deps) {
  if (!deps) return deps;
  const out = {};
  for (const [name, range] of Object.entries(deps)) {
    const renamed = renamePackage(name);
    out[renamed] = CDKTN_PACKAGES[renamed] ?? range;
  }
  return out;
}

/**
 * The flavour's package.json: `cdktn-azure-photogrammetry`, CDK Terrain peers and dev dependencies with the ranges
 * of {@link CDKTN_PACKAGES}, the {@link CDKTN_OVERRIDES}, scripts and texts rewritten like source files.
 */
function rewritePackageJson(pkg) {
  const out = JSON.parse(rewriteText(JSON.stringify(pkg)));
  out.name = pkg.name.replace(/^cdktf-/, 'cdktn-');
  out.description = String(pkg.description ?? '').replace(/CDK for Terraform/g, 'CDK Terrain');
  out.keywords = (pkg.keywords ?? []).map((k) => (k === TF ? 'cdktn' : k));
  out.peerDependencies = rewriteDependencies(pkg.peerDependencies);
  out.devDependencies = rewriteDependencies(pkg.devDependencies);
  out.dependencies = rewriteDependencies(pkg.dependencies);
  out.overrides = { ...(pkg.overrides ?? {}), ...CDKTN_OVERRIDES };
  return out;
}

/** Folders never part of the flavour when the tree is not a git checkout (what .gitignore lists, and the flavour's own output). */
const SKIP_DIRS = new Set(['node_modules', 'dist', 'cdktf.out', 'coverage', '.git', '.terraform', '.synth-cdktf', '.synth-cdktn']);

/**
 * The files of the tree at `root` that git tracks or would track (not ignored: no node_modules, dist, cdktf.out);
 * outside a git checkout (e.g. the flavour's own folder), every file except {@link SKIP_DIRS} and `*.tgz`.
 */
function sourceFiles(root) {
  let listed;
  try {
    listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 64 << 20,
      stdio: ['ignore', 'pipe', 'ignore'],
    }).split('\0');
  } catch {
    listed = [];
    const walk = (rel) => {
      for (const e of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
        const child = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory()) {
          if (!SKIP_DIRS.has(e.name) && !/^cdktf\.out/.test(e.name)) walk(child);
        } else if (e.isFile() && !e.name.endsWith('.tgz') && !e.name.startsWith('.flavour-') && e.name !== '.jest-results.json') listed.push(child);
      }
    };
    walk('');
  }
  return listed.filter((f) => f && fs.existsSync(path.join(root, f))).sort();
}

/**
 * Writes the CDK Terrain flavour of the tree at `root` into `dest`: every source file, rewritten (text) or copied,
 * and the rewritten package.json; not `package-lock.json` (cdktf's pins: `npm run test:cdktn` copies it before each
 * install, and in place it stays for npm install to update). Files of a previous run that are no longer in the source are removed; `node_modules` and anything
 * git ignores in `dest` are kept (so a second run reuses the install). Returns the relative paths written.
 */
function writeFlavourTree(root, dest) {
  const files = sourceFiles(root);
  fs.mkdirSync(dest, { recursive: true });
  const keep = new Set(files);
  if (fs.existsSync(path.join(dest, '.flavour-files'))) {
    for (const old of fs.readFileSync(path.join(dest, '.flavour-files'), 'utf8').split('\n')) {
      if (old && !keep.has(old) && old !== 'package-lock.json') fs.rmSync(path.join(dest, old), { force: true });
    }
  }
  for (const rel of files) {
    const from = path.join(root, rel);
    const to = path.join(dest, rel);
    if (rel === 'package-lock.json') continue; // cdktf's pins: the install step starts from them (scripts/test-cdktn.js)
    fs.mkdirSync(path.dirname(to), { recursive: true });
    let content;
    if (rel === 'package.json') content = `${JSON.stringify(rewritePackageJson(JSON.parse(fs.readFileSync(from, 'utf8'))), null, 2)}\n`;
    else if (TEXT_FILE.test(rel)) content = rewriteText(fs.readFileSync(from, 'utf8'));
    if (content === undefined) fs.copyFileSync(from, to);
    else if (!fs.existsSync(to) || fs.readFileSync(to, 'utf8') !== content) fs.writeFileSync(to, content); // unchanged files keep their mtime
    fs.chmodSync(to, fs.statSync(from).mode);
  }
  fs.writeFileSync(path.join(dest, '.flavour-files'), files.join('\n'));
  return files;
}

module.exports = { CDKTN_PACKAGES, CDKTN_OVERRIDES, renamePackage, rewriteText, rewritePackageJson, rewriteDependencies, sourceFiles, writeFlavourTree };

// `node scripts/cdktn/flavour.js <dest>`: writes the flavour into <dest> (`.` rewrites the checkout in place, as the
// deploy workflow does with toolchain cdktn; then `npm install`, not `npm ci`: the lockfile is cdktf's).
if (require.main === module) {
  const dest = process.argv[2];
  if (!dest) {
    process.stderr.write('usage: node scripts/cdktn/flavour.js <dest>\n');
    process.exit(2);
  }
  const files = writeFlavourTree(path.join(__dirname, '..', '..'), path.resolve(dest));
  process.stdout.write(`CDK Terrain flavour: ${files.length} files written to ${path.resolve(dest)}\n`);
}
