/**
 * Configuration of the compute stack: scheduler, processing nodes, jump boxes.
 * Owned by the compute work; extend it here.
 */
import { z } from 'zod';
import type { InputIssue } from '../errors';

/** The compute section. */
export const computeSchema = z.strictObject({}).prefault({});

/** Cross-field checks of the compute section. */
export function computeIssues(_config: { compute: z.output<typeof computeSchema> }): InputIssue[] {
  return [];
}
