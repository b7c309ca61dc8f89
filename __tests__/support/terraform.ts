/**
 * Tests that run the real terraform binary (through the stand-in providers)
 * call {@link terraformForTests} first: without terraform on PATH they are
 * skipped with a note naming the reason, except under `CI=true`, where a
 * missing terraform fails the run.
 */
import { findTerraform } from '../../src/terraform/harness';
import { leaveNote } from './notes';

export function terraformForTests(what: string, env: NodeJS.ProcessEnv = process.env): { binary: string; version: string } | undefined {
  const found = findTerraform(env);
  if ('binary' in found) return found;
  if (env.CI === 'true') throw new Error(`${what}: ${found.missing} (CI=true: terraform is required)`);
  leaveNote(`SKIPPED ${what}: ${found.missing}`);
  return undefined;
}
