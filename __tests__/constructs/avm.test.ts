/** AVM interfaces: lock, role assignments and diagnostic settings on the vault and the core filer. */
import { TerraformStack } from 'cdktf';
import { CoreFiler, CoreFilerProps } from '../../constructs/core-filer';
import { SecretsVault } from '../../constructs/secrets-vault';
import { Naming } from '../../src/naming';
import { resourcesOf, synthInStack } from '../support/synth';

const WS = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ops/providers/Microsoft.OperationalInsights/workspaces/law-ops';
const PRINCIPAL = '11111111-2222-3333-4444-555555555555';
const avm = {
  lock: { level: 'CanNotDelete' as const },
  roleAssignments: [{ principalId: PRINCIPAL, roleDefinitionName: 'Reader', principalType: 'Group' as const }],
  diagnosticSettings: { logAnalyticsWorkspaceId: WS },
};

test('SecretsVault: CanNotDelete lock, role assignment and AuditEvent logs on the vault', () => {
  const json = synthInStack(
    (stack: TerraformStack) =>
      new SecretsVault(stack, 'kv', {
        naming: new Naming('pgm'),
        location: 'eastus',
        resourceGroupName: 'rg',
        vaultName: 'kv-pgm-fixed',
        allowedIpRanges: ['203.0.113.7/32'],
        ...avm,
      }),
  );
  const [[vaultId]] = resourcesOf(json, 'azurerm_key_vault');
  expect(resourcesOf(json, 'azurerm_management_lock').map(([, r]) => r)).toEqual([
    { name: 'lock-keyvault', scope: `\${azurerm_key_vault.${vaultId}.id}`, lock_level: 'CanNotDelete' },
  ]);
  expect(resourcesOf(json, 'azurerm_role_assignment').map(([, r]) => r)).toEqual(
    expect.arrayContaining([
      { scope: `\${azurerm_key_vault.${vaultId}.id}`, role_definition_name: 'Reader', principal_id: PRINCIPAL, principal_type: 'Group' },
    ]),
  );
  expect(resourcesOf(json, 'azurerm_monitor_diagnostic_setting').map(([, r]) => r)).toEqual([
    {
      name: 'diag-keyvault',
      target_resource_id: `\${azurerm_key_vault.${vaultId}.id}`,
      log_analytics_workspace_id: WS,
      enabled_log: [{ category: 'AuditEvent' }],
    },
  ]);
});

const filer = (props: Partial<CoreFilerProps> = {}) =>
  synthInStack(
    (stack: TerraformStack) =>
      new CoreFiler(stack, 'filer', {
        naming: new Naming('pgm'),
        location: 'eastus',
        resourceGroupName: 'rg',
        accountName: 'stpgmfiler01',
        containers: { data: 'data' },
        ...props,
      }),
  );

test('CoreFiler: ReadOnly lock on the account, blob service logs', () => {
  const json = filer({ ...avm, lock: { level: 'ReadOnly', notes: 'data' } });
  const [[accountId]] = resourcesOf(json, 'azurerm_storage_account');
  expect(resourcesOf(json, 'azurerm_management_lock')[0][1]).toEqual({
    name: 'lock-filer',
    scope: `\${azurerm_storage_account.${accountId}.id}`,
    lock_level: 'ReadOnly',
    notes: 'data',
  });
  expect(resourcesOf(json, 'azurerm_monitor_diagnostic_setting')[0][1]).toMatchObject({
    target_resource_id: `\${azurerm_storage_account.${accountId}.id}/blobServices/default`,
    enabled_log: [{ category: 'StorageRead' }, { category: 'StorageWrite' }, { category: 'StorageDelete' }],
  });
});

test('no AVM props: no lock, no diagnostic setting', () => {
  const json = filer();
  expect(resourcesOf(json, 'azurerm_management_lock')).toEqual([]);
  expect(resourcesOf(json, 'azurerm_monitor_diagnostic_setting')).toEqual([]);
});

test('a wrong lock level, principal id or workspace id is refused naming the prop', () => {
  expect(() => filer({ lock: { level: 'Delete' as never } })).toThrow(/lock\.level: "Delete" is not allowed; use "CanNotDelete" or "ReadOnly"/);
  expect(() => filer({ roleAssignments: [{ principalId: 'bob', roleDefinitionName: 'Reader' }] })).toThrow(
    /roleAssignments\[0\]\.principalId: "bob" is not an object id/,
  );
  expect(() => filer({ diagnosticSettings: { logAnalyticsWorkspaceId: 'law-ops' } })).toThrow(/diagnosticSettings\.logAnalyticsWorkspaceId/);
});
