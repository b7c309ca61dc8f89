/**
 * Azure Managed Lustre sizing rules: SKUs, their capacity steps, and the
 * subnet each capacity needs (Azure Managed Lustre docs, 2026).
 */
import { InputIssue, show } from '../errors';
import { parseCidr } from '../net/cidr';

/** Throughput tiers (MB/s per TiB) and their capacity rules (TiB). */
export const LUSTRE_SKUS = {
  'AMLFS-Durable-Premium-40': { minTb: 48, stepTb: 48, maxTb: 768 },
  'AMLFS-Durable-Premium-125': { minTb: 16, stepTb: 16, maxTb: 128 },
  'AMLFS-Durable-Premium-250': { minTb: 8, stepTb: 8, maxTb: 128 },
  'AMLFS-Durable-Premium-500': { minTb: 4, stepTb: 4, maxTb: 128 },
} as const;

export type LustreSku = keyof typeof LUSTRE_SKUS;
export const LUSTRE_SKU_NAMES = Object.keys(LUSTRE_SKUS) as LustreSku[];

/** Issues with a SKU and capacity pair. */
export function lustreCapacityIssues(skuField: string, capacityField: string, sku: string, capacityTb: number): InputIssue[] {
  const rule = (LUSTRE_SKUS as Record<string, { minTb: number; stepTb: number; maxTb: number }>)[sku];
  if (!rule) return [{ path: skuField, message: `${show(sku)} is not an Azure Managed Lustre SKU; allowed: ${LUSTRE_SKU_NAMES.join(', ')}` }];
  const { minTb, stepTb, maxTb } = rule;
  if (!Number.isInteger(capacityTb) || capacityTb < minTb || capacityTb > maxTb || capacityTb % stepTb !== 0) {
    return [
      {
        path: capacityField,
        message: `${show(capacityTb)} TiB is not allowed for ${sku}: use ${minTb}–${maxTb} TiB in steps of ${stepTb} (more needs a quota request to Azure support)`,
      },
    ];
  }
  return [];
}

/** The smallest subnet prefix (largest /n) the docs recommend for a capacity. */
export function lustreMinimumPrefix(capacityTb: number): number {
  if (capacityTb <= 16) return 27;
  if (capacityTb <= 40) return 26;
  if (capacityTb <= 92) return 25;
  if (capacityTb <= 196) return 24;
  if (capacityTb <= 400) return 23;
  return 22;
}

/** Issues of the Lustre subnet for a capacity: an IPv4 CIDR at least as large as the docs recommend. */
export function lustreSubnetIssues(path: string, subnetCidr: string, capacityTb: number): InputIssue[] {
  const subnet = parseCidr(subnetCidr);
  if (!subnet) return [{ path, message: `${show(subnetCidr)} is not an IPv4 CIDR` }];
  const needed = lustreMinimumPrefix(capacityTb);
  return subnet.prefix > needed
    ? [{ path, message: `${show(subnetCidr)} is too small for ${capacityTb} TiB of Azure Managed Lustre: use a /${needed} or larger` }]
    : [];
}

/** Lustre client mount options for Azure Managed Lustre (the docs' `mount -t lustre -o noatime,flock`). */
export const LUSTRE_MOUNT_OPTIONS = ['noatime', 'flock', '_netdev', 'x-systemd.automount', 'x-systemd.requires=network-online.target'] as const;
