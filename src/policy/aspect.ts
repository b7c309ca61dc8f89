/**
 * The policy pack as a cdktf Aspect. Added to each stack (Aspects on the App
 * never run): when it visits the stack it evaluates the stack's final JSON
 * (cross-stack references already wired), adds an error annotation per failed
 * error rule (synth fails) and a warning per failed warning rule, on the
 * resource's construct, and writes the policy report into the output folder.
 */
import { Annotations, App, IAspect, TerraformStack } from 'cdktf';
import * as fs from 'fs';
import * as path from 'path';
import type { IConstruct } from 'constructs';
import { loadSchemaIndexes } from '../validation/schema-index';
import { evaluateStack, PolicyFinding } from './evaluate';
import { POLICY_REPORT_FILE, POLICY_REPORT_MARKDOWN, renderPolicyMarkdown, summarize } from './report';
import { suppressionsFor } from './suppressions';

let taggableTypes: Set<string> | undefined;
/** Resource types whose schema has a `tags` argument (from the provider schemas the validator uses). */
export function isTaggable(type: string): boolean {
  if (!taggableTypes) {
    taggableTypes = new Set();
    for (const index of loadSchemaIndexes()) for (const [t, schema] of Object.entries(index.resources)) if ('tags' in schema.attributes) taggableTypes.add(t);
  }
  return taggableTypes.has(type);
}

export class PolicyAspect implements IAspect {
  /** The findings of the last visit, for tests and tools. */
  findings: PolicyFinding[] = [];

  visit(node: IConstruct): void {
    if (!TerraformStack.isStack(node)) return;
    const stack = node as TerraformStack;
    const json = stack.toTerraform() as Record<string, any>;
    const byPath = new Map(stack.node.findAll().map((c) => [c.node.path, c]));
    this.findings = evaluateStack(stack.node.id, json, {
      taggable: isTaggable,
      suppressionsFor: (p) => {
        const c = byPath.get(p);
        return c ? suppressionsFor(c) : [];
      },
    });
    for (const f of this.findings.filter((x) => x.result === 'fail')) {
      const target = (f.constructPath && byPath.get(f.constructPath)) || stack;
      const message = `[${f.ruleId}] ${f.address}: ${f.message}`;
      if (f.severity === 'error') Annotations.of(target).addError(message);
      else Annotations.of(target).addWarning(message);
    }
    writeReports(stack, this.findings);
  }
}

/** Writes the stack's report and refreshes the app-wide one from every stack's report written so far. */
function writeReports(stack: TerraformStack, findings: PolicyFinding[]): void {
  let outdir: string;
  try {
    outdir = App.of(stack).outdir;
  } catch {
    return; // not inside an App (nothing to write to)
  }
  const stackDir = path.join(outdir, 'stacks', stack.node.id);
  fs.mkdirSync(stackDir, { recursive: true });
  fs.writeFileSync(path.join(stackDir, POLICY_REPORT_FILE), `${JSON.stringify({ stack: stack.node.id, summary: summarize(findings), findings }, null, 2)}\n`);
  const names = App.of(stack)
    .node.findAll()
    .filter((c): c is TerraformStack => TerraformStack.isStack(c))
    .map((s) => s.node.id);
  const all: PolicyFinding[] = [];
  for (const name of names) {
    const file = path.join(outdir, 'stacks', name, POLICY_REPORT_FILE);
    if (fs.existsSync(file)) all.push(...(JSON.parse(fs.readFileSync(file, 'utf8')) as { findings: PolicyFinding[] }).findings);
  }
  fs.writeFileSync(path.join(outdir, POLICY_REPORT_FILE), `${JSON.stringify({ summary: summarize(all), findings: all }, null, 2)}\n`);
  fs.writeFileSync(path.join(outdir, POLICY_REPORT_MARKDOWN), renderPolicyMarkdown(all));
}
