/**
 * The Azure Verified Modules interfaces the library offers where they matter: a resource lock, role assignments
 * and diagnostic settings on one resource (the vault, the core filer's storage account, the Lustre file system).
 */
import { ManagementLock } from '@cdktf/provider-azurerm/lib/management-lock';
import { MonitorDiagnosticSetting } from '@cdktf/provider-azurerm/lib/monitor-diagnostic-setting';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { InputIssue, show } from '../src/errors';

/** Lock levels Azure offers (AVM `lock.kind`). */
export const LOCK_LEVELS = ['CanNotDelete', 'ReadOnly'] as const;

/** A management lock on the resource. */
export interface LockOptions {
  /** "CanNotDelete" (delete refused) or "ReadOnly" (changes refused). */
  readonly level: (typeof LOCK_LEVELS)[number];
  /** @default `lock-<resource purpose>` */
  readonly name?: string;
  /** @default none */
  readonly notes?: string;
}

/** A role assignment on the resource. */
export interface RoleAssignmentOptions {
  /** Object id of the user, group or service principal (a managed identity's principal id). */
  readonly principalId: string;
  /** Built-in or custom role name, e.g. "Key Vault Secrets User". */
  readonly roleDefinitionName: string;
  /** @default "ServicePrincipal" */
  readonly principalType?: 'ServicePrincipal' | 'User' | 'Group';
  /** @default none */
  readonly description?: string;
}

/** Resource logs sent to a Log Analytics workspace. */
export interface DiagnosticSettingsOptions {
  /** ARM id of the Log Analytics workspace. */
  readonly logAnalyticsWorkspaceId: string;
  /** @default `diag-<resource purpose>` */
  readonly name?: string;
  /** Log categories. @default the resource's (Key Vault: AuditEvent; blob service: StorageRead, StorageWrite, StorageDelete; Lustre: the allLogs group) */
  readonly logCategories?: readonly string[];
}

/** The AVM props the vault, the core filer and the shared file systems take. */
export interface AvmInterfaceProps {
  /** A management lock on the main resource. @default no lock */
  readonly lock?: LockOptions;
  /** Role assignments on the main resource. @default [] */
  readonly roleAssignments?: readonly RoleAssignmentOptions[];
  /** Diagnostic settings of the main resource. @default none */
  readonly diagnosticSettings?: DiagnosticSettingsOptions;
}

/** Issues of the AVM props (lock level, principal ids, workspace id). */
export function avmIssues(props: AvmInterfaceProps): InputIssue[] {
  const issues: InputIssue[] = [];
  if (props.lock && !(LOCK_LEVELS as readonly string[]).includes(props.lock.level)) {
    issues.push({ path: 'lock.level', message: `${show(props.lock.level)} is not allowed; use ${LOCK_LEVELS.map((l) => show(l)).join(' or ')}` });
  }
  (props.roleAssignments ?? []).forEach((r, i) => {
    if (!Token.isUnresolved(r.principalId) && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(r.principalId)) {
      issues.push({ path: `roleAssignments[${i}].principalId`, message: `${show(r.principalId)} is not an object id (a GUID) or a Terraform reference` });
    }
    if (!r.roleDefinitionName || r.roleDefinitionName.trim() === '')
      issues.push({ path: `roleAssignments[${i}].roleDefinitionName`, message: 'a role name is needed, e.g. "Reader"' });
  });
  const ws = props.diagnosticSettings?.logAnalyticsWorkspaceId;
  if (
    ws !== undefined &&
    !Token.isUnresolved(ws) &&
    !/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.OperationalInsights\/workspaces\/[^/]+$/i.test(ws)
  ) {
    issues.push({
      path: 'diagnosticSettings.logAnalyticsWorkspaceId',
      message: `${show(ws)} is not a Log Analytics workspace id (/subscriptions/…/providers/Microsoft.OperationalInsights/workspaces/<name>)`,
    });
  }
  return issues;
}

/** What {@link applyAvmInterfaces} created. */
export interface AvmResources {
  readonly lock?: ManagementLock;
  readonly roleAssignments: readonly RoleAssignment[];
  readonly diagnosticSetting?: MonitorDiagnosticSetting;
}

/**
 * Creates the lock, role assignments and diagnostic setting of `props` in `scope`: the lock and roles on
 * `resourceId`, the diagnostic setting on `diagnosticsTargetId` (e.g. a storage account's blob service) with
 * `defaultLogs` (categories, or a category group written as `group:<name>`).
 */
export function applyAvmInterfaces(
  scope: Construct,
  props: AvmInterfaceProps,
  target: { readonly resourceId: string; readonly purpose: string; readonly diagnosticsTargetId?: string; readonly defaultLogs: readonly string[] },
): AvmResources {
  const lock = props.lock
    ? new ManagementLock(scope, 'lock', {
        name: props.lock.name ?? `lock-${target.purpose}`,
        scope: target.resourceId,
        lockLevel: props.lock.level,
        notes: props.lock.notes,
      })
    : undefined;
  const roleAssignments = (props.roleAssignments ?? []).map(
    (r, i) =>
      new RoleAssignment(scope, `role-assignment-${i}`, {
        scope: target.resourceId,
        roleDefinitionName: r.roleDefinitionName,
        principalId: r.principalId,
        principalType: r.principalType ?? 'ServicePrincipal',
        description: r.description,
      }),
  );
  const d = props.diagnosticSettings;
  const diagnosticSetting = d
    ? new MonitorDiagnosticSetting(scope, 'diagnostic-setting', {
        name: d.name ?? `diag-${target.purpose}`,
        targetResourceId: target.diagnosticsTargetId ?? target.resourceId,
        logAnalyticsWorkspaceId: d.logAnalyticsWorkspaceId,
        enabledLog: (d.logCategories ?? target.defaultLogs).map((c) => (c.startsWith('group:') ? { categoryGroup: c.slice(6) } : { category: c })),
      })
    : undefined;
  return { lock, roleAssignments, diagnosticSetting };
}
