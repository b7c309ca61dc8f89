/**
 * Rendering of the script files under `src/vm-scripts/` (PowerShell, cloud-init,
 * shell): strict `{{NAME}}` placeholders, quoting for PowerShell and POSIX
 * shells, and escaping for Terraform, which would otherwise read `${...}` and
 * `%{...}` in a script as its own template syntax.
 *
 * Values may be Terraform tokens (a vault URI, an address from another stack):
 * they are inserted as they are and resolve at synth; literal text around them
 * is escaped.
 */
import { Token } from 'cdktf';
import * as fs from 'fs';
import * as path from 'path';

/** Reads a script file shipped with the library (`src/vm-scripts/<relativePath>`, copied to `dist/` by the build). */
export function readScript(relativePath: string): string {
  return fs.readFileSync(path.join(__dirname, relativePath), 'utf8');
}

/** A PowerShell single-quoted literal: nothing inside is expanded. Typographic quotes count as quotes in PowerShell. */
/** The Key Vault read functions (kv_read_secret, kv_read_secret_retrying) every script that reads a secret embeds as `{{KEYVAULT_READ}}`. */
export function keyVaultReadFragment(): string {
  return readScript('linux/keyvault-read.sh').trimEnd();
}

export function psLiteral(value: string): string {
  return `'${value.replace(/['\u2018\u2019\u201a\u201b]/g, (q) => q + q)}'`;
}

/** A POSIX shell single-quoted literal. */
export function shLiteral(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Escapes Terraform template sequences in literal text: `${` → `$${`, `%{` → `%%{`. */
export function escapeForTerraform(text: string): string {
  return text.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}

/** Options of {@link renderTemplate}. */
export interface RenderOptions {
  /** Name of the template, for error messages. */
  readonly name: string;
  /**
   * Escape `${`/`%{` in the literal text and in plain values, so the result can be
   * put into a Terraform attribute as is. Token values are never escaped.
   * @default true
   */
  readonly forTerraform?: boolean;
}

const PLACEHOLDER = /\{\{([A-Z][A-Z0-9_]*)\}\}/g;

/**
 * Replaces every `{{NAME}}` in `template` with `values[NAME]`. Every placeholder
 * must have a value and every value must be used, so a renamed parameter fails
 * at once instead of shipping a script with a hole in it. Quote values for the
 * target language before passing them ({@link psLiteral}, {@link shLiteral}).
 */
export function renderTemplate(template: string, values: Readonly<Record<string, string>>, options: RenderOptions): string {
  const forTerraform = options.forTerraform ?? true;
  const used = new Set<string>();
  const missing = new Set<string>();
  let out = '';
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    const name = match[1];
    const literal = template.slice(last, match.index);
    out += forTerraform ? escapeForTerraform(literal) : literal;
    last = match.index! + match[0].length;
    if (!(name in values)) {
      missing.add(name);
      continue;
    }
    used.add(name);
    const value = values[name];
    out += forTerraform && !Token.isUnresolved(value) ? escapeForTerraform(value) : value;
  }
  const tail = template.slice(last);
  out += forTerraform ? escapeForTerraform(tail) : tail;
  const unused = Object.keys(values).filter((k) => !used.has(k));
  if (missing.size > 0 || unused.length > 0) {
    const parts = [];
    if (missing.size > 0) parts.push(`no value for ${[...missing].map((m) => `{{${m}}}`).join(', ')}`);
    if (unused.length > 0) parts.push(`values not used by the template: ${unused.join(', ')}`);
    throw new Error(`template ${options.name}: ${parts.join('; ')}`);
  }
  return out;
}
