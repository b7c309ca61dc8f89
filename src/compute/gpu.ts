/**
 * GPU sizes of the processing nodes: the `--gpu_mask` a node passes to
 * Metashape (one bit per GPU: 1 GPU = 1, 2 = 3, 4 = 15), and whether the size
 * can hold an ephemeral OS disk on its local (resource) disk.
 */
import { retiredVmFamily, vmSizeInfo } from '../azure/vm-sizes';
import { InputIssue, show } from '../errors';

/** The mask that selects `count` GPUs. */
export function gpuMaskFor(count: number): number {
  return 2 ** count - 1;
}

/**
 * The GPU mask for a size: from the size table, or the explicit mask (which must fit the size when the size is
 * known). An unknown size needs an explicit mask.
 */
export function resolveGpuMask(field: string, size: string, explicit: number | undefined): { mask?: number; issues: InputIssue[] } {
  const info = vmSizeInfo(size);
  // A retired size is refused by the VM-size check of the size field (vmSizeIssues); it has no mask to resolve.
  if (retiredVmFamily(size)) return { issues: [] };
  if (explicit !== undefined) {
    if (!Number.isInteger(explicit) || explicit < 1 || explicit > 255)
      return { issues: [{ path: field, message: `${show(explicit)} is not a GPU mask; use 1–255 (one bit per GPU: 1 GPU = 1, 2 = 3, 4 = 15)` }] };
    if (info && info.gpus > 0 && explicit > gpuMaskFor(info.gpus)) {
      return {
        issues: [{ path: field, message: `${explicit} selects more GPUs than ${size} has (${info.gpus}); the largest mask is ${gpuMaskFor(info.gpus)}` }],
      };
    }
    return { mask: explicit, issues: [] };
  }
  if (!info)
    return {
      issues: [
        {
          path: field,
          message: `${show(size)} is not in the table of known GPU sizes, so its GPU count is unknown: set the mask explicitly (1 GPU = 1, 2 = 3, 4 = 15)`,
        },
      ],
    };
  if (info.gpus === 0)
    return {
      issues: [
        {
          path: field,
          message: `${show(size)} has no GPU: choose a GPU size (e.g. Standard_NC24ads_A100_v4) or set a mask for a size the table does not know`,
        },
      ],
    };
  return { mask: gpuMaskFor(info.gpus), issues: [] };
}

/** Local (resource) disk of GPU sizes, GiB: an ephemeral OS disk must fit on it. */
export const RESOURCE_DISK_GB: Readonly<Record<string, number>> = {
  Standard_NC4as_T4_v3: 180,
  Standard_NC8as_T4_v3: 360,
  Standard_NC16as_T4_v3: 360,
  Standard_NC64as_T4_v3: 2880,
  Standard_NC24ads_A100_v4: 64,
  Standard_NC48ads_A100_v4: 128,
  Standard_NC96ads_A100_v4: 256,
};

/** True when an OS disk of `osDiskGb` fits the size's resource disk as an ephemeral OS disk. */
export function supportsEphemeralOsDisk(size: string, osDiskGb: number): boolean {
  const disk = Object.entries(RESOURCE_DISK_GB).find(([k]) => k.toLowerCase() === size.toLowerCase())?.[1];
  return disk !== undefined && osDiskGb <= disk;
}
