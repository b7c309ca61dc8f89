/**
 * The architecture report of a synthesized app, offline from `cdktf.out`:
 * per stack resource counts, cross-stack dependencies and deploy order, the
 * VM inventory with quota totals (and the seed's profile to compare), and a
 * Mermaid diagram. `npm run report` prints it and writes
 * `cdktf.out/architecture.md` and `cdktf.out/architecture.json`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { vmSizeInfo } from '../azure/vm-sizes';
import { architectureDiagram } from './diagram';
import { processingWorkers, SEED_PROFILE, vmInventory, type ProcessingWorkers, type VmInventory } from './inventory';
import { deployOrder, loadAppModel, type AppModel } from './model';
import { prerequisiteChecklist, renderPrerequisiteChecklist, type ChecklistItem } from './prerequisites';
import { renderStorageThroughput, storageThroughput, type StorageThroughput } from './storage';

/** One stack's summary. */
export interface StackSummaryReport {
  readonly name: string;
  readonly resources: number;
  readonly dataSources: number;
  /** Resource count per type, sorted by type. */
  readonly resourceCounts: Readonly<Record<string, number>>;
  /** Stacks whose outputs it reads (deployed before it). */
  readonly dependsOn: readonly string[];
}

/** The whole report. */
export interface ArchitectureReport {
  readonly deployOrder: readonly string[];
  readonly stacks: readonly StackSummaryReport[];
  readonly inventory: VmInventory;
  /** The GPU processing nodes: orchestrator, bounds, GPU quota (undefined when the app has none). */
  readonly workers?: ProcessingWorkers;
  /** Throughput estimate of the Azure NetApp Files volumes, per volume and per node. */
  readonly storage: StorageThroughput;
  /** What the subscription needs before the first deploy of this configuration (from the one prerequisite table). */
  readonly prerequisites: readonly ChecklistItem[];
  /** Mermaid source of the diagram. */
  readonly diagram: string;
}

/** Builds the report from a model (see {@link loadAppModel}). */
export function buildArchitectureReport(model: AppModel): ArchitectureReport {
  const order = deployOrder(model.stacks);
  const stacks = order.map((name) => {
    const stack = model.stacks.find((s) => s.name === name)!;
    const counts: Record<string, number> = {};
    for (const r of model.resources.filter((r) => r.stack === name).sort((a, b) => a.type.localeCompare(b.type))) counts[r.type] = (counts[r.type] ?? 0) + 1;
    const dataSources = Object.values((stack.json.data ?? {}) as Record<string, object>).reduce((n, byName) => n + Object.keys(byName).length, 0);
    return {
      name,
      resources: Object.values(counts).reduce((a, b) => a + b, 0),
      dataSources,
      resourceCounts: counts,
      dependsOn: [...stack.dependencies].sort(),
    };
  });
  const inventory = vmInventory(model);
  return {
    deployOrder: order,
    stacks,
    inventory,
    workers: processingWorkers(model),
    storage: storageThroughput(model, inventory),
    prerequisites: prerequisiteChecklist(model, inventory),
    diagram: architectureDiagram(model),
  };
}

/** Reads `outdir` and builds the report. */
export function architectureReport(outdir: string): ArchitectureReport {
  return buildArchitectureReport(loadAppModel(outdir));
}

const n = (v: number | undefined) => (v === undefined ? '?' : String(v));

