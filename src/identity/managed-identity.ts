/**
 * Managed identities of the compute machines: the system-assigned identity every scheduler and scale set has (the
 * vault grants read it), plus user-assigned identities a platform team attaches for its own access (AVM's
 * `managedIdentities`).
 */
import { InputIssue, show } from '../errors';

/** `/subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.ManagedIdentity/userAssignedIdentities/<name>`. */
const USER_ASSIGNED_ID = /^\/subscriptions\/[0-9a-fA-F-]{36}\/resourceGroups\/[^/]+\/providers\/Microsoft\.ManagedIdentity\/userAssignedIdentities\/[^/]+$/i;

/** The `identity` block: system-assigned always, user-assigned ones added when given. */
export function managedIdentity(userAssignedIdentityIds?: readonly string[]): { type: string; identityIds?: string[] } {
  return userAssignedIdentityIds && userAssignedIdentityIds.length > 0
    ? { type: 'SystemAssigned, UserAssigned', identityIds: [...userAssignedIdentityIds] }
    : { type: 'SystemAssigned' };
}

/** Each id is a user-assigned identity's resource id (or a Terraform reference to one), given once. */
export function userAssignedIdentityIssues(path: string, ids: readonly string[] | undefined): InputIssue[] {
  const issues: InputIssue[] = [];
  const seen = new Set<string>();
  (ids ?? []).forEach((id, i) => {
    if (typeof id !== 'string' || (!id.includes('${') && !USER_ASSIGNED_ID.test(id))) {
      issues.push({
        path: `${path}[${i}]`,
        message: `${show(id)} is not the resource id of a user-assigned identity (/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.ManagedIdentity/userAssignedIdentities/<name>)`,
      });
    } else if (seen.has(id.toLowerCase())) issues.push({ path: `${path}[${i}]`, message: `${show(id)} is given twice` });
    seen.add(String(id).toLowerCase());
  });
  return issues;
}
