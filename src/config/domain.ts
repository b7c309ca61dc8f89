/**
 * Configuration of the network stack's identity pieces: the Active Directory
 * domain (DomainServices) and the Key Vault (SecretsVault). Owned by the
 * SecretsVault/DomainServices work; extend the schemas here.
 */
import { z } from 'zod';
import type { InputIssue } from '../errors';

/** Active Directory domain settings. */
export const domainSchema = z.strictObject({}).prefault({});

/** Key Vault and secret settings. */
export const secretsSchema = z.strictObject({}).prefault({});

/** Cross-field checks of these sections (the config as a whole is passed in). */
export function domainIssues(_config: { domain: z.output<typeof domainSchema>; secrets: z.output<typeof secretsSchema> }): InputIssue[] {
  return [];
}
