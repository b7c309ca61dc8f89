import { Construct } from 'constructs';
import { resolveGpuMask } from '../src/compute/gpu';
import { throwIfIssues } from '../src/errors';
import { Naming } from '../src/naming';
import type { SharedFileSystem } from '../src/storage/shared-file-system';
import type { IDomain } from './domain-services';
import type { IHpcNetwork } from './hpc-network';
import { hideChildFromLogicalIds } from './logical-ids';
import { MetashapeOptions, MetashapeScheduler, metashapeSchedulerIssues } from './metashape-scheduler';
import { ProcessingNodes, ProcessingNodesOptions, processingNodesIssues } from './processing-nodes';
import { BatchProcessingNodes, batchNodesIssues } from './batch-nodes';
import { CycleCloudCluster, cycleCloudClusterIssues } from './cyclecloud-cluster';
import type { BatchPoolAllocationMode, Orchestrator } from '../src/compute/orchestrators';
import type { InputIssue } from '../src/errors';
import type { ClusterLicensing, IGrantable, IPrincipal, ISecretsVault } from './secrets-vault';
import { withNormalizedLocation } from '../src/azure/regions';

export { MAX_PROCESSING_NODES } from './processing-nodes';
export type { ProcessingNodesOptions } from './processing-nodes';

/** Azure Batch settings of {@link PhotoScanClusterProps.orchestrator} "batch". */
export interface BatchOrchestratorOptions {
  /** @default "BatchService" */
  readonly poolAllocationMode?: BatchPoolAllocationMode;
  /** @default from the image */
  readonly nodeAgentSkuId?: string;
  /** Object id of the "Microsoft Azure Batch" service principal. @default none (required for "UserSubscription") */
  readonly batchServicePrincipalObjectId?: string;
}

/** Azure CycleCloud settings of {@link PhotoScanClusterProps.orchestrator} "cyclecloud". */
export interface CycleCloudOrchestratorOptions {
  /** @default "Standard_D4s_v5" */
  readonly serverSize?: string;
  /** @default false */
  readonly acceptMarketplaceTerms?: boolean;
}

