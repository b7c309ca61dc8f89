/**
 * A tolerant scanner for Terraform (HCL) templates and expressions, just
 * enough to find the references an expression makes (`var.x`, `local.y`,
 * `azurerm_subnet.a.id`, `data.t.n`, `module.m`, ...).
 *
 * It understands what cdktf emits and what people write by hand: `${...}`
 * interpolations and `%{...}` directives (with `$${` / `%%{` escapes), string
 * literals inside expressions (which are templates themselves, so nesting
 * works), function calls (`element(...)`, `provider::azurerm::x(...)`),
 * attribute, index and splat traversals (`a.b[0].c`, `a.*.b`, `a[*].b`),
 * `for` expressions and `%{ for }` directives (their iteration variables are
 * not references), heredocs, and HCL identifiers containing dashes
 * (`hpc-network_subnet_1A2B`). It does not evaluate anything and never throws:
 * malformed input yields what could be read plus an error message.
 */

/** One step after the root of a traversal. */
export type TraversalStep =
  { readonly kind: 'attr'; readonly name: string } | { readonly kind: 'index'; readonly key?: string | number } | { readonly kind: 'splat' };

/** A reference such as `azurerm_subnet.a[0].id`: root `azurerm_subnet`, then attr `a`, index 0, attr `id`. */
export interface Reference {
  readonly root: string;
  readonly steps: readonly TraversalStep[];
}

/** What a scan found. */
export interface ScanResult {
  readonly references: Reference[];
  /** Syntax problems (e.g. an unterminated `${`); empty for well-formed input. */
  readonly errors: string[];
}

/** Names bound by enclosing `for` expressions or directives. */
type Scope = ReadonlyArray<ReadonlySet<string>>;

interface Cursor {
  readonly s: string;
  i: number;
  readonly refs: Reference[];
  readonly errors: string[];
}

const KEYWORDS = new Set(['true', 'false', 'null', 'for', 'in', 'if', 'else', 'endif', 'endfor']);

/** References in a template string (a JSON attribute value: literal text with `${...}` and `%{...}`). */
export function scanTemplate(template: string): ScanResult {
  const cur: Cursor = { s: template, i: 0, refs: [], errors: [] };
  template_(cur, [], null);
  return { references: cur.refs, errors: cur.errors };
}

/** References in a bare expression (`depends_on` entries, `import.to`): `azurerm_x.y`, `module.m`. */
export function scanExpression(expression: string): ScanResult {
  const cur: Cursor = { s: expression, i: 0, refs: [], errors: [] };
  expr(cur, [], null);
  if (cur.i < cur.s.length) cur.errors.push(`unexpected "${cur.s[cur.i]}" at offset ${cur.i}`);
  return { references: cur.refs, errors: cur.errors };
}

