/**
 * SSH public keys for the Linux machines (Avere controller, processing nodes,
 * Linux jump box). Azure accepts RSA (≥ 2048 bits) and Ed25519 keys in
 * OpenSSH one-line format.
 */
import { InputIssue } from '../errors';

/** Name of the Terraform variable that carries the key when the configuration does not. */
export const ADMIN_SSH_KEY_VARIABLE = 'admin_ssh_public_key';

const KEY_TYPES = ['ssh-rsa', 'ssh-ed25519'] as const;

/** The Terraform `validation` condition the variable carries (same rule as {@link sshPublicKeyIssues}, less the bit count). */
export const SSH_KEY_TERRAFORM_CONDITION = `\${can(regex("^(ssh-rsa AAAAB3NzaC1yc2E|ssh-ed25519 AAAAC3NzaC1lZDI1NTE5)[A-Za-z0-9+/]+={0,3}( [^\\\\r\\\\n]*)?$", var.${ADMIN_SSH_KEY_VARIABLE}))}`;

/** Issues with an OpenSSH public key line ("ssh-ed25519 AAAA… comment"). */
export function sshPublicKeyIssues(field: string, key: string): InputIssue[] {
  const allowed =
    'an OpenSSH public key line: "ssh-ed25519 AAAA… [comment]" or "ssh-rsa AAAA… [comment]" (RSA ≥ 2048 bits) — the contents of ~/.ssh/id_ed25519.pub, never a private key';
  const fail = (why: string): InputIssue[] => [{ path: field, message: `${why}; expected ${allowed}` }];
  if (typeof key !== 'string' || key.trim() === '') return fail('is empty');
  if (/PRIVATE KEY/.test(key)) return fail('looks like a PRIVATE key (remove it from the file and rotate it)');
  const parts = key.trim().split(/\s+/);
  const [type, body] = parts;
  if (!(KEY_TYPES as readonly string[]).includes(type)) return fail(`has key type ${JSON.stringify(type ?? '')}`);
  if (!body || !/^[A-Za-z0-9+/]+={0,3}$/.test(body)) return fail('has no base64 key body');
  const blob = Buffer.from(body, 'base64');
  const declared = readSshString(blob, 0);
  if (declared?.text !== type) return fail(`has a key body that does not encode a ${type} key`);
  if (type === 'ssh-rsa') {
    const exponent = readSshString(blob, declared.next);
    const modulus = exponent && readSshString(blob, exponent.next);
    if (!modulus) return fail('has a truncated RSA key body');
    const bits = (modulus.bytes.length - (modulus.bytes[0] === 0 ? 1 : 0)) * 8;
    if (bits < 2048) return fail(`is an RSA key of ${bits} bits`);
  } else {
    const point = readSshString(blob, declared.next);
    if (!point || point.bytes.length !== 32) return fail('has a truncated Ed25519 key body');
  }
  return [];
}

/** Reads one SSH wire-format string (uint32 length + bytes). */
function readSshString(blob: Buffer, offset: number): { bytes: Buffer; text: string; next: number } | undefined {
  if (offset + 4 > blob.length) return undefined;
  const len = blob.readUInt32BE(offset);
  if (offset + 4 + len > blob.length) return undefined;
  const bytes = blob.subarray(offset + 4, offset + 4 + len);
  return { bytes, text: bytes.toString('latin1'), next: offset + 4 + len };
}

/**
 * Issues with a key for the Avere vFXT (`vfxt_ssh_key_data` of provider hashicorp/avere): its ValidateSSHKey
 * accepts only `ssh-rsa AAAA… user@host` — an RSA key with a comment. `field` names where the key came from
 * (a construct prop or a configuration path), `via` the prop it reaches the provider through.
 */
export function avereSshKeyIssues(field: string, key: string, via = 'AvereCache.sshPublicKey → avere_vfxt.vfxt_ssh_key_data'): InputIssue[] {
  const general = sshPublicKeyIssues(field, key);
  if (general.length > 0) return general;
  const [type, , ...comment] = key.trim().split(/\s+/);
  const expected = `the Avere vFXT (${via}) accepts only "ssh-rsa AAAA… user@host" (the avere provider's ValidateSSHKey); use an RSA key (≥ 2048 bits) with a comment, e.g. ssh-keygen -t rsa -b 4096 -C you@host`;
  if (type !== 'ssh-rsa') return [{ path: field, message: `is an ${type} key; ${expected}` }];
  if (comment.length === 0) return [{ path: field, message: `has no comment (user@host); ${expected}` }];
  return [];
}

/** The Terraform condition of {@link avereSshKeyIssues} for a key given as a reference (less the bit count). */
export function avereSshKeyCondition(expression: string): string {
  return `\${can(regex("^ssh-rsa AAAAB3NzaC1yc2E[A-Za-z0-9+/]+={0,3} +[^ ]+", trimspace(${expression})))}`;
}
