/**
 * One home per rule (issue 11 item 2): each construct rule is a pure `xxxIssues(props)` function next to its
 * construct. The construct throws with it (naming its construct path and the prop); the configuration file runs the
 * same function and maps the prop paths to its own fields. The loader reports shape, cross-field and construct-rule
 * problems in one pass.
 */
import { Password } from '@cdktf/provider-random/lib/password';
import { TerraformStack } from 'cdktf';
import { DomainServices, DomainServicesProps } from '../../constructs/domain-services';
import { HpcNetwork } from '../../constructs/hpc-network';
import { ensureRandomProvider } from '../../constructs/providers';
import { MetashapeScheduler, metashapeSchedulerIssues } from '../../constructs/metashape-scheduler';
import { ProcessingNodes, processingNodesIssues } from '../../constructs/processing-nodes';
import { computeSchema } from '../../src/config/compute';
import { domainSchema } from '../../src/config/domain';
import { parseConfig } from '../../src/config/load';
import { atConfigPaths, InputError } from '../../src/errors';
import { Naming } from '../../src/naming';
import { synthInStack } from '../support/synth';

/** The issues of a configuration that must fail. */
const configIssues = (input: unknown) => {
  try {
    parseConfig(input);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as InputError).issues;
  }
  throw new Error('expected the configuration to be refused');
};

/** The message of a construct that must refuse its props. */
const constructError = (build: (stack: TerraformStack) => void) => {
  try {
    synthInStack(build);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as Error).message;
  }
  throw new Error('expected the construct to refuse its props');
};

describe('atConfigPaths maps prop paths to configuration paths', () => {
  test('longest key wins, indexes and sub-fields follow, unmapped props keep the construct name', () => {
    const map = { controllerIps: 'addressPlan.domainControllerIps', spot: 'compute.nodes.spot', 'spot.maxBidPrice': 'x.price' };
    expect(
      atConfigPaths(
        [
          { path: 'controllerIps[1]', message: 'a' },
          { path: 'spot.evictionPolicy', message: 'b' },
          { path: 'spot.maxBidPrice', message: 'c' },
          { path: 'adminPassword', message: 'd' },
        ],
        map,
        'DomainServices',
      ),
    ).toEqual([
      { path: 'addressPlan.domainControllerIps[1]', message: 'a' },
      { path: 'compute.nodes.spot.evictionPolicy', message: 'b' },
      { path: 'x.price', message: 'c' },
      { path: 'DomainServices.adminPassword', message: 'd' },
    ]);
  });
});

describe('DomainServices: its rules, via the construct and via the configuration', () => {
  const base = (stack: TerraformStack): DomainServicesProps => {
    ensureRandomProvider(stack);
    const pw = new Password(stack, 'pw', { length: 24 }).result;
    return {
      naming: new Naming('pgm'),
      location: 'eastus',
      resourceGroupName: 'rg',
      network: new HpcNetwork(stack, 'net', { naming: new Naming('pgm'), location: 'eastus' }),
      adminPassword: pw,
      safeModePassword: pw,
    };
  };
  test.each([
    ['dataDiskSizeGb', { dataDiskSizeGb: 2048 }, { domain: { dataDiskSizeGb: 2048 } }, 'domain.dataDiskSizeGb', /2048 is not allowed; use 8–1024 GiB/],
    [
      'availabilityZones',
      { availabilityZones: ['2', '2'] },
      { domain: { availabilityZones: ['2', '2'] } },
      'domain.availabilityZones',
      /both domain controllers in zone 2/,
    ],
    [
      'availabilityZones[1]',
      { availabilityZones: ['1', '4'] },
      { domain: { availabilityZones: ['1', '4'] } },
      'domain.availabilityZones[1]',
      /"4" is not a zone; use "1", "2" or "3"/,
    ],
    [
      'availabilityZones',
      { availabilityZones: ['1'] },
      { domain: { availabilityZones: ['1'] } },
      'domain.availabilityZones',
      /has 1 zones; give one zone per domain controller/,
    ],
    [
      'privateDnsZoneName',
      { privateDnsZoneName: 'x.photoscan.local' },
      { domain: { privateDnsZoneName: 'x.photoscan.local' } },
      'domain.privateDnsZoneName',
      /is the AD domain or under it \("photoscan.local"\)/,
    ],
    ['controllerSize', { controllerSize: 'D2s_v5' }, { domain: { controllerSize: 'D2s_v5' } }, 'domain.controllerSize', /"D2s_v5" is not an Azure VM size/],
    ['netbiosName', { netbiosName: 'SYSTEM' }, { domain: { netbiosName: 'SYSTEM' } }, 'domain.netbiosName', /"SYSTEM" is reserved/],
  ] as Array<[string, Partial<DomainServicesProps>, unknown, string, RegExp]>)('%s', (prop, props, config, field, message) => {
    const text = constructError((stack) => new DomainServices(stack, 'ad', { ...base(stack), ...props }));
    expect(text).toMatch(/^Invalid DomainServices props \(test\/ad\):/);
    expect(text).toMatch(new RegExp(`\\n  - ${prop.replace(/[[\]]/g, '\\$&')}: .*${message.source}`));
    expect(configIssues(config)).toContainEqual({ path: field, message: expect.stringMatching(message) });
  });

  test('DC addresses: one rule (two, usable in the AD subnet, distinct) for the construct prop and the address plan', () => {
    const text = constructError((stack) => new DomainServices(stack, 'ad', { ...base(stack), controllerIps: ['10.0.2.4', '10.0.2.4'] }));
    expect(text).toMatch(/DomainServices props \(test\/ad\):\n {2}- controllerIps\[1\]: "10.0.2.4" is already used by controllerIps\[0\] \(DC-01\)/);
    expect(configIssues({ addressPlan: { domainControllerIps: ['10.0.2.4', '10.0.2.4'] } })).toEqual([
      {
        path: 'addressPlan.domainControllerIps[1]',
        message: '"10.0.2.4" is already used by domainControllerIps[0] (DC-01); the two domain controllers need two addresses',
      },
    ]);
    expect(configIssues({ addressPlan: { domainControllerIps: ['10.0.2.4'] } })).toEqual([
      { path: 'addressPlan.domainControllerIps', message: 'has 1 addresses; exactly 2 are needed (DC-01 and DC-02)' },
    ]);
  });

  test("the schema's defaults are the construct's constants", () => {
    expect(domainSchema.parse({})).toEqual({
      name: DomainServices.DEFAULT_DOMAIN_NAME,
      netbiosName: DomainServices.DEFAULT_NETBIOS_NAME,
      adminUsername: DomainServices.DEFAULT_ADMIN_USERNAME,
      controllerSize: DomainServices.DEFAULT_CONTROLLER_SIZE,
      dataDiskSizeGb: DomainServices.DEFAULT_DATA_DISK_SIZE_GB,
      privateDnsZoneName: DomainServices.DEFAULT_PRIVATE_DNS_ZONE_NAME,
    });
  });
});

