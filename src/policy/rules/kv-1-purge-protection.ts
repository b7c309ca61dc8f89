/** PGM-KV-1: Key Vault purge protection. */
import { POLICY_RULES } from '../rule-ids';
import { defineRule, fail, pass } from './types';

export const KV_PURGE_PROTECTION_RULE = defineRule({
  id: POLICY_RULES.KV_PURGE_PROTECTION,
  description: 'Key Vault purge protection',
  severity: 'error',
  checkov: ['CKV_AZURE_110', 'CKV_AZURE_42'],
  trivy: ['AVD-AZU-0016'],
  appliesTo: ['azurerm_key_vault'],
  body: (r) => (r.config.purge_protection_enabled === true ? pass() : fail('purge_protection_enabled is not true')),
});
