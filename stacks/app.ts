import { App } from 'cdktf';
import type { EnvironmentConfig } from '../src/config/schema';
import { InputError } from '../src/errors';
import { acknowledgeWarning } from '../src/warnings';
import { ComputeStack } from './compute-stack';
import { NetworkStack } from './network-stack';
import { StorageStack } from './storage-stack';

/** Stack names in deploy order. */
export const STACK_NAMES = ['network', 'storage', 'compute'] as const;
export type StackName = (typeof STACK_NAMES)[number];

/** The three stacks of one environment. */
export interface PhotogrammetryStacks {
  readonly network: NetworkStack;
  readonly storage: StorageStack;
  readonly compute: ComputeStack;
}

/** Options of {@link addPhotogrammetryStacks}. */
export interface PhotogrammetryStacksOptions {
  /**
   * Environment name: the stack ids become `<environment>-network`, `<environment>-storage`, `<environment>-compute`
   * (state keys and the `stack` tag follow), so one App holds several environments. Give each environment its own
   * `namePrefix` in its configuration too (Azure names come from it).
   * @default none — the ids are `network`, `storage`, `compute`
   */
  readonly environment?: string;
}

/** The stack id of `name` for an environment (see {@link PhotogrammetryStacksOptions.environment}). */
export function stackId(name: StackName, environment?: string): string {
  return environment ? `${environment}-${name}` : name;
}

/** Adds the network, storage and compute stacks, wired network → storage → compute, to `app`. */
export function addPhotogrammetryStacks(app: App, config: EnvironmentConfig, options: PhotogrammetryStacksOptions = {}): PhotogrammetryStacks {
  const env = options.environment;
  if (env !== undefined && !/^[a-z][a-z0-9-]{0,19}$/.test(env)) {
    throw new InputError('addPhotogrammetryStacks options', [
      { path: 'environment', message: `${JSON.stringify(env)} is not allowed; use 1–20 lowercase letters, digits or hyphens, starting with a letter` },
    ]);
  }
  for (const name of STACK_NAMES) {
    if (app.node.tryFindChild(stackId(name, env))) {
      throw new InputError('addPhotogrammetryStacks options', [
        { path: 'environment', message: `the app already has a stack ${JSON.stringify(stackId(name, env))}; give each environment its own name` },
      ]);
    }
  }
  const network = new NetworkStack(app, stackId('network', env), { config });
  const storage = new StorageStack(app, stackId('storage', env), { config, network });
  const compute = new ComputeStack(app, stackId('compute', env), { config, network, storage });
  for (const { id, reason } of config.acknowledgedWarnings) for (const stack of [network, storage, compute]) acknowledgeWarning(stack, id, reason);
  return { network, storage, compute };
}
