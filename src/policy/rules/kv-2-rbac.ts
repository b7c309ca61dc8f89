/** PGM-KV-2: Key Vault RBAC authorization. */
import { POLICY_RULES } from '../rule-ids';
import { defineRule, fail, pass } from './types';

export const KV_RBAC_RULE = defineRule({
  id: POLICY_RULES.KV_RBAC,
  description: 'Key Vault uses RBAC authorization (not access policies)',
  severity: 'error',
  checkov: [],
  trivy: [],
  appliesTo: ['azurerm_key_vault'],
  body: (r) =>
    r.config.rbac_authorization_enabled === true || r.config.enable_rbac_authorization === true ? pass() : fail('RBAC authorization is not enabled'),
});
