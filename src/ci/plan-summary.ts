/**
 * Pull-request plan review: summarize `terraform show -json <plan>` per stack
 * (add / change / replace / destroy) and render the one PR comment that the
 * workflow creates once and then updates on every push.
 */

/** Marker that identifies the comment this project owns on a pull request. */
export const PLAN_COMMENT_MARKER = '<!-- cdktf-azure-photogrammetry:plan -->';

/** Changes of one stack's plan. */
export interface PlanSummary {
  readonly stack: string;
  readonly add: number;
  readonly change: number;
  /** Delete-and-create (counted once here, not in add/destroy). */
  readonly replace: number;
  readonly destroy: number;
  /** Addresses of resources that would be destroyed or replaced: what a reviewer must look at. */
  readonly destructive: readonly string[];
  /** Outputs the plan adds (other stacks may read them only once this stack is applied). */
  readonly outputsAdded?: readonly string[];
}

/** The plan of a stack that could not be planned. */
export interface PlanFailure {
  readonly stack: string;
  readonly error: string;
}

/**
 * A stack that can only be planned after another stack of the same change is
 * applied: it reads that stack's outputs through `terraform_remote_state`, and
 * the producer has no state yet (first deployment) or adds the output in this
 * change. Not a failure.
 */
export interface PlanDeferred {
  readonly stack: string;
  /** The producing stacks to apply first. */
  readonly after: readonly string[];
  /** Why, in one sentence. */
  readonly reason: string;
}

export type StackPlanResult = PlanSummary | PlanFailure | PlanDeferred;

interface PlanJson {
  readonly resource_changes?: ReadonlyArray<{ readonly address: string; readonly change: { readonly actions: readonly string[] } }>;
  readonly output_changes?: Readonly<Record<string, { readonly actions: readonly string[] }>>;
}

/** The outputs a plan creates (new in this change). */
export function outputsAdded(plan: PlanJson): string[] {
  return Object.entries(plan.output_changes ?? {})
    .filter(([, c]) => c.actions.includes('create'))
    .map(([name]) => name)
    .sort();
}

/** cdktf names the remote-state read of stack X `cross-stack-reference-input-X`. */
const REMOTE_STATE = /data\.terraform_remote_state\.cross-stack-reference-input-([A-Za-z0-9_-]+)/g;

/**
 * Whether a failed plan only waits for a producer of this change: every
 * `terraform_remote_state` the error names belongs to a stack planned earlier
 * in this run that is not applied yet (its plan creates resources or is itself
 * deferred) — "Unable to find remote state" — or that adds the output the error
 * says is missing. Anything else is a real error (undefined).
 */
export function deferredBy(stack: string, error: string, earlier: readonly StackPlanResult[]): PlanDeferred | undefined {
  const producers = [...new Set([...error.matchAll(REMOTE_STATE)].map((m) => m[1]))];
  if (producers.length === 0) return undefined;
  const missingOutput = /does not have an attribute named "([^"]+)"/.exec(error)?.[1];
  const noState = /Unable to find remote state/.test(error);
  if (!noState && !missingOutput) return undefined;
  const reasons: string[] = [];
  for (const name of producers) {
    const producer = earlier.find((r) => r.stack === name);
    if (!producer || 'error' in producer) return undefined;
    if ('after' in producer) reasons.push(`${name} is itself planned only after ${producer.after.join(', ')}`);
    else if (noState && producer.add > 0) reasons.push(`${name} has no state yet (first deployment)`);
    else if (missingOutput && producer.outputsAdded?.includes(missingOutput)) reasons.push(`${name} adds the output ${missingOutput} it reads in this change`);
    else return undefined;
  }
  return { stack, after: producers, reason: `${stack} reads ${producers.join(', ')} through terraform_remote_state, and ${reasons.join('; ')}` };
}

/** Counts the actions of a `terraform show -json` plan. */
export function summarizePlan(stack: string, plan: PlanJson): PlanSummary {
  let add = 0;
  let change = 0;
  let replace = 0;
  let destroy = 0;
  const destructive: string[] = [];
  for (const rc of plan.resource_changes ?? []) {
    const a = rc.change.actions;
    if (a.includes('delete') && a.includes('create')) {
      replace++;
      destructive.push(rc.address);
    } else if (a.includes('create')) add++;
    else if (a.includes('update')) change++;
    else if (a.includes('delete')) {
      destroy++;
      destructive.push(rc.address);
    }
  }
  const added = outputsAdded(plan);
  return { stack, add, change, replace, destroy, destructive, ...(added.length ? { outputsAdded: added } : {}) };
}

/** The PR comment: plan table per stack (in deploy order), destructive changes, then the architecture report. */
export function renderPlanComment(
  results: readonly StackPlanResult[],
  architectureMarkdown: string,
  meta: { readonly commit?: string; readonly runUrl?: string } = {},
): string {
  const out = [PLAN_COMMENT_MARKER, '## Terraform plan', ''];
  if (meta.commit) out.push(`Commit \`${meta.commit.slice(0, 12)}\`${meta.runUrl ? ` · [workflow run](${meta.runUrl})` : ''}`, '');
  out.push('| stack | add | change | replace | destroy |', '| --- | ---: | ---: | ---: | ---: |');
  for (const r of results) {
    if ('error' in r) out.push(`| ${r.stack} | ⚠️ plan failed | | | |`);
    else if ('after' in r) out.push(`| ${r.stack} | ⏳ planned after ${r.after.join(', ')} is applied | | | |`);
    else out.push(`| ${r.stack} | ${r.add} | ${r.change} | ${r.replace ? `**${r.replace}**` : 0} | ${r.destroy ? `**${r.destroy}**` : 0} |`);
  }
  const destructive = results.flatMap((r) => ('destructive' in r ? r.destructive.map((a) => `- \`${r.stack}\`: \`${a}\``) : []));
  if (destructive.length) out.push('', '### ⚠️ Destroyed or replaced', '', ...destructive);
  const deferred = results.filter((r): r is PlanDeferred => 'after' in r);
  if (deferred.length) {
    out.push(
      '',
      '### ⏳ Planned after deploy',
      '',
      'These stacks can only be planned once the stacks they read are applied (deploy in order: each plan above is still reviewed before its apply):',
      '',
    );
    for (const r of deferred) out.push(`- \`${r.stack}\` after \`${r.after.join('`, `')}\`: ${r.reason}.`);
  }
  for (const r of results)
    if ('error' in r) out.push('', `<details><summary>${r.stack}: plan failed</summary>`, '', '```', r.error.slice(-4000), '```', '', '</details>');
  out.push('', architectureMarkdown.replace(/^# Architecture report/m, '## Architecture'));
  return out.join('\n');
}

/** Of a PR's comments, the one this project wrote (to update instead of adding another). */
export function findPlanComment<C extends { readonly body?: string | null; readonly user?: { readonly type?: string } | null }>(
  comments: readonly C[],
): C | undefined {
  return comments.find((c) => (c.body ?? '').startsWith(PLAN_COMMENT_MARKER) && (c.user?.type ?? 'Bot') === 'Bot');
}
