/** PGM-DATA-1: the data (core filer account and containers, Key Vault) is protected from `terraform destroy`. */
import { POLICY_RULES } from '../rule-ids';
import { first } from './helpers';
import { defineRule, fail, pass } from './types';

export const PREVENT_DESTROY_RULE = defineRule({
  id: POLICY_RULES.PREVENT_DESTROY,
  description: 'The core filer (storage account, containers) and the Key Vault are protected by lifecycle.prevent_destroy',
  severity: 'warning',
  checkov: [],
  trivy: [],
  appliesTo: ['azurerm_storage_account', 'azurerm_storage_container', 'azurerm_key_vault'],
  body: (r) =>
    first(r.config.lifecycle)?.prevent_destroy === true ? pass() : fail('lifecycle.prevent_destroy is off: `terraform destroy` would delete the data'),
});
