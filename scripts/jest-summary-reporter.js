/**
 * Jest reporter that ends the run with the notes tests left (see
 * __tests__/support/notes.ts; e.g. whether `terraform validate` ran or why it
 * was skipped) and one plain line, `N passed, N failed` (`, N skipped` when
 * any were skipped), which CI systems read as the summary.
 */
'use strict';
const fs = require('fs');
const path = require('path');

function takeNotes() {
  const dir = process.env.PGM_TEST_NOTES_DIR;
  if (!dir || !fs.existsSync(dir)) return [];
  const notes = fs
    .readdirSync(dir)
    .sort()
    .map((f) => fs.readFileSync(path.join(dir, f), 'utf8').trim());
  fs.rmSync(dir, { recursive: true, force: true });
  return notes;
}

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const notes = takeNotes();
    const skipped = results.numPendingTests + results.numTodoTests;
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const lines = notes.map((n) => `note: ${n}`);
    lines.push(`${results.numPassedTests} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
    process.stdout.write(`\n${lines.join('\n')}\n`);
  }
}

module.exports = SummaryReporter;
