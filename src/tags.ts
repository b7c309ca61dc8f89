/** Azure tag rules and the library's default tags. */
import { InputIssue, show } from './errors';

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
