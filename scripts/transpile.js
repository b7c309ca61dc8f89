/**
 * Strips types from one TypeScript file with TypeScript's own `transpileModule`
 * (no type-checking: `npm test` runs `tsc` for that). Pure JavaScript, so it
 * installs from any npm registry; no platform-specific native binaries.
 * Shared by scripts/run-ts.js (synth, validate, cdktf app) and the jest transform.
 */
'use strict';

let ts; // typescript is ~9 MB of JavaScript: load it on first use only

/** Compiler options every runner uses; part of the cache key. */
const OPTIONS_KEY = 'ts-transpile-v1-es2022-cjs';

function transpile(source, filename) {
  ts = ts || require('typescript');
  const { outputText } = ts.transpileModule(source, {
    fileName: filename,
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
      isolatedModules: true,
      inlineSourceMap: true,
      inlineSources: true,
      useDefineForClassFields: true,
    },
  });
  return outputText;
}

module.exports = { transpile, OPTIONS_KEY };
