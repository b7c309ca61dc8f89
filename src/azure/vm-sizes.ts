/**
 * Azure VM sizes this library deploys or recommends: vCPUs, GPUs and the
 * quota family (the name `az vm list-usage` and the quota request use), so
 * reports can add up what a deployment needs before it is deployed.
 * Figures from the Azure VM size pages (2026).
 */

/** One VM size. */
export interface VmSizeInfo {
  readonly vcpus: number;
  /** GPUs per VM (0 for none). */
  readonly gpus: number;
  /** GPU model, when any. */
  readonly gpuModel?: string;
  /** Quota family, e.g. "standardDSv5Family". */
  readonly family: string;
  /** True when the size supports accelerated networking. */
  readonly acceleratedNetworking: boolean;
}

const sizes: Record<string, VmSizeInfo> = {};
function add(family: string, accel: boolean, entries: Array<[string, number, number?, string?]>): void {
  for (const [name, vcpus, gpus = 0, gpuModel] of entries) sizes[name] = { vcpus, gpus, gpuModel, family, acceleratedNetworking: accel };
}

add('standardAv2Family', false, [
  ['Standard_A1_v2', 1],
  ['Standard_A2_v2', 2],
  ['Standard_A4_v2', 4],
  ['Standard_A8_v2', 8],
]);
add('standardDSv2Family', true, [
  ['Standard_DS1_v2', 1],
  ['Standard_DS2_v2', 2],
  ['Standard_DS3_v2', 4],
  ['Standard_DS4_v2', 8],
  ['Standard_DS5_v2', 16],
]);
add('standardDSv3Family', true, [
  ['Standard_D2s_v3', 2],
  ['Standard_D4s_v3', 4],
  ['Standard_D8s_v3', 8],
  ['Standard_D16s_v3', 16],
  ['Standard_D32s_v3', 32],
  ['Standard_D64s_v3', 64],
]);
add('standardDSv5Family', true, [
  ['Standard_D2s_v5', 2],
  ['Standard_D4s_v5', 4],
  ['Standard_D8s_v5', 8],
  ['Standard_D16s_v5', 16],
  ['Standard_D32s_v5', 32],
  ['Standard_D64s_v5', 64],
]);
add('standardDDSv5Family', true, [
  ['Standard_D2ds_v5', 2],
  ['Standard_D4ds_v5', 4],
  ['Standard_D8ds_v5', 8],
  ['Standard_D16ds_v5', 16],
]);
add('standardESv3Family', true, [
  ['Standard_E8s_v3', 8],
  ['Standard_E16s_v3', 16],
  ['Standard_E32s_v3', 32],
  ['Standard_E64s_v3', 64],
]);
add('standardESv5Family', true, [
  ['Standard_E8s_v5', 8],
  ['Standard_E16s_v5', 16],
  ['Standard_E32s_v5', 32],
  ['Standard_E64s_v5', 64],
]);
add('Standard NCASv3_T4 Family', true, [
  ['Standard_NC4as_T4_v3', 4, 1, 'T4'],
  ['Standard_NC8as_T4_v3', 8, 1, 'T4'],
  ['Standard_NC16as_T4_v3', 16, 1, 'T4'],
  ['Standard_NC64as_T4_v3', 64, 4, 'T4'],
]);
add('StandardNCADSA100v4Family', true, [
  ['Standard_NC24ads_A100_v4', 24, 1, 'A100'],
  ['Standard_NC48ads_A100_v4', 48, 2, 'A100'],
  ['Standard_NC96ads_A100_v4', 96, 4, 'A100'],
]);
add('StandardNCadsH100v5Family', true, [
  ['Standard_NC40ads_H100_v5', 40, 1, 'H100'],
  ['Standard_NC80adis_H100_v5', 80, 2, 'H100'],
]);
add('standardNVADSA10v5Family', true, [
  ['Standard_NV6ads_A10_v5', 6, 1, 'A10 (1/6)'],
  ['Standard_NV12ads_A10_v5', 12, 1, 'A10 (1/3)'],
  ['Standard_NV36ads_A10_v5', 36, 1, 'A10'],
  ['Standard_NV72ads_A10_v5', 72, 2, 'A10'],
]);
// Retired sizes the seed used, so its profile can be compared (not deployable any more).
add('standardNCFamily (retired)', false, [['Standard_NC24', 24, 4, 'K80']]);
add('standardNCSv2Family (retired)', false, [['Standard_NC24s_v2', 24, 4, 'P100']]);

/** Every known size, by name. */
export const VM_SIZES: Readonly<Record<string, VmSizeInfo>> = sizes;

/** The size's figures, or undefined for a size not in the table. Case-insensitive, as Azure is. */
export function vmSizeInfo(size: string): VmSizeInfo | undefined {
  const key = Object.keys(sizes).find((k) => k.toLowerCase() === size.toLowerCase());
  return key ? sizes[key] : undefined;
}
