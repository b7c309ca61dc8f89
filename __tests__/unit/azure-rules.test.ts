/**
 * Issue 13: Azure's apply-time constraints at synth. Each case below is a configuration that synthesizes today
 * (before this rule set) and that Azure (or Terraform) would refuse at apply; each must be refused naming the
 * configuration field, the value and what is allowed.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AZURE_VNET_RESERVED_RANGES } from '../../src/azure/reserved-ranges';
import { AUTOSCALE_TIME_ZONES, isAutoscaleTimeZone } from '../../src/azure/time-zones';
import { azureVmSizeIssues, parseVmSizeName, RETIRED_VM_FAMILIES, supportsPremiumStorage, VM_SIZES, vmSizeVcpus } from '../../src/azure/vm-sizes';
import { processingNodesIssues } from '../../constructs/processing-nodes';
import { AZURE_APPLY_RULES, INTERNET_SIZE, publicAddressCount } from '../../src/config/azure-rules';
import { parseConfig, readConfigFile } from '../../src/config/load';
import { InputError } from '../../src/errors';
import { parseCidr } from '../../src/net/cidr';
import { configureBackend } from '../../stacks/backend';
import { App, TerraformStack } from 'cdktf';

const issuesOf = (input: unknown) => {
  try {
    parseConfig(input);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as InputError).issues;
  }
  throw new Error(`expected ${JSON.stringify(input)} to be refused`);
};
const accepted = (input: unknown) => expect(() => parseConfig(input)).not.toThrow();

describe('each class of apply-time failure is refused at synth, naming the field', () => {
  test.each<[string, unknown, string, RegExp]>([
    // Address spaces Azure forbids in a VNet.
    [
      'multicast VNet',
      { addressPlan: { storageVnet: '224.1.0.0/16' } },
      'addressPlan.storageVnet',
      /"224\.1\.0\.0\/16" overlaps 224\.0\.0\.0\/4 \(multicast\)/,
    ],
    ['broadcast address', { addressPlan: { storageVnet: '255.255.255.248/29' } }, 'addressPlan.storageVnet', /overlaps 255\.255\.255\.255\/32 \(broadcast\)/],
    ['loopback VNet', { addressPlan: { storageVnet: '127.16.0.0/16' } }, 'addressPlan.storageVnet', /overlaps 127\.0\.0\.0\/8 \(loopback\)/],
    ['link-local VNet', { addressPlan: { storageVnet: '169.254.0.0/16' } }, 'addressPlan.storageVnet', /overlaps 169\.254\.0\.0\/16 \(link-local\)/],
    ['Azure DNS address', { addressPlan: { storageVnet: '168.63.128.0/22' } }, 'addressPlan.storageVnet', /overlaps 168\.63\.129\.16\/32 \(Azure internal DNS/],
    [
      'Bastion subnet in a reserved range',
      { compute: { bastion: { enabled: true, subnetCidr: '169.254.3.0/26' } } },
      'compute.bastion.subnetCidr',
      /overlaps 169\.254\.0\.0\/16/,
    ],
    // Subnets too small for what is placed in them.
    [
      'compute subnet smaller than the node count',
      { addressPlan: { computeSubnet: '10.0.1.0/28', schedulerIp: '10.0.1.10' }, compute: { nodes: { count: 20 } } },
      'addressPlan.computeSubnet',
      /"10\.0\.1\.0\/28" has 11 usable addresses .* too few for compute\.nodes\.count 20 nodes and the scheduler \(21\); use a \/27 or larger/,
    ],
    [
      'compute subnet without room for the CycleCloud server',
      { addressPlan: { computeSubnet: '10.0.1.0/28', schedulerIp: '10.0.1.10' }, compute: { orchestrator: 'cyclecloud', nodes: { count: 10 } } },
      'addressPlan.computeSubnet',
      /too few for compute\.nodes\.count 10 nodes and the scheduler and the CycleCloud server \(12\)/,
    ],
    // Admin ranges that together cover the Internet.
    [
      'two halves of the Internet',
      { network: { adminSourceCidrs: ['0.0.0.0/1', '128.0.0.0/1'] } },
      'network.adminSourceCidrs',
      /\["0\.0\.0\.0\/1","128\.0\.0\.0\/1"\] together admit [\d,]+ public addresses \(100% of the IPv4 Internet\)/,
    ],
    [
      'two public /8s',
      { network: { adminSourceCidrs: ['20.0.0.0/8', '40.0.0.0/8'] } },
      'network.adminSourceCidrs',
      /together admit 33,554,432 public addresses/,
    ],
    // Regions that do not exist and zones where a region has none.
    ['unknown region', { location: 'westeurope2' }, 'location', /"westeurope2" is not an Azure region; did you mean "westeurope"/],
    [
      'DC zones in a region without zones',
      { location: 'northcentralus', domain: { availabilityZones: ['1', '2'] } },
      'domain.availabilityZones',
      /\["1","2"\]: "northcentralus" \(location\) has no availability zones; leave the field out/,
    ],
    [
      'Lustre zone in a region without zones',
      { location: 'westus', storage: { backend: 'managed-lustre' }, compute: { nodes: { os: 'linux' } } },
      'storage.lustre.zone',
      /"1": "westus" \(location\) has no availability zones/,
    ],
    // VM sizes: the same check in every field.
    [
      'scheduler without premium storage',
      { compute: { scheduler: { size: 'Standard_D8_v5' } } },
      'compute.scheduler.size',
      /"Standard_D8_v5" has no premium storage .*Premium_LRS/,
    ],
    [
      'jump box without premium storage',
      { compute: { jumpboxes: { windowsSize: 'Standard_D2_v5' } } },
      'compute.jumpboxes.windowsSize',
      /has no premium storage/,
    ],
    [
      'Linux jump box without premium storage',
      { compute: { jumpboxes: { linux: true, linuxSize: 'Standard_A2_v2' } }, adminSshPublicKey: undefined },
      'compute.jumpboxes.linuxSize',
      /"Standard_A2_v2" has no premium storage/,
    ],
    [
      'GPU nodes on a Premium_LRS OS disk without premium storage',
      { compute: { nodes: { size: 'Standard_NC40ad_H100_v5', gpuMask: 1 } } },
      'compute.nodes.size',
      /has no premium storage .*nodes' OS disk is Premium_LRS/,
    ],
    [
      'garbage scheduler size',
      { compute: { scheduler: { size: 'Standard_Huge_VM' } } },
      'compute.scheduler.size',
      /"Standard_Huge_VM" is not an Azure VM size/,
    ],
    [
      'garbage controller size',
      { storage: { backend: 'avere', avere: { controllerSize: 'Standard_Foo_Bar' } } },
      'storage.avere.controllerSize',
      /"Standard_Foo_Bar" is not an Azure VM size/,
    ],
    ['garbage DC size', { domain: { controllerSize: 'Standard_D2s_v5x' } }, 'domain.controllerSize', /is not an Azure VM size/],
    ['garbage jump box size', { compute: { jumpboxes: { windowsSize: 'Standard_' } } }, 'compute.jumpboxes.windowsSize', /"Standard_" is not an Azure VM size/],
    [
      'retired NCv3 nodes',
      { compute: { nodes: { size: 'Standard_NC6s_v3' } } },
      'compute.nodes.size',
      /"Standard_NC6s_v3" is retired \(NCv3 \(V100\) family, 2025-09-30\)/,
    ],
    ['retired NC v1 nodes', { compute: { nodes: { size: 'Standard_NC12' } } }, 'compute.nodes.size', /is retired \(NC \(K80\) family/],
    ['retired ND v1 nodes', { compute: { nodes: { size: 'Standard_ND24s' } } }, 'compute.nodes.size', /is retired \(ND \(P40\) family/],
    ['retired NV v1 nodes', { compute: { nodes: { size: 'Standard_NV12' } } }, 'compute.nodes.size', /is retired \(NV \(M60\) family/],
    [
      'retired H-series scheduler',
      { compute: { scheduler: { size: 'Standard_H16r' } } },
      'compute.scheduler.size',
      /is retired \(H \(Haswell\) family, 2022-08-31\)/,
    ],
    ['retired HB-series DC', { domain: { controllerSize: 'Standard_HB60-45rs' } }, 'domain.controllerSize', /is retired \(HB \(Naples\) family, 2024-08-31\)/],
    ['retired NCv2 nodes', { compute: { nodes: { size: 'Standard_NC12s_v2', gpuMask: 3 } } }, 'compute.nodes.size', /is retired \(NCv2 \(P100\) family/],
    [
      'retired size as the scheduler',
      { compute: { scheduler: { size: 'Standard_A4' } } },
      'compute.scheduler.size',
      /is retired \(Basic A \/ Standard A v1 family/,
    ],
    ['retired size as a DC', { domain: { controllerSize: 'Standard_NC24s_v3' } }, 'domain.controllerSize', /is retired/],
    // Names that break Azure's naming rules.
    [
      'resource group name ending in a period',
      { backend: { type: 'azurerm', resourceGroupName: 'rg-state.', storageAccountName: 'sttfstate01', containerName: 'tfstate' } },
      'backend.resourceGroupName',
      /"rg-state\." ends with a period/,
    ],
    // Numbers outside protocol ranges.
    [
      'DNS server octet above 255',
      { network: { dnsServers: ['10.0.2.300'] } },
      'network.dnsServers[0]',
      /"10\.0\.2\.300" is not an IPv4 address: each of the four numbers must be 0–255/,
    ],
    [
      'licence server port above 65535',
      { secrets: { licensing: 'license-server', licenseServer: '10.0.1.20:70000' } },
      'secrets.licenseServer',
      /"10\.0\.1\.20:70000" has port 70000, outside the TCP range 1–65535/,
    ],
    // Free text that Terraform evaluates.
    [
      'template in the local state directory',
      { backend: { type: 'local', stateDirectory: '${path.cwd}/state' } },
      'backend.stateDirectory',
      /"\$\{path\.cwd\}\/state" contains a Terraform template sequence .* in the backend and terraform_remote_state blocks/,
    ],
    [
      'template directive in the key prefix',
      { backend: { type: 'local', stateDirectory: '%{ if true }x%{ endif }' } },
      'backend.stateDirectory',
      /template sequence/,
    ],
    [
      'template in an installer URL',
      { compute: { metashape: { linuxInstallerUrl: 'https://example.com/${var.x}.tar.gz' } } },
      'compute.metashape.linuxInstallerUrl',
      /contains a Terraform template sequence .* Terraform would evaluate/,
    ],
    // Time zones Azure autoscale does not know.
    [
      'IANA time zone',
      { compute: { nodes: { autoscale: { enabled: true, timeZone: 'Europe/Berlin' } } } },
      'compute.nodes.autoscale.timeZone',
      /"Europe\/Berlin" is not a time zone Azure autoscale knows/,
    ],
    [
      'misspelt time zone',
      { compute: { nodes: { autoscale: { enabled: true, timeZone: 'w. europe standard time' } } } },
      'compute.nodes.autoscale.timeZone',
      /is spelt "W\. Europe Standard Time"/,
    ],
    [
      'abbreviation',
      { compute: { nodes: { autoscale: { enabled: true, timeZone: 'CET' } } } },
      'compute.nodes.autoscale.timeZone',
      /not a time zone Azure autoscale knows/,
    ],
    // Spot + Deallocate + ephemeral OS disk.
    [
      'Spot Deallocate on an ephemeral OS disk',
      { compute: { nodes: { size: 'Standard_NC24ads_A100_v4', osDiskSizeGb: 64, spot: { enabled: true, evictionPolicy: 'Deallocate' } } } },
      'compute.nodes.spot.evictionPolicy',
      /"Deallocate" is refused by Azure with an ephemeral OS disk .* use "Delete", or set ephemeralOsDisk to "never"/,
    ],
  ])('%s', (_name, input, field, message) => {
    expect(issuesOf(input)).toContainEqual({ path: field, message: expect.stringMatching(message) });
  });

  test.each<[string, unknown]>([
    ['the defaults', {}],
    [
      'a compute subnet that holds the nodes and the scheduler',
      { addressPlan: { computeSubnet: '10.0.1.0/27', schedulerIp: '10.0.1.10' }, compute: { nodes: { count: 26 } } },
    ],
    ['admin networks', { network: { adminSourceCidrs: ['203.0.113.0/24', '198.51.100.7'] } }],
    ['admin networks of a /8 together', { network: { adminSourceCidrs: ['20.0.0.0/9', '20.128.0.0/9'] } }],
    ['private admin ranges do not count as the Internet', { network: { adminSourceCidrs: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'] } }],
    ['no zones asked in a region without zones', { location: 'northcentralus' }],
    ['Spot Deallocate on a managed OS disk', { compute: { nodes: { ephemeralOsDisk: 'never', spot: { enabled: true, evictionPolicy: 'Deallocate' } } } }],
    ['a Windows time zone', { compute: { nodes: { autoscale: { enabled: true, timeZone: 'W. Europe Standard Time' } } } }],
    ['a literal state directory', { backend: { type: 'local', stateDirectory: 'state/$HOME' } }],
  ])('accepts %s', (_name, input) => accepted(input));

  test('every problem of every layer arrives in one report, with the file, the field, the value and what is allowed', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pgm-az-rules-')), 'env.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        addressPlan: { storageVnet: '224.1.0.0/16', jumpboxSubnet: 5 },
        compute: { scheduler: { size: 'Standard_D8_v5' }, nodes: { autoscale: { enabled: true, timeZone: 'CET' } } },
        backend: { type: 'local', stateDirectory: '${x}' },
      }),
    );
    let error: InputError | undefined;
    try {
      readConfigFile(file);
    } catch (e) {
      error = e as InputError;
    }
    expect(error).toBeInstanceOf(InputError);
    expect(error!.message).toMatch(new RegExp(`^Invalid configuration file ${file.replace(/[.*+?^$()|[\]\\]/g, '\\$&')}:`));
    expect(error!.issues.map((i) => i.path)).toEqual(
      expect.arrayContaining(['addressPlan.jumpboxSubnet', 'compute.scheduler.size', 'compute.nodes.autoscale.timeZone', 'backend.stateDirectory']),
    );
    // The shape error (zod) names the value too.
    expect(error!.issues).toContainEqual({ path: 'addressPlan.jumpboxSubnet', message: 'expected a string; got 5' });
  });
});

test('the backend refuses a template sequence even when the configuration loader is bypassed', () => {
  const stack = new TerraformStack(new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'pgm-backend-')) }), 'network');
  expect(() => configureBackend(stack, { type: 'local', stateDirectory: '${terraform.workspace}' })).toThrow(
    /backend\.stateDirectory: "\$\{terraform\.workspace\}" contains "\$\{" or "%\{", which Terraform would evaluate/,
  );
});

test('ProcessingNodes refuses Spot Deallocate with an ephemeral OS disk under its own prop names', () => {
  const issues = processingNodesIssues(
    {
      metashape: { version: '2.1.3', linuxInstallerUrl: 'https://a/b.tar.gz', windowsInstallerUrl: 'https://a/b.msi' },
      osDiskSizeGb: 64,
      spot: { enabled: true, evictionPolicy: 'Deallocate' },
    },
    'linux',
    2,
    'Standard_NC24ads_A100_v4',
  );
  expect(issues).toContainEqual({
    path: 'nodes.spot.evictionPolicy',
    message: expect.stringMatching(/"Deallocate" is refused by Azure with an ephemeral OS disk/),
  });
});

describe('the tables are data', () => {
  test('reserved VNet ranges are the five of the Azure VNet FAQ', () => {
    expect(AZURE_VNET_RESERVED_RANGES.map((r) => r.cidr)).toEqual(['224.0.0.0/4', '255.255.255.255/32', '127.0.0.0/8', '169.254.0.0/16', '168.63.129.16/32']);
  });

  test.each([
    'Standard_D2s_v5',
    'Standard_NC24ads_A100_v4',
    'Standard_NC80adis_H100_v5',
    'Standard_ND96isr_H100_v5',
    'Standard_ND96amsr_A100_v4',
    'Standard_ND96isr_MI300X_v5',
    'Standard_NG8ads_V620_v1',
    'Standard_HB120-16rs_v3',
    'Standard_M128ms',
    'Standard_E64-32s_v3',
    'Standard_DS2_v2',
    'Standard_D2_v2_Promo',
    'Standard_B2ats_v2',
    'Standard_D2plds_v5',
    'Standard_GS5',
  ])('%s follows the naming convention', (size) => {
    expect(parseVmSizeName(size)).toBeDefined();
    expect(azureVmSizeIssues('x', size)).toEqual([]);
  });

  test.each(['Standard_GPU_Big', 'Standard_D8s_v5x', 'standard_d2s_v5x', 'D2s_v5', 'Standard_D0s_v5', 'Standard_D2S_v5 '])('%j does not', (size) => {
    expect(parseVmSizeName(size)).toBeUndefined();
  });

  test('premium storage: the "s" feature, DS/GS/LS/M families, and the table', () => {
    expect(['Standard_D2s_v5', 'Standard_DS2_v2', 'Standard_M64', 'Standard_NC24ads_A100_v4'].map(supportsPremiumStorage)).toEqual([true, true, true, true]);
    expect(['Standard_D2_v5', 'Standard_A2_v2', 'Standard_H16r', 'Standard_D2a_v4'].map(supportsPremiumStorage)).toEqual([false, false, false, false]);
    for (const [name, info] of Object.entries(VM_SIZES)) expect([name, info.premiumStorage]).toEqual([name, supportsPremiumStorage(name)]);
  });

  test('vCPU and GPU counts come from the table, vCPUs of other sizes from the name', () => {
    expect(VM_SIZES.Standard_NC96ads_A100_v4).toMatchObject({ vcpus: 96, gpus: 4 });
    expect(vmSizeVcpus('Standard_E96ias_v5')).toBe(96);
  });

  test('every retired family matches its sizes and none of the current ones', () => {
    for (const f of RETIRED_VM_FAMILIES) expect(f.retired).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const current = Object.keys(VM_SIZES).filter((n) => !/retired/i.test(VM_SIZES[n].family));
    for (const n of current) expect([n, RETIRED_VM_FAMILIES.find((f) => f.sizes.test(n))?.family]).toEqual([n, undefined]);
  });

  test('autoscale time zones: Windows IDs, no IANA names', () => {
    expect(AUTOSCALE_TIME_ZONES).toContain('UTC');
    expect(AUTOSCALE_TIME_ZONES.length).toBeGreaterThan(100);
    expect(new Set(AUTOSCALE_TIME_ZONES).size).toBe(AUTOSCALE_TIME_ZONES.length);
    expect(isAutoscaleTimeZone('Europe/Berlin')).toBe(false);
  });

  test('the Internet is 2^32 minus the private, shared, loopback, link-local, multicast and reserved ranges', () => {
    expect(publicAddressCount([parseCidr('10.0.0.0/8')!])).toBe(0n);
    expect(INTERNET_SIZE).toBe(2n ** 32n - 2n ** 24n * 3n - 2n ** 22n - 2n ** 20n - 2n ** 16n * 2n - 2n ** 28n * 2n);
  });

  test('every rule has an id and reads configuration paths', () => {
    expect(AZURE_APPLY_RULES.map((r) => r.id)).toEqual([
      'AZ-VNET-RESERVED',
      'AZ-SUBNET-CAPACITY',
      'AZ-ADMIN-INTERNET',
      'AZ-ZONES',
      'AZ-VM-SIZE',
      'AZ-NAMES',
      'AZ-PROTOCOL-RANGES',
      'AZ-TF-TEMPLATE',
    ]);
  });
});
