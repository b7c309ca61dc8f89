/**
 * Configuration of the compute stack: Metashape, the scheduler, the
 * processing nodes (count, size, GPU mask, image, spot, autoscale), the jump
 * boxes and Azure Bastion.
 */
import { z } from 'zod';
import { resolveGpuMask } from '../compute/gpu';
import { defaultInstallerUrls } from '../compute/metashape';
import type { InputIssue } from '../errors';
import type { AddressPlan } from '../net/address-plan';
import { bastionSubnetIssues } from '../net/bastion';
import { AUTOSCALE_DEFAULTS, SPOT_DEFAULTS, WEEKDAYS } from '../compute/node-rules';
import { atConfigPaths, PropPathMap } from '../errors';
import { AzureBastion } from '../../constructs/bastion';
import { JumpBoxes } from '../../constructs/jump-boxes';
import { MetashapeScheduler, metashapeSchedulerIssues } from '../../constructs/metashape-scheduler';
import { MAX_PROCESSING_NODES, ProcessingNodes, processingNodesIssues } from '../../constructs/processing-nodes';
import { CycleCloudCluster } from '../../constructs/cyclecloud-cluster';
import { batchNodesIssues } from '../../constructs/batch-nodes';
import { BATCH_POOL_ALLOCATION_MODES, ORCHESTRATORS } from '../compute/orchestrators';

/** Most processing nodes one configuration may ask for (a sanity ceiling, well under Azure's 1,000 per scale set). */
export const MAX_NODE_COUNT = MAX_PROCESSING_NODES;
export const DEFAULT_METASHAPE_VERSION = '2.1.3';

// VM sizes are strings here: every VM-size field is checked by one function (src/azure/vm-sizes.ts `vmSizeIssues`),
// through the construct rules or the apply-time rules (src/config/azure-rules.ts AZ-VM-SIZE).
const size = z.string();
const imagePart = z.string().regex(/^[A-Za-z0-9._-]+$/, { message: 'expected letters, digits, . _ -' });
const DAYS = WEEKDAYS;

