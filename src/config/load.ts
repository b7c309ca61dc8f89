/**
 * Reading the configuration: defaults ← optional JSON file, validated by the
 * zod schema and then by the cross-field validators. Every problem is
 * reported at once, each naming its field.
 */
import { avereSshKeyIssues, sshPublicKeyIssues } from '../identity/ssh-key';
import * as fs from 'fs';
import * as path from 'path';
import type { z } from 'zod';
import { InputError, InputIssue, show, throwIfIssues } from '../errors';
import { validateAddressPlan } from '../net/address-plan';
import { validateAdminSourceCidrs } from '../net/admin-sources';
import { validateTags } from '../tags';
import { AZURE_APPLY_RULES } from './azure-rules';
import { computeConstructIssues, computeIssues } from './compute';
import { deployIssues } from './deploy';
import { domainConstructIssues, domainIssues, secretsConstructIssues } from './domain';
import { EnvironmentConfig, environmentConfigSchema } from './schema';
import { storageIssues } from './storage';

/** Environment variable naming the configuration file. */
export const CONFIG_ENV_VAR = 'PHOTOGRAMMETRY_CONFIG';
/** cdktf context key naming the configuration file (`cdktf.json` → `context.configFile`). */
export const CONFIG_CONTEXT_KEY = 'configFile';

/** The value at `segments` of the input, or undefined. */
function valueAt(input: unknown, segments: readonly PropertyKey[]): unknown {
  let node = input;
  for (const s of segments) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<PropertyKey, unknown>)[s];
  }
  return node;
}

/**
 * Turns zod issues into field-named issues (`network.adminSourceCidrs[0]`), each with the value the file gave
 * (zod's own wording names only the expected type).
 */
function fromZod(error: z.ZodError, input: unknown): InputIssue[] {
  return error.issues
    .map((issue) => {
      const keys = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
      return keys.map((key) => {
        if (issue.code === 'unrecognized_keys')
          return {
            path: formatPath([...issue.path, key!]) || '(root)',
            message: `unknown field (value ${show(valueAt(input, [...issue.path, key!]))}); check the spelling against the configuration reference in README.md`,
          };
        const value = valueAt(input, issue.path);
        const message = issue.message
          .replace(/^Invalid input: expected (\w+), received undefined$/, 'is required (expected $1)')
          .replace(/^Invalid input: expected (\w+), received \w+$/, 'expected a $1')
          .replace(/^Invalid option: expected one of /, 'expected one of ');
        return { path: formatPath(issue.path) || '(root)', message: value === undefined ? message : `${message}; got ${show(value)}` };
      });
    })
    .flat();
}

/** 1-based line and column of a character offset in `text`. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}

/** JSON.parse's error as `line L, column C: <reason>` (Node reports a character offset). */
export function jsonSyntaxMessage(text: string, error: Error): string {
  const reason = error.message.replace(/\s*\(line \d+ column \d+\)$/, '');
  const at = /at position (\d+)/.exec(reason);
  const offset = at ? Number(at[1]) : /end of JSON input/i.test(reason) ? text.length : undefined;
  if (offset === undefined) return reason;
  const { line, column } = lineColumn(text, offset);
  return `line ${line}, column ${column}: ${reason.replace(/\s*in JSON at position \d+/, '').replace(/\s*at position \d+/, '')}`;
}

function formatPath(segments: readonly PropertyKey[]): string {
  return segments.reduce<string>((acc, s) => (typeof s === 'number' ? `${acc}[${s}]` : acc ? `${acc}.${String(s)}` : String(s)), '');
}

/**
 * One check of a shape-valid configuration: the config paths it reads (a path covers what lies under it) and the
 * issues it finds. A check is skipped when the schema refused something it reads (its inputs would be defaults
 * standing in for the user's broken values, so its verdict would be about values nobody wrote).
 */
