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
import type { ClusterLicensing, IGrantable, IPrincipal, ISecretsVault } from './secrets-vault';
import { withNormalizedLocation } from '../src/azure/regions';

export { MAX_PROCESSING_NODES } from './processing-nodes';
export type { ProcessingNodesOptions } from './processing-nodes';

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
  readonly nodes: ProcessingNodes;
  readonly schedulerId: string;
  readonly schedulerIp: string;
  readonly schedulerPrincipalId: string;
  readonly scaleSetId: string;
  readonly scaleSetName: string;
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
      ].filter((i) => {
        const key = `${i.path}: ${i.message}`;
        return seen.has(key) ? false : (seen.add(key), true);
      }),
    );
    // The resources keep the addresses of the single construct this cluster used to be (no state moves).
    hideChildFromLogicalIds(this, 'scheduler');
    hideChildFromLogicalIds(this, 'nodes');
    this.scheduler = new MetashapeScheduler(this, 'scheduler', schedulerProps);
    this.nodes = new ProcessingNodes(this, 'nodes', nodeProps);
    this.node.defaultChild = this.nodes;
    this.schedulerId = this.scheduler.vmId;
    this.schedulerIp = this.scheduler.ip;
    this.schedulerPrincipalId = this.scheduler.principalId;
    this.scaleSetId = this.nodes.scaleSetId;
    this.scaleSetName = this.nodes.scaleSetName;
    this.nodesPrincipalId = this.nodes.principalId;
    this.grantPrincipal = this.nodes.grantPrincipal;
    this.nodeCount = this.nodes.nodeCount;
    this.gpuMask = this.nodes.gpuMask;
  }
}
