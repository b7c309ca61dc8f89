/**
 * The validator against real cdktf output: stacks built from real provider
 * classes (deep imports only) and synthesized with `Testing.synth` validate
 * with no problems, including the expressions cdktf generates for functions,
 * iterators, dynamic blocks, conditionals and cross-stack references; and
 * escape-hatch mistakes in such stacks are found.
 */
import { DataAzurermClientConfig } from '@cdktf/provider-azurerm/lib/data-azurerm-client-config';
import { KeyVault } from '@cdktf/provider-azurerm/lib/key-vault';
import { KeyVaultSecret } from '@cdktf/provider-azurerm/lib/key-vault-secret';
import { LinuxVirtualMachine } from '@cdktf/provider-azurerm/lib/linux-virtual-machine';
import { NetworkInterface } from '@cdktf/provider-azurerm/lib/network-interface';
import { NetworkSecurityGroup } from '@cdktf/provider-azurerm/lib/network-security-group';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { Subnet } from '@cdktf/provider-azurerm/lib/subnet';
import { VirtualNetwork } from '@cdktf/provider-azurerm/lib/virtual-network';
import { Password } from '@cdktf/provider-random/lib/password';
import { RandomProvider } from '@cdktf/provider-random/lib/provider';
import {
  App,
  conditional,
  DataTerraformRemoteStateLocal,
  Fn,
  Op,
  TerraformIterator,
  TerraformLocal,
  TerraformOutput,
  TerraformStack,
  TerraformVariable,
  Testing,
  Token,
} from 'cdktf';
import { Construct } from 'constructs';
import { formatProblem } from '../../src/validation/problems';
import { summary, validate } from './fixtures';

/** A network stack using a broad sample of cdktf features. */
class NetworkStack extends TerraformStack {
  readonly subnet: Subnet;
  readonly rg: ResourceGroup;
  readonly vnet: VirtualNetwork;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AzurermProvider(this, 'azurerm', { features: [{}] });
    new AzurermProvider(this, 'azurerm-west', { alias: 'west', features: [{ keyVault: [{ purgeSoftDeleteOnDestroy: false }] }] });
    const names = new TerraformVariable(this, 'subnet_names', { type: 'list(string)', default: ['a', 'b'] });
    const env = new TerraformVariable(this, 'environment', { type: 'string', default: 'dev' });
    this.rg = new ResourceGroup(this, 'resource-group', { name: `rg-${env.stringValue}`, location: 'eastus', tags: { env: env.stringValue } });
    const prefix = new TerraformLocal(this, 'prefix', Fn.join('-', [this.rg.name, 'pgm']));
    this.vnet = new VirtualNetwork(this, 'vnet', {
      name: `${prefix.asString}-vnet`,
      location: this.rg.location,
      resourceGroupName: this.rg.name,
      addressSpace: ['10.0.0.0/16'],
      subnet: [{ name: 'cache', addressPrefixes: ['10.0.1.0/24'] }],
      dependsOn: [this.rg],
      lifecycle: { ignoreChanges: ['tags'], replaceTriggeredBy: [this.rg.id] },
      flowTimeoutInMinutes: Token.asNumber(conditional(Op.eq(env.stringValue, 'prod'), 20, 10)),
    });
    this.subnet = new Subnet(this, 'compute-subnet', {
      name: 'compute',
      resourceGroupName: this.rg.name,
      virtualNetworkName: this.vnet.name,
      addressPrefixes: [Fn.cidrsubnet(Fn.element(this.vnet.addressSpace, 0), 8, 2)],
      delegation: [
        { name: 'batch', serviceDelegation: { name: 'Microsoft.Batch/batchAccounts', actions: ['Microsoft.Network/virtualNetworks/subnets/action'] } },
      ],
    });
    const it = TerraformIterator.fromList(names.listValue);
    const perName = new Subnet(this, 'per-name', {
      forEach: it,
      name: it.value,
      resourceGroupName: this.rg.name,
      virtualNetworkName: this.vnet.name,
      addressPrefixes: [Fn.cidrsubnet('10.0.0.0/16', 8, Token.asNumber(Fn.index(names.listValue, it.value)))],
    });
    const rules = TerraformIterator.fromList(names.listValue);
    new NetworkSecurityGroup(this, 'nsg', {
      name: 'nsg',
      location: this.rg.location,
      resourceGroupName: this.rg.name,
      provider: undefined,
      securityRule: rules.dynamic({ name: rules.value, priority: 100, direction: 'Inbound', access: 'Allow', protocol: 'Tcp' }),
    });
    new TerraformOutput(this, 'subnet_ids', { value: TerraformIterator.fromResources(perName).pluckProperty('id') });
    new TerraformOutput(this, 'vnet_guid', { value: this.vnet.guid, sensitive: true });
    new TerraformOutput(this, 'first_subnet', { value: Fn.lookup(Fn.element(this.vnet.subnet, 0), 'id', '') });
  }
}

