/** PGM-VM-4: managed disks only. */
import { POLICY_RULES } from '../rule-ids';
import { first, list, VM_TYPES } from './helpers';
import { defineRule, fail, pass } from './types';

export const VM_MANAGED_DISKS_RULE = defineRule({
  id: POLICY_RULES.VM_MANAGED_DISKS,
  description: 'Managed disks only (no legacy azurerm_virtual_machine with unmanaged VHDs)',
  severity: 'error',
  checkov: ['CKV_AZURE_92'],
  trivy: [],
  appliesTo: ['azurerm_virtual_machine', ...VM_TYPES],
  body: (r) => {
    if (r.type === 'azurerm_virtual_machine') {
      return first(r.config.storage_os_disk)?.vhd_uri !== undefined || list(r.config.storage_data_disk).some((d) => d.vhd_uri !== undefined)
        ? fail('uses unmanaged VHDs (vhd_uri)')
        : fail('uses the legacy azurerm_virtual_machine; use azurerm_linux_virtual_machine / azurerm_windows_virtual_machine');
    }
    // The current VM resources only take managed disks; their os_disk names the managed disk's storage type.
    return first(r.config.os_disk)?.storage_account_type !== undefined ? pass() : fail('os_disk has no storage_account_type');
  },
});
