/**
 * Validation of synthesized cdktf stacks: offline against provider schemas
 * derived from the installed cdktf provider packages (layer a), and with
 * `terraform validate` where terraform and the providers are available
 * locally (layer b). See `npm run validate`.
 */
export * from './problems';
export * from './schema-index';
export * from './validate';
export * from './terraform-validate';
export { scanTemplate, scanExpression, isSingleInterpolation, hasTemplateSequence, formatReference } from './expressions';
export type { Reference, TraversalStep, ScanResult } from './expressions';
export { normalizeProviderSource, satisfiesVersionConstraint } from './providers';
