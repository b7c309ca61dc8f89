/**
 * The policy report written with every synth: `cdktf.out/policy-report.json`
 * and `.md` (all stacks) and `cdktf.out/stacks/<stack>/policy-report.json`.
 */
import { ALL_RULES } from './rules';
import type { PolicyFinding } from './evaluate';

export const POLICY_REPORT_FILE = 'policy-report.json';
export const POLICY_REPORT_MARKDOWN = 'policy-report.md';

/** Counts per result. `notApplicable` is counted on its own: a rule that had nothing to check did not pass. */
export interface PolicySummary {
  readonly pass: number;
  readonly fail: number;
  readonly suppressed: number;
  readonly notApplicable: number;
  /** Failures of error rules (synth fails). */
  readonly errors: number;
  /** Failures of warning rules. */
  readonly warnings: number;
}

/** Counts per result. */
export function summarize(findings: readonly PolicyFinding[]): PolicySummary {
  const count = (result: PolicyFinding['result']) => findings.filter((f) => f.result === result).length;
  const fails = findings.filter((f) => f.result === 'fail');
  return {
    pass: count('pass'),
    fail: fails.length,
    suppressed: count('suppressed'),
    notApplicable: count('not-applicable'),
    errors: fails.filter((f) => f.severity === 'error').length,
    warnings: fails.filter((f) => f.severity === 'warning').length,
  };
}

/** The Markdown report: summary, failures, suppressions (with reasons), rules with their counts and checkov/trivy ids. */
export function renderPolicyMarkdown(findings: readonly PolicyFinding[]): string {
  const s = summarize(findings);
  const out = [
    '# Policy report',
    '',
    `${s.pass} passed · ${s.fail} failed (${s.errors} errors, ${s.warnings} warnings) · ${s.suppressed} suppressed · ${s.notApplicable} not applicable`,
    '',
  ];
  const fails = findings.filter((f) => f.result === 'fail');
  out.push('## Failures', '');
  if (fails.length === 0) out.push('None.');
  else {
    out.push('| rule | severity | stack | resource | problem |', '| --- | --- | --- | --- | --- |');
    for (const f of fails) out.push(`| ${f.ruleId} | ${f.severity} | ${f.stack} | \`${f.address}\` | ${f.message} |`);
  }
  const suppressed = findings.filter((f) => f.result === 'suppressed');
  out.push('', '## Suppressions', '');
  if (suppressed.length === 0) out.push('None.');
  else {
    out.push('| rule | stack | resource | finding | reason | suppressed at |', '| --- | --- | --- | --- | --- | --- |');
    for (const f of suppressed) out.push(`| ${f.ruleId} | ${f.stack} | \`${f.address}\` | ${f.message} | ${f.reason} | \`${f.suppressedAt}\` |`);
  }
  out.push(
    '',
    '## Rules',
    '',
    'Not applicable: the rule covers the resource type but had nothing to check there (not a pass).',
    '',
    '| rule | severity | pass | fail | suppressed | not applicable | description | checkov | trivy |',
    '| --- | --- | ---: | ---: | ---: | ---: | --- | --- | --- |',
  );
  for (const r of ALL_RULES) {
    const n = (result: PolicyFinding['result']) => findings.filter((f) => f.ruleId === r.id && f.result === result).length;
    out.push(
      `| ${r.id} | ${r.severity} | ${n('pass')} | ${n('fail')} | ${n('suppressed')} | ${n('not-applicable')} | ${r.description} | ${r.checkov.join(', ') || '—'} | ${r.trivy.join(', ') || '—'} |`,
    );
  }
  return `${out.join('\n')}\n`;
}
