/**
 * Compares two folders written by scripts/cdktn/synth-all.ts (one per flavour): for every app and stack, the
 * synthesized resources, data sources, variables, outputs, locals, provider configurations and backend must be the
 * same. Provider and toolchain versions differ by design (azurerm 4.55 / 4.73, cdktf 0.21 / cdktn 0.24) and are
 * masked: `terraform.required_providers.*.version` and `//.metadata.version`.
 */
'use strict';
const fs = require('fs');
const path = require('path');

/** A stack's Terraform JSON with the toolchain's and the providers' versions replaced by `<version>`. */
function maskVersions(tf) {
  const out = JSON.parse(JSON.stringify(tf));
  if (out['//']?.metadata?.version) out['//'].metadata.version = '<version>';
  for (const p of Object.values(out.terraform?.required_providers ?? {})) if (p && typeof p === 'object' && 'version' in p) p.version = '<version>';
  return out;
}

/** Paths (`resource.azurerm_x.y.attr`) where two JSON values differ, at most `limit`. */
function differences(a, b, at = '', out = [], limit = 20) {
  if (out.length >= limit) return out;
  if (a === b) return out;
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      if (!(k in a)) out.push(`${at}${k}: only in the second`);
      else if (!(k in b)) out.push(`${at}${k}: only in the first`);
      else differences(a[k], b[k], `${at}${k}.`, out, limit);
      if (out.length >= limit) break;
    }
    return out;
  }
  out.push(`${at.replace(/\.$/, '')}: ${JSON.stringify(a)} ≠ ${JSON.stringify(b)}`.slice(0, 300));
  return out;
}

/** Number of resources (managed) in a stack. */
function countResources(tf) {
  return Object.values(tf.resource ?? {}).reduce((n, byName) => n + Object.keys(byName).length, 0);
}

/**
 * Compares every app of `first` with the same-named app of `second`.
 * Returns one entry per app: `{ app, stacks, resources, differences }` (differences empty when identical).
 */
function compareSynthDirs(first, second) {
  const apps = [...new Set([...fs.readdirSync(first), ...fs.readdirSync(second)])].sort();
  return apps.map((app) => {
    const stacksOf = (dir) => (fs.existsSync(path.join(dir, app, 'stacks')) ? fs.readdirSync(path.join(dir, app, 'stacks')).sort() : []);
    const stacks = [...new Set([...stacksOf(first), ...stacksOf(second)])];
    let resources = 0;
    const diffs = [];
    for (const stack of stacks) {
      const read = (dir) => {
        const file = path.join(dir, app, 'stacks', stack, 'cdk.tf.json');
        return fs.existsSync(file) ? maskVersions(JSON.parse(fs.readFileSync(file, 'utf8'))) : undefined;
      };
      const a = read(first);
      const b = read(second);
      if (!a || !b) {
        diffs.push(`${stack}: stack only in the ${a ? 'first' : 'second'}`);
        continue;
      }
      resources += countResources(a);
      diffs.push(...differences(a, b).map((d) => `${stack}: ${d}`));
    }
    return { app, stacks: stacks.length, resources, differences: diffs };
  });
}

module.exports = { maskVersions, differences, compareSynthDirs, countResources };
