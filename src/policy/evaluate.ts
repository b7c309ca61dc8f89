/**
 * Runs the policy rules over one synthesized stack. Pure: the caller supplies
 * which suppressions apply to a resource (by its construct path) and which
 * types are taggable.
 */
import { PolicyContext, RULES, SENSITIVE_VALUES_RULE } from './rules';
import type { PolicyRuleId } from './rule-ids';

/** One rule applied to one resource (or variable/output). */
export interface PolicyFinding {
  readonly ruleId: PolicyRuleId;
  readonly severity: 'error' | 'warning';
  readonly stack: string;
  /** `azurerm_key_vault.secrets_vault_97F902B8`, or `variable.x` / `output.y`. */
  readonly address: string;
  /** Construct path (from the resource's cdktf metadata). */
  readonly constructPath?: string;
  readonly result: 'pass' | 'fail' | 'suppressed';
  /** The problem (fail, suppressed) or nothing. */
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

/** Every finding of every rule on every resource, variable and output of the stack. */
export function evaluateStack(stack: string, json: Readonly<Record<string, any>>, options: EvaluateOptions): PolicyFinding[] {
  const findings: PolicyFinding[] = [];
  const context: PolicyContext = { stack: json, taggable: options.taggable };
  for (const [type, byName] of Object.entries((json.resource ?? {}) as Record<string, Record<string, Record<string, any>>>)) {
    for (const [name, config] of Object.entries(byName)) {
      const constructPath: string | undefined = config['//']?.metadata?.path;
      const suppressions = constructPath && options.suppressionsFor ? options.suppressionsFor(constructPath) : [];
      for (const rule of RULES) {
        if (rule.appliesTo !== '*' && !rule.appliesTo.includes(type)) continue;
        const verdict = rule.check({ type, name, config }, context);
        const base = { ruleId: rule.id, severity: rule.severity, stack, address: `${type}.${name}`, constructPath };
        if (verdict.ok) {
          findings.push({ ...base, result: 'pass' });
          continue;
        }
        const s = suppressions.find((x) => x.ruleId === rule.id);
        findings.push(s ? { ...base, result: 'suppressed', message: verdict.message, reason: s.reason, suppressedAt: s.constructPath } : { ...base, result: 'fail', message: verdict.message });
      }
    }
  }
  for (const kind of ['variable', 'output'] as const) {
    for (const [name, block] of Object.entries((json[kind] ?? {}) as Record<string, Record<string, any>>)) {
      const verdict = SENSITIVE_VALUES_RULE.check(kind, name, block);
      const base = { ruleId: SENSITIVE_VALUES_RULE.id, severity: SENSITIVE_VALUES_RULE.severity, stack, address: `${kind}.${name}`, constructPath: block['//']?.metadata?.path };
      findings.push(verdict.ok ? { ...base, result: 'pass' } : { ...base, result: 'fail', message: verdict.message });
    }
  }
  return findings;
}
