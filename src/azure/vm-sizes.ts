/**
 * Azure VM sizes this library deploys or recommends: vCPUs, GPUs and the
 * quota family (the name `az vm list-usage` and the quota request use), so
 * reports can add up what a deployment needs before it is deployed.
 * Figures from the Azure VM size pages (2026). Also the rules every VM-size
 * field is checked with: the naming convention, the retired families and the
 * premium-storage capability.
 */
import { InputIssue, show } from '../errors';

const NAME =
  /^Standard_([A-Z]{1,3})(\d{1,3})(?:-(\d{1,3}))?([abcdeilmnprst]{0,6})((?:_(?!v\d+(?:_Promo)?$)[A-Z][A-Za-z0-9]{0,11}){0,2})(?:_v(\d{1,2}))?(?:_Promo)?$/;

/**
 * Families whose premium-storage capability is not spelt with an "s" feature: the DS, GS and LS generations carry
 * it in the family name, and every M-series size has it.
 */
export const PREMIUM_STORAGE_FAMILIES: readonly string[] = ['DS', 'GS', 'LS', 'M'];

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
  /** True when the size can attach Premium SSD (Premium_LRS) disks. */
  readonly premiumStorage: boolean;
}

const sizes: Record<string, VmSizeInfo> = {};
function add(family: string, accel: boolean, entries: Array<[string, number, number?, string?]>): void {
  for (const [name, vcpus, gpus = 0, gpuModel] of entries)
    sizes[name] = { vcpus, gpus, gpuModel, family, acceleratedNetworking: accel, premiumStorage: premiumStorageByName(parseVmSizeName(name)!) };
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

add('Standard NCSv3 Family (retired)', false, [
  ['Standard_NC6s_v3', 6, 1, 'V100'],
  ['Standard_NC12s_v3', 12, 2, 'V100'],
  ['Standard_NC24s_v3', 24, 4, 'V100'],
]);

/** Every known size, by name. */
export const VM_SIZES: Readonly<Record<string, VmSizeInfo>> = sizes;

/** The size's figures, or undefined for a size not in the table. Case-insensitive, as Azure is. */
export function vmSizeInfo(size: string): VmSizeInfo | undefined {
  const key = Object.keys(sizes).find((k) => k.toLowerCase() === size.toLowerCase());
  return key ? sizes[key] : undefined;
}

/**
 * The parts of a VM size name, after Azure's naming convention
 * `Standard_<family><vCPUs>[-<constrained vCPUs>]<additive features>[_<accelerator>][_v<version>]`
 * (Microsoft Learn, "Azure virtual machine sizes naming conventions"): `Standard_NC24ads_A100_v4` is family NC,
 * 24 vCPUs, features a (AMD), d (local disk), s (premium storage), accelerator A100, version 4.
 */
export interface VmSizeName {
  readonly family: string;
  readonly vcpus: number;
  readonly constrainedVcpus?: number;
  /** Additive features, lower case: a AMD, b block storage, d local disk, i isolated, l low memory, m memory, p Arm, r RDMA, s premium storage, t tiny memory, e/c confidential. */
  readonly features: string;
  readonly accelerators: readonly string[];
  readonly version?: number;
}

/** The parts of a VM size name, or undefined when the name does not follow Azure's naming convention. Case-sensitive, as Azure spells sizes. */
export function parseVmSizeName(size: string): VmSizeName | undefined {
  const m = typeof size === 'string' ? NAME.exec(size) : null;
  if (!m || Number(m[2]) === 0) return undefined;
  return {
    family: m[1],
    vcpus: Number(m[2]),
    ...(m[3] ? { constrainedVcpus: Number(m[3]) } : {}),
    features: m[4],
    accelerators: m[5] ? m[5].slice(1).split('_') : [],
    ...(m[6] ? { version: Number(m[6]) } : {}),
  };
}

function premiumStorageByName(name: VmSizeName): boolean {
  return name.features.includes('s') || PREMIUM_STORAGE_FAMILIES.includes(name.family);
}

/** True when the size can attach Premium SSD disks: from the table, else from the name (an "s" feature, or a family of {@link PREMIUM_STORAGE_FAMILIES}). */
export function supportsPremiumStorage(size: string): boolean {
  const info = vmSizeInfo(size);
  if (info) return info.premiumStorage;
  const name = parseVmSizeName(size);
  return name !== undefined && premiumStorageByName(name);
}

/** vCPUs of the size: from the table, else from the name. */
export function vmSizeVcpus(size: string): number | undefined {
  return vmSizeInfo(size)?.vcpus ?? parseVmSizeName(size)?.vcpus;
}

/** A retired VM size family: Azure refuses to create its sizes. */
export interface RetiredVmFamily {
  readonly family: string;
  /** Matches every size name of the family (case-insensitive). */
  readonly sizes: RegExp;
  /** Retirement date (ISO). */
  readonly retired: string;
  readonly replacement: string;
}

/** Retired families (Microsoft Learn retirement notices); a size of these is refused wherever a size is configured. */
export const RETIRED_VM_FAMILIES: readonly RetiredVmFamily[] = [
  { family: 'NC (K80)', sizes: /^Standard_NC(6|12|24|24r)(_Promo)?$/i, retired: '2023-09-06', replacement: 'Standard_NC4as_T4_v3 or Standard_NC24ads_A100_v4' },
  { family: 'NCv2 (P100)', sizes: /^Standard_NC(6|12|24|24r)s_v2$/i, retired: '2023-09-06', replacement: 'Standard_NC24ads_A100_v4' },
  { family: 'NCv3 (V100)', sizes: /^Standard_NC(6|12|24|24r)s_v3$/i, retired: '2025-09-30', replacement: 'Standard_NC24ads_A100_v4' },
  { family: 'ND (P40)', sizes: /^Standard_ND(6|12|24|24r)s$/i, retired: '2023-09-06', replacement: 'Standard_NC24ads_A100_v4' },
  { family: 'NV (M60)', sizes: /^Standard_NV(6|12|24)(_Promo)?$/i, retired: '2023-09-06', replacement: 'Standard_NV36ads_A10_v5' },
  {
    family: 'H (Haswell)',
    sizes: /^Standard_H(8|8m|16|16r|16m|16mr)(_Promo)?$/i,
    retired: '2022-08-31',
    replacement: 'Standard_HB120rs_v3 or Standard_HC44rs',
  },
  { family: 'HB (Naples)', sizes: /^Standard_HB60(rs|-45rs|-30rs|-15rs)$/i, retired: '2024-08-31', replacement: 'Standard_HB120rs_v3' },
  { family: 'Basic A / Standard A v1', sizes: /^(Basic|Standard)_A([0-9]|1[01])$/i, retired: '2024-08-31', replacement: 'Standard_A2_v2 or Standard_D2s_v5' },
];

/** The retired family of a size, or undefined. */
export function retiredVmFamily(size: string): RetiredVmFamily | undefined {
  return RETIRED_VM_FAMILIES.find((f) => f.sizes.test(size));
}

/** What a field's VM size must offer besides a valid, current name. */
export interface VmSizeRequirements {
  /** The size must attach Premium_LRS disks; the reason names the disk (`the domain controllers' disks are Premium_LRS`). */
  readonly premiumStorage?: string;
  /** An example the message suggests. */
  readonly example?: string;
}

/**
 * The one check of every VM-size field (configuration and construct props alike): a name Azure's naming convention
 * allows, not of a retired family, and premium storage where the field's disks are Premium_LRS.
 */
export function azureVmSizeIssues(path: string, size: string, requirements: VmSizeRequirements = {}): InputIssue[] {
  const example = requirements.example ?? 'Standard_D8s_v5';
  if (typeof size !== 'string' || (parseVmSizeName(size) === undefined && !vmSizeInfo(size) && !retiredVmFamily(size)))
    return [
      {
        path,
        message: `${show(size)} is not an Azure VM size: expected Standard_<family><vCPUs>[features][_accelerator][_v<n>] as Azure spells it, e.g. "${example}" (\`az vm list-sizes -l <region> -o table\`)`,
      },
    ];
  const retired = retiredVmFamily(size);
  if (retired)
    return [
      { path, message: `${show(size)} is retired (${retired.family} family, ${retired.retired}): Azure no longer creates it; use e.g. ${retired.replacement}` },
    ];
  if (requirements.premiumStorage && !supportsPremiumStorage(size))
    return [
      {
        path,
        message: `${show(size)} has no premium storage (no "s" in its features), but ${requirements.premiumStorage}; use a size with "s", e.g. "${example}"`,
      },
    ];
  return [];
}
