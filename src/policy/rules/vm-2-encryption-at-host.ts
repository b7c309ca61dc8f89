/** PGM-VM-2: encryption at host on VMs and scale sets. */
import { POLICY_RULES } from '../rule-ids';
import { VM_TYPES } from './helpers';
import { defineRule, fail, pass } from './types';

export const VM_ENCRYPTION_AT_HOST_RULE = defineRule({
  id: POLICY_RULES.VM_ENCRYPTION_AT_HOST,
  description: 'Encryption at host on VMs and scale sets (temp disks and caches encrypted too)',
  severity: 'error',
  checkov: ['CKV_AZURE_97'],
  trivy: [],
  appliesTo: VM_TYPES,
  body: (r) => (r.config.encryption_at_host_enabled === true ? pass() : fail('encryption_at_host_enabled is not true')),
});
