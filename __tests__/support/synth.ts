/** Helpers to synthesize stacks and read resources out of the Terraform JSON. */
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { App, TerraformStack, Testing } from 'cdktf';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseConfig } from '../../src/config/load';
import type { EnvironmentConfig, EnvironmentConfigInput } from '../../src/config/schema';
import { addPhotogrammetryStacks, STACK_NAMES, StackName } from '../../stacks/app';

import { resourceNamed, resourcesOf, type TfJson } from '../../src/testing';

export { resourceNamed, resourcesOf };
export type { TfJson };

/** Synthesizes one construct tree inside a bare stack that has the azurerm provider. */
export function synthInStack(build: (stack: TerraformStack) => void, runValidations = false): TfJson {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'test');
  new AzurermProvider(stack, 'azurerm', { features: [{}] });
  build(stack);
  return JSON.parse(Testing.synth(stack, runValidations)) as TfJson;
}

/** The result of synthesizing the whole app into a fresh directory. */
export interface SynthesizedApp {
  readonly outdir: string;
  readonly config: EnvironmentConfig;
  readonly manifest: { stacks: Record<string, { dependencies: string[]; annotations: Array<{ level: string; message: string }> }> };
  readonly stacks: Record<StackName, TfJson>;
}

/** Synthesizes the whole app (all stacks, with cross-stack references resolved) into a temp dir. */
export function synthApp(input: EnvironmentConfigInput = {}): SynthesizedApp {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgm-synth-'));
  const config = parseConfig(input);
  const app = new App({ outdir, stackTraces: false });
  addPhotogrammetryStacks(app, config);
  app.synth();
  const read = (file: string) => JSON.parse(fs.readFileSync(path.join(outdir, file), 'utf8'));
  const stacks = Object.fromEntries(STACK_NAMES.map((s) => [s, read(`stacks/${s}/cdk.tf.json`)])) as Record<StackName, TfJson>;
  return { outdir, config, manifest: read('manifest.json'), stacks };
}
