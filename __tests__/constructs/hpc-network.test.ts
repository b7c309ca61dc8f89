import { Testing } from 'cdktf';
import { HpcNetwork, HpcNetworkProps } from '../../constructs/hpc-network';
import { InputError } from '../../src/errors';
import { DEFAULT_ADDRESS_PLAN } from '../../src/net/address-plan';
import { Naming } from '../../src/naming';
import { resourceNamed, resourcesOf, synthInStack, TfJson } from '../support/synth';

const baseProps: HpcNetworkProps = {
  naming: new Naming('pgm'),
  location: 'eastus',
  tags: { env: 'test' },
};

const synthNetwork = (props: Partial<HpcNetworkProps> = {}, extra?: (n: HpcNetwork) => void): TfJson =>
  synthInStack((stack) => {
    const network = new HpcNetwork(stack, 'net', { ...baseProps, ...props });
    extra?.(network);
  });

/** The rules of one NSG keyed by rule name, in priority order (cdktf sorts resources by logical id). */
const rulesOf = (json: TfJson, nsgLogicalRole: string) =>
  Object.fromEntries(
    resourcesOf(json, 'azurerm_network_security_rule')
      .filter(([, r]) => String(r.network_security_group_name).includes(`net_${nsgLogicalRole}-nsg_`))
      .sort(([, a], [, b]) => a.priority - b.priority)
      .map(([, r]) => [r.name as string, r]),
  );

