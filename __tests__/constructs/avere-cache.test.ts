import { Password } from '@cdktf/provider-random/lib/password';
import { TerraformStack } from 'cdktf';
import { AvereCache, AvereCacheProps } from '../../constructs/avere-cache';
import { CoreFiler } from '../../constructs/core-filer';
import { ensureRandomProvider } from '../../constructs/providers';
import { HpcNetwork } from '../../constructs/hpc-network';
import { DEFAULT_ADDRESS_PLAN } from '../../src/net/address-plan';
import { parseConfig } from '../../src/config/load';
import { AvereVfxt, AVERE_SCHEMA_INDEX } from '../../src/providers/avere';
import { Naming } from '../../src/naming';
import { validateOutdirDetailed } from '../../src/validation';
import { resourcesOf, synthApp, synthInStack } from '../support/synth';

// The avere provider accepts only "ssh-rsa AAAA… user@host" for vfxt_ssh_key_data.
const KEY =
  'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7MQshdNYaze3sW7nmjkZziXiIVL63olY+5UQiA3IpIqE5mK0lYG0lmh9/AGGZfG2nRIuMNA1SgYCUqy72s8QPnUi5yekJlWlbYyu73itfno1rBNGo30xmQemgeQ2Yxmcd3KUcMIOnXYlaIuuyTHshrgXwQv5h0M0QFpr6w629kJ+veEbB0F7xEEy2BM0xfC4GaEV1AGIfo93goQkakvn46cqHg6Amwv+mQfpVqF1yCkkgOqYy7CBdtZXbtdhxOyf0cbAIG//ziveHsgLVyendux0kk4iOIBaiCDgd88kVgzhvhaDqsLYHIt12bE/hAj0bC0y/tl95xOzv384ErdfD vfx@example';
const ED25519 = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGk1pXYlNXdSgHCM2ZcGzvJJ8uk6HMiyDf9P4tyXQY1u me@example';
const app = synthApp({ adminSshPublicKey: KEY, storage: { backend: 'avere', avere: { acceptMarketplaceTerms: true } } });
const storage = app.stacks.storage;
const only = (type: string) => {
  const all = resourcesOf(storage, type);
  expect(all).toHaveLength(1);
  return all[0][1];
};

describe('core filer', () => {
  test('GPv2, LRS, hot, HTTPS only, TLS 1.2, no public blobs, firewall default Deny + the cache subnet, soft delete + versioning, prevent_destroy', () => {
    expect(only('azurerm_storage_account')).toMatchObject({
      account_kind: 'StorageV2',
      account_tier: 'Standard',
      account_replication_type: 'LRS',
      access_tier: 'Hot',
      https_traffic_only_enabled: true,
      min_tls_version: 'TLS1_2',
      allow_nested_items_to_be_public: false,
      network_rules: { default_action: 'Deny', bypass: ['AzureServices'], virtual_network_subnet_ids: [expect.stringMatching(/cache-subnet.*id\}$/)] },
      blob_properties: { versioning_enabled: true, delete_retention_policy: { days: 7 }, container_delete_retention_policy: { days: 7 } },
      lifecycle: { prevent_destroy: true },
      tags: expect.objectContaining({ stack: 'storage' }),
    });
    expect(only('azurerm_storage_account').name).toMatch(/^stpgmfiler\$\{random_string\.[\w-]+\.result\}$/);
  });

  test('private data and home containers, protected from destroy', () => {
    const containers = resourcesOf(storage, 'azurerm_storage_container').map(([, c]) => c);
    expect(containers.map((c) => c.name).sort()).toEqual(['data', 'home']);
    for (const c of containers)
      expect(c).toMatchObject({
        container_access_type: 'private',
        lifecycle: { prevent_destroy: true },
        storage_account_id: expect.stringMatching(/azurerm_storage_account/),
      });
  });

  test('preventDestroy: false turns the protection off', () => {
    const a = synthApp({ adminSshPublicKey: KEY, storage: { backend: 'avere', coreFiler: { preventDestroy: false } } });
    expect(resourcesOf(a.stacks.storage, 'azurerm_storage_account')[0][1].lifecycle).toEqual({ prevent_destroy: false });
  });
});

