import { AzurermProvider, AzurermProviderConfig } from '@cdktf/provider-azurerm/lib/provider';
import { RandomProvider } from '@cdktf/provider-random/lib/provider';
import { TerraformProvider, TerraformStack } from 'cdktf';
import { StringResource } from '@cdktf/provider-random/lib/string-resource';
import { Construct, IConstruct } from 'constructs';

const RANDOM_PROVIDER_ID = 'random';
const AZURERM_PROVIDER_ID = 'azurerm';

/** The stack's default (un-aliased) provider of a type, whatever its construct id. */
function findProvider(stack: TerraformStack, type: string): TerraformProvider | undefined {
  return stack.node.children.find(
    (c): c is TerraformProvider => TerraformProvider.isTerraformProvider(c) && c.terraformResourceType === type && c.alias === undefined,
  );
}

/**
 * The stack's `random` provider: the one already in the stack (found by type, whatever its id — a consumer's own
 * `RandomProvider` is reused), else one created with id "random". Constructs that generate values call this.
 */
export function ensureRandomProvider(scope: IConstruct): RandomProvider {
  const stack = TerraformStack.of(scope);
  const existing = findProvider(stack, 'random');
  if (existing) return existing as RandomProvider;
  return new RandomProvider(stack, RANDOM_PROVIDER_ID);
}

/**
 * The stack's default `azurerm` provider: the one already in the stack (found by type, whatever its id), else one
 * created with id "azurerm" and `config` (`features` defaults to `[{}]`).
 */
export function ensureAzurermProvider(scope: IConstruct, config: Partial<AzurermProviderConfig> = {}): AzurermProvider {
  const stack = TerraformStack.of(scope);
  const existing = findProvider(stack, 'azurerm');
  if (existing) return existing as AzurermProvider;
  return new AzurermProvider(stack, AZURERM_PROVIDER_ID, { features: [{}], ...config });
}

/**
 * A 6-character lowercase alphanumeric suffix generated once and kept in state (`random_string` "name-suffix" under
 * `scope`), for globally unique names: storage accounts, the Key Vault.
 */
export function uniqueNameSuffix(scope: Construct): string {
  ensureRandomProvider(scope);
  return new StringResource(scope, 'name-suffix', { length: 6, upper: false, special: false, numeric: true }).result;
}
