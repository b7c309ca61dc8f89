/** Notes a test leaves for the end of the jest run (printed by scripts/jest-summary-reporter.js). */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

export function leaveNote(text: string): void {
  const dir = process.env.PGM_TEST_NOTES_DIR;
  if (!dir) return; // run without the project's jest config
  fs.writeFileSync(path.join(dir, `${crypto.randomUUID()}.txt`), text);
}
