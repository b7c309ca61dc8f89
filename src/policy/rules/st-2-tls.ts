/** PGM-ST-2: storage accounts require TLS 1.2 or later. */
import { POLICY_RULES } from '../rule-ids';
import { defineRule, fail, pass } from './types';

export const ST_TLS_RULE = defineRule({
  id: POLICY_RULES.ST_TLS,
  description: 'Storage accounts require TLS 1.2 or later',
  severity: 'error',
  checkov: ['CKV_AZURE_44'],
  trivy: ['AVD-AZU-0011'],
  appliesTo: ['azurerm_storage_account'],
  body: (r) =>
    ['TLS1_2', 'TLS1_3'].includes(String(r.config.min_tls_version)) ? pass() : fail(`min_tls_version is ${r.config.min_tls_version ?? 'unset'}; use TLS1_2`),
});
