/** PGM-KV-3: Key Vault firewall denies by default. */
import { POLICY_RULES } from '../rule-ids';
import { first } from './helpers';
import { defineRule, fail, pass } from './types';

export const KV_NETWORK_DENY_RULE = defineRule({
  id: POLICY_RULES.KV_NETWORK_DENY,
  description: 'Key Vault firewall denies by default',
  severity: 'error',
  checkov: ['CKV_AZURE_109', 'CKV_AZURE_189'],
  trivy: ['AVD-AZU-0013'],
  appliesTo: ['azurerm_key_vault'],
  body: (r) => (first(r.config.network_acls)?.default_action === 'Deny' ? pass() : fail('network_acls.default_action is not "Deny"')),
});