/** The report as Markdown (GitHub-flavoured, with a ```mermaid block). */
export function renderArchitectureMarkdown(report: ArchitectureReport): string {
  const out: string[] = ['# Architecture report', ''];
  out.push(`Deploy order: ${report.deployOrder.map((s) => `\`${s}\``).join(' → ')}`, '');
  out.push('## Prerequisites (this configuration)', '', ...renderPrerequisiteChecklist(report.prerequisites), '');
  out.push('## Stacks', '', '| stack | resources | data sources | depends on |', '| --- | ---: | ---: | --- |');
  for (const s of report.stacks) out.push(`| ${s.name} | ${s.resources} | ${s.dataSources} | ${s.dependsOn.join(', ') || '—'} |`);
  for (const s of report.stacks) {
    out.push('', `<details><summary>${s.name}: ${s.resources} resources by type</summary>`, '', '| type | count |', '| --- | ---: |');
    for (const [type, count] of Object.entries(s.resourceCounts)) out.push(`| \`${type}\` | ${count} |`);
    out.push('', '</details>');
  }
  const inv = report.inventory;
  const w = report.workers;
  if (w) {
    out.push(
      '',
      '## Processing nodes',
      '',
      `Orchestrator: **${w.orchestrator}**; ${w.size}${w.spot ? ' (Spot)' : ''}, ${w.min === w.max ? `${w.max} nodes` : `${w.min}–${w.max} nodes (schedule)`}.`,
      `GPU quota at most: ${w.gpus} GPUs, ${w.vcpus} vCPUs${w.family ? ` (${w.family})` : ''}, counted against ${w.quota}.`,
    );
  }
  out.push(
    '',
    '## VM inventory',
    '',
    '| stack | name | kind | OS | size | count | vCPUs/VM | GPUs/VM | quota family |',
    '| --- | --- | --- | --- | --- | ---: | ---: | ---: | --- |',
  );
  for (const l of inv.lines)
    out.push(
      `| ${l.stack} | ${l.name} | ${l.kind} | ${l.os} | ${l.size} | ${l.count} | ${n(l.vcpusPerVm)} | ${n(l.gpusPerVm)} | ${l.family ?? 'unknown size'} |`,
    );
  out.push(
    '',
    '## Quota needed (vCPUs per family; request these before deploying)',
    '',
    '| quota family | VMs | vCPUs | GPUs |',
    '| --- | ---: | ---: | ---: |',
  );
  for (const f of inv.families) out.push(`| ${f.family} | ${f.vms} | ${f.vcpus} | ${f.gpus} |`);
  out.push(`| **total** | **${inv.totals.vms}** | **${inv.totals.vcpus}** | **${inv.totals.gpus}** |`);
  if (inv.unknownSizes.length) out.push('', `Sizes not in the size table (not counted): ${inv.unknownSizes.join(', ')}.`);
  if (inv.uncountedLines.length) out.push('', `Counts only known at apply (not counted): ${inv.uncountedLines.join(', ')}.`);
  const storage = renderStorageThroughput(report.storage);
  if (storage.length > 0) out.push('', ...storage);
  out.push('', "## Compared with the seed's reference deployment", '', '| role (seed) | size | count | vCPUs | GPUs |', '| --- | --- | ---: | ---: | ---: |');
  let seedVcpus = 0;
  let seedGpus = 0;
  for (const p of SEED_PROFILE) {
    const info = vmSizeInfo(p.size);
    seedVcpus += (info?.vcpus ?? 0) * p.count;
    seedGpus += (info?.gpus ?? 0) * p.count;
    out.push(`| ${p.role} | ${p.size} | ${p.count} | ${n(info && info.vcpus * p.count)} | ${n(info && info.gpus * p.count)} |`);
  }
  out.push(`| **seed total** | | | **${seedVcpus}** | **${seedGpus}** |`);
  out.push(
    '',
    `This deployment: ${inv.totals.vcpus} vCPUs and ${inv.totals.gpus} GPUs; the seed: ${seedVcpus} vCPUs and ${seedGpus} GPUs (on sizes retired since).`,
  );
  out.push('', '## Diagram', '', '```mermaid', report.diagram.trimEnd(), '```', '');
  return out.join('\n');
}

/** Writes `architecture.md` and `architecture.json` into `outdir` and returns the report. */
export function writeArchitectureReport(outdir: string): { report: ArchitectureReport; markdown: string; files: string[] } {
  const report = architectureReport(outdir);
  const markdown = renderArchitectureMarkdown(report);
  const files = [path.join(outdir, 'architecture.md'), path.join(outdir, 'architecture.json')];
  fs.writeFileSync(files[0], markdown);
  fs.writeFileSync(files[1], `${JSON.stringify(report, null, 2)}\n`);
  return { report, markdown, files };
}
