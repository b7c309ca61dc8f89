/** PGM-ST-4: storage account firewall denies by default (inline or a separate network rules resource). */
import { POLICY_RULES } from '../rule-ids';
import { first } from './helpers';
import { defineRule, fail, pass } from './types';
import type { TfAttributes } from '../../tf-json';

export const ST_NETWORK_DENY_RULE = defineRule({
  id: POLICY_RULES.ST_NETWORK_DENY,
  description: 'Storage account firewall denies by default',
  severity: 'error',
  checkov: ['CKV_AZURE_35'],
  trivy: ['AVD-AZU-0012'],
  appliesTo: ['azurerm_storage_account'],
  body: (r, ctx) => {
    if (first(r.config.network_rules)?.default_action === 'Deny') return pass();
    const separate = Object.values((ctx.stack.resource?.azurerm_storage_account_network_rules ?? {}) as TfAttributes);
    return separate.some((n) => n.default_action === 'Deny' && String(n.storage_account_id).includes(`azurerm_storage_account.${r.name}.`))
      ? pass()
      : fail('network rules do not default to "Deny"');
  },
});
