/**
 * Configuration of the compute stack: Metashape, the scheduler, the
 * processing nodes (count, size, GPU mask, image, spot, autoscale), the jump
 * boxes and Azure Bastion.
 */
import { z } from 'zod';
import { resolveGpuMask } from '../compute/gpu';
import { defaultInstallerUrls, parseMetashapeVersion } from '../compute/metashape';
import type { InputIssue } from '../errors';
import type { AddressPlan } from '../net/address-plan';
import { bastionSubnetIssues } from '../net/bastion';
import { autoscaleIssues, spotIssues, TIME_ZONE_PATTERN, VM_SIZE_PATTERN, WEEKDAYS } from '../compute/node-rules';
import { show } from '../errors';

/** Most processing nodes one configuration may ask for (a sanity ceiling, well under Azure's 1,000 per scale set). */
export const MAX_NODE_COUNT = 100;
export const DEFAULT_METASHAPE_VERSION = '2.1.3';

const size = z.string().regex(VM_SIZE_PATTERN, { message: 'expected an Azure VM size such as "Standard_D8s_v5"' });
const httpsUrl = z.string().regex(/^https:\/\/[^\s'"`${}]+$/, { message: 'expected an https:// URL (no spaces, quotes, $ or braces); plain http is refused' });
const imagePart = z.string().regex(/^[A-Za-z0-9._-]+$/, { message: 'expected letters, digits, . _ -' });
const DAYS = WEEKDAYS;

/** The compute section. */
export const computeSchema = z
  .strictObject({
    metashape: z
      .strictObject({
        /** Metashape version the nodes install (2.2+ switches to `metashape-server` / `--worker`). */
        version: z.string().regex(/^\d+\.\d+(\.\d+)?$/, { message: 'expected a version such as "2.1.3"' }).default(DEFAULT_METASHAPE_VERSION),
        /** Linux installer (.tar.gz). Default: Agisoft's download URL for the version. */
        linuxInstallerUrl: httpsUrl.optional(),
        /** Windows installer (.msi). Default: Agisoft's download URL for the version. */
        windowsInstallerUrl: httpsUrl.optional(),
      })
      .prefault({}),
    scheduler: z
      .strictObject({
        /** VM size of the scheduler (seed: Standard_D8s_v3, an older generation). */
        size: size.default('Standard_D8s_v5'),
        /** Also let the jump box subnet reach the control port 5840 (to submit and monitor jobs from the jump box). */
        allowControlFromJumpbox: z.boolean().default(false),
      })
      .prefault({}),
    nodes: z
      .strictObject({
        /** "linux" (GPU scale set, cloud-init) or "windows" (the seed's alternative: a Windows scale set). */
        os: z.enum(['linux', 'windows']).default('linux'),
        /** Processing nodes (0 stops them all). */
        count: z.number().int({ message: 'expected a whole number' }).min(0, { message: 'cannot be negative' }).max(MAX_NODE_COUNT, { message: `at most ${MAX_NODE_COUNT} nodes per environment` }).default(5),
        /** GPU VM size. */
        size: size.default('Standard_NC24ads_A100_v4'),
        /** `--gpu_mask` (one bit per GPU). Default: from the size (1 GPU = 1, 2 = 3, 4 = 15); required for sizes the table does not know. */
        gpuMask: z.number().int().optional(),
        /** Marketplace image of Linux nodes (an HPC image with the NVIDIA driver). */
        image: z
          .strictObject({ publisher: imagePart, offer: imagePart, sku: imagePart, version: imagePart.default('latest') })
          .default({ publisher: 'microsoft-dsvm', offer: 'ubuntu-hpc', sku: '2204', version: 'latest' }),
        /** NVIDIA driver of Linux nodes: "image" (the HPC image has it) or "extension" (plain image + NvidiaGpuDriverLinux). */
        gpuDriver: z.enum(['image', 'extension'], { message: 'expected "image" (an HPC image with the driver) or "extension" (NvidiaGpuDriverLinux)' }).default('image'),
        /** OS disk size (GiB; seed: 128). */
        osDiskSizeGb: z.number().int().min(30, { message: 'at least 30 GiB' }).max(4095, { message: 'at most 4095 GiB' }).default(128),
        /** Ephemeral OS disk on the local disk: "auto" uses it where the size's local disk holds the OS disk. */
        ephemeralOsDisk: z.enum(['auto', 'never']).default('auto'),
        /** Spot instances: much cheaper, evicted when Azure needs the capacity. */
        spot: z
          .strictObject({
            enabled: z.boolean().default(false),
            evictionPolicy: z.enum(['Delete', 'Deallocate']).default('Delete'),
            /** Highest price per hour in USD, or -1 for up to the on-demand price. */
            maxBidPrice: z.number().default(-1),
          })
          .prefault({}),
        /** Scale on a schedule: `workCount` nodes during working hours, `idleCount` (0 allowed) otherwise. */
        autoscale: z
          .strictObject({
            enabled: z.boolean().default(false),
            /** Time zone of the schedule (Windows time zone name, e.g. "W. Europe Standard Time"). */
            timeZone: z.string().regex(TIME_ZONE_PATTERN, { message: 'expected a Windows time zone name such as "UTC" or "W. Europe Standard Time"' }).default('UTC'),
            days: z.array(z.enum(DAYS)).min(1).default(['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday']),
            startHour: z.number().int().min(0).max(23).default(8),
            stopHour: z.number().int().min(0).max(23).default(20),
            idleCount: z.number().int().min(0).default(0),
          })
          .prefault({}),
      })
      .prefault({}),
    jumpboxes: z
      .strictObject({
        windowsSize: size.default('Standard_D2s_v5'),
        /** Also deploy a Linux jump box (SSH key only). */
        linux: z.boolean().default(false),
        linuxSize: size.default('Standard_B2s'),
      })
      .prefault({}),
    /** Azure Bastion instead of public IPs on the jump boxes. */
    bastion: z
      .strictObject({
        enabled: z.boolean().default(false),
        /** AzureBastionSubnet: /26 or larger, inside the PhotoScan VNet. */
        subnetCidr: z.string().default('10.0.3.0/26'),
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

/** Cross-field checks of the compute section. */
export function computeIssues(config: { compute: ComputeConfig; storage?: { backend: string }; addressPlan?: AddressPlan }): InputIssue[] {
  const c = config.compute;
  const issues: InputIssue[] = [];
  if (!parseMetashapeVersion(c.metashape.version)) issues.push({ path: 'compute.metashape.version', message: `${show(c.metashape.version)} is not a version` });
  issues.push(...resolveGpuMask('compute.nodes.gpuMask', c.nodes.size, c.nodes.gpuMask).issues.map((i) => (c.nodes.gpuMask === undefined ? { ...i, path: 'compute.nodes.size' } : i)));
  // The rules ProcessingNodes applies to its props, reported at the configuration's paths.
  issues.push(...autoscaleIssues('compute.nodes.autoscale', c.nodes.autoscale, c.nodes.count, 'compute.nodes.count'));
  issues.push(...spotIssues('compute.nodes.spot', c.nodes.spot));
  if (c.nodes.os === 'windows' && config.storage?.backend === 'managed-lustre') {
    issues.push({ path: 'compute.nodes.os', message: '"windows" workers cannot mount Azure Managed Lustre (no Windows client); use Linux nodes or another storage backend' });
  }
  if (c.bastion.enabled && config.addressPlan) issues.push(...bastionSubnetIssues('compute.bastion.subnetCidr', c.bastion.subnetCidr, config.addressPlan));
  return issues;
}
