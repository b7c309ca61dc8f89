/**
 * Checks that the references inside `${...}` expressions name things the
 * stack declares: resources, data sources (`terraform_remote_state`
 * included), variables, locals and modules, and that `each`, `count`, `self`
 * and dynamic-block iterators are used only where they exist.
 */
import { formatReference, Reference, scanExpression, scanTemplate, ScanResult, TraversalStep } from './expressions';
import type { ProblemCode } from './problems';
import { BlockSchema, normalizeAttributeName } from './schema-index';
import { didYouMean } from './suggest';

/** A declared resource, data source or ephemeral resource. */
export interface DeclaredBlock {
  /** Its schema, when one is loaded. */
  readonly schema?: BlockSchema;
  /** It has `count` or `for_each`, so references need an instance key. */
  readonly repeated: boolean;
}

/** Everything a stack declares that expressions can refer to. */
export interface Declarations {
  /** type → name → block. */
  readonly resources: ReadonlyMap<string, ReadonlyMap<string, DeclaredBlock>>;
  readonly dataSources: ReadonlyMap<string, ReadonlyMap<string, DeclaredBlock>>;
  readonly ephemeral: ReadonlyMap<string, ReadonlyMap<string, DeclaredBlock>>;
  readonly variables: ReadonlySet<string>;
  readonly locals: ReadonlySet<string>;
  readonly modules: ReadonlySet<string>;
}

/** What is in scope where an expression appears. */
export interface RefScope {
  /** `each.key` / `each.value` (inside a block with `for_each`). */
  readonly each: boolean;
  /** `count.index` (inside a block with `count`). */
  readonly count: boolean;
  /** `self` (inside `provisioner`, `connection`, `postcondition`). */
  readonly self: boolean;
  /** Dynamic block iterator names in scope (`subnet.value`). */
  readonly iterators: ReadonlySet<string>;
  /** Address of the enclosing resource (`azurerm_subnet.a`), which must not refer to itself. */
  readonly selfAddress?: string;
}

/** A scope with nothing in it (outputs, locals, provider blocks). */
export const ROOT_SCOPE: RefScope = { each: false, count: false, self: false, iterators: new Set() };

/** Where reference problems go. */
export type Reporter = (path: string, code: ProblemCode, message: string) => void;

/** Scans one template string (an attribute value) and checks its references. */
export function checkTemplate(text: string, path: string, scope: RefScope, decl: Declarations, report: Reporter): void {
  if (text.includes('TfToken[')) {
    report(
      path,
      'invalid-expression',
      `contains an unresolved cdktf token (${truncate(text)}): a token was turned into a string where cdktf could not resolve it`,
    );
    return;
  }
  if (!text.includes('{')) return; // fast path: no `${` or `%{`, nothing to scan
  reportScan(scanTemplate(text), text, path, scope, decl, report);
}

/**
 * Scans one bare expression string (a `depends_on` entry, `import.to`),
 * accepting the legacy `"${...}"` wrapping too, and checks its references.
 * Returns the references found.
 */
export function checkExpression(text: string, path: string, scope: RefScope, decl: Declarations, report: Reporter): Reference[] {
  const unwrapped = /^\$\{([\s\S]*)\}$/.exec(text)?.[1] ?? text;
  const scan = scanExpression(unwrapped);
  reportScan(scan, text, path, scope, decl, report);
  return scan.references;
}

function reportScan(scan: ScanResult, text: string, path: string, scope: RefScope, decl: Declarations, report: Reporter): void {
  for (const error of scan.errors) report(path, 'invalid-expression', `${error} in ${truncate(text)}`);
  for (const ref of scan.references) checkReference(ref, path, scope, decl, report);
}

