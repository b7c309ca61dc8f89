/** PGM-KV-4: Key Vault soft-delete retention 7–90 days. */
import { POLICY_RULES } from '../rule-ids';
import { defineRule, fail, pass } from './types';

export const KV_SOFT_DELETE_RULE = defineRule({
  id: POLICY_RULES.KV_SOFT_DELETE,
  description: 'Key Vault soft-delete retention between 7 and 90 days (unset: the provider default, 90)',
  severity: 'error',
  checkov: ['CKV_AZURE_42'],
  trivy: [],
  appliesTo: ['azurerm_key_vault'],
  body: (r) => {
    const days = r.config.soft_delete_retention_days;
    return days === undefined || (typeof days === 'number' && days >= 7 && days <= 90) ? pass() : fail(`soft_delete_retention_days is ${days}; allowed 7–90`);
  },
});
