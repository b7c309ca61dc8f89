/** PGM-ST-1: storage accounts accept HTTPS only. */
import { POLICY_RULES } from '../rule-ids';
import { defineRule, fail, pass } from './types';

export const ST_HTTPS_ONLY_RULE = defineRule({
  id: POLICY_RULES.ST_HTTPS_ONLY,
  description: 'Storage accounts accept HTTPS only',
  severity: 'error',
  checkov: ['CKV_AZURE_3'],
  trivy: ['AVD-AZU-0008'],
  appliesTo: ['azurerm_storage_account'],
  body: (r) =>
    r.config.https_traffic_only_enabled === true || r.config.enable_https_traffic_only === true
      ? pass()
      : fail('https_traffic_only_enabled is not explicitly true'),
});
