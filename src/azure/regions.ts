/**
 * Azure regions as data: programmatic (CLI) name, display name, paired region and whether the region has
 * availability zones (Microsoft Learn "Azure regions list", 2026). Locations given as display names
 * ("West Europe") or in any case are normalized to the CLI name (`westeurope`) before anything uses them, and
 * unknown regions are refused with the closest names.
 */
import { Token } from 'cdktf';
import { InputError, InputIssue, show } from '../errors';

/** One Azure region. */
export interface AzureRegion {
  /** Programmatic name, as the CLI and ARM spell it (`westeurope`). */
  readonly name: string;
  /** Display name (`West Europe`). */
  readonly displayName: string;
  /** The paired region's programmatic name, when the region has one. */
  readonly pairedRegion?: string;
  /** True when the region has availability zones. */
  readonly availabilityZones: boolean;
  /** The cloud the region belongs to. */
  readonly cloud: 'public' | 'usgov' | 'china';
}

type Row = readonly [name: string, displayName: string, paired: string | undefined, zones: boolean];

const PUBLIC: readonly Row[] = [
  ['australiacentral', 'Australia Central', 'australiacentral2', false],
  ['australiacentral2', 'Australia Central 2', 'australiacentral', false],
  ['australiaeast', 'Australia East', 'australiasoutheast', true],
  ['australiasoutheast', 'Australia Southeast', 'australiaeast', false],
  ['austriaeast', 'Austria East', undefined, true],
  ['belgiumcentral', 'Belgium Central', undefined, true],
  ['brazilsouth', 'Brazil South', 'southcentralus', true],
  ['brazilsoutheast', 'Brazil Southeast', 'brazilsouth', false],
  ['canadacentral', 'Canada Central', 'canadaeast', true],
  ['canadaeast', 'Canada East', 'canadacentral', false],
  ['centralindia', 'Central India', 'southindia', true],
  ['centralus', 'Central US', 'eastus2', true],
  ['chilecentral', 'Chile Central', undefined, true],
  ['eastasia', 'East Asia', 'southeastasia', true],
  ['eastus', 'East US', 'westus', true],
  ['eastus2', 'East US 2', 'centralus', true],
  ['francecentral', 'France Central', 'francesouth', true],
  ['francesouth', 'France South', 'francecentral', false],
  ['germanynorth', 'Germany North', 'germanywestcentral', false],
  ['germanywestcentral', 'Germany West Central', 'germanynorth', true],
  ['indonesiacentral', 'Indonesia Central', undefined, true],
  ['israelcentral', 'Israel Central', undefined, true],
  ['italynorth', 'Italy North', undefined, true],
  ['japaneast', 'Japan East', 'japanwest', true],
  ['japanwest', 'Japan West', 'japaneast', true],
  ['jioindiacentral', 'Jio India Central', 'jioindiawest', false],
  ['jioindiawest', 'Jio India West', 'jioindiacentral', false],
  ['koreacentral', 'Korea Central', 'koreasouth', true],
  ['koreasouth', 'Korea South', 'koreacentral', false],
  ['malaysiawest', 'Malaysia West', undefined, true],
  ['mexicocentral', 'Mexico Central', undefined, true],
  ['newzealandnorth', 'New Zealand North', undefined, true],
  ['northcentralus', 'North Central US', 'southcentralus', false],
  ['northeurope', 'North Europe', 'westeurope', true],
  ['norwayeast', 'Norway East', 'norwaywest', true],
  ['norwaywest', 'Norway West', 'norwayeast', false],
  ['polandcentral', 'Poland Central', undefined, true],
  ['qatarcentral', 'Qatar Central', undefined, true],
  ['southafricanorth', 'South Africa North', 'southafricawest', true],
  ['southafricawest', 'South Africa West', 'southafricanorth', false],
  ['southcentralus', 'South Central US', 'northcentralus', true],
  ['southeastasia', 'Southeast Asia', 'eastasia', true],
  ['southindia', 'South India', 'centralindia', false],
  ['spaincentral', 'Spain Central', undefined, true],
  ['swedencentral', 'Sweden Central', 'swedensouth', true],
  ['swedensouth', 'Sweden South', 'swedencentral', false],
  ['switzerlandnorth', 'Switzerland North', 'switzerlandwest', true],
  ['switzerlandwest', 'Switzerland West', 'switzerlandnorth', false],
  ['uaecentral', 'UAE Central', 'uaenorth', false],
  ['uaenorth', 'UAE North', 'uaecentral', true],
  ['uksouth', 'UK South', 'ukwest', true],
  ['ukwest', 'UK West', 'uksouth', false],
  ['westcentralus', 'West Central US', 'westus2', false],
  ['westeurope', 'West Europe', 'northeurope', true],
  ['westindia', 'West India', 'southindia', false],
  ['westus', 'West US', 'eastus', false],
  ['westus2', 'West US 2', 'westcentralus', true],
  ['westus3', 'West US 3', 'eastus', true],
];

