/** The region table, location normalization and the refusal of unknown regions (config layer and constructs). */
import { TerraformStack } from 'cdktf';
import { HpcNetwork } from '../../constructs/hpc-network';
import { AZURE_REGIONS, closestRegions, findRegion, locationIssues, normalizeLocation, regionHasZones, ZONAL_REGIONS } from '../../src/azure/regions';
import { parseConfig } from '../../src/config/load';
import { InputError } from '../../src/errors';
import { Naming } from '../../src/naming';
import { resourceNamed, resourcesOf, synthInStack } from '../support/synth';

test('the table: unique names, pairs point at known regions, zonal regions as Microsoft lists them', () => {
  const names = AZURE_REGIONS.map((r) => r.name);
  expect(new Set(names).size).toBe(names.length);
  for (const r of AZURE_REGIONS) if (r.pairedRegion) expect(names).toContain(r.pairedRegion);
  expect(findRegion('westeurope')).toEqual({
    name: 'westeurope',
    displayName: 'West Europe',
    pairedRegion: 'northeurope',
    availabilityZones: true,
    cloud: 'public',
  });
  expect(findRegion('austriaeast')).toMatchObject({ availabilityZones: true });
  expect(findRegion('austriaeast')?.pairedRegion).toBeUndefined();
  for (const z of ['eastus', 'westeurope', 'swedencentral', 'westus3', 'japanwest']) expect(ZONAL_REGIONS.has(z)).toBe(true);
  for (const n of ['westus', 'northcentralus', 'ukwest', 'westcentralus']) expect(ZONAL_REGIONS.has(n)).toBe(false);
});

test('normalizeLocation: display names, CLI names, any case → the CLI name; references pass', () => {
  expect(normalizeLocation('West Europe')).toBe('westeurope');
  expect(normalizeLocation('westeurope')).toBe('westeurope');
  expect(normalizeLocation('EAST US 2')).toBe('eastus2');
  expect(normalizeLocation('${azurerm_resource_group.rg.location}')).toBe('${azurerm_resource_group.rg.location}');
  expect(regionHasZones('West Europe')).toBe(true); // the bug of issue 11: display names lost the DCs' zones
  expect(regionHasZones('West US')).toBe(false);
});

test('an unknown region is refused, naming the field and the closest regions', () => {
  expect(closestRegions('westeurop')[0]).toBe('westeurope');
  expect(locationIssues('location', 'Germany West')).toEqual([
    { path: 'location', message: expect.stringMatching(/^"Germany West" is not an Azure region; did you mean "germanywestcentral"/) },
  ]);
  expect(() => normalizeLocation('mars1', 'location', 'X props')).toThrow(InputError);
  expect(() => parseConfig({ location: 'eastus9' })).toThrow(/location: "eastus9" is not an Azure region; did you mean "eastus"/);
});

test('the configuration takes display names and writes the CLI name into every resource', () => {
  expect(parseConfig({ location: 'West Europe' }).location).toBe('westeurope');
});

test('constructs normalize their location prop and refuse unknown regions naming the prop', () => {
  const json = synthInStack(
    (stack) => new HpcNetwork(stack, 'net', { naming: new Naming('pgm'), location: 'West Europe', adminSourceCidrs: ['203.0.113.0/24'] }),
  );
  expect(resourceNamed(json, 'azurerm_resource_group', 'rg-pgm-network').location).toBe('westeurope');
  for (const [, vnet] of resourcesOf(json, 'azurerm_virtual_network')) expect(vnet.location).toBe('westeurope');
  expect(() => synthInStack((stack: TerraformStack) => new HpcNetwork(stack, 'net', { naming: new Naming('pgm'), location: 'West Eurpoe' }))).toThrow(
    /Invalid HpcNetwork props \(test\/net\):\n {2}- location: "West Eurpoe" is not an Azure region; did you mean "westeurope"/,
  );
});
