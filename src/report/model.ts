/**
 * A read-only model of a synthesized app (`cdktf.out`): every stack's
 * resources, and references between resources followed across stacks
 * (consumer `terraform_remote_state` outputs → the producer's output value).
 * The report and the diagram are built on it; it needs no provider, no
 * network and no Terraform.
 */
import * as fs from 'fs';
import * as path from 'path';
import { scanTemplate } from '../validation/expressions';
import type { TfAttributes } from '../tf-json';

/** One resource of one stack. */
export interface ModelResource {
  readonly stack: string;
  readonly type: string;
  readonly name: string;
  /** `<stack>/<type>.<name>`: unique across the app. */
  readonly key: string;
  readonly config: Readonly<Record<string, unknown>>;
}

/** One synthesized stack. */
export interface ModelStack {
  readonly name: string;
  /** Stacks it reads from (cdktf manifest `dependencies`). */
  readonly dependencies: readonly string[];
  readonly json: Readonly<TfAttributes>;
}

/** The synthesized app. */
export interface AppModel {
  readonly stacks: readonly ModelStack[];
  readonly resources: readonly ModelResource[];
  /** The resource an expression refers to (`${azurerm_subnet.a.id}` or a cross-stack output), if any. */
  resolve(stack: string, value: unknown): ModelResource | undefined;
  /** Every resource an expression refers to. */
  resolveAll(stack: string, value: unknown): ModelResource[];
}

interface Manifest {
  readonly stacks: Record<string, { readonly synthesizedStackPath: string; readonly dependencies?: readonly string[] }>;
}

/** Reads `<outdir>/manifest.json` and every stack it lists. */
export function loadAppModel(outdir: string): AppModel {
  const manifestPath = path.join(outdir, 'manifest.json');
  if (!fs.existsSync(manifestPath)) {
    throw new Error(`${manifestPath} not found: synthesize first (npm run synth)`);
  }
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as Manifest;
  const stacks: ModelStack[] = Object.entries(manifest.stacks).map(([name, s]) => ({
    name,
    dependencies: [...(s.dependencies ?? [])],
    json: JSON.parse(fs.readFileSync(path.join(outdir, s.synthesizedStackPath), 'utf8')),
  }));
  return buildAppModel(stacks);
}

/** The model of already-parsed stacks. */
export function buildAppModel(stacks: readonly ModelStack[]): AppModel {
  const resources: ModelResource[] = [];
  const byKey = new Map<string, ModelResource>();
  for (const stack of stacks) {
    for (const [type, byName] of Object.entries((stack.json.resource ?? {}) as Record<string, Record<string, Record<string, unknown>>>)) {
      for (const [name, config] of Object.entries(byName)) {
        const r: ModelResource = { stack: stack.name, type, name, key: `${stack.name}/${type}.${name}`, config };
        resources.push(r);
        byKey.set(r.key, r);
      }
    }
  }
  // Cross-stack outputs: output name → [producer stack, value].
  const outputs = new Map<string, { stack: string; value: unknown }>();
  for (const stack of stacks) {
    for (const [name, output] of Object.entries((stack.json.output ?? {}) as Record<string, { value: unknown }>)) {
      outputs.set(name, { stack: stack.name, value: output.value });
    }
  }

  const resolveAll = (stack: string, value: unknown, depth = 0): ModelResource[] => {
    if (typeof value !== 'string' || depth > 4) return [];
    const found: ModelResource[] = [];
    for (const ref of scanTemplate(value).references) {
      const attrs = ref.steps.filter((s): s is { kind: 'attr'; name: string } => s.kind === 'attr').map((s) => s.name);
      if (ref.root === 'data' && attrs[0] === 'terraform_remote_state' && attrs[2] === 'outputs' && attrs[3]) {
        const output = outputs.get(attrs[3]);
        if (output) found.push(...resolveAll(output.stack, output.value, depth + 1));
        continue;
      }
      if (ref.root === 'local' && attrs[0]) {
        const local = stacks.find((s) => s.name === stack)?.json.locals?.[attrs[0]];
        found.push(...resolveAll(stack, local, depth + 1));
        continue;
      }
      const r = attrs[0] ? byKey.get(`${stack}/${ref.root}.${attrs[0]}`) : undefined;
      if (r) found.push(r);
    }
    return found;
  };

  return {
    stacks,
    resources,
    resolve: (stack, value) => resolveAll(stack, value)[0],
    resolveAll: (stack, value) => resolveAll(stack, value),
  };
}

/** Stacks in an order that deploys every producer before its consumers (ties by name). */
export function deployOrder(stacks: ReadonlyArray<Pick<ModelStack, 'name' | 'dependencies'>>): string[] {
  const remaining = new Map(stacks.map((s) => [s.name, new Set(s.dependencies)]));
  const order: string[] = [];
  while (remaining.size > 0) {
    const known = (d: string) => stacks.some((s) => s.name === d);
    const ready = [...remaining].filter(([, deps]) => [...deps].every((d) => order.includes(d) || !known(d)));
    const next = ready.map(([n]) => n).sort();
    if (next.length === 0) throw new Error(`stack dependencies form a cycle: ${[...remaining.keys()].join(', ')}`);
    for (const n of next) {
      order.push(n);
      remaining.delete(n);
    }
  }
  return order;
}

/** The first element of a block that cdktf may emit as an object or a one-element list. */
export function firstBlock(value: unknown): Record<string, unknown> | undefined {
  if (Array.isArray(value)) return value[0] as Record<string, unknown> | undefined;
  return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
}

/** Every element of a block (object or list of objects). */
export function blocks(value: unknown): Record<string, unknown>[] {
  if (Array.isArray(value)) return value as Record<string, unknown>[];
  return value && typeof value === 'object' ? [value as Record<string, unknown>] : [];
}
