import { RandomProvider } from '@cdktf/provider-random/lib/provider';
import { TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';

const RANDOM_PROVIDER_ID = 'random';

/** The stack's `random` provider, created on first use (constructs that generate values call this). */
export function ensureRandomProvider(scope: IConstruct): RandomProvider {
  const stack = TerraformStack.of(scope);
  const existing = stack.node.tryFindChild(RANDOM_PROVIDER_ID);
  if (existing instanceof RandomProvider) return existing;
  return new RandomProvider(stack, RANDOM_PROVIDER_ID);
}
