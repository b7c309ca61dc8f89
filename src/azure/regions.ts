/**
 * Azure regions with availability zones (Azure "regions with availability
 * zone support", 2026). Elsewhere, VMs that must not fail together go into an
 * availability set instead.
 */
export const ZONAL_REGIONS: ReadonlySet<string> = new Set([
  'australiaeast', 'austriaeast', 'belgiumcentral', 'brazilsouth', 'canadacentral', 'centralindia', 'centralus', 'chilecentral',
  'eastasia', 'eastus', 'eastus2', 'francecentral', 'germanywestcentral', 'indonesiacentral', 'israelcentral', 'italynorth',
  'japaneast', 'japanwest', 'koreacentral', 'malaysiawest', 'mexicocentral', 'newzealandnorth', 'northeurope', 'norwayeast',
  'polandcentral', 'qatarcentral', 'southafricanorth', 'southcentralus', 'southeastasia', 'spaincentral', 'swedencentral',
  'switzerlandnorth', 'uaenorth', 'uksouth', 'westeurope', 'westus2', 'westus3', 'usgovvirginia', 'chinanorth3',
]);

/** True when the region has availability zones. */
export function regionHasZones(location: string): boolean {
  return ZONAL_REGIONS.has(location.toLowerCase());
}