/** The compute section. */
export const computeSchema = z
  .strictObject({
    metashape: z
      .strictObject({
        /** Metashape version the nodes install (2.2+ switches to `metashape-server` / `--worker`). */
        version: z.string().default(DEFAULT_METASHAPE_VERSION),
        /** Linux installer (.tar.gz). Default: Agisoft's download URL for the version. */
        linuxInstallerUrl: z.string().optional(),
        /** Windows installer (.msi). Default: Agisoft's download URL for the version. */
        windowsInstallerUrl: z.string().optional(),
      })
      .prefault({}),
    scheduler: z
      .strictObject({
        /** VM size of the scheduler (seed: Standard_D8s_v3, an older generation). */
        size: z.string().default(MetashapeScheduler.DEFAULT_SIZE),
        /** Also let the jump box subnet reach the control port 5840 (to submit and monitor jobs from the jump box). */
        allowControlFromJumpbox: z.boolean().default(false),
      })
      .prefault({}),
    nodes: z
      .strictObject({
        /** "linux" (GPU scale set, cloud-init) or "windows" (the seed's alternative: a Windows scale set). */
        os: z.enum(['linux', 'windows']).default('linux'),
        /** Processing nodes (0 stops them all). */
        count: z.number().default(ProcessingNodes.DEFAULT_COUNT),
        /** GPU VM size. */
        size: z.string().default(ProcessingNodes.DEFAULT_SIZE),
        /** `--gpu_mask` (one bit per GPU). Default: from the size (1 GPU = 1, 2 = 3, 4 = 15); required for sizes the table does not know. */
        gpuMask: z.number().int().optional(),
        /** Marketplace image of Linux nodes (an HPC image with the NVIDIA driver). */
        image: z
          .strictObject({ publisher: imagePart, offer: imagePart, sku: imagePart, version: imagePart.default('latest') })
          .default({ ...ProcessingNodes.DEFAULT_IMAGE }),
        /** NVIDIA driver of Linux nodes: "image" (the HPC image has it) or "extension" (plain image + NvidiaGpuDriverLinux). */
        gpuDriver: z
          .enum(['image', 'extension'], { message: 'expected "image" (an HPC image with the driver) or "extension" (NvidiaGpuDriverLinux)' })
          .default('image'),
        /** OS disk size (GiB; seed: 128). */
        osDiskSizeGb: z.number().default(ProcessingNodes.DEFAULT_OS_DISK_SIZE_GB),
        /** Ephemeral OS disk on the local disk: "auto" uses it where the size's local disk holds the OS disk. */
        ephemeralOsDisk: z.enum(['auto', 'never']).default('auto'),
        /** Spot instances: much cheaper, evicted when Azure needs the capacity. */
        spot: z
          .strictObject({
            enabled: z.boolean().default(false),
            evictionPolicy: z.enum(['Delete', 'Deallocate']).default(SPOT_DEFAULTS.evictionPolicy),
            /** Highest price per hour in USD, or -1 for up to the on-demand price. */
            maxBidPrice: z.number().default(SPOT_DEFAULTS.maxBidPrice),
          })
          .prefault({}),
        /** Scale on a schedule: `workCount` nodes during working hours, `idleCount` (0 allowed) otherwise. */
        autoscale: z
          .strictObject({
            enabled: z.boolean().default(false),
            /** Time zone of the schedule (Windows time zone name, e.g. "W. Europe Standard Time"). */
            timeZone: z.string().default(AUTOSCALE_DEFAULTS.timeZone),
            days: z.array(z.enum(DAYS)).default([...AUTOSCALE_DEFAULTS.days]),
            startHour: z.number().default(AUTOSCALE_DEFAULTS.startHour),
            stopHour: z.number().default(AUTOSCALE_DEFAULTS.stopHour),
            idleCount: z.number().default(AUTOSCALE_DEFAULTS.idleCount),
          })
          .prefault({}),
      })
      .prefault({}),
    /**
     * What runs the processing nodes: "scale-set" (a VM scale set, default), "batch" (an Azure Batch pool) or
     * "cyclecloud" (an Azure CycleCloud cluster). The scheduler, jump boxes, storage, domain and vault stay the same.
     */
    orchestrator: z
      .enum(ORCHESTRATORS, { message: 'expected "scale-set" (a VM scale set), "batch" (an Azure Batch pool) or "cyclecloud" (an Azure CycleCloud cluster)' })
      .default('scale-set'),
    /** Settings of the "batch" orchestrator. */
    batch: z
      .strictObject({
        /** "BatchService" (Batch's own core quotas) or "UserSubscription" (this subscription's vCPU quotas, real Spot VMs). */
        poolAllocationMode: z.enum(BATCH_POOL_ALLOCATION_MODES).default('BatchService'),
        /** Batch node agent of the image. Default: from the image (Ubuntu, EL). */
        nodeAgentSkuId: z.string().optional(),
        /** Object id of the "Microsoft Azure Batch" service principal (required for "UserSubscription"). */
        batchServicePrincipalObjectId: z.string().optional(),
      })
      .prefault({}),
    /** Settings of the "cyclecloud" orchestrator. */
    cyclecloud: z
      .strictObject({
        /** VM size of the CycleCloud server. */
        serverSize: size.default(CycleCloudCluster.DEFAULT_SERVER_SIZE),
        /** Accept the CycleCloud image's marketplace terms in this deployment (else once: az vm image terms accept). */
        acceptMarketplaceTerms: z.boolean().default(false),
      })
      .prefault({}),
    jumpboxes: z
      .strictObject({
        windowsSize: size.default(JumpBoxes.DEFAULT_WINDOWS_SIZE),
        /** Also deploy a Linux jump box (SSH key only). */
        linux: z.boolean().default(false),
        linuxSize: size.default(JumpBoxes.DEFAULT_LINUX_SIZE),
      })
      .prefault({}),
    /** Azure Bastion instead of public IPs on the jump boxes. */
    bastion: z
      .strictObject({
        enabled: z.boolean().default(false),
        /** AzureBastionSubnet: /26 or larger, inside the PhotoScan VNet. */
        subnetCidr: z.string().default(AzureBastion.DEFAULT_SUBNET_CIDR),
      })
      .prefault({}),
  })
  .prefault({});

export type ComputeConfig = z.output<typeof computeSchema>;

