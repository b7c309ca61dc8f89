/** PGM-VM-1: Linux VMs and scale sets sign in with SSH keys only. */
import { POLICY_RULES } from '../rule-ids';
import { list } from './helpers';
import { defineRule, fail, pass } from './types';

export const VM_SSH_KEY_ONLY_RULE = defineRule({
  id: POLICY_RULES.VM_SSH_KEY_ONLY,
  description: 'Linux VMs and scale sets: SSH keys only, password authentication explicitly off',
  severity: 'error',
  checkov: ['CKV_AZURE_1', 'CKV_AZURE_149', 'CKV_AZURE_178'],
  trivy: ['AVD-AZU-0039'],
  appliesTo: ['azurerm_linux_virtual_machine', 'azurerm_linux_virtual_machine_scale_set'],
  body: (r) => {
    if (r.config.disable_password_authentication !== true) return fail('disable_password_authentication is not set to true');
    if (r.config.admin_password !== undefined) return fail('an admin_password is set');
    if (list(r.config.admin_ssh_key).length === 0) return fail('no admin_ssh_key');
    return pass();
  },
});