describe('Avere vFXT', () => {
  test('Marketplace terms for the controller and node images (acceptMarketplaceTerms: true)', () => {
    const terms = resourcesOf(storage, 'azurerm_marketplace_agreement').map(([, t]) => t);
    expect(terms).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ publisher: 'microsoft-avere', offer: 'vfxt', plan: 'avere-vfxt-controller' }),
        expect.objectContaining({ publisher: 'microsoft-avere', offer: 'vfxt', plan: 'avere-vfxt-node' }),
      ]),
    );
  });

  test('controller: Marketplace image with plan, SSH key only, no public IP, system identity, encryption at host, boot diagnostics', () => {
    const vm = only('azurerm_linux_virtual_machine');
    expect(vm).toMatchObject({
      size: 'Standard_A1_v2',
      disable_password_authentication: true,
      admin_ssh_key: [{ username: 'azureuser', public_key: KEY }],
      source_image_reference: { publisher: 'microsoft-avere', offer: 'vfxt', sku: 'avere-vfxt-controller', version: 'latest' },
      plan: { name: 'avere-vfxt-controller', product: 'vfxt', publisher: 'microsoft-avere' },
      identity: { type: 'SystemAssigned' },
      encryption_at_host_enabled: true,
      boot_diagnostics: {},
    });
    expect(vm.admin_password).toBeUndefined();
    expect(vm.depends_on).toHaveLength(2);
    expect(resourcesOf(storage, 'azurerm_public_ip')).toEqual([]);
    expect(only('azurerm_network_interface').ip_configuration[0]).toMatchObject({
      private_ip_address_allocation: 'Dynamic',
      subnet_id: expect.stringMatching(/cache-subnet/),
    });
  });

  test('controller roles: Avere Contributor, User Access Administrator and VM Contributor on its own group, Avere Contributor on the cache subnet; nothing on the network group', () => {
    const roles = resourcesOf(storage, 'azurerm_role_assignment').map(([, r]) => [
      r.role_definition_name,
      /cache-subnet/.test(r.scope) ? 'cache subnet' : /remote_state/.test(r.scope) ? 'network' : 'cluster',
    ]);
    expect(roles.sort()).toEqual([
      ['Avere Contributor', 'cache subnet'],
      ['Avere Contributor', 'cluster'],
      ['User Access Administrator', 'cluster'],
      ['Virtual Machine Contributor', 'cluster'],
    ]);
  });

  test('cluster: 3 nodes, 4096 GB cache, vservers 10.1.0.17 × 4, /data and /home junctions on the Blob containers, DCs as DNS, password by reference', () => {
    const vfxt = only('avere_vfxt');
    expect(vfxt).toMatchObject({
      vfxt_cluster_name: 'vfxt',
      vfxt_node_count: 3,
      node_size: 'prod_sku',
      node_cache_size: 4096,
      vserver_first_ip: '10.1.0.17',
      vserver_ip_count: 4,
      dns_server: '10.0.2.4 10.0.2.5',
      dns_domain: 'photoscan.local',
      controller_admin_username: 'azureuser',
      vfxt_ssh_key_data: KEY,
    });
    expect(vfxt.azure_storage_filer.map((f: { junction_namespace_path: string }) => f.junction_namespace_path)).toEqual(['/data', '/home']);
    expect(vfxt.vfxt_admin_password).toMatch(/^\$\{data\.terraform_remote_state\.[\w-]+\.outputs\.[\w-]+vfxt-admin-password[\w-]+result\}$/);
    expect(vfxt.controller_address).toMatch(/azurerm_network_interface\.avere_controller-nic_\w+\.private_ip_address/);
    expect(storage.terraform?.required_providers).toMatchObject({ avere: { source: 'hashicorp/avere', version: '~> 1.3' } });
  });

  test('publishes the vserver addresses as the round-robin name vfxt in the private zone', () => {
    expect(only('azurerm_private_dns_a_record')).toMatchObject({ name: 'vfxt', ttl: 60, records: ['10.1.0.17', '10.1.0.18', '10.1.0.19', '10.1.0.20'] });
  });

  test('synth warns that Avere vFXT is retired and names the alternatives', () => {
    expect(app.manifest.stacks.storage.annotations).toEqual([
      expect.objectContaining({
        level: '@cdktf/warn',
        message: expect.stringMatching(
          /^\[pgm:avere-cache:retired\] AvereCache: .*retired on 2025-09-30.*Azure Managed Lustre.*Azure NetApp Files.*BeeGFS.* In the configuration file: "storage": \{ "backend": "managed-lustre" \}/,
        ),
      }),
    ]);
  });

  test('the app passes the offline validation, avere_vfxt included', () => {
    expect(validateOutdirDetailed(app.outdir).problems).toEqual([]);
  });
});

