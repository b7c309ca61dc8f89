/** PGM-ST-3: no anonymous (public) blob access. */
import { POLICY_RULES } from '../rule-ids';
import { defineRule, fail, pass } from './types';

export const ST_PUBLIC_NESTED_RULE = defineRule({
  id: POLICY_RULES.ST_PUBLIC_NESTED,
  description: 'Storage accounts allow no anonymous (public) blob access',
  severity: 'error',
  checkov: ['CKV_AZURE_190', 'CKV_AZURE_59'],
  trivy: ['AVD-AZU-0007'],
  appliesTo: ['azurerm_storage_account'],
  body: (r) =>
    r.config.allow_nested_items_to_be_public === false
      ? pass()
      : fail('allow_nested_items_to_be_public is not explicitly false (the provider default is true)'),
});
