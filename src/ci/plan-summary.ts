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
}

/** The plan of a stack that could not be planned. */
export interface PlanFailure {
  readonly stack: string;
  readonly error: string;
}

interface PlanJson {
  readonly resource_changes?: ReadonlyArray<{ readonly address: string; readonly change: { readonly actions: readonly string[] } }>;
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
  return { stack, add, change, replace, destroy, destructive };
}

/** The PR comment: plan table per stack (in deploy order), destructive changes, then the architecture report. */
export function renderPlanComment(results: ReadonlyArray<PlanSummary | PlanFailure>, architectureMarkdown: string, meta: { readonly commit?: string; readonly runUrl?: string } = {}): string {
  const out = [PLAN_COMMENT_MARKER, '## Terraform plan', ''];
  if (meta.commit) out.push(`Commit \`${meta.commit.slice(0, 12)}\`${meta.runUrl ? ` · [workflow run](${meta.runUrl})` : ''}`, '');
  out.push('| stack | add | change | replace | destroy |', '| --- | ---: | ---: | ---: | ---: |');
  for (const r of results) {
    if ('error' in r) out.push(`| ${r.stack} | ⚠️ plan failed | | | |`);
    else out.push(`| ${r.stack} | ${r.add} | ${r.change} | ${r.replace ? `**${r.replace}**` : 0} | ${r.destroy ? `**${r.destroy}**` : 0} |`);
  }
  const destructive = results.flatMap((r) => ('destructive' in r ? r.destructive.map((a) => `- \`${r.stack}\`: \`${a}\``) : []));
  if (destructive.length) out.push('', '### ⚠️ Destroyed or replaced', '', ...destructive);
  for (const r of results) if ('error' in r) out.push('', `<details><summary>${r.stack}: plan failed</summary>`, '', '```', r.error.slice(-4000), '```', '', '</details>');
  out.push('', architectureMarkdown.replace(/^# Architecture report/m, '## Architecture'));
  return out.join('\n');
}

/** Of a PR's comments, the one this project wrote (to update instead of adding another). */
export function findPlanComment<C extends { readonly body?: string | null; readonly user?: { readonly type?: string } | null }>(comments: readonly C[]): C | undefined {
  return comments.find((c) => (c.body ?? '').startsWith(PLAN_COMMENT_MARKER) && (c.user?.type ?? 'Bot') === 'Bot');
}
