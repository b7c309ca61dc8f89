import { AzurermBackend, LocalBackend, TerraformStack } from 'cdktf';
import * as path from 'path';
import type { BackendConfig } from '../src/config/schema';
import { InputError, show } from '../src/errors';

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
  // The backend block (and the terraform_remote_state blocks built from it) are read by Terraform, which evaluates
  // "${" and "%{" in them; a literal value must not contain either (the configuration refuses them too: AZ-TF-TEMPLATE).
  const templated = Object.entries(backend).filter(([, v]) => typeof v === 'string' && /\$\{|%\{/.test(v));
  if (templated.length > 0)
    throw new InputError(
      `backend of stack ${name}`,
      templated.map(([k, v]) => ({
        path: `backend.${k}`,
        message: `${show(v)} contains "\${" or "%{", which Terraform would evaluate in the backend and terraform_remote_state blocks; write the literal value`,
      })),
    );
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
