/** PGM-VM-3: boot diagnostics on VMs and scale sets. */
import { POLICY_RULES } from '../rule-ids';
import { VM_TYPES } from './helpers';
import { defineRule, fail, pass } from './types';

export const VM_BOOT_DIAGNOSTICS_RULE = defineRule({
  id: POLICY_RULES.VM_BOOT_DIAGNOSTICS,
  description: 'Boot diagnostics on VMs and scale sets',
  severity: 'warning',
  checkov: [],
  trivy: [],
  appliesTo: VM_TYPES,
  body: (r) => (r.config.boot_diagnostics !== undefined ? pass() : fail('no boot_diagnostics block (add `boot_diagnostics {}` for managed storage)')),
});
