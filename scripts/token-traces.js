/**
 * Turns off the stack trace cdktf captures for every token, lazy value and
 * dynamic block it creates (`captureStackTrace` in cdktf's tokens). cdktf only
 * prints that trace in the message about a token it cannot resolve; capturing
 * it (at unlimited depth, formatted at once) costs a third of a synth's CPU and
 * more under jest, which maps every frame through source maps. The app already
 * drops construct stack traces (`new App({ stackTraces: false })`).
 *
 * Tooling only (scripts/run-ts.js, the jest setup): the library never patches
 * the consumer's cdktf. Set PGM_TOKEN_STACK_TRACES=1 to keep the traces when
 * hunting an unresolved token. Works with cdktf and with CDK Terrain (cdktn).
 */
'use strict';
const path = require('path');

function disableTokenStackTraces(from = process.cwd()) {
  if (process.env.PGM_TOKEN_STACK_TRACES === '1') return false;
  for (const pkg of ['cdktf', 'cdktn']) {
    let main;
    try {
      main = require.resolve(pkg, { paths: [from, __dirname] });
    } catch {
      continue;
    }
    try {
      const traces = require(path.join(path.dirname(main), 'tokens', 'private', 'stack-trace.js'));
      if (typeof traces.captureStackTrace !== 'function') return false;
      traces.captureStackTrace = () => [];
      return true;
    } catch {
      return false; // another layout: leave cdktf as it is
    }
  }
  return false;
}

module.exports = { disableTokenStackTraces };
