import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CONFIG_ENV_VAR, loadConfig, parseConfig, readConfigFile } from '../../src/config/load';
import { InputError } from '../../src/errors';
import { DEFAULT_ADDRESS_PLAN } from '../../src/net/address-plan';

const writeJson = (value: unknown, raw?: string) => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pgm-config-')), 'env.json');
  fs.writeFileSync(file, raw ?? JSON.stringify(value));
  return file;
};

/** The issues of an input that must fail. */
const issuesOf = (input: unknown) => {
  try {
    parseConfig(input);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as InputError).issues;
  }
  throw new Error('expected the configuration to be refused');
};

describe('configuration defaults', () => {
  test('an empty file gives the seed reference deployment', () => {
    const config = parseConfig({});
    expect(config.addressPlan).toEqual(DEFAULT_ADDRESS_PLAN);
    expect(config).toMatchObject({
      namePrefix: 'pgm',
      location: 'eastus',
      backend: { type: 'local', stateDirectory: '.' },
      network: { adminSourceCidrs: [], dnsServers: [] },
      storage: { avere: { nodeCount: 3 } },
      tags: { workload: 'photogrammetry', 'managed-by': 'cdktf' },
    });
  });

  test('a partial file overrides only what it names; tags merge over the defaults', () => {
    const config = parseConfig({
      location: 'westeurope',
      tags: { env: 'prod' },
      addressPlan: { schedulerIp: '10.0.1.100' },
      network: { adminSourceCidrs: ['203.0.113.0/24'] },
    });
    expect(config.location).toBe('westeurope');
    expect(config.addressPlan).toEqual({ ...DEFAULT_ADDRESS_PLAN, schedulerIp: '10.0.1.100' });
    expect(config.tags).toEqual({ workload: 'photogrammetry', 'managed-by': 'cdktf', env: 'prod' });
    expect(config.network.adminSourceCidrs).toEqual(['203.0.113.0/24']);
  });

  test('azurerm backend gets a key prefix and Entra ID auth by default', () => {
    const config = parseConfig({
      backend: { type: 'azurerm', resourceGroupName: 'rg-tfstate', storageAccountName: 'sttfstate01', containerName: 'tfstate' },
    });
    expect(config.backend).toEqual({
      type: 'azurerm',
      resourceGroupName: 'rg-tfstate',
      storageAccountName: 'sttfstate01',
      containerName: 'tfstate',
      keyPrefix: 'photogrammetry',
      useOidc: false,
      useAzureadAuth: true,
    });
  });
});

