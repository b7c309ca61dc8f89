/** PGM-TAG-1: tags on every taggable resource. */
import { POLICY_RULES } from '../rule-ids';
import { defineRule, fail, notApplicable, pass } from './types';

export const TAGS_RULE = defineRule({
  id: POLICY_RULES.TAGS,
  description: 'Every taggable resource has tags',
  severity: 'error',
  checkov: [],
  trivy: [],
  appliesTo: '*',
  body: (r, ctx) => {
    if (!ctx.taggable(r.type)) return notApplicable(`${r.type} takes no tags`);
    const tags = r.config.tags;
    if (typeof tags === 'string') return pass(); // an expression (e.g. merge(...)): Terraform computes the tags
    return tags && typeof tags === 'object' && Object.keys(tags).length > 0 ? pass() : fail('no tags');
  },
});
