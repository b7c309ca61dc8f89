/** PGM-KV-5: Key Vault secrets have a content type and an expiry date. */
import { POLICY_RULES } from '../rule-ids';
import { defineRule, fail, pass } from './types';

export const KV_SECRET_HYGIENE_RULE = defineRule({
  id: POLICY_RULES.KV_SECRET_HYGIENE,
  description: 'Key Vault secrets have a content type and an expiry date',
  severity: 'error',
  checkov: ['CKV_AZURE_41', 'CKV_AZURE_114'],
  trivy: ['AVD-AZU-0015', 'AVD-AZU-0017'],
  appliesTo: ['azurerm_key_vault_secret'],
  body: (r) => {
    const missing = ['content_type', 'expiration_date'].filter((k) => r.config[k] === undefined || r.config[k] === '');
    return missing.length === 0 ? pass() : fail(`missing ${missing.join(' and ')}`);
  },
});
