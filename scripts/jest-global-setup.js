/**
 * Jest global setup: a folder where tests leave one-line notes for the end of
 * the run (e.g. why `terraform validate` was skipped). Workers inherit the
 * variable; scripts/jest-summary-reporter.js prints and removes the notes.
 */
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');

module.exports = async function globalSetup() {
  process.env.PGM_TEST_NOTES_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'pgm-test-notes-'));
};
