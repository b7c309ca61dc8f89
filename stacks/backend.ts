import { AzurermBackend, LocalBackend, TerraformStack } from 'cdktf';
import * as path from 'path';
import type { BackendConfig } from '../src/config/schema';

/**
 * Terraform runs each stack in `cdktf.out/stacks/<stack>/`; a local state path
 * relative to that folder keeps the synthesized JSON identical on every
 * machine (cdktf's default would bake in an absolute path) and lets consumer
 * stacks find the producer's state through `terraform_remote_state`.
 */
export const STACK_DIR_TO_PROJECT_ROOT = '../../..';

/** The local state file of `stackName`, as Terraform sees it from the stack's folder. */
export function localStatePath(stackName: string, stateDirectory = '.'): string {
  return path.posix.join(STACK_DIR_TO_PROJECT_ROOT, stateDirectory, `terraform.${stackName}.tfstate`);
}

/** The blob key of `stackName`'s state in an azurerm backend. */
export function azurermStateKey(stackName: string, keyPrefix: string): string {
  return `${keyPrefix.replace(/\/+$/, '')}/${stackName}.tfstate`;
}

/** Configures the stack's backend: local by default, Azure Blob (one key per stack) when configured. */
export function configureBackend(stack: TerraformStack, backend: BackendConfig): void {
  const name = stack.node.id;
  if (backend.type === 'local') {
    new LocalBackend(stack, { path: localStatePath(name, backend.stateDirectory) });
    return;
  }
  new AzurermBackend(stack, {
    resourceGroupName: backend.resourceGroupName,
    storageAccountName: backend.storageAccountName,
    containerName: backend.containerName,
    key: azurermStateKey(name, backend.keyPrefix),
    subscriptionId: backend.subscriptionId,
    useOidc: backend.useOidc || undefined,
    useAzureadAuth: backend.useAzureadAuth,
  });
}