const USGOV: readonly Row[] = [
  ['usgovarizona', 'US Gov Arizona', 'usgovtexas', false],
  ['usgovtexas', 'US Gov Texas', 'usgovarizona', false],
  ['usgovvirginia', 'US Gov Virginia', 'usgovtexas', true],
];

const CHINA: readonly Row[] = [
  ['chinaeast2', 'China East 2', 'chinanorth2', false],
  ['chinaeast3', 'China East 3', 'chinanorth3', false],
  ['chinanorth2', 'China North 2', 'chinaeast2', false],
  ['chinanorth3', 'China North 3', 'chinaeast3', true],
];

const toRegion =
  (cloud: AzureRegion['cloud']) =>
  ([name, displayName, pairedRegion, availabilityZones]: Row): AzureRegion =>
    pairedRegion === undefined ? { name, displayName, availabilityZones, cloud } : { name, displayName, pairedRegion, availabilityZones, cloud };

/** Every region the library knows (the public cloud, plus US Government and China regions). */
export const AZURE_REGIONS: readonly AzureRegion[] = [...PUBLIC.map(toRegion('public')), ...USGOV.map(toRegion('usgov')), ...CHINA.map(toRegion('china'))];

const BY_KEY = new Map<string, AzureRegion>();
for (const r of AZURE_REGIONS) {
  BY_KEY.set(r.name, r);
  BY_KEY.set(key(r.displayName), r);
}

/** Lower case without spaces, hyphens or underscores: "West Europe", "west-europe", "WESTEUROPE" → "westeurope". */
function key(location: string): string {
  return location.toLowerCase().replace(/[\s_-]+/g, '');
}

/** Azure regions with availability zones (programmatic names). */
export const ZONAL_REGIONS: ReadonlySet<string> = new Set(AZURE_REGIONS.filter((r) => r.availabilityZones).map((r) => r.name));

/** The region named by `location` (programmatic or display name, any case), or undefined. */
export function findRegion(location: string): AzureRegion | undefined {
  return BY_KEY.get(key(location));
}

/**
 * The up to three region names closest to `location` (edit distance on the normalized name; regions that
 * start with it first), for "did you mean" messages.
 */
export function closestRegions(location: string, count = 3): string[] {
  const k = key(location);
  return AZURE_REGIONS.map((r) => ({ name: r.name, d: r.name.startsWith(k) && k.length >= 3 ? 0 : editDistance(k, r.name) }))
    .sort((a, b) => a.d - b.d || a.name.localeCompare(b.name))
    .slice(0, count)
    .map((x) => x.name);
}

/** Issues of a `location` input: unknown regions, with the closest names. A Terraform reference passes. */
export function locationIssues(path: string, location: string): InputIssue[] {
  if (isReference(location)) return [];
  if (typeof location !== 'string' || findRegion(location) === undefined) {
    const near = typeof location === 'string' ? closestRegions(location) : [];
    return [
      {
        path,
        message: `${show(location)} is not an Azure region${near.length > 0 ? `; did you mean ${near.map((n) => show(n)).join(', ')}?` : ''} (the CLI name, e.g. "westeurope", or the display name, e.g. "West Europe"; \`az account list-locations -o table\`)`,
      },
    ];
  }
  return [];
}

/**
 * The programmatic name of `location` ("West Europe" → "westeurope"). A Terraform reference is returned as it is.
 * Throws an {@link InputError} naming `path` and the closest regions when the region is unknown.
 */
export function normalizeLocation(location: string, path = 'location', source = 'location'): string {
  if (isReference(location)) return location;
  const issues = locationIssues(path, location);
  if (issues.length > 0) throw new InputError(source, issues);
  return findRegion(location)!.name;
}

/** True when the region has availability zones (display names and any case accepted; unknown regions: false). */
export function regionHasZones(location: string): boolean {
  return findRegion(location)?.availabilityZones ?? false;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

/**
 * Construct props with `location` normalized ("West Europe" → "westeurope"); throws an {@link InputError} from
 * `source` (e.g. `HpcNetwork props (network/hpc-network)`) naming the `location` prop when the region is unknown.
 */
export function withNormalizedLocation<T extends { readonly location: string }>(props: T, source: string): T {
  return { ...props, location: normalizeLocation(props.location, 'location', source) };
}

/** A token or a literal Terraform expression (`${azurerm_resource_group.rg.location}`): known only at apply. */
function isReference(location: string): boolean {
  return Token.isUnresolved(location) || (typeof location === 'string' && location.includes('${'));
}
