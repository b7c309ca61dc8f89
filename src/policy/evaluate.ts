/**
 * Runs the policy rules over one synthesized stack. Pure: the caller supplies
 * which suppressions apply to a resource (by its construct path) and which
 * types are taggable.
 *
 * Every rule runs on every resource of a type it covers (`appliesTo`) and on
 * every variable and output (PGM-SEC-1); each run is one finding: `pass`,
 * `fail`, `suppressed` (a failure a construct suppressed with its reason) or
 * `not-applicable` (the rule covers the type but had nothing to check, e.g. a
 * type without tags, an outbound NSG rule, a value not named like a secret).
 * A not-applicable finding is never counted as a pass. Types a rule does not
 * cover produce no finding at all.
 */
import { RULES, SENSITIVE_VALUES_RULE, type PolicyContext, type Verdict } from './rules';
import type { PolicyRuleId } from './rule-ids';
import type { TfAttributes } from '../tf-json';

/** The result of one rule on one resource (or variable/output). */
export type PolicyResult = 'pass' | 'fail' | 'suppressed' | 'not-applicable';

/** One rule applied to one resource (or variable/output). */
export interface PolicyFinding {
  readonly ruleId: PolicyRuleId;
  readonly severity: 'error' | 'warning';
  readonly stack: string;
  /** `azurerm_key_vault.secrets_vault_97F902B8`, or `variable.x` / `output.y`. */
  readonly address: string;
  /** Construct path (from the resource's cdktf metadata). */
  readonly constructPath?: string;
  readonly result: PolicyResult;
  /** The problem (fail, suppressed), why the rule does not apply (not-applicable), or nothing (pass). */
  readonly message?: string;
  /** The suppression's reason and where it was put. */
  readonly reason?: string;
  readonly suppressedAt?: string;
}

export interface EvaluateOptions {
  /** Suppressions that apply to the construct at this path. */
  readonly suppressionsFor?: (constructPath: string) => ReadonlyArray<{ readonly ruleId: string; readonly reason: string; readonly constructPath: string }>;
  readonly taggable: PolicyContext['taggable'];
}

type Base = Pick<PolicyFinding, 'ruleId' | 'severity' | 'stack' | 'address' | 'constructPath'>;

/** A finding from a verdict (suppressions not considered). */
function finding(base: Base, verdict: Verdict): PolicyFinding {
  switch (verdict.result) {
    case 'pass':
      return { ...base, result: 'pass' };
    case 'fail':
      return { ...base, result: 'fail', message: verdict.message };
    case 'not-applicable':
      return { ...base, result: 'not-applicable', message: verdict.reason };
  }
}

/** Every finding of every rule on every resource, variable and output of the stack. */
export function evaluateStack(stack: string, json: Readonly<TfAttributes>, options: EvaluateOptions): PolicyFinding[] {
  const findings: PolicyFinding[] = [];
  const context: PolicyContext = { stack: json, taggable: options.taggable };
  for (const [type, byName] of Object.entries((json.resource ?? {}) as Record<string, Record<string, TfAttributes>>)) {
    for (const [name, config] of Object.entries(byName)) {
      const constructPath: string | undefined = config['//']?.metadata?.path;
      const suppressions = constructPath && options.suppressionsFor ? options.suppressionsFor(constructPath) : [];
      for (const rule of RULES) {
        if (rule.appliesTo !== '*' && !rule.appliesTo.includes(type)) continue;
        const f = finding(
          { ruleId: rule.id, severity: rule.severity, stack, address: `${type}.${name}`, constructPath },
          rule.check({ type, name, config }, context),
        );
        const s = f.result === 'fail' ? suppressions.find((x) => x.ruleId === rule.id) : undefined;
        findings.push(s ? { ...f, result: 'suppressed', reason: s.reason, suppressedAt: s.constructPath } : f);
      }
    }
  }
  for (const kind of ['variable', 'output'] as const) {
    for (const [name, block] of Object.entries((json[kind] ?? {}) as Record<string, TfAttributes>)) {
      const base = {
        ruleId: SENSITIVE_VALUES_RULE.id,
        severity: SENSITIVE_VALUES_RULE.severity,
        stack,
        address: `${kind}.${name}`,
        constructPath: block['//']?.metadata?.path,
      };
      findings.push(finding(base, SENSITIVE_VALUES_RULE.check(kind, name, block)));
    }
  }
  return findings;
}
