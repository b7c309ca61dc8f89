/**
 * Synth warnings with stable ids, that a library user can acknowledge (the shape of cdk's
 * `Annotations.acknowledgeWarning`). A construct calls {@link warn}; the warning is emitted as a cdktf warning
 * annotation (`@cdktf/warn`, what `cdktf synth` prints) when the stack is synthesized, as
 * `[pgm:<construct>:<topic>] <message>`, unless the id was acknowledged on the construct or one of its scopes
 * ({@link acknowledgeWarning}, before or after the warning was raised) or listed in the cdktf context
 * {@link ACKNOWLEDGED_WARNINGS_CONTEXT_KEY} (`cdktf.json`). Messages name construct props; a stack built from a
 * configuration file adds where that prop comes from ({@link addWarningHint}).
 */
import { Annotations, Aspects, IAspect, TerraformStack } from 'cdktf';
import type { IConstruct } from 'constructs';
import { InputError, show } from './errors';

/** The ids of the library's warnings. */
export const WARNING_IDS = {
  /** HpcNetwork: no admin source and nothing else admits RDP/SSH into the jump box subnet. */
  NO_ADMIN_SOURCES: 'pgm:hpc-network:no-admin-sources',
  /** SecretsVault: no public IP range through the vault firewall. */
  /** No longer emitted: a vault no runner can write is refused (SecretsVault runnerSubnetIds / allowedIpRanges). Kept for acknowledgements. */
  VAULT_NO_IP_RANGES: 'pgm:secrets-vault:no-ip-ranges',
  /** SecretsVault: licensing "none" (nodes run unlicensed). */
  UNLICENSED: 'pgm:secrets-vault:unlicensed',
  /** AvereCache: Avere vFXT is retired. */
  AVERE_RETIRED: 'pgm:avere-cache:retired',
  /** ManagedLustre: Windows machines cannot mount it. */
  LUSTRE_NO_WINDOWS: 'pgm:managed-lustre:no-windows-clients',
  /** GlusterFs: upstream's maintenance status. */
  GLUSTER_MAINTENANCE: 'pgm:glusterfs:maintenance-status',
} as const;

/** A warning id: `pgm:<construct>:<topic>` for the library's own, any `<a>:<b>:<c>` for a consumer's. */
export type WarningId = (typeof WARNING_IDS)[keyof typeof WARNING_IDS] | (string & {});

/** cdktf context key: ids (array of strings) acknowledged for the whole app, e.g. in `cdktf.json`. */
export const ACKNOWLEDGED_WARNINGS_CONTEXT_KEY = 'pgm:acknowledgedWarnings';

/** Options of {@link warn}. */
export interface WarnOptions {
  /**
   * Evaluated at synth, once every construct has been added: the warning is emitted only when this returns true
   * (e.g. "nothing else admits RDP/SSH"). @default always
   */
  readonly when?: () => boolean;
}

/** An acknowledgement recorded on a construct. */
export interface WarningAcknowledgement {
  readonly id: string;
  readonly reason: string;
  /** Path of the construct it was recorded on. */
  readonly constructPath: string;
}

interface PendingWarning {
  readonly scope: IConstruct;
  readonly id: string;
  readonly message: string;
  readonly when?: () => boolean;
}

const ID_PATTERN = /^[a-z0-9-]+:[a-z0-9-]+:[a-z0-9-]+$/;
const PENDING = Symbol.for('cdktf-azure-photogrammetry.pending-warnings');
const ACKS = Symbol.for('cdktf-azure-photogrammetry.warning-acknowledgements');
const HINTS = Symbol.for('cdktf-azure-photogrammetry.warning-hints');

type WithWarnings = IConstruct & {
  [PENDING]?: PendingWarning[];
  [ACKS]?: WarningAcknowledgement[];
  [HINTS]?: Map<string, string>;
};