interface ConfigCheck {
  readonly reads: readonly string[];
  readonly run: (config: EnvironmentConfig) => InputIssue[];
}

/**
 * Every check beyond the shape: cross-field checks (address plan, admin CIDRs, …) and the constructs' own rules
 * at the configuration's paths (`domainConstructIssues`: DomainServices' rules on `domain.*`; `computeConstructIssues`:
 * MetashapeScheduler's and ProcessingNodes' on `compute.*`).
 */
const CHECKS: readonly ConfigCheck[] = [
  {
    reads: ['addressPlan', 'storage.backend', 'storage.avere.nodeCount'],
    run: (config) =>
      validateAddressPlan(config.addressPlan, {
        // Avere's room in the cache subnet matters only with Avere; the Lustre subnet only with Lustre.
        cacheNodeCount: config.storage.backend === 'avere' ? config.storage.avere.nodeCount : undefined,
        includeLustreSubnet: config.storage.backend === 'managed-lustre',
        includeNetappSubnet: config.storage.backend === 'netapp-files',
        includeFileServerSubnet: config.storage.backend === 'glusterfs' || config.storage.backend === 'beegfs',
        // Only the Avere backend has a cache subnet (HpcNetwork creates it only then).
        includeCacheSubnet: config.storage.backend === 'avere',
      }),
  },
  { reads: ['network.adminSourceCidrs'], run: (config) => validateAdminSourceCidrs(config.network.adminSourceCidrs) },
  { reads: ['tags'], run: (config) => validateTags(config.tags) },
  {
    reads: ['adminSshPublicKey', 'storage.backend'],
    run: (config) =>
      config.adminSshPublicKey === undefined
        ? []
        : config.storage.backend === 'avere'
          ? // The same key goes to the vFXT, whose provider accepts only "ssh-rsa AAAA… user@host".
            avereSshKeyIssues('adminSshPublicKey', config.adminSshPublicKey)
          : sshPublicKeyIssues('adminSshPublicKey', config.adminSshPublicKey),
  },
  { reads: ['domain'], run: domainConstructIssues },
  { reads: ['secrets'], run: domainIssues },
  { reads: ['secrets'], run: secretsConstructIssues },
  { reads: ['storage', 'addressPlan.lustreSubnet', 'addressPlan.netappSubnet', 'addressPlan.fileServerSubnet'], run: storageIssues },
  { reads: ['compute.nodes', 'storage.backend', 'addressPlan', 'compute.bastion'], run: computeIssues },
  // Azure's apply-time constraints (issue 13): src/config/azure-rules.ts.
  ...AZURE_APPLY_RULES.map((rule) => ({ reads: rule.reads, run: rule.run })),
  { reads: ['compute.scheduler', 'compute.metashape', 'compute.nodes'], run: computeConstructIssues },
  { reads: ['deploy', 'addressPlan', 'secrets.allowedIpRanges', 'storage.backend', 'compute.bastion'], run: deployIssues },
];

/** True when one path is the other or lies under it (`addressPlan` and `addressPlan.schedulerIp`). */
function overlaps(a: string, b: string): boolean {
  const under = (x: string, y: string) => x === y || x.startsWith(`${y}.`) || x.startsWith(`${y}[`);
  return a === '(root)' || b === '(root)' || under(a, b) || under(b, a);
}

/**
 * Cross-field checks and construct rules of a shape-valid configuration. `refused` lists the fields the schema
 * refused (their defaults stand in): the checks that read them are skipped.
 */
export function semanticIssues(config: EnvironmentConfig, refused: readonly string[] = []): InputIssue[] {
  return CHECKS.filter((check) => !check.reads.some((r) => refused.some((f) => overlaps(r, f)))).flatMap((check) => check.run(config));
}