describe('avere binding', () => {
  test('typed props come out as snake_case attributes the schema knows', () => {
    const json = synthInStack((stack) => {
      new AvereVfxt(stack, 'c', {
        location: 'eastus',
        azureResourceGroup: 'rg',
        azureNetworkResourceGroup: 'nrg',
        azureNetworkName: 'vnet',
        azureSubnetName: 'snet',
        vfxtClusterName: 'vfxt',
        vfxtAdminPassword: '${var.pw}',
        vfxtNodeCount: 3,
        azureStorageFiler: [{ accountName: 'st', containerName: 'data', junctionNamespacePath: '/data' }],
      });
    });
    const [[, c]] = resourcesOf(json, 'avere_vfxt');
    for (const key of Object.keys(c).filter((k) => k !== '//' && k !== 'azure_storage_filer'))
      expect(AVERE_SCHEMA_INDEX.resources.avere_vfxt.attributes).toHaveProperty(key);
    expect(c.azure_storage_filer).toEqual([{ account_name: 'st', container_name: 'data', junction_namespace_path: '/data' }]);
  });

  test('an argument outside the schema fails at synth', () => {
    expect(() =>
      synthInStack((stack) => {
        new AvereVfxt(stack, 'c', {
          location: 'x',
          azureResourceGroup: 'a',
          azureNetworkResourceGroup: 'b',
          azureNetworkName: 'c',
          azureSubnetName: 'd',
          vfxtClusterName: 'e',
          vfxtAdminPassword: 'f',
          vfxtNodeCount: 3,
          bogusSetting: 1,
        } as never);
      }),
    ).toThrow(/bogusSetting \(bogus_setting\) is not an argument of the avere provider's schema/);
  });
});

describe('bad input → an error naming the field', () => {
  function build(props: Partial<AvereCacheProps>) {
    return synthInStack((stack: TerraformStack) => {
      ensureRandomProvider(stack);
      const pw = new Password(stack, 'pw', { length: 24 }).result;
      const coreFiler = new CoreFiler(stack, 'filer', {
        naming: new Naming('pgm'),
        location: 'eastus',
        resourceGroupName: 'rg',
        containers: { data: 'data', home: 'home' },
      });
      new AvereCache(stack, 'avere', {
        naming: new Naming('pgm'),
        location: 'eastus',
        resourceGroupName: 'rg',
        resourceGroupId: '/subscriptions/x/resourceGroups/rg',
        network: HpcNetwork.fromHpcNetworkAttributes(stack, 'net', {
          resourceGroupName: 'nrg',
          resourceGroupId: '/subscriptions/x/resourceGroups/nrg',
          location: 'eastus',
          photoscanVnetId: 'pvid',
          photoscanVnetName: 'pvnet',
          storageVnetId: 'svid',
          storageVnetName: 'vnet',
          addressPlan: DEFAULT_ADDRESS_PLAN,
          subnets: { cache: { id: 'sid', name: 'snet', cidr: '10.1.0.0/24', nsgName: 'nsg', nsgId: 'nsgid' } },
        }),
        coreFiler,
        vserverFirstIp: '10.1.0.17',
        adminPassword: pw,
        sshPublicKey: KEY,
        ...props,
      });
    });
  }
  test('valid props synthesize', () => expect(() => build({})).not.toThrow());
  test.each([
    [{ nodeCount: 2 }, /nodeCount: 2 is not allowed; Avere vFXT runs 3–16 nodes/],
    [{ nodeCount: 17 }, /nodeCount: 17/],
    [{ nodeCacheSizeGb: 2048 }, /nodeCacheSizeGb: 2048 is not allowed; use 1024, 4096, 8192/],
    [{ vserverFirstIp: '10.1.1.17' }, /vserverFirstIp: the vserver range from 10.1.1.17 \(4 addresses\) is outside the usable addresses of the cache subnet/],
    [{ vserverFirstIp: '10.1.0.252' }, /vserverFirstIp: .* is outside the usable addresses/],
    [{ vserverFirstIp: '10.1.0.8' }, /vserverFirstIp: the vserver range from 10.1.0.8 overlaps the addresses Azure assigns to the controller and the 3 nodes/],
    [{ nodeCount: 6, vserverCount: 4 }, /vserverCount: 4 vserver addresses for 6 nodes/],
    [{ vserverCount: 2 }, /vserverCount: 2 is not allowed; use 3–32/],
    [{ sshPublicKey: 'ssh-rsa AAAA' }, /sshPublicKey: .*expected an OpenSSH public key line/],
    [
      { sshPublicKey: ED25519 },
      /AvereCache props \(test\/avere\):\n {2}- sshPublicKey: is an ssh-ed25519 key; the Avere vFXT .* accepts only "ssh-rsa AAAA… user@host"/,
    ],
    [{ sshPublicKey: KEY.split(' ').slice(0, 2).join(' ') }, /sshPublicKey: has no comment \(user@host\)/],
    [{ deployerSourceCidrs: ['0.0.0.0/0'] }, /0\.0\.0\.0\/0/],
    [{ adminPassword: 'hunter2hunter2' }, /adminPassword: must be a Terraform reference/],
  ] as Array<[Partial<AvereCacheProps>, RegExp]>)('%j', (props, message) => expect(() => build(props)).toThrow(message));

  test.each([
    [{ storage: { avere: { nodeCount: 2 } } }, /storage.avere.nodeCount: Avere vFXT needs at least 3 nodes/],
    [{ storage: { avere: { nodeCacheSizeGb: 2000 } } }, /storage.avere.nodeCacheSizeGb: expected 1024, 4096 or 8192/],
    [
      { addressPlan: { cacheVserverFirstIp: '10.1.2.17' } },
      /addressPlan.cacheVserverFirstIp: vserver range 10.1.2.17–10.1.2.20 \(4 addresses\) must lie within/,
    ],
    [{ addressPlan: { cacheVserverFirstIp: '10.1.0.6' } }, /addressPlan.cacheVserverFirstIp: vserver range 10.1.0.6–10.1.0.9 overlaps 10.1.0.4–10.1.0.12/],
    [{ storage: { avere: { nodeCount: 6 } } }, /addressPlan.cacheVserverCount: 4 vserver addresses for a 6-node cache/],
    [{ storage: { coreFiler: { accountName: 'St-Filer' } } }, /storage.coreFiler.accountName: "St-Filer" is not a valid storage account name/],
    [{ storage: { coreFiler: { accountName: 'ab' } } }, /storage.coreFiler.accountName/],
    [{ storage: { coreFiler: { dataContainerName: 'Data' } } }, /storage.coreFiler.dataContainerName/],
  ])('config %j', (input, message) =>
    expect(() => parseConfig({ ...input, storage: { backend: 'avere', ...(input as { storage?: object }).storage } } as never)).toThrow(message),
  );
});