/** Checks one reference against the declarations and the scope. */
export function checkReference(ref: Reference, path: string, scope: RefScope, decl: Declarations, report: Reporter): void {
  const first = attrAt(ref.steps, 0);
  const text = formatReference(ref);
  const invalid = (why: string) => report(path, 'invalid-reference', `invalid reference ${text}: ${why}`);
  if (scope.iterators.has(ref.root)) return;
  switch (ref.root) {
    case 'var':
      if (first !== undefined && !decl.variables.has(first))
        report(path, 'undeclared-variable', `reference to undeclared variable "${first}" (${text})${didYouMean(first, decl.variables)}`);
      return;
    case 'local':
      if (first !== undefined && !decl.locals.has(first))
        report(path, 'undeclared-local', `reference to undeclared local value "${first}" (${text})${didYouMean(first, decl.locals)}`);
      return;
    case 'module':
      if (first !== undefined && !decl.modules.has(first))
        report(path, 'undeclared-module', `reference to undeclared module "${first}" (${text})${didYouMean(first, decl.modules)}`);
      return;
    case 'data':
    case 'ephemeral':
      checkBlockReference(ref.root, ref.steps.slice(1), first, text, path, scope, decl, report);
      return;
    case 'path':
      if (!['module', 'root', 'cwd'].includes(first ?? '')) invalid('"path" has only module, root and cwd');
      return;
    case 'terraform':
      if (!['workspace', 'applying'].includes(first ?? '')) invalid('"terraform" has only workspace and applying');
      return;
    case 'count':
      if (!scope.count) invalid('"count" is only available in a resource, data or module block that sets count');
      else if (first !== 'index') invalid('"count" has only index');
      return;
    case 'each':
      if (!scope.each) invalid('"each" is only available in a resource, data or module block that sets for_each');
      else if (first !== 'key' && first !== 'value') invalid('"each" has only key and value');
      return;
    case 'self':
      if (!scope.self) invalid('"self" is only available in provisioner and connection blocks and postconditions');
      return;
    default:
      checkBlockReference('resource', ref.steps, ref.root, text, path, scope, decl, report);
  }
}

const KIND_WORDS = { resource: 'resource', data: 'data source', ephemeral: 'ephemeral resource' } as const;

/**
 * `<type>.<name>[.attr]` after `data.`/`ephemeral.` (or at the root for a
 * managed resource): the block must be declared, an attribute must exist in
 * its schema, and a repeated block needs an instance key first.
 */
function checkBlockReference(
  kind: keyof typeof KIND_WORDS,
  steps: readonly TraversalStep[],
  type: string | undefined,
  text: string,
  path: string,
  scope: RefScope,
  decl: Declarations,
  report: Reporter,
): void {
  const name = attrAt(steps, 0);
  if (type === undefined || name === undefined) {
    report(path, 'invalid-reference', `invalid reference ${text}: a ${KIND_WORDS[kind]} reference needs a type and a name`);
    return;
  }
  const byType = kind === 'resource' ? decl.resources : kind === 'data' ? decl.dataSources : decl.ephemeral;
  const block = byType.get(type)?.get(name);
  const prefix = kind === 'resource' ? '' : `${kind}.`;
  const address = `${prefix}${type}.${name}`;
  if (!block) {
    const code: ProblemCode =
      kind !== 'data' ? 'undeclared-resource' : type === 'terraform_remote_state' ? 'undeclared-remote-state' : 'undeclared-data-source';
    const candidates = [...byType].flatMap(([t, names]) => [...names.keys()].map((n) => `${prefix}${t}.${n}`));
    report(path, code, `reference to undeclared ${KIND_WORDS[kind]} ${address} (${text})${didYouMean(address, candidates)}`);
    return;
  }
  if (kind === 'resource' && address === scope.selfAddress) {
    report(path, 'invalid-reference', `invalid reference ${text}: a resource cannot refer to itself (use "self" in provisioners)`);
    return;
  }
  const rest = steps.slice(1);
  if (block.repeated && rest[0]?.kind === 'attr') {
    const example = `${address}[0].${rest[0].name} or ${address}[*].${rest[0].name}`;
    report(path, 'missing-instance-key', `${address} has count or for_each, so ${text} needs an instance key, e.g. ${example}`);
    return;
  }
  const attr = rest.find((s): s is Extract<TraversalStep, { kind: 'attr' }> => s.kind === 'attr');
  if (attr && block.schema && !hasReadableAttribute(block.schema, attr.name)) {
    const names = readableAttributes(block.schema);
    report(path, 'unsupported-attribute-reference', `${address} has no attribute "${attr.name}" (${text})${didYouMean(attr.name, names)}`);
  }
}

/** Names that can be read from a resource: arguments, blocks, computed attributes and `id`. */
function readableAttributes(schema: BlockSchema): string[] {
  return ['id', ...Object.keys(schema.attributes), ...Object.keys(schema.blocks), ...(schema.computed ?? [])];
}

function hasReadableAttribute(schema: BlockSchema, name: string): boolean {
  if (name === 'id' || name in schema.attributes || name in schema.blocks) return true;
  const key = normalizeAttributeName(name);
  return (schema.computed ?? []).some((c) => {
    const n = normalizeAttributeName(c);
    return n === key || n === `${key}attribute`;
  });
}

/** The name of the `n`-th step when it is an attribute step. */
function attrAt(steps: readonly TraversalStep[], n: number): string | undefined {
  const step = steps[n];
  return step?.kind === 'attr' ? step.name : undefined;
}

function truncate(text: string, max = 80): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}...` : text);
}