describe('MetashapeScheduler and ProcessingNodes: one rule for the props and the compute section', () => {
  const metashape = { version: '2.1.3', linuxInstallerUrl: 'https://e.com/m.tar.gz', windowsInstallerUrl: 'https://e.com/m.msi' };
  test.each([
    [
      'nodes.count',
      () => processingNodesIssues({ metashape }, 'linux', -1, ProcessingNodes.DEFAULT_SIZE),
      { compute: { nodes: { count: -1 } } },
      'compute.nodes.count',
      /-1 is not allowed; use 0–100/,
    ],
    [
      'nodes.osDiskSizeGb',
      () => processingNodesIssues({ metashape, osDiskSizeGb: 20 }, 'linux', 1, ProcessingNodes.DEFAULT_SIZE),
      { compute: { nodes: { osDiskSizeGb: 20 } } },
      'compute.nodes.osDiskSizeGb',
      /20 is not allowed; use 30–4095 GiB/,
    ],
    [
      'nodes.autoscale.startHour',
      () => processingNodesIssues({ metashape, autoscale: { enabled: true, startHour: 24 } }, 'linux', 1, ProcessingNodes.DEFAULT_SIZE),
      { compute: { nodes: { autoscale: { enabled: true, startHour: 24 } } } },
      'compute.nodes.autoscale.startHour',
      /24 is not an hour; use 0–23/,
    ],
    [
      'schedulerSize',
      () => metashapeSchedulerIssues({ metashape, size: 'D8s_v5' }),
      { compute: { scheduler: { size: 'D8s_v5' } } },
      'compute.scheduler.size',
      /"D8s_v5" is not an Azure VM size/,
    ],
    [
      'metashape.version',
      () => metashapeSchedulerIssues({ metashape: { ...metashape, version: 'latest' } }),
      { compute: { metashape: { version: 'latest' } } },
      'compute.metashape.version',
      /"latest" is not a version such as "2.1.3"/,
    ],
  ] as const)('%s', (prop, rule, config, field, message) => {
    expect(rule()).toContainEqual({ path: prop, message: expect.stringMatching(message) });
    // Reported once although the scheduler and the nodes both check the Metashape options.
    expect(configIssues(config).filter((i) => i.path === field)).toEqual([{ path: field, message: expect.stringMatching(message) }]);
  });

  test("the compute schema's defaults are the constructs' constants", () => {
    const c = computeSchema.parse({});
    expect(c.scheduler.size).toBe(MetashapeScheduler.DEFAULT_SIZE);
    expect(c.nodes).toMatchObject({
      count: ProcessingNodes.DEFAULT_COUNT,
      size: ProcessingNodes.DEFAULT_SIZE,
      osDiskSizeGb: ProcessingNodes.DEFAULT_OS_DISK_SIZE_GB,
      image: ProcessingNodes.DEFAULT_IMAGE,
    });
  });
});

describe('every problem in one run', () => {
  test('a schema error, a cross-field error and a construct-rule error in one file are reported together', () => {
    const issues = configIssues({
      namePrefix: 'PGM', // schema
      addressPlan: { schedulerIp: '10.0.2.9' }, // cross-field: outside the compute subnet
      domain: { dataDiskSizeGb: 2048 }, // DomainServices' rule
    });
    expect(issues.map((i) => i.path)).toEqual(['namePrefix', 'addressPlan.schedulerIp', 'domain.dataDiskSizeGb']);
  });

  test('a check that reads a field the schema refused is skipped; the others still run', () => {
    // computeSubnet is not a string: the address plan check would judge the default subnet, so it is skipped.
    const issues = configIssues({ addressPlan: { computeSubnet: 5, schedulerIp: '10.0.9.9' }, domain: { netbiosName: 'SYSTEM' } });
    expect(issues.map((i) => i.path)).toEqual(['addressPlan.computeSubnet', 'domain.netbiosName']);
  });

  test('unknown fields, a missing required field and a bad list element still let the other checks run', () => {
    const issues = configIssues({
      domain: { nam: 'x', dataDiskSizeGb: 4 },
      backend: { type: 'azurerm', resourceGroupName: 'rg' },
      network: { dnsServers: ['dc01'] },
    });
    expect(issues.map((i) => i.path).sort()).toEqual(
      ['backend.containerName', 'backend.storageAccountName', 'domain.nam', 'network.dnsServers[0]', 'domain.dataDiskSizeGb'].sort(),
    );
  });
});