/** A compute stack that refers to the network stack (cdktf turns that into remote state). */
class ComputeStack extends TerraformStack {
  constructor(scope: Construct, id: string, network: NetworkStack) {
    super(scope, id);
    new AzurermProvider(this, 'azurerm', { features: [{}] });
    new RandomProvider(this, 'random');
    const client = new DataAzurermClientConfig(this, 'client');
    const password = new Password(this, 'admin-password', { length: 24, special: true, minNumeric: 2 });
    const vault = new KeyVault(this, 'vault', {
      name: 'kv-pgm',
      location: network.rg.location,
      resourceGroupName: network.rg.name,
      tenantId: client.tenantId,
      skuName: 'standard',
      accessPolicy: [{ tenantId: client.tenantId, objectId: client.objectId, secretPermissions: ['Get', 'Set'] }],
    });
    new KeyVaultSecret(this, 'admin-secret', { name: 'admin', value: password.result, keyVaultId: vault.id });
    const nic = new NetworkInterface(this, 'nic', {
      name: 'nic',
      location: network.rg.location,
      resourceGroupName: network.rg.name,
      ipConfiguration: [{ name: 'ip', subnetId: network.subnet.id, privateIpAddressAllocation: 'Dynamic' }],
    });
    const keys = new TerraformVariable(this, 'ssh_keys', { type: 'list(string)', default: [] });
    const keyIt = TerraformIterator.fromList(keys.listValue);
    new LinuxVirtualMachine(this, 'jumpbox', {
      name: 'jumpbox',
      location: network.rg.location,
      resourceGroupName: network.rg.name,
      size: 'Standard_B2s',
      adminUsername: 'azureuser',
      adminPassword: password.result,
      disablePasswordAuthentication: false,
      networkInterfaceIds: [nic.id],
      osDisk: { caching: 'ReadWrite', storageAccountType: 'Standard_LRS' },
      sourceImageReference: { publisher: 'Canonical', offer: 'ubuntu-24_04-lts', sku: 'server', version: 'latest' },
      // dynamic() copies keys verbatim, so they must be Terraform names
      adminSshKey: keyIt.dynamic({ username: 'azureuser', public_key: keyIt.value }),
    });
    const shared = new DataTerraformRemoteStateLocal(this, 'shared', { path: '../shared.tfstate' });
    new TerraformOutput(this, 'shared_value', { value: shared.getString('value') });
  }
}

function synthApp(): { network: unknown; compute: unknown } {
  const app: App = Testing.app();
  const network = new NetworkStack(app, 'network');
  const compute = new ComputeStack(app, 'compute', network);
  // Cross-stack references are resolved when the app synthesizes; Testing.synth then sees them.
  app.synth();
  return { network: JSON.parse(Testing.synth(network)), compute: JSON.parse(Testing.synth(compute)) };
}

describe('real cdktf output', () => {
  const { network, compute } = synthApp();

  test('a stack with functions, iterators, dynamic blocks, conditionals, aliases and outputs has no problems', () => {
    expect(validate(network).map(formatProblem)).toEqual([]);
  });

  test('a stack with cross-stack references (remote state), data sources and random_password has no problems', () => {
    const json = compute as { data?: { terraform_remote_state?: object } };
    expect(Object.keys(json.data?.terraform_remote_state ?? {})).toContain('cross-stack-reference-input-network');
    expect(validate(compute).map(formatProblem)).toEqual([]);
  });

  test('escape-hatch mistakes in a synthesized stack are found', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'broken');
    new AzurermProvider(stack, 'azurerm', { features: [{}] });
    const rg = new ResourceGroup(stack, 'rg', { name: 'rg', location: 'eastus' });
    const vnet = new VirtualNetwork(stack, 'vnet', { name: 'vnet', location: rg.location, resourceGroupName: rg.name });
    vnet.addOverride('adress_space', ['10.0.0.0/16']);
    vnet.addOverride('subnet', [{ name: 'a', addressPrefixes: ['10.0.1.0/24'] }]);
    rg.addOverride('location', '${azurerm_resource_group.other.location}');
    const json = JSON.parse(Testing.synth(stack));
    expect(summary(validate(json))).toEqual([
      'undeclared-resource resource.azurerm_resource_group.rg.location',
      'unsupported-argument resource.azurerm_virtual_network.vnet',
      'unsupported-argument resource.azurerm_virtual_network.vnet.subnet[0]',
    ]);
    expect(validate(json)[1].message).toBe('unsupported argument "adress_space" (did you mean "address_space"?)');
  });
});
