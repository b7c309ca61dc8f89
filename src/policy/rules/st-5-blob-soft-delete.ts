/** PGM-ST-5: storage accounts keep deleted blobs (soft delete). */
import { POLICY_RULES } from '../rule-ids';
import { first } from './helpers';
import { defineRule, fail, notApplicable, pass } from './types';

export const ST_BLOB_SOFT_DELETE_RULE = defineRule({
  id: POLICY_RULES.ST_BLOB_SOFT_DELETE,
  description: 'Storage accounts keep deleted blobs (soft delete)',
  severity: 'error',
  checkov: ['CKV2_AZURE_38'],
  trivy: [],
  appliesTo: ['azurerm_storage_account'],
  body: (r) => {
    if (r.config.account_kind === 'FileStorage') return notApplicable('a FileStorage account holds no blobs');
    return (first(first(r.config.blob_properties)?.delete_retention_policy)?.days ?? 0) >= 1
      ? pass()
      : fail('blob_properties.delete_retention_policy is not set');
  },
});
