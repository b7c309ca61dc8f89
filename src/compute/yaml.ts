/**
 * A small YAML emitter for the documents this library renders (cloud-config):
 * mappings, sequences, strings, numbers, booleans and null. Multi-line strings
 * become literal block scalars (`|`, with the chomping and indentation
 * indicators YAML needs to give back the exact text); a string that could be
 * read as anything but itself (a number, a boolean, `0755`, text with `: ` or
 * a leading `-`) is double-quoted. JSON's string syntax is a subset of YAML's
 * double-quoted scalars, so quoting is `JSON.stringify`.
 *
 * Why not the `yaml` package: it costs ≈ 0.2 s to load on every synth, for a
 * writer this size. The tests parse every emitted document with `yaml` and
 * compare it with the input.
 */

/** A value the emitter writes. */
export type YamlValue = string | number | boolean | null | readonly YamlValue[] | { readonly [key: string]: YamlValue | undefined };

const INDENT = '  ';

/** Plain (unquoted) scalars that YAML 1.1 or 1.2 would read as something else. */
const RESERVED = /^(?:true|false|yes|no|on|off|y|n|null|~)$/i;

/** Characters that cannot appear raw in a block scalar (control characters other than tab and newline, CR, BOM). */
// eslint-disable-next-line no-control-regex
const NOT_BLOCK_SAFE = /[\u0000-\u0008\u000b-\u001f\u007f\u0085\u2028\u2029\ufeff]/;

/** A scalar written without quotes when it reads back as the same string. */
function plain(s: string): boolean {
  return /^[A-Za-z_/.][A-Za-z0-9_./@+:-]*$/.test(s) && !s.endsWith(':') && !RESERVED.test(s) && !/^\.(?:inf|nan)$/i.test(s) && !/^[.]?\d/.test(s);
}

function scalar(value: string | number | boolean | null): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`YAML: cannot write the number ${value}`);
    return String(value);
  }
  return plain(value) ? value : JSON.stringify(value);
}

/** A literal block scalar for a multi-line string (header and indented lines), or undefined when it must be quoted. */
function block(s: string, indent: string): string[] | undefined {
  // Lines of only blanks read back differently between parsers (indentation or content?): such text is quoted.
  if (!s.includes('\n') || NOT_BLOCK_SAFE.test(s) || /^[ \t]+$/m.test(s)) return undefined;
  const trailing = /\n*$/.exec(s)![0].length;
  const chomp = trailing === 0 ? '-' : trailing === 1 ? '' : '+';
  const body = trailing === 0 ? s : s.slice(0, -1); // the last line break belongs to the header's chomping
  const lines = body.split('\n');
  // YAML guesses the indentation from the first non-empty line: give it explicitly when that line starts with a space.
  const first = lines.find((l) => l.length > 0);
  if (first === undefined) return undefined; // only line breaks: clear when quoted
  const indicator = /^\s/.test(first) ? String(INDENT.length) : '';
  return [`|${indicator}${chomp}`, ...lines.map((l) => (l.length === 0 ? '' : `${indent}${l}`))];
}

function isMapping(v: YamlValue): v is { readonly [key: string]: YamlValue | undefined } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Lines for `value` written at `indent` (the caller has written the key or the dash). */
function emit(value: YamlValue, indent: string): { inline?: string; lines?: string[] } {
  if (Array.isArray(value)) {
    if (value.length === 0) return { inline: '[]' };
    const lines: string[] = [];
    for (const item of value as readonly YamlValue[]) {
      const out = emit(item, `${indent}${INDENT}`);
      if (out.inline !== undefined) {
        lines.push(`${indent}- ${out.inline}`);
      } else {
        // Nested collections start on the dash's line ("- key: v" / "- - v"); a block scalar's header does too.
        const [head, ...rest] = out.lines!;
        lines.push(`${indent}- ${head.slice(indent.length + INDENT.length)}`, ...rest);
      }
    }
    return { lines };
  }
  if (isMapping(value)) {
    const entries = Object.entries(value).filter((e): e is [string, YamlValue] => e[1] !== undefined);
    if (entries.length === 0) return { inline: '{}' };
    const lines: string[] = [];
    for (const [key, v] of entries) {
      const k = scalar(key);
      if (typeof v === 'string') {
        const b = block(v, `${indent}${INDENT}`);
        if (b) {
          lines.push(`${indent}${k}: ${b[0]}`, ...b.slice(1));
          continue;
        }
      }
      const out = emit(v, `${indent}${INDENT}`);
      if (out.inline !== undefined) lines.push(`${indent}${k}: ${out.inline}`);
      else lines.push(`${indent}${k}:`, ...out.lines!);
    }
    return { lines };
  }
  if (typeof value === 'string') {
    const b = block(value, indent);
    // A block scalar as a sequence item: its header goes on the dash's line, its lines one level in.
    if (b) return { lines: [`${indent}${b[0]}`, ...b.slice(1)] };
  }
  return { inline: scalar(value as string | number | boolean | null) };
}

/** `value` as a YAML document (no `---`), ending with a newline. */
export function toYaml(value: YamlValue): string {
  const top = typeof value === 'string' ? block(value, INDENT) : undefined; // a document that is one block scalar
  if (top) return `${top.join('\n')}\n`;
  const out = emit(value, '');
  return `${out.inline ?? out.lines!.join('\n')}\n`;
}

/** A cloud-init `#cloud-config` user-data document. */
export function cloudConfig(doc: { readonly [key: string]: YamlValue | undefined }): string {
  return `#cloud-config\n${toYaml(doc)}`;
}