function idIssue(id: string, source: string): void {
  if (typeof id !== 'string' || !ID_PATTERN.test(id)) {
    throw new InputError(source, [
      {
        path: 'id',
        message: `${show(id)} is not a warning id; use "<library>:<construct>:<topic>" in lowercase letters, digits and hyphens, e.g. "${WARNING_IDS.NO_ADMIN_SOURCES}"`,
      },
    ]);
  }
}

/** Emits the stack's pending warnings when the stack is synthesized. */
class WarningsAspect implements IAspect {
  visit(node: IConstruct): void {
    if (!TerraformStack.isStack(node)) return;
    const pending = (node as WithWarnings)[PENDING] ?? [];
    for (const w of pending) {
      if (isAcknowledged(w.scope, w.id) || (w.when && !w.when())) continue;
      const hint = hintFor(w.scope, w.id);
      Annotations.of(w.scope).addWarning(`[${w.id}] ${w.message}${hint ? ` ${hint}` : ''}`);
    }
    (node as WithWarnings)[PENDING] = []; // once per synth
  }
}

/**
 * Raises the warning `id` on `scope`: emitted at synth as `[id] message` (a cdktf warning annotation on `scope`),
 * unless acknowledged. The message names the construct's props, not a configuration field.
 */
export function warn(scope: IConstruct, id: WarningId, message: string, options: WarnOptions = {}): void {
  idIssue(id, `warning on ${scope.node.path}`);
  const stack = TerraformStack.of(scope) as WithWarnings;
  if (stack[PENDING] === undefined) {
    stack[PENDING] = [];
    Aspects.of(stack).add(new WarningsAspect());
  }
  stack[PENDING].push({ scope, id, message, when: options.when });
}

/**
 * Acknowledges the warning `id` on `scope` and everything below it (a construct, a stack or the App), with the
 * reason; an acknowledged warning is not emitted. Works before or after the warning is raised (warnings are emitted
 * at synth).
 */
export function acknowledgeWarning(scope: IConstruct, id: WarningId, reason: string): void {
  const source = `warning acknowledgement on ${scope.node.path}`;
  idIssue(id, source);
  if (typeof reason !== 'string' || reason.trim().length === 0)
    throw new InputError(source, [{ path: 'reason', message: `acknowledging ${id} needs a reason` }]);
  const target = scope as WithWarnings;
  (target[ACKS] ??= []).push({ id, reason: reason.trim(), constructPath: scope.node.path });
}

/** The acknowledgements that apply to `construct` (its own and its scopes', nearest first), with the context's. */
export function acknowledgementsFor(construct: IConstruct): WarningAcknowledgement[] {
  const own = construct.node.scopes
    .slice()
    .reverse()
    .flatMap((s) => (s as WithWarnings)[ACKS] ?? []);
  const fromContext = construct.node.tryGetContext(ACKNOWLEDGED_WARNINGS_CONTEXT_KEY);
  const contextIds: string[] = Array.isArray(fromContext) ? fromContext.filter((x): x is string => typeof x === 'string') : [];
  return [...own, ...contextIds.map((id) => ({ id, reason: `cdktf context ${ACKNOWLEDGED_WARNINGS_CONTEXT_KEY}`, constructPath: '' }))];
}

/** True when the warning `id` is acknowledged on `construct` or above it. */
export function isAcknowledged(construct: IConstruct, id: string): boolean {
  return acknowledgementsFor(construct).some((a) => a.id === id);
}

/**
 * Adds a sentence to the warning `id` raised on `scope` or below it, e.g. where the named prop comes from in a
 * configuration file (`In the configuration file: "network": { "adminSourceCidrs": [...] }.`). The nearest hint wins.
 */
export function addWarningHint(scope: IConstruct, id: WarningId, hint: string): void {
  ((scope as WithWarnings)[HINTS] ??= new Map()).set(id, hint);
}

function hintFor(construct: IConstruct, id: string): string | undefined {
  for (const s of construct.node.scopes.slice().reverse()) {
    const hint = (s as WithWarnings)[HINTS]?.get(id);
    if (hint !== undefined) return hint;
  }
  return undefined;
}