/** True when the string has an interpolation or directive, i.e. its value is computed by Terraform. */
export function hasTemplateSequence(value: string): boolean {
  return /(^|[^$])\$\{|(^|[^%])%\{/.test(value);
}

/**
 * True when the whole string is one interpolation (`"${var.subnets}"`): its
 * value is the expression's value, of any type. Any other template is a string.
 */
export function isSingleInterpolation(value: string): boolean {
  if (!value.startsWith('${')) return false;
  const cur: Cursor = { s: value, i: 2, refs: [], errors: [] };
  if (cur.s[cur.i] === '~') cur.i++;
  expr(cur, [], '}');
  return cur.errors.length === 0 && cur.i === value.length - 1 && value[cur.i] === '}';
}

/** Renders a reference like Terraform does: `azurerm_subnet.a[0].id`, `a.*.b`. */
export function formatReference(ref: Reference): string {
  return ref.root + ref.steps.map(formatStep).join('');
}

function formatStep(step: TraversalStep): string {
  if (step.kind === 'attr') return `.${step.name}`;
  if (step.kind === 'splat') return '.*';
  return step.key === undefined ? '[...]' : `[${JSON.stringify(step.key)}]`;
}

// ---------------------------------------------------------------------------
// Scanner

/**
 * Template text until `terminator` (`"` for a quoted string inside an
 * expression, where backslash escapes apply; null = end of input). Leaves the
 * cursor after the terminator.
 */
function template_(cur: Cursor, scope: Scope, terminator: '"' | null): void {
  const forVars: Array<Set<string>> = [];
  const { s } = cur;
  while (cur.i < s.length) {
    const c = s[cur.i];
    if (terminator && c === '\\') {
      cur.i += 2;
    } else if (terminator && c === terminator) {
      cur.i++;
      return;
    } else if ((c === '$' || c === '%') && s[cur.i + 1] === c && s[cur.i + 2] === '{') {
      cur.i += 3; // `$${` / `%%{`: a literal `${` / `%{`
    } else if (c === '$' && s[cur.i + 1] === '{') {
      interpolation(cur, scope.concat(forVars));
    } else if (c === '%' && s[cur.i + 1] === '{') {
      directive(cur, scope.concat(forVars), forVars);
    } else {
      cur.i++;
    }
  }
  if (terminator) cur.errors.push('unterminated string literal');
}

/** `${ expr }` at the cursor. */
function interpolation(cur: Cursor, scope: Scope): void {
  const start = cur.i;
  cur.i += 2;
  if (cur.s[cur.i] === '~') cur.i++;
  expr(cur, scope, '}');
  if (cur.s[cur.i] === '}') cur.i++;
  else cur.errors.push(`unterminated interpolation starting at offset ${start}: ${cur.s.slice(start, start + 40)}`);
}

/** `%{ for k, v in coll }`, `%{ endfor }`, `%{ if cond }`, `%{ else }`, `%{ endif }` at the cursor. */
function directive(cur: Cursor, scope: Scope, forVars: Array<Set<string>>): void {
  const start = cur.i;
  cur.i += 2;
  if (cur.s[cur.i] === '~') cur.i++;
  skipSpace(cur);
  const word = /^[A-Za-z]+/.exec(cur.s.slice(cur.i))?.[0] ?? '';
  if (word === 'for') {
    cur.i += 3;
    const names = forHeader(cur);
    expr(cur, scope, '}');
    forVars.push(new Set(names));
  } else {
    if (word === 'endfor') forVars.pop();
    if (['if', 'else', 'endif', 'endfor'].includes(word)) cur.i += word.length;
    expr(cur, scope, '}');
  }
  if (cur.s[cur.i] === '}') cur.i++;
  else cur.errors.push(`unterminated directive starting at offset ${start}`);
}

/** After `for`: the iteration variable names up to and including `in`. */
function forHeader(cur: Cursor): string[] {
  const names: string[] = [];
  for (;;) {
    skipSpace(cur);
    const name = identifier(cur);
    if (!name) return names;
    if (name === 'in') return names;
    names.push(name);
    skipSpace(cur);
    if (cur.s[cur.i] === ',') cur.i++;
  }
}

const CLOSERS: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

/**
 * An expression until the unmatched `closer` (left at the cursor) or the end.
 * Brackets nest; `[for ...` and `{for ...` bind their variables inside.
 */
function expr(cur: Cursor, scope: Scope, closer: string | null): void {
  const { s } = cur;
  let previous = ''; // last significant character, to tell `x.attr` from a new root
  while (cur.i < s.length) {
    const c = s[cur.i];
    if (c === closer) return;
    if (c === ')' || c === ']' || c === '}') {
      cur.errors.push(`unbalanced "${c}" at offset ${cur.i}`);
      cur.i++;
      previous = c;
    } else if (/\s/.test(c)) {
      cur.i++;
    } else if (c === '"') {
      cur.i++;
      template_(cur, scope, '"');
      previous = '"';
    } else if (c === '<' && s[cur.i + 1] === '<' && /^<<-?[A-Za-z_]/.test(s.slice(cur.i, cur.i + 4))) {
      heredoc(cur, scope);
      previous = '"';
    } else if (c in CLOSERS) {
      cur.i++;
      bracketed(cur, scope, CLOSERS[c]);
      previous = CLOSERS[c];
    } else if (/[0-9]/.test(c)) {
      cur.i = skipNumber(s, cur.i);
      previous = '0';
    } else if (/[A-Za-z_]/.test(c)) {
      const name = identifier(cur);
      if (previous === '.') {
        previous = 'a'; // attribute of a non-reference expression: `tolist(x).name`
      } else {
        reference(cur, scope, name);
        previous = 'a';
      }
    } else {
      previous = c;
      cur.i++;
    }
  }
}

/** Inside `(`, `[` or `{` (already consumed): nested expression, `for` bindings, then the closer. */
function bracketed(cur: Cursor, scope: Scope, closer: string): void {
  skipSpace(cur);
  let inner = scope;
  if (closer !== ')' && /^for\b/.test(cur.s.slice(cur.i, cur.i + 4))) {
    cur.i += 3;
    inner = scope.concat([new Set(forHeader(cur))]);
  }
  expr(cur, inner, closer);
  if (cur.s[cur.i] === closer) cur.i++;
  else cur.errors.push(`missing "${closer}"`);
}

/**
 * After a root identifier `name`: a function call, a keyword, a name bound by
 * `for`, or a reference. Only traversals with at least one step are recorded
 * (a bare name is an object key such as `{ name = 1 }` or an error Terraform
 * reports itself).
 */
function reference(cur: Cursor, scope: Scope, name: string): void {
  let j = cur.i;
  while (/\s/.test(cur.s[j] ?? '')) j++;
  if (cur.s[j] === '(' || name.includes('::')) return; // function call; its arguments are scanned by expr
  if (KEYWORDS.has(name) || scope.some((vars) => vars.has(name))) {
    steps(cur, scope); // `each.value` style chains of bound names are not references
    return;
  }
  const traversal = steps(cur, scope);
  if (traversal.length > 0) cur.refs.push({ root: name, steps: traversal });
}

/** The traversal steps at the cursor: `.name`, `.0`, `.*`, `[expr]`, `[*]`. */
function steps(cur: Cursor, scope: Scope): TraversalStep[] {
  const out: TraversalStep[] = [];
  const { s } = cur;
  for (;;) {
    if (s[cur.i] === '.' && s[cur.i + 1] === '*') {
      cur.i += 2;
      out.push({ kind: 'splat' });
    } else if (s[cur.i] === '.' && /[0-9]/.test(s[cur.i + 1] ?? '')) {
      const start = cur.i + 1;
      cur.i = start;
      while (/[0-9]/.test(s[cur.i] ?? '')) cur.i++;
      out.push({ kind: 'index', key: Number(s.slice(start, cur.i)) });
    } else if (s[cur.i] === '.' && /[A-Za-z_]/.test(s[cur.i + 1] ?? '')) {
      cur.i++;
      out.push({ kind: 'attr', name: identifier(cur) });
    } else if (s[cur.i] === '[') {
      const inside = s.slice(cur.i + 1).match(/^\s*(\*|\d+|"[^"\\$%]*")\s*\]/);
      if (inside) {
        cur.i += 1 + inside[0].length;
        const key = inside[1];
        out.push(key === '*' ? { kind: 'splat' } : { kind: 'index', key: key.startsWith('"') ? key.slice(1, -1) : Number(key) });
      } else {
        cur.i++;
        bracketed(cur, scope, ']');
        out.push({ kind: 'index' });
      }
    } else {
      return out;
    }
  }
}

/** An HCL identifier at the cursor (letters, digits, `_`, `-`; `::` joins provider function names). */
function identifier(cur: Cursor): string {
  const match = /^[A-Za-z_][A-Za-z0-9_-]*(?:::[A-Za-z_][A-Za-z0-9_-]*)*/.exec(cur.s.slice(cur.i, cur.i + 512));
  if (!match) return '';
  cur.i += match[0].length;
  return match[0];
}

/** `<<EOT` / `<<-EOT` heredoc: its lines are a template until the closing marker line. */
function heredoc(cur: Cursor, scope: Scope): void {
  const header = /^<<-?([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\r?\n/.exec(cur.s.slice(cur.i));
  if (!header) {
    cur.i += 2;
    return;
  }
  const bodyStart = cur.i + header[0].length;
  const end = new RegExp(`^[ \\t]*${header[1]}[ \\t]*$`, 'm');
  const rest = cur.s.slice(bodyStart);
  const close = end.exec(rest);
  const body = close ? rest.slice(0, close.index) : rest;
  const inner: Cursor = { s: body, i: 0, refs: cur.refs, errors: cur.errors };
  template_(inner, scope, null);
  if (!close) cur.errors.push(`unterminated heredoc ${header[1]}`);
  cur.i = close ? bodyStart + close.index + close[0].length : cur.s.length;
}

function skipNumber(s: string, i: number): number {
  const match = /^\d+(\.\d+)?([eE][+-]?\d+)?/.exec(s.slice(i, i + 64));
  return i + (match ? match[0].length : 1);
}

function skipSpace(cur: Cursor): void {
  while (/\s/.test(cur.s[cur.i] ?? '')) cur.i++;
}