/** The installer URLs in effect (configured, else Agisoft's for the version). */
export function installerUrls(c: ComputeConfig): { linux: string; windows: string } {
  const d = defaultInstallerUrls(c.metashape.version);
  return { linux: c.metashape.linuxInstallerUrl ?? d.linux, windows: c.metashape.windowsInstallerUrl ?? d.windows };
}

/** Where MetashapeScheduler's and ProcessingNodes' props come from in the configuration. */
export const COMPUTE_CONFIG_PATHS: PropPathMap = {
  schedulerSize: 'compute.scheduler.size',
  metashape: 'compute.metashape',
  nodes: 'compute.nodes',
  orchestrator: 'compute.orchestrator',
  batch: 'compute.batch',
  cyclecloud: 'compute.cyclecloud',
};

/**
 * The scheduler's and the nodes' own rules (metashapeSchedulerIssues, processingNodesIssues) applied to the
 * `compute` section, at its paths; a Metashape problem both report is listed once.
 */
export function computeConstructIssues(config: { compute: ComputeConfig }): InputIssue[] {
  const c = config.compute;
  const urls = installerUrls(c);
  const metashape = { version: c.metashape.version, linuxInstallerUrl: urls.linux, windowsInstallerUrl: urls.windows };
  const issues = atConfigPaths(
    [
      ...metashapeSchedulerIssues({ size: c.scheduler.size, metashape }),
      ...processingNodesIssues({ ...c.nodes, metashape }, c.nodes.os, c.nodes.count, c.nodes.size),
    ],
    COMPUTE_CONFIG_PATHS,
    'compute',
  );
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.path}: ${i.message}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

/** Cross-field checks of the compute section (its construct rules: {@link computeConstructIssues}). */
export function computeIssues(config: { compute: ComputeConfig; storage?: { backend: string }; addressPlan?: AddressPlan }): InputIssue[] {
  const c = config.compute;
  const issues: InputIssue[] = [];
  // The GPU mask is resolved from the size; the same function ProcessingNodes uses.
  issues.push(
    ...resolveGpuMask('compute.nodes.gpuMask', c.nodes.size, c.nodes.gpuMask).issues.map((i) =>
      c.nodes.gpuMask === undefined ? { ...i, path: 'compute.nodes.size' } : i,
    ),
  );
  if (c.nodes.os === 'windows' && config.storage?.backend === 'managed-lustre') {
    issues.push({
      path: 'compute.nodes.os',
      message: '"windows" workers cannot mount Azure Managed Lustre (no Windows client); use Linux nodes or another storage backend',
    });
  }
  if (c.orchestrator !== 'scale-set') issues.push(...orchestratorConfigIssues(c));
  if (c.bastion.enabled && config.addressPlan) issues.push(...bastionSubnetIssues('compute.bastion.subnetCidr', c.bastion.subnetCidr, config.addressPlan));
  return issues;
}

/** The "batch" and "cyclecloud" orchestrators' own checks (the nodes' rules apply as for the scale set). */
function orchestratorConfigIssues(c: ComputeConfig): InputIssue[] {
  const o = c.orchestrator;
  const issues: InputIssue[] = [];
  if (c.nodes.os !== 'linux')
    issues.push({ path: 'compute.nodes.os', message: `compute.orchestrator "${o}" runs Linux workers only; use "linux" or the "scale-set" orchestrator` });
  if (c.nodes.gpuDriver === 'extension')
    issues.push({ path: 'compute.nodes.gpuDriver', message: `compute.orchestrator "${o}" needs an HPC image with the NVIDIA driver ("image")` });
  if (o === 'batch') {
    issues.push(
      ...batchNodesIssues(
        {
          ...c.batch,
          metashape: { version: c.metashape.version, linuxInstallerUrl: installerUrls(c).linux, windowsInstallerUrl: installerUrls(c).windows },
          autoscale: c.nodes.autoscale,
          spot: c.nodes.spot.enabled,
        },
        c.nodes.count,
        c.nodes.size,
        c.nodes.image,
        {
          nodes: 'compute.nodes',
          batch: 'compute.batch',
        },
      ).filter((i) => i.path.startsWith('compute.batch') || ['compute.nodes.autoscale.timeZone', 'compute.nodes.spot.enabled'].includes(i.path)),
    );
  }
  return issues;
}
