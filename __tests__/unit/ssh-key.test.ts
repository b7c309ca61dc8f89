import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { sshPublicKeyIssues } from '../../src/identity/ssh-key';
import { parseConfig } from '../../src/config/load';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgm-ssh-'));
function keygen(type: string, bits?: number): string {
  const file = path.join(dir, `${type}-${bits ?? 0}`);
  execFileSync('ssh-keygen', ['-q', '-t', type, ...(bits ? ['-b', String(bits)] : []), '-N', '', '-C', 'me@example', '-f', file]);
  return fs.readFileSync(`${file}.pub`, 'utf8');
}

const ed25519 = keygen('ed25519');
const rsa2048 = keygen('rsa', 2048);
const rsa1024 = keygen('rsa', 1024);

test.each([ed25519, rsa2048, ed25519.trim().split(' ').slice(0, 2).join(' ')])('accepts %s', (key) => expect(sshPublicKeyIssues('k', key)).toEqual([]));

test.each([
  ['', /is empty/],
  [rsa1024, /RSA key of 1024 bits/],
  ['-----BEGIN OPENSSH PRIVATE KEY-----\nabc', /PRIVATE key/],
  ['ssh-dss AAAAB3NzaC1kc3M= me', /key type "ssh-dss"/],
  ['ssh-ed25519 not-base64!', /no base64 key body/],
  [`ssh-ed25519 ${rsa2048.split(' ')[1]}`, /does not encode a ssh-ed25519 key/],
  ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA==', /truncated Ed25519/],
])('refuses %j', (key, why) => {
  const [issue] = sshPublicKeyIssues('adminSshPublicKey', key);
  expect(issue.path).toBe('adminSshPublicKey');
  expect(issue.message).toMatch(why);
});

test('the configuration validates adminSshPublicKey', () => {
  expect(parseConfig({ adminSshPublicKey: ed25519 }).adminSshPublicKey).toBe(ed25519);
  expect(() => parseConfig({ adminSshPublicKey: 'ssh-rsa AAAA' })).toThrow(/adminSshPublicKey: .*expected an OpenSSH public key line/);
});
