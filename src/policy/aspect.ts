/**
 * The policy pack as a cdktf Aspect. Added to each stack (Aspects on the App
 * never run): when it visits the stack it evaluates the stack's final JSON
 * (cross-stack references already wired), adds an error annotation per failed
 * error rule (synth fails) and a warning per failed warning rule, on the
 * resource's construct, records every suppression that applied in the
 * resource's `//` metadata of `cdk.tf.json`, and writes the policy report into
 * the output folder.
 *
 * It needs no provider schema: whether a resource type takes tags is read off
 * the resource constructs themselves ({@link isTaggable}).
 */
import { Annotations, App, IAspect, TerraformResource, TerraformStack } from 'cdktf';
import * as fs from 'fs';
import * as path from 'path';
import type { IConstruct } from 'constructs';
import { evaluateStack, PolicyFinding } from './evaluate';
import { POLICY_REPORT_FILE, POLICY_REPORT_MARKDOWN, renderPolicyMarkdown, summarize } from './report';
import { suppressionsFor } from './suppressions';
import type { TfAttributes } from '../tf-json';

/**
 * True when the construct is a Terraform resource whose class takes a `tags` argument. Every generated provider
 * class (`@cdktf/provider-*`) has a `tagsInput` getter exactly when its schema has a `tags` argument (data sources
 * and computed-only `tags` have a `tags` getter but no `tagsInput`); a hand-written binding opts in the same way.
 * Reads no schema and no jsii assembly.
 */
export function isTaggable(construct: IConstruct): boolean {
  return TerraformResource.isTerraformResource(construct) && 'tagsInput' in construct;
}

/** The Terraform types of the resources under `scope` that take tags. */
export function taggableTypes(scope: IConstruct): Set<string> {
  const types = new Set<string>();
  for (const c of scope.node.findAll()) if (isTaggable(c)) types.add((c as TerraformResource).terraformResourceType);
  return types;
}

/** Key under a resource's `//` in `cdk.tf.json` that lists the policy suppressions applied to it. */
export const POLICY_SUPPRESSIONS_METADATA_KEY = 'policySuppressions';

/** One entry of `"//": { "policySuppressions": [...] }`. */
export interface SuppressionMetadata {
  readonly ruleId: string;
  readonly reason: string;
  /** Path of the construct the suppression was put on (the resource or one of its scopes). */
  readonly suppressedAt: string;
  /** The finding that was suppressed. */
  readonly finding: string;
}

export class PolicyAspect implements IAspect {
  /** The findings of the last visit, for tests and tools. */
  findings: PolicyFinding[] = [];

  visit(node: IConstruct): void {
    if (!TerraformStack.isStack(node)) return;
    const stack = node as TerraformStack;
    const json = stack.toTerraform() as TfAttributes;
    const byPath = new Map(stack.node.findAll().map((c) => [c.node.path, c]));
    const taggable = taggableTypes(stack);
    this.findings = evaluateStack(stack.node.id, json, {
      taggable: (type) => taggable.has(type),
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
    recordSuppressions(byPath, this.findings);
    writeReports(stack, this.findings);
  }
}

/**
 * Writes each applied suppression into its resource's `//` metadata, next to cdktf's own `metadata` (cdktf 0.21
 * emits only path, uniqueId and stack trace from the construct node there, so `node.addMetadata` would not reach
 * `cdk.tf.json`; an override under `//` does, and Terraform ignores `//` keys).
 */
function recordSuppressions(byPath: ReadonlyMap<string, IConstruct>, findings: readonly PolicyFinding[]): void {
  const byResource = new Map<string, SuppressionMetadata[]>();
  for (const f of findings) {
    if (f.result !== 'suppressed' || !f.constructPath) continue;
    const entry: SuppressionMetadata = { ruleId: f.ruleId, reason: f.reason ?? '', suppressedAt: f.suppressedAt ?? f.constructPath, finding: f.message ?? '' };
    byResource.set(f.constructPath, [...(byResource.get(f.constructPath) ?? []), entry]);
  }
  for (const [constructPath, entries] of byResource) {
    const resource = byPath.get(constructPath);
    if (resource && TerraformResource.isTerraformResource(resource)) resource.addOverride(`//.${POLICY_SUPPRESSIONS_METADATA_KEY}`, entries);
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