/** Props of {@link PhotoScanCluster}. */
export interface PhotoScanClusterProps {
  readonly naming: Naming;
  readonly location: string;
  readonly resourceGroupName: string;
  /** The network: scheduler and nodes sit in its compute subnet; the scheduler's rules go into that subnet's NSG. */
  readonly network: IHpcNetwork;
  /** The shared file system (any backend). */
  readonly fileSystem: SharedFileSystem;
  /** Static address of the scheduler in the compute subnet. @default the network's `addressPlan.schedulerIp` */
  readonly schedulerIp?: string;
  /** @default MetashapeScheduler.DEFAULT_SIZE ("Standard_D8s_v5") */
  readonly schedulerSize?: string;
  /** Let the jump box subnet reach the control port 5840 (submit and monitor jobs from the jump box). @default false */
  readonly allowControlFromJumpbox?: boolean;
  /**
   * First priority of the scheduler's rules in the compute subnet's NSG (it uses base, base + 10, base + 20).
   * Give clusters that share a subnet different bases. @default 300
   */
  readonly nsgPriorityBase?: number;
  readonly nodes?: ProcessingNodesOptions;
  /**
   * What runs the processing nodes: "scale-set" (a VM scale set), "batch" (an Azure Batch pool) or "cyclecloud" (an
   * Azure CycleCloud cluster). Batch and CycleCloud run Linux workers only. @default "scale-set"
   */
  readonly orchestrator?: Orchestrator;
  /** Settings of the "batch" orchestrator. @default {} */
  readonly batch?: BatchOrchestratorOptions;
  /** Settings of the "cyclecloud" orchestrator. @default {} */
  readonly cyclecloud?: CycleCloudOrchestratorOptions;
  /** Resource id of `resourceGroupName` (CycleCloud's role is assigned there). @default none (required for "cyclecloud") */
  readonly resourceGroupId?: string;
  /** Metashape version and https installers. */
  readonly metashape: MetashapeOptions;
  /** @default the vault's `licensing`, else `{ kind: "none" }` */
  readonly licensing?: ClusterLicensing;
  /** The vault: with licensing "code", the scheduler and the nodes get read access to the activation code. @default no grants */
  readonly secrets?: ISecretsVault;
  /** The domain the scheduler joins. @default not joined */
  readonly domain?: IDomain;
  /** User-assigned identities for the scheduler (the nodes': `nodes.userAssignedIdentityIds`). @default none */
  readonly schedulerUserAssignedIdentityIds?: readonly string[];
  /** Admin account of every machine. */
  readonly adminUsername: string;
  /** Local admin password of the Windows machines: a Terraform reference. */
  readonly adminPassword: string;
  /** OpenSSH public key of the Linux machines (or a Terraform reference to one). */
  readonly sshPublicKey: string;
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * The Metashape (PhotoScan) cluster: a {@link MetashapeScheduler} and the {@link ProcessingNodes} that join it,
 * in one construct. Its children keep the resource addresses the single-construct cluster had (no state moves).
 * Grant the nodes access through {@link nodes} (or the cluster itself: it grants to the nodes' identity), order
 * extensions after {@link scheduler}`.bootstrap`.
 */
export class PhotoScanCluster extends Construct implements IGrantable {
  readonly scheduler: MetashapeScheduler;
  /** The processing nodes: a scale set, a Batch pool or a CycleCloud cluster (see {@link orchestrator}). */
  readonly nodes: ProcessingNodes | BatchProcessingNodes | CycleCloudCluster;
  readonly orchestrator: Orchestrator;
  readonly schedulerId: string;
  readonly schedulerIp: string;
  readonly schedulerPrincipalId: string;
  /** The scale set (orchestrator "scale-set"; undefined otherwise). */
  readonly scaleSetId?: string;
  readonly scaleSetName?: string;
  /** The processing nodes' identity. */
  readonly nodesPrincipalId: string;
  /** The processing nodes' identity (what `grant*` methods grant to when given the cluster). */
  readonly grantPrincipal: IPrincipal;
  readonly nodeCount: number;
  readonly gpuMask: number;

  constructor(scope: Construct, id: string, props: PhotoScanClusterProps) {
    super(scope, id);
    props = withNormalizedLocation(props, `PhotoScanCluster props (${this.node.path})`);
    const nodes = props.nodes ?? {};
    const orchestrator = props.orchestrator ?? 'scale-set';
    this.orchestrator = orchestrator;
    const os = nodes.os ?? 'linux';
    const count = nodes.count ?? ProcessingNodes.DEFAULT_COUNT;
    const size = nodes.size ?? ProcessingNodes.DEFAULT_SIZE;
    const compute = props.network.subnet('compute');
    const schedulerIp = props.schedulerIp ?? props.network.addressPlan.schedulerIp;
    const schedulerProps = {
      naming: props.naming,
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      network: props.network,
      fileSystem: props.fileSystem,
      ip: schedulerIp,
      size: props.schedulerSize,
      allowControlFromJumpbox: props.allowControlFromJumpbox,
      nsgPriorityBase: props.nsgPriorityBase,
      metashape: props.metashape,
      licensing: props.licensing,
      secrets: props.secrets,
      domain: props.domain,
      userAssignedIdentityIds: props.schedulerUserAssignedIdentityIds,
      adminUsername: props.adminUsername,
      adminPassword: props.adminPassword,
      tags: props.tags,
    };
    const nodeProps = {
      ...nodes,
      naming: props.naming,
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      network: props.network,
      fileSystem: props.fileSystem,
      schedulerIp,
      metashape: props.metashape,
      licensing: props.licensing,
      secrets: props.secrets,
      adminUsername: props.adminUsername,
      adminPassword: props.adminPassword,
      sshPublicKey: props.sshPublicKey,
      tags: props.tags,
    };
    // Every problem of both parts at once, before anything is built.
    const seen = new Set<string>();
    throwIfIssues(
      `PhotoScanCluster props (${this.node.path})`,
      [
        ...metashapeSchedulerIssues(schedulerProps, schedulerIp, compute.cidr),
        ...processingNodesIssues(nodeProps, os, count, size),
        ...resolveGpuMask('nodes.gpuMask', size, nodes.gpuMask).issues,
        ...orchestratorIssues(props, orchestrator),
      ].filter((i) => {
        const key = `${i.path}: ${i.message}`;
        return seen.has(key) ? false : (seen.add(key), true);
      }),
    );
    // The resources keep the addresses of the single construct this cluster used to be (no state moves).
    hideChildFromLogicalIds(this, 'scheduler');
    hideChildFromLogicalIds(this, 'nodes');
    this.scheduler = new MetashapeScheduler(this, 'scheduler', schedulerProps);
    const rest = { count, size, gpuMask: nodes.gpuMask, image: nodes.image, autoscale: nodes.autoscale, tags: props.tags };
    if (orchestrator === 'batch') {
      this.nodes = new BatchProcessingNodes(this, 'batch', {
        ...nodeProps,
        ...rest,
        ...props.batch,
        spot: nodes.spot?.enabled ?? false,
      });
    } else if (orchestrator === 'cyclecloud') {
      this.nodes = new CycleCloudCluster(this, 'cyclecloud', {
        ...nodeProps,
        ...rest,
        ...props.cyclecloud,
        secrets: props.secrets!,
        resourceGroupId: props.resourceGroupId!,
        spot: nodes.spot,
      });
    } else {
      this.nodes = new ProcessingNodes(this, 'nodes', nodeProps);
      this.scaleSetId = this.nodes.scaleSetId;
      this.scaleSetName = this.nodes.scaleSetName;
    }
    this.node.defaultChild = this.nodes;
    this.schedulerId = this.scheduler.vmId;
    this.schedulerIp = this.scheduler.ip;
    this.schedulerPrincipalId = this.scheduler.principalId;
    this.nodesPrincipalId = this.nodes.principalId;
    this.grantPrincipal = this.nodes.grantPrincipal;
    this.nodeCount = this.nodes.nodeCount;
    this.gpuMask = this.nodes.gpuMask;
  }
}

/** What the "batch" and "cyclecloud" orchestrators need beyond the nodes' own rules. */
function orchestratorIssues(props: PhotoScanClusterProps, orchestrator: Orchestrator): InputIssue[] {
  if (orchestrator === 'scale-set') return [];
  const n = props.nodes ?? {};
  const issues: InputIssue[] = [];
  if (!['batch', 'cyclecloud'].includes(orchestrator))
    issues.push({ path: 'orchestrator', message: `${JSON.stringify(orchestrator)} is not allowed; use "scale-set", "batch" or "cyclecloud"` });
  if ((n.os ?? 'linux') !== 'linux')
    issues.push({ path: 'nodes.os', message: `the ${orchestrator} orchestrator runs Linux workers only; use "linux" or orchestrator "scale-set"` });
  if (n.gpuDriver === 'extension')
    issues.push({ path: 'nodes.gpuDriver', message: `the ${orchestrator} orchestrator needs an HPC image with the NVIDIA driver ("image")` });
  if (n.userAssignedIdentityIds && n.userAssignedIdentityIds.length > 0)
    issues.push({
      path: 'nodes.userAssignedIdentityIds',
      message: `not supported with the ${orchestrator} orchestrator: its workers carry exactly one identity (the one that reads the activation code)`,
    });
  const count = n.count ?? ProcessingNodes.DEFAULT_COUNT;
  const size = n.size ?? ProcessingNodes.DEFAULT_SIZE;
  if (orchestrator === 'batch') {
    issues.push(
      ...batchNodesIssues(
        { ...props.batch, metashape: props.metashape, autoscale: n.autoscale, spot: n.spot?.enabled },
        count,
        size,
        n.image ?? ProcessingNodes.DEFAULT_IMAGE,
      ),
    );
    if (props.batch?.poolAllocationMode === 'UserSubscription' && !props.secrets)
      issues.push({ path: 'secrets', message: '"UserSubscription" needs the vault (the Batch account keeps its secrets there)' });
  }
  if (orchestrator === 'cyclecloud') {
    issues.push(
      ...cycleCloudClusterIssues(
        { ...props.cyclecloud, metashape: props.metashape, spot: n.spot, autoscale: n.autoscale, sshPublicKey: props.sshPublicKey },
        count,
        size,
      ),
    );
    if (!props.secrets) issues.push({ path: 'secrets', message: 'the cyclecloud orchestrator needs the vault (its admin password is kept there)' });
    if (!props.resourceGroupId)
      issues.push({ path: 'resourceGroupId', message: "the cyclecloud orchestrator needs the resource group's id (its role is assigned there)" });
  }
  return issues;
}
