import { BatchAccount } from '@cdktf/provider-azurerm/lib/batch-account';
import { BatchPool } from '@cdktf/provider-azurerm/lib/batch-pool';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { StorageAccount } from '@cdktf/provider-azurerm/lib/storage-account';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import { Fn, TerraformLocal } from 'cdktf';
import { Construct } from 'constructs';
import { hardenedStorageAccount } from './core-filer';
import { withNormalizedLocation } from '../src/azure/regions';
import { NodeCloudInitParams } from '../src/compute/cloud-init';
import { resolveGpuMask } from '../src/compute/gpu';
import { renderNodeBundleScript } from '../src/compute/node-bundle';
import { AUTOSCALE_DEFAULTS, AutoscaleSettings, autoscaleIssues, vmSizeIssues } from '../src/compute/node-rules';
import {
  BATCH_POOL_ALLOCATION_MODES,
  BatchPoolAllocationMode,
  batchAutoscaleFormula,
  batchNodeAgentSku,
  batchScheduleIssues,
  ImageReference,
  WORKERS_MARKER_KEY,
  type WorkersMarker,
} from '../src/compute/orchestrators';
import { InputIssue, show, throwIfIssues } from '../src/errors';
import { metashapeOptionIssues } from './metashape-scheduler';
import { MAX_PROCESSING_NODES, ProcessingNodes, WorkerNodesBaseProps } from './processing-nodes';
import { uniqueNameSuffix } from './providers';
import { POLICY_RULES } from '../src/policy/rule-ids';
import { suppressPolicy } from '../src/policy/suppressions';
import type { IGrantable, IPrincipal, ISecretsVault } from './secrets-vault';

/** Role that lets Batch read and write its auto-storage account through the account's identity. */
const STORAGE_BLOB_DATA_CONTRIBUTOR = 'Storage Blob Data Contributor';

