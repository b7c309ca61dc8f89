/**
 * Reading the configuration: defaults ← optional JSON file, validated by the
 * zod schema and then by the cross-field validators. Every problem is
 * reported at once, each naming its field.
 */
import { sshPublicKeyIssues } from '../identity/ssh-key';
import * as fs from 'fs';
import * as path from 'path';
import type { z } from 'zod';
import { InputError, InputIssue, show, throwIfIssues } from '../errors';
import { validateAddressPlan } from '../net/address-plan';
import { validateAdminSourceCidrs } from '../net/admin-sources';
import { validateTags } from '../tags';
import { computeIssues } from './compute';
import { domainIssues } from './domain';
import { EnvironmentConfig, environmentConfigSchema } from './schema';
import { storageIssues } from './storage';

/** Environment variable naming the configuration file. */
export const CONFIG_ENV_VAR = 'PHOTOGRAMMETRY_CONFIG';
/** cdktf context key naming the configuration file (`cdktf.json` → `context.configFile`). */
export const CONFIG_CONTEXT_KEY = 'configFile';

/** Turns zod issues into field-named issues (`network.adminSourceCidrs[0]`). */
function fromZod(error: z.ZodError): InputIssue[] {
  return error.issues.map((issue) => {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
    return keys.map((key) => ({
      path: formatPath([...issue.path, ...(key === undefined ? [] : [key])]) || '(root)',
      message:
        issue.code === 'unrecognized_keys'
          ? 'unknown field; check the spelling against the configuration reference in README.md'
          : issue.message.replace(/^Invalid input: expected (\w+), received undefined$/, 'is required (expected $1)'),
    }));
  }).flat();
}

function formatPath(segments: readonly PropertyKey[]): string {
  return segments.reduce<string>(
    (acc, s) => (typeof s === 'number' ? `${acc}[${s}]` : acc ? `${acc}.${String(s)}` : String(s)),
    '',
  );
}

/** Cross-field checks that the schema cannot express. */
export function semanticIssues(config: EnvironmentConfig): InputIssue[] {
  return [
    ...validateAddressPlan(config.addressPlan, {
      // Avere's room in the cache subnet matters only with Avere; the Lustre subnet only with Lustre.
      cacheNodeCount: config.storage.backend === 'avere' ? config.storage.avere.nodeCount : undefined,
      includeLustreSubnet: config.storage.backend === 'managed-lustre',
      // Only the Avere backend has a cache subnet (HpcNetwork creates it only then).
      includeCacheSubnet: config.storage.backend === 'avere',
    }),
    ...validateAdminSourceCidrs(config.network.adminSourceCidrs),
    ...validateTags(config.tags),
    ...(config.adminSshPublicKey === undefined ? [] : sshPublicKeyIssues('adminSshPublicKey', config.adminSshPublicKey)),
    ...domainIssues(config),
    ...storageIssues(config),
    ...computeIssues(config),
  ];
}

/** Validates an already-parsed JSON value. Throws {@link InputError} listing every issue. */
export function parseConfig(input: unknown, source = 'configuration'): EnvironmentConfig {
  const result = environmentConfigSchema.safeParse(input ?? {});
  if (!result.success) throw new InputError(source, fromZod(result.error));
  throwIfIssues(source, semanticIssues(result.data));
  return result.data;
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
    throw new InputError(source, [{ path: '(file)', message: `is not valid JSON: ${(e as Error).message}` }]);
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
