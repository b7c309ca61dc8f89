/**
 * cdktf-azure-photogrammetry/tooling: what runs beside a synth rather than in it. The offline validator of
 * synthesized stacks (against provider schemas derived from the installed provider packages, cached under
 * `node_modules/.cache/`), the architecture report, and the pull-request plan-review helpers.
 *
 * Kept out of the package root on purpose: importing the root and synthesizing never loads any of this, never
 * reads a provider's jsii assembly and never writes into `node_modules`. Import it as
 * `cdktf-azure-photogrammetry/tooling`.
 */
export * from './validation';
export { architectureReport, buildArchitectureReport, renderArchitectureMarkdown, writeArchitectureReport } from './report/report';
export type { ArchitectureReport, StackSummaryReport } from './report/report';
export { loadAppModel, buildAppModel, deployOrder } from './report/model';
export type { AppModel, ModelResource, ModelStack } from './report/model';
export { vmInventory, SEED_PROFILE } from './report/inventory';
export type { VmInventory, VmInventoryLine, FamilyTotal } from './report/inventory';
export { architectureDiagram } from './report/diagram';
export * from './ci/plan-summary';
