/**
 * `npm run schemas`: derives the offline validator's schema index of every installed default provider package from
 * its jsii assembly and writes it to src/validation/schemas/ (gzipped JSON), so that a fresh clone validates without
 * parsing the assembly. Run it after upgrading a provider package; a test checks that the shipped files match the
 * installed packages. Indexes of other packages (the other toolchain's: `cdktf-…` or `cdktn-…`, run
 * `npm run schemas` in the CDK Terrain flavour's folder and copy them back) are left as they are.
 */
import * as fs from 'fs';
import * as path from 'path';
import { DEFAULT_SCHEMA_PACKAGES, SHIPPED_SCHEMA_DIR, shippedSchemaPath, writeShippedIndex } from '../src/validation/schema-index';

const written = DEFAULT_SCHEMA_PACKAGES.map((pkg) => writeShippedIndex(pkg, SHIPPED_SCHEMA_DIR, path.join(__dirname, '..')));
// `<sanitized name>-` of each package written: the index of another version of the same package is stale.
const prefixes = DEFAULT_SCHEMA_PACKAGES.map((pkg) => path.basename(shippedSchemaPath(pkg, '')).replace(/--.*$/, '-'));
for (const file of fs.readdirSync(SHIPPED_SCHEMA_DIR)) {
  const full = path.join(SHIPPED_SCHEMA_DIR, file);
  if (!written.includes(full) && prefixes.some((p) => file.startsWith(p) && /^\d/.test(file.slice(p.length)))) fs.rmSync(full);
}
for (const file of written) process.stdout.write(`${path.relative(process.cwd(), file)} (${fs.statSync(file).size} bytes)\n`);
