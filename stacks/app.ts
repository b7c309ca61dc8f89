import { App } from 'cdktf';
import type { EnvironmentConfig } from '../src/config/schema';
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

/** Adds the network, storage and compute stacks, wired network → storage → compute, to `app`. */
export function addPhotogrammetryStacks(app: App, config: EnvironmentConfig): PhotogrammetryStacks {
  const network = new NetworkStack(app, 'network', { config });
  const storage = new StorageStack(app, 'storage', { config, network });
  const compute = new ComputeStack(app, 'compute', { config, network, storage });
  return { network, storage, compute };
}
