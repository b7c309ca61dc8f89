/**
 * `npm run schemas`: derives the offline validator's schema index of every installed default provider package from
 * its jsii assembly and writes it to src/validation/schemas/ (gzipped JSON), so that a fresh clone validates without
 * parsing the assembly. Run it after upgrading a provider package; a test checks that the shipped files match the
 * installed packages.
 */
import * as fs from 'fs';
import * as path from 'path';
import { DEFAULT_SCHEMA_PACKAGES, SHIPPED_SCHEMA_DIR, writeShippedIndex } from '../src/validation/schema-index';

const written = DEFAULT_SCHEMA_PACKAGES.map((pkg) => writeShippedIndex(pkg, SHIPPED_SCHEMA_DIR, path.join(__dirname, '..')));
for (const file of fs.readdirSync(SHIPPED_SCHEMA_DIR)) {
  const full = path.join(SHIPPED_SCHEMA_DIR, file);
  if (!written.includes(full)) fs.rmSync(full); // an older version's index
}
for (const file of written) process.stdout.write(`${path.relative(process.cwd(), file)} (${fs.statSync(file).size} bytes)\n`);
