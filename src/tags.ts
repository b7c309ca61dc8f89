/** Azure tag rules and the library's default tags. */
import { Aspects, Fn, IAspect, TerraformResource, TerraformStack, Token } from 'cdktf';
import type { IConstruct } from 'constructs';
import { InputIssue, show, throwIfIssues } from './errors';
import { isTaggable } from './policy/aspect';

/** Tags every resource gets unless overridden. */
export const DEFAULT_TAGS: Readonly<Record<string, string>> = {
  workload: 'photogrammetry',
  'managed-by': 'cdktf',
};

/** Azure: at most 50 tags, names ≤ 512 characters without `<>%&\?/`, values ≤ 256 characters. */
export function validateTags(tags: Readonly<Record<string, string>>, path = 'tags'): InputIssue[] {
  const issues: InputIssue[] = [];
  const entries = Object.entries(tags);
  if (entries.length > 50) issues.push({ path, message: `has ${entries.length} tags; Azure allows at most 50` });
  for (const [key, value] of entries) {
    if (key.length === 0 || key.length > 512 || /[<>%&\\?/]/.test(key)) {
      issues.push({ path: `${path}.${key}`, message: `tag name ${show(key)} must be 1–512 characters without < > % & \\ ? /` });
    } else if (key.includes('${')) {
      issues.push({ path: `${path}.${key}`, message: `tag name ${show(key)} must not contain "\${" (Terraform template syntax)` });
    }
    if (typeof value !== 'string' || value.length > 256) {
      issues.push({ path: `${path}.${key}`, message: `tag value must be a string of at most 256 characters` });
    }
  }
  return issues;
}

/**
 * Tag values as literal Terraform strings: `${` and `%{` in a value (free text from the configuration) are
 * escaped so Terraform does not read them as template syntax. For values that are not Terraform references.
 */
export function literalTagValues(tags: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(tags).map(([k, v]) => [k, v.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{')]));
}

const TAGS = Symbol.for('cdktf-azure-photogrammetry.inherited-tags');
const TAGS_ASPECT = Symbol.for('cdktf-azure-photogrammetry.tags-aspect');
type WithTags = IConstruct & { [TAGS]?: Record<string, string>; [TAGS_ASPECT]?: boolean };

/**
 * Tags every taggable resource at or below `scope` inherits (a taggable resource is one whose class takes `tags`:
 * {@link isTaggable}). Applied at synth by an Aspect on the scope's stack; nearer scopes win over outer ones and a
 * resource's own `tags` win over inherited ones (merged, not replaced). Call it on the stack before other Aspects
 * that read tags (the policy pack) are added.
 */
export function addTags(scope: IConstruct, tags: Readonly<Record<string, string>>): void {
  throwIfIssues(`tags on ${scope.node.path}`, validateTags(tags));
  const target = scope as WithTags;
  target[TAGS] = { ...(target[TAGS] ?? {}), ...tags };
  const stack = TerraformStack.of(scope) as unknown as WithTags;
  if (!stack[TAGS_ASPECT]) {
    stack[TAGS_ASPECT] = true;
    Aspects.of(stack as unknown as TerraformStack).add(new InheritedTagsAspect());
  }
}

/** The tags `construct` inherits from itself and its scopes (outermost first, nearer ones override). */
export function inheritedTags(construct: IConstruct): Record<string, string> {
  return Object.assign({}, ...construct.node.scopes.map((s) => (s as WithTags)[TAGS] ?? {}));
}

/** Merges inherited tags into every taggable resource of the stack it visits (its own tags win). */
export class InheritedTagsAspect implements IAspect {
  visit(node: IConstruct): void {
    if (!TerraformStack.isStack(node)) return;
    for (const c of node.node.findAll()) {
      if (!isTaggable(c)) continue;
      const inherited = inheritedTags(c);
      if (Object.keys(inherited).length === 0) continue;
      const resource = c as TerraformResource & { tags: unknown; tagsInput?: unknown };
      const own = resource.tagsInput;
      resource.tags =
        own !== undefined && (Token.isUnresolved(own) || typeof own !== 'object')
          ? Fn.merge([inherited, own])
          : { ...inherited, ...((own as Record<string, string>) ?? {}) };
    }
  }
}
