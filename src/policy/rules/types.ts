/**
 * Shapes shared by the policy rules (one rule per file in this folder, cdk-nag
 * style): what a rule sees, what it answers, and how it is described.
 */
import type { PolicyRuleId } from '../rule-ids';
import type { TfAttributes } from '../../tf-json';

/** One resource as it appears in `cdk.tf.json`. */
export interface PolicyResource {
  readonly type: string;
  /** Logical name (the key under the type). */
  readonly name: string;
  readonly config: Readonly<TfAttributes>;
}

/** What a rule can see besides the resource. */
export interface PolicyContext {
  /** The whole synthesized stack. */
  readonly stack: Readonly<TfAttributes>;
  /**
   * True when resources of this Terraform type take a `tags` argument. The Aspect decides it from the
   * construct classes in the stack (a generated resource class has a `tagsInput` getter), not from a schema.
   */
  readonly taggable: (type: string) => boolean;
}

/**
 * A rule's verdict on one resource. `not-applicable` means the rule had nothing to check here (the type is not
 * covered, the resource cannot carry what the rule asks for, the NSG rule is outbound, …): it is not a pass, and
 * the report counts it separately.
 */
export type Verdict =
  { readonly result: 'pass' } | { readonly result: 'fail'; readonly message: string } | { readonly result: 'not-applicable'; readonly reason: string };

export const pass = (): Verdict => ({ result: 'pass' });
export const fail = (message: string): Verdict => ({ result: 'fail', message });
export const notApplicable = (reason: string): Verdict => ({ result: 'not-applicable', reason });

/** What describes a rule: for the report, the README and checkov/trivy users. */
export interface PolicyRuleInfo {
  readonly id: PolicyRuleId;
  readonly description: string;
  readonly severity: 'error' | 'warning';
  /** Matching checkov checks. */
  readonly checkov: readonly string[];
  /** Matching trivy (formerly tfsec) checks. */
  readonly trivy: readonly string[];
}

/** A rule over resources. */
export interface PolicyRule extends PolicyRuleInfo {
  /** Resource types the rule covers; `'*'` for all. Other types are not evaluated (and not reported). */
  readonly appliesTo: readonly string[] | '*';
  /** Pure: the verdict on one resource. A resource of a type the rule does not cover is `not-applicable`. */
  readonly check: (resource: PolicyResource, context: PolicyContext) => Verdict;
}

/** A rule over the stack's variables and outputs. */
export interface PolicyValueRule extends PolicyRuleInfo {
  readonly check: (kind: 'variable' | 'output', name: string, block: Readonly<TfAttributes>) => Verdict;
}

/** Builds a rule whose `check` answers `not-applicable` for types outside `appliesTo` before running `body`. */
export function defineRule(rule: Omit<PolicyRule, 'check'> & { readonly body: (resource: PolicyResource, context: PolicyContext) => Verdict }): PolicyRule {
  const { body, ...info } = rule;
  return {
    ...info,
    check: (resource, context) =>
      info.appliesTo !== '*' && !info.appliesTo.includes(resource.type) ? notApplicable(`${info.id} does not cover ${resource.type}`) : body(resource, context),
  };
}
