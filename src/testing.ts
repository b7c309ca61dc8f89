/**
 * Helpers for asserting on a synthesized environment (built on cdktf's `Testing` and the synthesized JSON): synth an
 * App into a temporary folder and read every stack, pick resources by type and name, list NSG rules. They throw
 * plain Errors, so they work with any test runner. Our own tests use them.
 */
import { App, TerraformStack, Testing } from 'cdktf';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { TfAttributes } from './tf-json';

/** A synthesized stack: the parsed `cdk.tf.json`. */
export type TfJson = {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, Record<string, unknown>>;
  locals?: Record<string, unknown>;
  variable?: Record<string, Record<string, unknown>>;
  terraform?: Record<string, unknown>;
  provider?: Record<string, unknown>;
  [key: string]: unknown;
};

/** Every stack of a synthesized App. */
export interface SynthesizedEnvironment {
  readonly outdir: string;
  /** By stack id. */
  readonly stacks: Record<string, TfJson>;
  readonly manifest: { stacks: Record<string, { dependencies: string[]; annotations: Array<{ level: string; message: string }> }> };
}

/**
 * Synthesizes `build`'s App (created with a fresh temporary `outdir`) and reads every stack back. Validations run
 * (duplicate NSG priorities, overlapping subnets...): a problem throws with every construct path named.
 */
export function synthEnvironment(build: (app: App) => void): SynthesizedEnvironment {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgm-synth-'));
  const app = new App({ outdir, stackTraces: false });
  build(app);
  app.synth();
  const read = (file: string) => JSON.parse(fs.readFileSync(path.join(outdir, file), 'utf8'));
  const manifest = read('manifest.json');
  const stacks = Object.fromEntries(Object.keys(manifest.stacks).map((s) => [s, read(`stacks/${s}/cdk.tf.json`) as TfJson]));
  return { outdir, stacks, manifest };
}

/** One stack synthesized with cdktf's `Testing.synth` (metadata removed), with validations. */
export function synthStack(stack: TerraformStack, runValidations = true): TfJson {
  return JSON.parse(Testing.synth(stack, runValidations)) as TfJson;
}

/** All resources of one type: `[logical id, config]` pairs. */
export function resourcesOf(json: TfJson, type: string): Array<[string, TfAttributes]> {
  return Object.entries(json.resource?.[type] ?? {});
}

/** The single resource of `type` whose `name` (Azure name) or logical id matches; throws unless exactly one does. */
export function resourceNamed(json: TfJson, type: string, name: string): TfAttributes {
  const found = resourcesOf(json, type).filter(([logical, r]) => r.name === name || logical === name);
  if (found.length !== 1) {
    throw new Error(
      `expected one ${type} named ${name}, found ${found.length}: ${resourcesOf(json, type)
        .map(([, r]) => r.name)
        .join(', ')}`,
    );
  }
  return found[0][1];
}

/** The `azurerm_network_security_rule` resources of a stack as `{ name, priority, nsg }` (nsg: the NSG name or its reference). */
export function nsgRules(json: TfJson): Array<{ name: string; priority: number; nsg: string }> {
  return resourcesOf(json, 'azurerm_network_security_rule').map(([, r]) => ({ name: r.name, priority: r.priority, nsg: r.network_security_group_name }));
}

/** Throws when `json` has no resource of `type` matching every property of `expected` (shallow equality per property). */
export function assertHasResource(json: TfJson, type: string, expected: Record<string, unknown>): void {
  const ok = resourcesOf(json, type).some(([, r]) => Object.entries(expected).every(([k, v]) => JSON.stringify(r[k]) === JSON.stringify(v)));
  if (!ok)
    throw new Error(
      `no ${type} with ${JSON.stringify(expected)}; have ${
        resourcesOf(json, type)
          .map(([k]) => k)
          .join(', ') || 'none'
      }`,
    );
}
