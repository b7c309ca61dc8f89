/**
 * Configuration of the storage stack: which shared file system backs the
 * cluster, and its settings. Owned by the storage work; extend it here.
 */
import { z } from 'zod';
import type { InputIssue } from '../errors';

/** Avere vFXT cache settings. */
export const avereSchema = z
  .strictObject({
    /** Cache nodes (3–16). */
    nodeCount: z
      .number()
      .int()
      .min(3, { message: 'Avere vFXT needs at least 3 nodes' })
      .max(16, { message: 'Avere vFXT supports at most 16 nodes' })
      .default(3),
  })
  .prefault({});

/** The storage section. */
export const storageSchema = z
  .strictObject({
    avere: avereSchema,
  })
  .prefault({});

/** Cross-field checks of the storage section. */
export function storageIssues(_config: { storage: z.output<typeof storageSchema> }): InputIssue[] {
  return [];
}