describe('HpcNetwork', () => {
  const admins = ['203.0.113.0/24', '198.51.100.7'];
  const json = synthNetwork({ adminSourceCidrs: admins });

  test('two VNets with the seed address spaces', () => {
    expect(resourceNamed(json, 'azurerm_virtual_network', 'vnet-pgm-photoscan')).toMatchObject({
      address_space: ['10.0.0.0/16'],
      location: 'eastus',
      tags: { env: 'test' },
    });
    expect(resourceNamed(json, 'azurerm_virtual_network', 'vnet-pgm-storage').address_space).toEqual(['10.1.0.0/16']);
  });

  test('four subnets in the right VNets, each associated with its own NSG', () => {
    const subnets = resourcesOf(json, 'azurerm_subnet');
    expect(Object.fromEntries(subnets.map(([, s]) => [s.name, s.address_prefixes]))).toEqual({
      'snet-pgm-jumpbox': ['10.0.0.0/24'],
      'snet-pgm-compute': ['10.0.1.0/24'],
      'snet-pgm-ad': ['10.0.2.0/24'],
      'snet-pgm-cache': ['10.1.0.0/24'],
    });
    expect(resourceNamed(json, 'azurerm_subnet', 'snet-pgm-cache').virtual_network_name).toMatch(/azurerm_virtual_network\.net_storage-vnet_.*\.name/);
    expect(resourceNamed(json, 'azurerm_subnet', 'snet-pgm-ad').virtual_network_name).toMatch(/azurerm_virtual_network\.net_photoscan-vnet_.*\.name/);

    const associations = resourcesOf(json, 'azurerm_subnet_network_security_group_association');
    expect(associations).toHaveLength(4);
    for (const [logical] of subnets) {
      const matching = associations.filter(([, a]) => a.subnet_id === `\${azurerm_subnet.${logical}.id}`);
      expect(matching).toHaveLength(1);
      const role = logical.replace(/^net_(\w+)-subnet_.*/, '$1');
      expect(matching[0][1].network_security_group_id).toMatch(new RegExp(`azurerm_network_security_group\\.net_${role}-nsg_\\w+\\.id`));
    }
    expect(
      resourcesOf(json, 'azurerm_network_security_group')
        .map(([, n]) => n.name)
        .sort(),
    ).toEqual(['nsg-pgm-ad', 'nsg-pgm-cache', 'nsg-pgm-compute', 'nsg-pgm-jumpbox']);
  });

  test('peering both ways, VNet access only', () => {
    const peerings = resourcesOf(json, 'azurerm_virtual_network_peering').map(([, p]) => p);
    expect(peerings.map((p) => p.name)).toEqual(['peer-pgm-photoscan-to-storage', 'peer-pgm-storage-to-photoscan']);
    for (const p of peerings) {
      expect(p).toMatchObject({
        allow_virtual_network_access: true,
        allow_forwarded_traffic: false,
        allow_gateway_transit: false,
        use_remote_gateways: false,
      });
    }
    expect(peerings[0].virtual_network_name).toMatch(/photoscan-vnet/);
    expect(peerings[0].remote_virtual_network_id).toMatch(/storage-vnet/);
    expect(peerings[1].virtual_network_name).toMatch(/storage-vnet/);
    expect(peerings[1].remote_virtual_network_id).toMatch(/photoscan-vnet/);
  });

  test('jumpbox NSG: RDP and SSH from the admin CIDRs only, to the jumpbox subnet only', () => {
    const rules = rulesOf(json, 'jumpbox');
    expect(Object.keys(rules)).toEqual(['allow-rdp-from-admins', 'allow-ssh-from-admins', 'deny-management-from-others', 'deny-internet-inbound']);
    expect(rules['allow-rdp-from-admins']).toMatchObject({
      priority: 100,
      direction: 'Inbound',
      access: 'Allow',
      protocol: 'Tcp',
      destination_port_range: '3389',
      source_address_prefixes: ['203.0.113.0/24', '198.51.100.7/32'],
      destination_address_prefix: '10.0.0.0/24',
    });
    expect(rules['allow-ssh-from-admins']).toMatchObject({ priority: 110, destination_port_range: '22', destination_address_prefix: '10.0.0.0/24' });
    expect(rules['deny-management-from-others']).toMatchObject({
      priority: 4000,
      access: 'Deny',
      destination_port_ranges: ['22', '3389', '5985', '5986'],
      source_address_prefix: '*',
    });
    expect(rules['deny-internet-inbound']).toMatchObject({ priority: 4096, access: 'Deny', protocol: '*', source_address_prefix: 'Internet' });
  });

  test.each(['compute', 'ad', 'cache'])('%s NSG: management from the jumpbox subnet only, nothing from the Internet', (role) => {
    const rules = rulesOf(json, role);
    expect(Object.keys(rules)).toEqual(['allow-management-from-jumpbox', 'deny-management-from-others', 'deny-internet-inbound']);
    expect(rules['allow-management-from-jumpbox']).toMatchObject({
      access: 'Allow',
      source_address_prefix: '10.0.0.0/24',
      destination_port_ranges: ['22', '3389', '5985', '5986'],
    });
    expect(rules['deny-internet-inbound']).toMatchObject({ access: 'Deny', source_address_prefix: 'Internet', destination_port_range: '*' });
    // No Allow rule of any non-jumpbox NSG names an admin CIDR, `*` or Internet.
    for (const rule of Object.values(rules).filter((r) => r.access === 'Allow')) {
      expect([rule.source_address_prefix, ...(rule.source_address_prefixes ?? [])]).not.toEqual(expect.arrayContaining(['*', 'Internet', '203.0.113.0/24']));
    }
  });

  test('no admin CIDRs: no admin rule exists, and synth warns how to open access', () => {
    const app = Testing.app();
    const closed = synthNetwork({ adminSourceCidrs: [] });
    expect(Object.keys(rulesOf(closed, 'jumpbox'))).toEqual(['deny-management-from-others', 'deny-internet-inbound']);
    const { TerraformStack } = require('cdktf');
    const stack = new TerraformStack(app, 's');
    new HpcNetwork(stack, 'net', baseProps);
    Testing.synth(stack); // warnings are emitted at synth
    const warnings = stack.node
      .findAll()
      .flatMap((c: any) => c.node.metadata)
      .filter((m: any) => m.type === '@cdktf/warn');
    expect(warnings.map((w: any) => w.data)).toEqual([
      expect.stringMatching(/^\[pgm:hpc-network:no-admin-sources\] HpcNetwork: adminSourceCidrs is empty .*adminSourceCidrs prop/),
    ]);
    expect(warnings[0].data).not.toMatch(/configuration file/);
  });

  test('tags on the resource group, VNets and NSGs', () => {
    for (const type of ['azurerm_resource_group', 'azurerm_virtual_network', 'azurerm_network_security_group']) {
      for (const [, r] of resourcesOf(json, type)) expect(r.tags).toEqual({ env: 'test' });
    }
  });

  test('service endpoints for Key Vault and Storage network rules', () => {
    expect(resourceNamed(json, 'azurerm_subnet', 'snet-pgm-compute').service_endpoints).toEqual(['Microsoft.KeyVault', 'Microsoft.Storage']);
    expect(resourceNamed(json, 'azurerm_subnet', 'snet-pgm-cache').service_endpoints).toEqual(['Microsoft.Storage']);
    expect(resourceNamed(json, 'azurerm_subnet', 'snet-pgm-jumpbox').service_endpoints).toBeUndefined();
  });

  test('DNS servers: none by default; set on both VNets after the given dependencies', () => {
    expect(resourcesOf(json, 'azurerm_virtual_network_dns_servers')).toEqual([]);
    const withDns = synthNetwork({ dnsServers: ['10.0.2.4', '10.0.2.5'] });
    const dns = resourcesOf(withDns, 'azurerm_virtual_network_dns_servers').map(([, d]) => d);
    expect(dns).toHaveLength(2);
    expect(dns.map((d) => d.dns_servers)).toEqual([
      ['10.0.2.4', '10.0.2.5'],
      ['10.0.2.4', '10.0.2.5'],
    ]);
    expect(dns.map((d) => d.virtual_network_id)).toEqual([expect.stringMatching(/photoscan-vnet/), expect.stringMatching(/storage-vnet/)]);
  });

  test('exposes ids, names and the address plan as attributes', () => {
    synthInStack((stack) => {
      const network = new HpcNetwork(stack, 'net', baseProps);
      expect(network.addressPlan).toBe(DEFAULT_ADDRESS_PLAN);
      expect(network.subnet('compute').cidr).toBe('10.0.1.0/24');
      expect(network.subnet('cache').nsgName).toMatch(/\$\{TfToken/);
      for (const value of [network.photoscanVnetId, network.storageVnetName, network.resourceGroupName, network.subnet('ad').id]) {
        expect(typeof value).toBe('string');
      }
    });
  });

  test('allowInbound adds a validated rule; it refuses the Internet and reserved priorities at once, duplicates at synth naming both adders', () => {
    const rule = {
      name: 'allow-metashape',
      priority: 200,
      access: 'Allow',
      protocol: 'Tcp',
      ports: ['5840-5841'],
      sources: ['10.0.1.0/24'],
      description: 'Metashape',
    } as const;
    const withRule = synthNetwork({}, (n) => n.allowInbound('compute', rule));
    expect(rulesOf(withRule, 'compute')['allow-metashape']).toMatchObject({
      priority: 200,
      destination_port_range: '5840-5841',
      destination_address_prefix: '10.0.1.0/24',
    });
    synthInStack((stack) => {
      const n = new HpcNetwork(stack, 'net', baseProps);
      expect(() => n.allowInbound('compute', { ...rule, sources: ['Internet'] })).toThrow(
        /rule allow-metashape.sources: "Internet" would allow inbound traffic from the Internet/,
      );
      expect(() => n.allowInbound('compute', { ...rule, priority: 100 })).toThrow(/priority: 100 is not allowed; custom rules use 200–3999/);
    });
    const dup = () =>
      synthInStack((stack) => {
        const n = new HpcNetwork(stack, 'net', baseProps);
        n.allowInbound('compute', rule);
        n.allowInbound('compute', { ...rule, priority: 300 }, { scope: stack, id: 'mine' });
        n.allowInbound('compute', { ...rule, name: 'other' }, { scope: stack, id: 'other' });
      }, true);
    expect(dup).toThrow(
      /NSG of the compute subnet: rule name "allow-metashape" is used twice: "allow-metashape" \(added by test\/net\) and "allow-metashape" \(added by test\)/,
    );
    expect(dup).toThrow(/NSG of the compute subnet: priority 200 is used by "allow-metashape" \(added by test\/net\) and "other" \(added by test\)/);
  });

  test('subnets added through the network must lie in their VNet and overlap nothing (checked at synth, every problem at once)', () => {
    const bad = () =>
      synthInStack((stack) => {
        const n = new HpcNetwork(stack, 'net', baseProps);
        n.addSubnet(stack, 'lustre', { name: 'snet-lustre', vnet: 'storage', cidr: '10.1.0.0/25' });
        n.addSubnet(stack, 'outside', { name: 'snet-outside', vnet: 'storage', cidr: '10.9.0.0/24' });
      }, true);
    expect(bad).toThrow(/subnet "snet-lustre" "10\.1\.0\.0\/25" \(added by test\) overlaps subnet "snet-pgm-cache" "10\.1\.0\.0\/24" \(added by test\/net\)/);
    expect(bad).toThrow(/subnet "snet-outside" "10\.9\.0\.0\/24" \(added by test\) is not inside the storage VNet "10\.1\.0\.0\/16"/);
  });

  test('without the cache subnet (other backends) there is no cache subnet or NSG', () => {
    const json = synthNetwork({ cacheSubnet: false });
    expect(
      resourcesOf(json, 'azurerm_subnet')
        .map(([, s]) => s.name)
        .sort(),
    ).toEqual(['snet-pgm-ad', 'snet-pgm-compute', 'snet-pgm-jumpbox']);
    expect(resourcesOf(json, 'azurerm_network_security_group')).toHaveLength(3);
  });

  test.each([
    [{ adminSourceCidrs: ['0.0.0.0/0'] }, 'adminSourceCidrs[0]'],
    [{ addressPlan: { ...DEFAULT_ADDRESS_PLAN, adSubnet: '10.0.0.0/24' } }, 'addressPlan.adSubnet'],
    [{ dnsServers: ['dc01'] }, 'dnsServers[0]'],
    [{ tags: { 'x?': 'y' } }, 'tags.x?'],
  ] as const)('props are validated in the constructor: %j', (props, field) => {
    expect(() => synthNetwork(props as Partial<HpcNetworkProps>)).toThrow(InputError);
    expect(() => synthNetwork(props as Partial<HpcNetworkProps>)).toThrow(
      new RegExp(`Invalid HpcNetwork props \\(test/net\\):\\n  - ${field.replace(/[[\]?]/g, '\\$&')}: `),
    );
  });
});
