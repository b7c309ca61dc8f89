/**
 * Suppressions of policy rules on a construct and its children, each with a
 * mandatory reason (cdk-nag's shape). The policy pack reads them when it
 * checks a resource and lists them in its report.
 */
import type { IConstruct } from 'constructs';
import { InputError, show } from '../errors';
import { POLICY_RULES, PolicyRuleId } from './rule-ids';

/** One suppression, as recorded on a construct. */
export interface PolicySuppression {
  readonly ruleId: PolicyRuleId;
  /** Why the rule does not apply here (at least 10 characters). */
  readonly reason: string;
}

/** A suppression found for a resource, with the path of the construct it was put on. */
export interface AppliedSuppression extends PolicySuppression {
  readonly constructPath: string;
}

export const MIN_SUPPRESSION_REASON_LENGTH = 10;
const KNOWN_RULES = new Set<string>(Object.values(POLICY_RULES));
const SUPPRESSIONS = Symbol.for('cdktf-azure-photogrammetry.policy-suppressions');

type WithSuppressions = IConstruct & { [SUPPRESSIONS]?: PolicySuppression[] };

/** Suppresses `ruleId` on `scope` and everything below it. The reason must say why (≥ 10 characters). */
export function suppressPolicy(scope: IConstruct, ruleId: PolicyRuleId, reason: string): void {
  const source = `policy suppression on ${scope.node.path}`;
  if (!KNOWN_RULES.has(ruleId)) {
    throw new InputError(source, [{ path: 'ruleId', message: `${show(ruleId)} is not a rule of the policy pack; allowed: ${[...KNOWN_RULES].join(', ')}` }]);
  }
  if (typeof reason !== 'string' || reason.trim().length < MIN_SUPPRESSION_REASON_LENGTH) {
    throw new InputError(source, [
      {
        path: 'reason',
        message: `a suppression of ${ruleId} needs a reason of at least ${MIN_SUPPRESSION_REASON_LENGTH} characters that says why; got ${show(reason)}`,
      },
    ]);
  }
  const target = scope as WithSuppressions;
  (target[SUPPRESSIONS] ??= []).push({ ruleId, reason: reason.trim() });
}

/** Every suppression that applies to `construct`: its own and those of its scopes, nearest first. */
export function suppressionsFor(construct: IConstruct): AppliedSuppression[] {
  return construct.node.scopes
    .slice()
    .reverse()
    .flatMap((scope) => ((scope as WithSuppressions)[SUPPRESSIONS] ?? []).map((s) => ({ ...s, constructPath: scope.node.path })));
}
