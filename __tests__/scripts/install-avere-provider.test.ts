/**
 * scripts/ci/install-avere-provider.sh: only its dry run runs here (no network). It checks the pinned version and
 * SHA-256, names the release asset and the plugin path terraform init searches, and refuses a checksum mismatch.
 */
import { spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const script = path.join(__dirname, '..', '..', 'scripts', 'ci', 'install-avere-provider.sh');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'avere-provider-'));
const binary = path.join(dir, 'terraform-provider-avere');
fs.writeFileSync(binary, 'stand-in provider binary\n');
const sha = crypto.createHash('sha256').update(fs.readFileSync(binary)).digest('hex');
const pluginDir = path.join(dir, 'plugins');

function run(args: string[], env: Record<string, string>) {
  const r = spawnSync('bash', [script, ...args], { env: { PATH: process.env.PATH ?? '', HOME: dir, ...env }, encoding: 'utf8' });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

test('dry run with the pinned checksum: names the release asset and the implied local mirror path, installs nothing', () => {
  const r = run(['--dry-run', '--binary', binary, '--plugin-dir', pluginDir], { AVERE_PROVIDER_VERSION: '1.3.3', AVERE_PROVIDER_SHA256: sha });
  expect(r.err).toBe('');
  expect(r.status).toBe(0);
  expect(r.out).toContain('would download https://github.com/Azure/Avere/releases/download/tfprovider_v1.3.3/terraform-provider-avere');
  expect(r.out).toContain(`would install to ${pluginDir}/registry.terraform.io/hashicorp/avere/1.3.3/linux_amd64/terraform-provider-avere_v1.3.3`);
  expect(r.out).toContain('matches the pinned SHA-256');
  expect(fs.existsSync(pluginDir)).toBe(false);
});

test('dry run with a checksum mismatch: refused, exit 1, nothing installed', () => {
  const wrong = 'f'.repeat(64);
  const r = run(['--dry-run', '--binary', binary, '--plugin-dir', pluginDir], { AVERE_PROVIDER_VERSION: '1.3.3', AVERE_PROVIDER_SHA256: wrong });
  expect(r.status).toBe(1);
  expect(r.err).toMatch(new RegExp(`checksum mismatch .*got ${sha}, pinned AVERE_PROVIDER_SHA256 is ${wrong}; refusing to install`));
  expect(fs.existsSync(pluginDir)).toBe(false);
});

test('installing a local binary (--binary, no download) puts it where terraform init finds it, executable', () => {
  const r = run(['--binary', binary, '--plugin-dir', pluginDir], { AVERE_PROVIDER_VERSION: '1.3.3', AVERE_PROVIDER_SHA256: sha });
  expect(r.status).toBe(0);
  const dest = path.join(pluginDir, 'registry.terraform.io/hashicorp/avere/1.3.3/linux_amd64/terraform-provider-avere_v1.3.3');
  expect(fs.statSync(dest).mode & 0o111).not.toBe(0);
});

test.each([
  [{ AVERE_PROVIDER_SHA256: 'f'.repeat(64) }, /AVERE_PROVIDER_VERSION="" is not a 1\.x version >= 1\.3/],
  [{ AVERE_PROVIDER_VERSION: '1.2.0', AVERE_PROVIDER_SHA256: 'f'.repeat(64) }, /AVERE_PROVIDER_VERSION="1\.2\.0"/],
  [{ AVERE_PROVIDER_VERSION: '1.3.3' }, /AVERE_PROVIDER_SHA256 must be the 64-hex-digit SHA-256 .*Microsoft publishes none/],
])('refuses missing or bad pins %j', (env, message) => {
  const r = run(['--dry-run'], env as Record<string, string>);
  expect(r.status).toBe(1);
  expect(r.err).toMatch(message);
});