describe('configuration errors name the field and what is allowed', () => {
  test.each([
    [{ namePrefix: 'PGM' }, 'namePrefix', /2–10 lowercase letters or digits/],
    [{ location: 'West Eurpoe' }, 'location', /"West Eurpoe" is not an Azure region; did you mean "westeurope"/],
    [{ subscriptionId: 'abc' }, 'subscriptionId', /expected a GUID/],
    [{ addressPlan: { jumpboxSubnet: 5 } }, 'addressPlan.jumpboxSubnet', /expected a string; got 5/],
    [{ addressPlan: { schedulerIp: '10.0.1' } }, 'addressPlan.schedulerIp', /expected an IPv4 address/],
    [{ addressPlan: { computeSubnet: '10.9.1.0/24' } }, 'addressPlan.computeSubnet', /not inside photoscanVnet/],
    [{ network: { adminSourceCidrs: ['*'] } }, 'network.adminSourceCidrs[0]', /refused/],
    [{ network: { dnsServers: ['dc01'] } }, 'network.dnsServers[0]', /IPv4 address/],
    [{ storage: { avere: { nodeCount: 2 } } }, 'storage.avere.nodeCount', /at least 3 nodes/],
    [{ storage: { avere: { nodeCount: 17 } } }, 'storage.avere.nodeCount', /at most 16 nodes/],
    [{ backend: { type: 's3' } }, 'backend.type', /azurerm|local/],
    [{ backend: { type: 'azurerm', resourceGroupName: 'rg' } }, 'backend.storageAccountName', /is required/],
    [{ tags: { 'a<b': 'x' } }, 'tags.a<b', /tag name/],
    [{ adminCidrs: [] }, 'adminCidrs', /unknown field/],
    [{ addressPlan: { jumpboxSubnett: '10.0.0.0/24' } }, 'addressPlan.jumpboxSubnett', /unknown field/],
  ] as const)('%j → %s', (input, field, message) => {
    expect(issuesOf(input)).toContainEqual({ path: field, message: expect.stringMatching(message) });
  });

  test('the error message lists every issue, one per line, without a stack trace in the text', () => {
    try {
      parseConfig({ network: { adminSourceCidrs: ['0.0.0.0/0'] }, addressPlan: { schedulerIp: '10.0.2.9' } }, 'configuration file prod.json');
      throw new Error('not refused');
    } catch (e) {
      expect((e as Error).message).toBe(
        [
          'Invalid configuration file prod.json:',
          '  - addressPlan.schedulerIp: "10.0.2.9" is outside computeSubnet "10.0.1.0/24"',
          '  - network.adminSourceCidrs[0]: "0.0.0.0/0" opens RDP/SSH to the whole Internet and is refused; name your admin networks, e.g. "203.0.113.0/24" or "198.51.100.7"',
        ].join('\n'),
      );
    }
  });
});

describe('loading the file', () => {
  test(`${CONFIG_ENV_VAR} names the file; it wins over the cdktf context`, () => {
    const fromEnv = writeJson({ location: 'northeurope' });
    const fromContext = writeJson({ location: 'westus3' });
    expect(loadConfig({ env: { [CONFIG_ENV_VAR]: fromEnv }, contextFile: fromContext }).location).toBe('northeurope');
    expect(loadConfig({ env: {}, contextFile: fromContext }).location).toBe('westus3');
    expect(loadConfig({ env: {} }).location).toBe('eastus');
  });

  test('unreadable, non-JSON and non-object files are refused with the file named', () => {
    expect(() => readConfigFile('/nonexistent/env.json')).toThrow(/Invalid configuration file \/nonexistent\/env.json:\n {2}- \(file\): cannot be read/);
    expect(() => readConfigFile(writeJson(undefined, '{ "location": '))).toThrow(/\(file\): is not valid JSON/);
    // line:column, not a character offset, in the source and the message
    const broken = writeJson(undefined, '{\n  "location": "westeurope",\n  "namePrefix": "pgm",,\n}\n');
    expect(() => readConfigFile(broken)).toThrow(
      new RegExp(`Invalid configuration file ${broken.replace(/[.*+?^$()|[\]\\]/g, '\\$&')}:3:23:\n {2}- \\(file\\): is not valid JSON: line 3, column 23: `),
    );
    expect(() => readConfigFile(writeJson([1]))).toThrow(/\(root\): must be a JSON object/);
  });
});

describe('tags are free text: Terraform template sequences in them stay literal', () => {
  test('values with ${ or %{ are escaped on every resource and pass the offline validation', () => {
    const { synthApp, resourcesOf } = require('../support/synth') as typeof import('../support/synth');

    const { validateOutdirDetailed } = require('../../src/validation') as typeof import('../../src/validation');
    const app = synthApp({ tags: { note: '%{~])Y{e) and ${var.x}' } });
    expect(validateOutdirDetailed(app.outdir).problems).toEqual([]);
    const [[, rg]] = resourcesOf(app.stacks.network, 'azurerm_resource_group');
    expect(rg.tags.note).toBe('%%{~])Y{e) and $${var.x}');
  });

  test('a tag name with ${ is refused', () => {
    expect(() => parseConfig({ tags: { '${x}': 'v' } })).toThrow(/tags.\$\{x\}: tag name "\$\{x\}" must not contain "\$\{"/);
  });
});