function deletePath(root: unknown, segments: readonly PropertyKey[]): boolean {
  let node = root as Record<PropertyKey, unknown> | undefined;
  for (const s of segments.slice(0, -1)) {
    node = node?.[s] as Record<PropertyKey, unknown> | undefined;
    if (typeof node !== 'object' || node === null) return false;
  }
  const last = segments[segments.length - 1];
  if (node === undefined || !(last in node)) return false;
  delete node[last];
  return true;
}

/**
 * The input with every field the schema refused taken out (so its default stands in), parsed; and the refused
 * fields. Unknown fields are dropped without counting as refused (no check reads them). Returns no config when
 * the input cannot be repaired (a refusal at the root).
 */
function parseRepaired(input: unknown, first: z.ZodError): { config?: EnvironmentConfig; refused: string[] } {
  const value = structuredClone(input) as Record<string, unknown>;
  const refused: string[] = [];
  let error: z.ZodError | undefined = first;
  for (let round = 0; error && round < 20; round++) {
    for (const issue of error.issues) {
      if (issue.code === 'unrecognized_keys') {
        issue.keys.forEach((k) => deletePath(value, [...issue.path, k]));
        continue;
      }
      // Already taken out with an enclosing field (two required fields of one missing object).
      const at = formatPath(issue.path);
      if (refused.some((r) => at === r || at.startsWith(`${r}.`) || at.startsWith(`${r}[`))) continue;
      // An array element or a missing required field: take out the enclosing field instead.
      let segments = [...issue.path];
      while (segments.length > 0 && (typeof segments[segments.length - 1] === 'number' || !deletePath(value, segments))) segments = segments.slice(0, -1);
      if (segments.length === 0) return { refused: ['(root)'] };
      refused.push(formatPath(segments));
    }
    const result = environmentConfigSchema.safeParse(value);
    if (result.success) return { config: result.data, refused };
    error = result.error;
  }
  return { refused: ['(root)'] };
}

/**
 * Validates an already-parsed JSON value in one pass: the shape (zod), the cross-field checks and the constructs'
 * rules, reporting every problem together. Where the schema refused a field, the checks that read it are skipped.
 * Throws {@link InputError} listing every issue.
 */
export function parseConfig(input: unknown, source = 'configuration'): EnvironmentConfig {
  const result = environmentConfigSchema.safeParse(input ?? {});
  if (result.success) {
    throwIfIssues(source, semanticIssues(result.data));
    return result.data;
  }
  const repaired = parseRepaired(input ?? {}, result.error);
  throw new InputError(source, [...fromZod(result.error, input ?? {}), ...(repaired.config ? semanticIssues(repaired.config, repaired.refused) : [])]);
}

/** Reads and validates a JSON configuration file. */
export function readConfigFile(file: string): EnvironmentConfig {
  const source = `configuration file ${file}`;
  let text: string;
  try {
    text = fs.readFileSync(path.resolve(file), 'utf8');
  } catch (e) {
    throw new InputError(source, [{ path: '(file)', message: `cannot be read: ${(e as Error).message}` }]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    const message = jsonSyntaxMessage(text, e as Error);
    const at = /^line (\d+), column (\d+): /.exec(message);
    throw new InputError(at ? `configuration file ${file}:${at[1]}:${at[2]}` : source, [{ path: '(file)', message: `is not valid JSON: ${message}` }]);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new InputError(source, [{ path: '(root)', message: `must be a JSON object, got ${show(json)}` }]);
  }
  return parseConfig(json, source);
}

/**
 * The configuration for this run: the file named by `$PHOTOGRAMMETRY_CONFIG`,
 * else by the cdktf context `configFile`, else the defaults.
 */
export function loadConfig(options: { env?: NodeJS.ProcessEnv; contextFile?: unknown } = {}): EnvironmentConfig {
  const env = options.env ?? process.env;
  const file = env[CONFIG_ENV_VAR] || (typeof options.contextFile === 'string' ? options.contextFile : undefined);
  return file ? readConfigFile(file) : parseConfig({}, 'default configuration');
}