/** Props of {@link BatchProcessingNodes}. */
export interface BatchProcessingNodesProps extends WorkerNodesBaseProps {
  /** The vault: with licensing "code" the pool's identity reads the code. @default no grant */
  readonly secrets?: ISecretsVault;
  /** Workers during working hours (0–100). @default 5 */
  readonly count?: number;
  /** GPU size. @default "Standard_NC24ads_A100_v4" */
  readonly size?: string;
  /** `--gpu_mask`. @default from the size */
  readonly gpuMask?: number;
  /** HPC image with the NVIDIA driver. @default microsoft-dsvm:ubuntu-hpc:2204:latest */
  readonly image?: ImageReference;
  /** Node agent SKU matching the image. @default from the image (Ubuntu 20.04/22.04/24.04, EL 8/9) */
  readonly nodeAgentSkuId?: string;
  /**
   * "BatchService" (default): Batch owns the VMs in its own subscription, counted against the Batch account's own
   * core quotas (per VM family; raise them with a support request). "UserSubscription": the
   * VMs are created in this subscription against its regular vCPU quotas (the only mode with real Spot VMs and
   * reservations); it needs the vault (`keyVaultReference`) and the Batch service principal's object id.
   * @default "BatchService"
   */
  readonly poolAllocationMode?: BatchPoolAllocationMode;
  /**
   * Object id of the "Microsoft Azure Batch" service principal (app id ddbf3205-c6bd-46ae-8127-60eb93363864) in the
   * tenant: user-subscription mode grants it the vault's secrets. @default none (required for "UserSubscription")
   */
  readonly batchServicePrincipalObjectId?: string;
  /**
   * Spot workers instead of dedicated ones: "UserSubscription" accounts only (Batch-managed accounts had low-priority
   * nodes, retired on 30 September 2025). @default false
   */
  readonly spot?: boolean;
  /** The scale set's schedule, as a Batch autoscale formula. @default disabled (fixed `count`) */
  readonly autoscale?: AutoscaleSettings;
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * The GPU processing nodes as an Azure Batch pool: a Batch account with its own hardened auto-storage account, a
 * Linux GPU pool injected into the compute subnet without public IPs (simplified node communication: outbound only,
 * so the compute subnet's NSG needs no rule for Batch), a user-assigned identity that reads the activation code, a
 * start task that runs the same rendered node setup as the scale set (Metashape installed, the shared file system
 * mounted at the same paths, the worker started against the scheduler), and the schedule as an autoscale formula.
 * The Metashape workers take jobs from the Metashape scheduler, not from Batch: Batch runs no task on them.
 */
export class BatchProcessingNodes extends Construct implements IGrantable {
  static readonly DEFAULT_ALLOCATION_MODE: BatchPoolAllocationMode = 'BatchService';

  readonly account: BatchAccount;
  readonly pool: BatchPool;
  readonly storageAccount: StorageAccount;
  /** The workers' user-assigned identity (the only one on the pool, so IMDS hands out its tokens). */
  readonly nodeIdentity: UserAssignedIdentity;
  readonly accountIdentity: UserAssignedIdentity;
  readonly principalId: string;
  readonly grantPrincipal: IPrincipal;
  readonly nodeCount: number;
  readonly gpuMask: number;
  readonly nodeAgentSkuId: string;
  readonly poolAllocationMode: BatchPoolAllocationMode;
  /** The formula the pool scales by. */
  readonly autoscaleFormula: string;
  readonly activationCodeGrant?: RoleAssignment;

  constructor(scope: Construct, id: string, props: BatchProcessingNodesProps) {
    super(scope, id);
    props = withNormalizedLocation(props, `BatchProcessingNodes props (${this.node.path})`);
    const count = props.count ?? ProcessingNodes.DEFAULT_COUNT;
    const size = props.size ?? ProcessingNodes.DEFAULT_SIZE;
    const image = props.image ?? { ...ProcessingNodes.DEFAULT_IMAGE };
    const mode = props.poolAllocationMode ?? BatchProcessingNodes.DEFAULT_ALLOCATION_MODE;
    const gpu = resolveGpuMask('gpuMask', size, props.gpuMask);
    const agent = props.nodeAgentSkuId ?? batchNodeAgentSku(image);
    throwIfIssues(`BatchProcessingNodes props (${this.node.path})`, [
      ...batchNodesIssues(props, count, size, image),
      ...gpu.issues,
      ...(mode === 'UserSubscription' && !props.secrets
        ? [{ path: 'secrets', message: '"UserSubscription" needs the vault (the Batch account keeps its secrets there)' }]
        : []),
    ]);
    this.gpuMask = gpu.mask!;
    this.nodeCount = count;
    this.nodeAgentSkuId = agent!;
    this.poolAllocationMode = mode;
    const compute = props.network.subnet('compute');
    const schedulerIp = props.schedulerIp ?? props.network.addressPlan.schedulerIp;
    const licensing = props.licensing ?? props.secrets?.licensing ?? { kind: 'none' };
    const tags = props.tags ? { ...props.tags } : undefined;
    const base = { location: props.location, resourceGroupName: props.resourceGroupName, tags };

    this.nodeIdentity = new UserAssignedIdentity(this, 'node-identity', { name: props.naming.name('managedIdentity', 'batch-nodes'), ...base });
    this.accountIdentity = new UserAssignedIdentity(this, 'account-identity', { name: props.naming.name('managedIdentity', 'batch-account'), ...base });
    this.principalId = this.nodeIdentity.principalId;
    this.grantPrincipal = { principalId: this.principalId, principalType: 'ServicePrincipal' };

    // The auto-storage account, hardened like the core filer; Batch reaches it with its identity (no account keys).
    const suffix = uniqueNameSuffix(this);
    this.storageAccount = new StorageAccount(this, 'storage', {
      name: `${props.naming.compact('storageAccount', 'batch', '', 18)}${suffix}`,
      ...base,
      ...hardenedStorageAccount([compute.id]),
      // Batch reaches it with its identity, but the azurerm provider reads the account's queue and blob service
      // properties with a shared key unless every deployment sets storage_use_azuread: kept on, as on the core filer.
      sharedAccessKeyEnabled: true,
      defaultToOauthAuthentication: true,
    });
    suppressPolicy(
      this.storageAccount,
      POLICY_RULES.PREVENT_DESTROY,
      'Batch auto-storage holds no project data (node logs and application packages only; the data is on the shared file system): destroying it with the pool is intended.',
    );
    const storageAccess = new RoleAssignment(this, 'account-uses-storage', {
      scope: this.storageAccount.id,
      roleDefinitionName: STORAGE_BLOB_DATA_CONTRIBUTOR,
      principalId: this.accountIdentity.principalId,
      principalType: 'ServicePrincipal',
    });

    const userSubscription = mode === 'UserSubscription';
    const batchVaultAccess =
      userSubscription && props.secrets
        ? new RoleAssignment(this, 'batch-service-uses-vault', {
            scope: props.secrets.vaultId,
            roleDefinitionName: 'Key Vault Secrets Officer',
            principalId: props.batchServicePrincipalObjectId!,
            principalType: 'ServicePrincipal',
          })
        : undefined;
    this.account = new BatchAccount(this, 'account', {
      name: `${props.naming.compact('batchAccount', 'nodes', '', 18)}${suffix}`,
      ...base,
      poolAllocationMode: mode,
      // Microsoft Entra ID only: no shared keys to leak.
      allowedAuthenticationModes: ['AAD'],
      identity: { type: 'UserAssigned', identityIds: [this.accountIdentity.id] },
      storageAccountId: this.storageAccount.id,
      storageAccountAuthenticationMode: 'BatchAccountManagedIdentity',
      keyVaultReference: userSubscription && props.secrets ? { id: props.secrets.vaultId, url: props.secrets.vaultUri } : undefined,
      dependsOn: [storageAccess, ...(batchVaultAccess ? [batchVaultAccess] : [])],
    });

    // The node's boot: the scale set's files and setup script, as one script the start task unpacks and runs. It
    // travels gzip'd and base64'd in the command line (Terraform's base64gzip, so references inside resolve).
    const params: NodeCloudInitParams = {
      fileSystem: props.fileSystem,
      schedulerIp,
      metashapeVersion: props.metashape.version,
      installerUrl: props.metashape.linuxInstallerUrl,
      gpuMask: this.gpuMask,
      licensing: licensing.kind === 'code' ? { kind: 'code', keyVaultUri: licensing.keyVaultUri, secretName: licensing.secretName } : licensing,
    };
    const bundle = new TerraformLocal(this, 'node_bundle', renderNodeBundleScript(params, 'azure-batch-start-task'));
    this.autoscaleFormula = batchAutoscaleFormula({ count, autoscale: props.autoscale, spot: props.spot ?? false });
    this.pool = new BatchPool(this, 'pool', {
      name: props.naming.name('batchPool', 'metashape'),
      displayName: 'Metashape GPU workers',
      accountName: this.account.name,
      resourceGroupName: props.resourceGroupName,
      vmSize: size,
      nodeAgentSkuId: this.nodeAgentSkuId,
      storageImageReference: { ...image },
      // One Metashape worker per node, using every GPU.
      maxTasksPerNode: 1,
      interNodeCommunication: 'Disabled',
      targetNodeCommunicationMode: 'Simplified',
      identity: { type: 'UserAssigned', identityIds: [this.nodeIdentity.id] },
      networkConfiguration: {
        subnetId: compute.id,
        publicAddressProvisioningType: 'NoPublicIPAddresses',
        acceleratedNetworkingEnabled: true,
      },
      securityProfile: { hostEncryptionEnabled: true },
      autoScale: { formula: this.autoscaleFormula, evaluationInterval: 'PT15M' },
      startTask: {
        commandLine: `/bin/bash -c 'set -e; f="$AZ_BATCH_NODE_STARTUP_DIR/wd/node-bundle.sh"; echo ${Fn.base64gzip(bundle.asString)} | base64 -d | gunzip > "$f"; exec bash "$f"'`,
        userIdentity: { autoUser: { elevationLevel: 'Admin', scope: 'Pool' } },
        waitForSuccess: true,
        taskRetryMaximum: 3,
      },
      metadata: { 'metashape-scheduler': schedulerIp, 'metashape-version': props.metashape.version },
    });
    this.node.defaultChild = this.pool;
    // For the report (src/report/inventory.ts): the workers the pool runs. Under "//", which Terraform ignores.
    const marker: WorkersMarker = {
      orchestrator: 'batch',
      size,
      min: props.autoscale?.enabled ? (props.autoscale.idleCount ?? AUTOSCALE_DEFAULTS.idleCount) : count,
      max: count,
      spot: props.spot ?? false,
      poolAllocationMode: mode,
    };
    this.pool.addOverride(`//.${WORKERS_MARKER_KEY}`, marker);
    if (licensing.kind === 'code' && props.secrets) {
      this.activationCodeGrant = props.secrets.grantSecretsRead(this, { scope: this, id: 'nodes-reads-activation-code', secret: licensing.secretResourceId });
    }
    // A file system client's secret (BeeGFS's connection authentication), read at boot by the nodes' setup.
    const clientSecret = props.fileSystem.linux.clientSecret;
    if (clientSecret && props.secrets) {
      props.secrets.grantSecretsRead(this, { scope: this, id: 'nodes-read-file-system-secret', secret: clientSecret.secretResourceId });
    }
  }
}

/** Issues of the Batch pool's props (`compute.nodes.*` / `compute.batch.*` in the configuration). */
export function batchNodesIssues(
  props: Pick<BatchProcessingNodesProps, 'metashape' | 'nodeAgentSkuId' | 'poolAllocationMode' | 'batchServicePrincipalObjectId' | 'autoscale' | 'spot'>,
  count: number,
  size: string,
  image: ImageReference,
  path = { nodes: 'nodes', batch: 'batch' },
): InputIssue[] {
  const issues: InputIssue[] = [];
  if (!Number.isInteger(count) || count < 0 || count > MAX_PROCESSING_NODES)
    issues.push({ path: `${path.nodes}.count`, message: `${show(count)} is not allowed; use 0–${MAX_PROCESSING_NODES}` });
  issues.push(...vmSizeIssues(`${path.nodes}.size`, size, ProcessingNodes.DEFAULT_SIZE));
  if (props.nodeAgentSkuId === undefined && batchNodeAgentSku(image) === undefined)
    issues.push({
      path: `${path.batch}.nodeAgentSkuId`,
      message: `the Batch node agent of image ${image.publisher}:${image.offer}:${image.sku} is not known: set it (e.g. "batch.node.ubuntu 22.04"; az batch pool supported-images list)`,
    });
  const mode = props.poolAllocationMode ?? 'BatchService';
  if (!(BATCH_POOL_ALLOCATION_MODES as readonly string[]).includes(mode))
    issues.push({ path: `${path.batch}.poolAllocationMode`, message: `${show(mode)} is not allowed; use "BatchService" or "UserSubscription"` });
  if (mode === 'UserSubscription') {
    if (!props.batchServicePrincipalObjectId || !/^[0-9a-f-]{36}$/i.test(props.batchServicePrincipalObjectId))
      issues.push({
        path: `${path.batch}.batchServicePrincipalObjectId`,
        message: `"UserSubscription" needs the object id (a GUID) of the "Microsoft Azure Batch" service principal: az ad sp show --id ddbf3205-c6bd-46ae-8127-60eb93363864 --query id`,
      });
  }
  if (props.spot && mode !== 'UserSubscription')
    issues.push({
      path: `${path.nodes}.spot.enabled`,
      message: `Spot workers in Batch need poolAllocationMode "UserSubscription" (${path.batch}.poolAllocationMode): the low-priority nodes of Batch-managed accounts were retired on 30 September 2025`,
    });
  issues.push(...autoscaleIssues(`${path.nodes}.autoscale`, props.autoscale, count, `${path.nodes}.count`));
  issues.push(...batchScheduleIssues(`${path.nodes}.autoscale`, props.autoscale));
  issues.push(...metashapeOptionIssues(props.metashape));
  return issues;
}
