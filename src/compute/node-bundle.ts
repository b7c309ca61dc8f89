/**
 * The Linux node's boot as one script ({@link renderNodeBundleScript}): the files of the scale set's cloud-config
 * ({@link renderNodeBootFiles}) written by quoted here-documents, then the setup script run once. The Azure Batch start
 * task and the Azure CycleCloud cluster-init run it, so every orchestrator boots its nodes with the same rendered
 * setup (one source, src/vm-scripts/linux), not a copy.
 */
import { readScript, renderTemplate, shLiteral } from '../vm-scripts/render';
import { NODE_SETUP_PATH, NodeCloudInitParams, renderNodeBootFiles } from './cloud-init';

/** The here-document delimiter of every file (no rendered file has a line equal to it). */
export const NODE_BUNDLE_EOF = 'PGM_NODE_FILE_EOF';

/** Who runs the bundle (named in its header). */
export type NodeBundleStarter = 'azure-batch-start-task' | 'cyclecloud-cluster-init';

/**
 * The bundle script. With `forTerraform` (the default) literal text is escaped for a Terraform string attribute and
 * Terraform references inside the files (a Lustre MGS address, the vault URI) resolve at apply.
 */
export function renderNodeBundleScript(p: NodeCloudInitParams, startedBy: NodeBundleStarter, forTerraform = true): string {
  const files = renderNodeBootFiles(p, forTerraform);
  const marker = '@@PGM_NODE_FILES@@';
  const [head, tail] = renderTemplate(
    readScript('linux/node-bundle.sh'),
    { STARTED_BY: startedBy, FILES: marker, NODE_SETUP: shLiteral(NODE_SETUP_PATH) },
    { name: 'linux/node-bundle.sh', forTerraform },
  ).split(marker);
  const blocks = files.map((f) => {
    if (f.content.split('\n').includes(NODE_BUNDLE_EOF)) throw new Error(`renderNodeBundleScript: ${f.path} has a line ${NODE_BUNDLE_EOF}`);
    const body = f.content.endsWith('\n') ? f.content : `${f.content}\n`;
    return `write_file ${shLiteral(f.path)} ${f.permissions} <<'${NODE_BUNDLE_EOF}'\n${body}${NODE_BUNDLE_EOF}\n`;
  });
  return `${head}${blocks.join('')}${tail}`;
}
