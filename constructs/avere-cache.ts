import { LinuxVirtualMachine } from '@cdktf/provider-azurerm/lib/linux-virtual-machine';
import { MarketplaceAgreement } from '@cdktf/provider-azurerm/lib/marketplace-agreement';
import { NetworkInterface } from '@cdktf/provider-azurerm/lib/network-interface';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { InputIssue, show, throwIfIssues } from '../src/errors';
import { avereSshKeyIssues } from '../src/identity/ssh-key';
import { SSH_PORT } from '../src/net/security-rules';
import { cacheDynamicAddressCount, VSERVER_COUNT_RANGE } from '../src/net/address-plan';
import { parseCidr, parseIpv4, usableRange } from '../src/net/cidr';
import { Naming } from '../src/naming';
import { AvereProvider, AvereVfxt } from '../src/providers/avere';
import { addressRange, avereFileSystem } from '../src/storage/file-systems';
import type { ISharedFileSystemBackend, SharedFileSystem } from '../src/storage/shared-file-system';
import type { CoreFiler } from './core-filer';
import type { IDomain } from './domain-services';
import type { IHpcNetwork } from './hpc-network';
import { withNormalizedLocation } from '../src/azure/regions';
import { warn, WARNING_IDS } from '../src/warnings';

/** The date Microsoft retired Avere vFXT for Azure. */
export const AVERE_RETIREMENT_DATE = '2025-09-30';

/** Marketplace plans (offer microsoft-avere:vfxt) whose terms must be accepted once per subscription. */
export const AVERE_MARKETPLACE_PLANS = ['avere-vfxt-controller', 'avere-vfxt-node'] as const;

/** Node cache sizes (GB) Avere vFXT offers. */
export const AVERE_NODE_CACHE_SIZES = [1024, 4096, 8192] as const;

/** Props of {@link AvereCache}. */
export interface AvereCacheProps {
  readonly naming: Naming;
  readonly location: string;
  /** Resource group of the cluster and its controller. */
  readonly resourceGroupName: string;
  readonly resourceGroupId: string;
  /** The network: the cache goes into its cache subnet (create it with `cacheSubnet: true`). */
  readonly network: IHpcNetwork;
  /** The Blob core filer; its `data` and `home` containers become the junctions `/data` and `/home`. */
  readonly coreFiler: CoreFiler;
  /** Cache nodes (3–16). @default 3 */
  readonly nodeCount?: number;
  /** Cache disk per node, GB (1024, 4096, 8192). @default 4096 */
  readonly nodeCacheSizeGb?: number;
  /** The avere provider's node SKU. @default "prod_sku" */
  readonly nodeSku?: 'prod_sku' | 'unsupported_test_SKU';
  /** Controller VM size. @default "Standard_A1_v2" */
  readonly controllerSize?: string;
  /** @default "vfxt" */
  readonly clusterName?: string;
  /** First of the consecutive vserver addresses in the cache subnet. @default the network's `addressPlan.cacheVserverFirstIp` */
  readonly vserverFirstIp?: string;
  /** Vserver addresses (3–32). @default the network's `addressPlan.cacheVserverCount`, else 4 */
  readonly vserverCount?: number;
  /** Cluster admin password: a Terraform reference (SecretsVault `password('vfxtAdmin').value`). */
  readonly adminPassword: string;
  /** Admin user of the controller. @default "azureuser" */
  readonly controllerAdminUsername?: string;
  /**
   * OpenSSH public key of the controller and the nodes (or a Terraform reference to one). The avere provider's
   * `vfxt_ssh_key_data` accepts only `ssh-rsa AAAA… user@host`: an RSA key with a comment (ed25519 is refused).
   */
  readonly sshPublicKey: string;
  /**
   * Accept the Marketplace terms of the controller and node images here (`azurerm_marketplace_agreement`, once per
   * subscription). Where they were accepted before, the agreement fails with "already exists – import": accept
   * them with `az vm image terms accept --urn microsoft-avere:vfxt:avere-vfxt-controller:latest` (and
   * `…:avere-vfxt-node:latest`) instead and leave this off.
   * @default false
   */
  readonly acceptMarketplaceTerms?: boolean;
  /**
   * Where Terraform runs (private CIDRs in the VNets, e.g. the runner subnet): the avere provider drives the cluster
   * over SSH to the controller's private address, so the cache subnet admits SSH from these (besides the jump box
   * subnet, which the baseline rules already admit).
   * @default [] — only the jump box subnet
   */
  readonly deployerSourceCidrs?: readonly string[];
  /** The domain: its DCs are the cache's DNS servers and its private zone gets the round-robin name. */
  readonly domain?: IDomain;
  /** Round-robin name published in the private zone. @default "vfxt" */
  readonly dnsName?: string;
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * The seed's shared file system: an Avere vFXT NFS cache (3–16 nodes and a
 * controller VM) over the Blob core filer, built with Microsoft's Terraform
 * pattern (controller from the Marketplace image, cluster as `avere_vfxt` of
 * provider `hashicorp/avere`). Vservers sit at predictable addresses, published
 * as one round-robin name. Avere vFXT was retired on 2025-09-30: synth warns.
 */
export class AvereCache extends Construct implements ISharedFileSystemBackend {
  static readonly DEFAULT_NODE_COUNT = 3;
  static readonly DEFAULT_NODE_CACHE_SIZE_GB = 4096;
  static readonly DEFAULT_VSERVER_COUNT = 4;
  static readonly DEFAULT_CONTROLLER_SIZE = 'Standard_A1_v2';
  static readonly DEFAULT_CLUSTER_NAME = 'vfxt';
  static readonly DEFAULT_DNS_NAME = 'vfxt';
  /** Priority of the cache subnet's rule admitting SSH from `deployerSourceCidrs`. */
  static readonly DEPLOYER_SSH_RULE_PRIORITY = 300;

  readonly fileSystem: SharedFileSystem;
  readonly vserverAddresses: readonly string[];
  readonly controllerAddress: string;
  readonly controllerPrincipalId: string;
  readonly cluster: AvereVfxt;
  /** The controller VM, for escape hatches (`defaultChild` is the cluster). */
  readonly controller: LinuxVirtualMachine;

  constructor(scope: Construct, id: string, props: AvereCacheProps) {
    super(scope, id);
    props = withNormalizedLocation(props, `AvereCache props (${this.node.path})`);
    const nodeCount = props.nodeCount ?? AvereCache.DEFAULT_NODE_COUNT;
    const vserverCount = props.vserverCount ?? props.network.addressPlan.cacheVserverCount ?? AvereCache.DEFAULT_VSERVER_COUNT;
    const vserverFirstIp = props.vserverFirstIp ?? props.network.addressPlan.cacheVserverFirstIp ?? '';
    const cacheSubnet = props.network.subnet('cache');
    throwIfIssues(`AvereCache props (${this.node.path})`, validate(props, nodeCount, vserverCount, vserverFirstIp, cacheSubnet.cidr));
    const tags = props.tags ? { ...props.tags } : undefined;
    const adminUser = props.controllerAdminUsername ?? 'azureuser';

    warn(
      this,
      WARNING_IDS.AVERE_RETIRED,
      `AvereCache: Avere vFXT for Azure was retired on ${AVERE_RETIREMENT_DATE}; new clusters cannot be deployed or supported. ` +
        'Supported alternatives: Azure Managed Lustre (the ManagedLustre construct), Azure NetApp Files (NFSv3 + SMB), or BeeGFS on VMs.',
    );

    new AvereProvider(this, 'avere-provider');
    // Marketplace terms: a choice (see the acceptMarketplaceTerms prop); otherwise accepted beforehand with the CLI.
    const agreements = props.acceptMarketplaceTerms
      ? AVERE_MARKETPLACE_PLANS.map((plan) => new MarketplaceAgreement(this, `terms-${plan}`, { publisher: 'microsoft-avere', offer: 'vfxt', plan }))
      : [];
    const deployers = [...(props.deployerSourceCidrs ?? [])];
    if (deployers.length > 0) {
      // The avere provider's SSH path to the controller, from where Terraform runs.
      props.network.allowInbound(
        'cache',
        {
          name: 'allow-ssh-from-deployer',
          priority: AvereCache.DEPLOYER_SSH_RULE_PRIORITY,
          access: 'Allow',
          protocol: 'Tcp',
          ports: [SSH_PORT],
          sources: deployers,
          description: 'Terraform (the avere provider) reaches the vFXT controller over SSH',
        },
        { scope: this, id: 'deployer-ssh-rule' },
      );
    }

    const nic = new NetworkInterface(this, 'controller-nic', {
      name: props.naming.name('networkInterface', 'vfxt-controller'),
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      ipConfiguration: [{ name: 'ipconfig', subnetId: cacheSubnet.id, privateIpAddressAllocation: 'Dynamic' }],
      tags,
    });
    const controller = new LinuxVirtualMachine(this, 'controller', {
      name: props.naming.name('virtualMachine', 'vfxt-controller'),
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      size: props.controllerSize ?? AvereCache.DEFAULT_CONTROLLER_SIZE,
      adminUsername: adminUser,
      disablePasswordAuthentication: true,
      adminSshKey: [{ username: adminUser, publicKey: props.sshPublicKey }],
      networkInterfaceIds: [nic.id],
      osDisk: { caching: 'ReadWrite', storageAccountType: 'StandardSSD_LRS' },
      sourceImageReference: { publisher: 'microsoft-avere', offer: 'vfxt', sku: 'avere-vfxt-controller', version: 'latest' },
      plan: { name: 'avere-vfxt-controller', product: 'vfxt', publisher: 'microsoft-avere' },
      identity: { type: 'SystemAssigned' },
      encryptionAtHostEnabled: true,
      bootDiagnostics: {},
      dependsOn: agreements.length > 0 ? agreements : undefined,
      tags,
    });
    this.controllerAddress = nic.privateIpAddress;
    this.controllerPrincipalId = controller.identity.principalId;

    // The controller creates and manages the cluster's VMs, NICs and role assignments (design notes §3). Microsoft's
    // pattern also gives it User Access Administrator and Avere Contributor on the network resource group, which
    // holds the Key Vault and the domain controllers: a controller that can grant itself any role there can read
    // every secret. Here its rights end at its own resource group and the cache subnet its nodes join.
    const roles: RoleAssignment[] = [];
    const grant = (key: string, scope: string, role: string) =>
      roles.push(
        new RoleAssignment(this, `controller-${key}`, {
          scope,
          roleDefinitionName: role,
          principalId: this.controllerPrincipalId,
          principalType: 'ServicePrincipal',
        }),
      );
    grant('avere-contributor-cluster', props.resourceGroupId, 'Avere Contributor');
    grant('uaa-cluster', props.resourceGroupId, 'User Access Administrator');
    grant('vm-contributor-cluster', props.resourceGroupId, 'Virtual Machine Contributor');
    grant('avere-contributor-cache-subnet', cacheSubnet.id, 'Avere Contributor');

    this.vserverAddresses = addressRange(vserverFirstIp, vserverCount);
    const containers = props.coreFiler.containerNames;
    this.controller = controller;
    this.cluster = new AvereVfxt(this, 'cluster', {
      controllerAddress: this.controllerAddress,
      controllerAdminUsername: adminUser,
      location: props.location,
      azureResourceGroup: props.resourceGroupName,
      azureNetworkResourceGroup: props.network.resourceGroupName,
      azureNetworkName: props.network.storageVnetName,
      azureSubnetName: cacheSubnet.name,
      vfxtClusterName: props.clusterName ?? AvereCache.DEFAULT_CLUSTER_NAME,
      vfxtAdminPassword: props.adminPassword,
      vfxtSshKeyData: props.sshPublicKey,
      vfxtNodeCount: nodeCount,
      nodeSize: props.nodeSku ?? 'prod_sku',
      nodeCacheSize: props.nodeCacheSizeGb ?? AvereCache.DEFAULT_NODE_CACHE_SIZE_GB,
      vserverFirstIp,
      vserverIpCount: vserverCount,
      ntpServers: 'time.windows.com',
      dnsServer: props.domain ? props.domain.domainControllerIps.join(' ') : undefined,
      dnsDomain: props.domain?.domainName,
      azureStorageFiler: [
        { accountName: props.coreFiler.accountName, containerName: containers.data, junctionNamespacePath: '/data', ordinal: 0 },
        { accountName: props.coreFiler.accountName, containerName: containers.home, junctionNamespacePath: '/home', ordinal: 1 },
      ],
      dependsOn: [controller, ...roles, props.coreFiler.account],
    });

    this.node.defaultChild = this.cluster;
    const dnsName = props.dnsName ?? AvereCache.DEFAULT_DNS_NAME;
    const published = props.domain?.publishRoundRobin(this, 'round-robin', { name: dnsName, addresses: this.vserverAddresses, tags });
    // Without a private zone, clients use the addresses directly (they spread over them anyway).
    this.fileSystem = avereFileSystem({ dnsName: published?.fqdn ?? this.vserverAddresses[0], vserverAddresses: this.vserverAddresses });
  }
}

function validate(props: AvereCacheProps, nodeCount: number, vserverCount: number, vserverFirstIp: string, subnetCidr: string): InputIssue[] {
  const issues: InputIssue[] = [];
  if (!Number.isInteger(nodeCount) || nodeCount < 3 || nodeCount > 16)
    issues.push({ path: 'nodeCount', message: `${show(nodeCount)} is not allowed; Avere vFXT runs 3–16 nodes` });
  const cache = props.nodeCacheSizeGb ?? AvereCache.DEFAULT_NODE_CACHE_SIZE_GB;
  if (!(AVERE_NODE_CACHE_SIZES as readonly number[]).includes(cache))
    issues.push({ path: 'nodeCacheSizeGb', message: `${show(cache)} is not allowed; use ${AVERE_NODE_CACHE_SIZES.join(', ')} (GB per node)` });
  if (!Number.isInteger(vserverCount) || vserverCount < VSERVER_COUNT_RANGE.min || vserverCount > VSERVER_COUNT_RANGE.max) {
    issues.push({ path: 'vserverCount', message: `${show(vserverCount)} is not allowed; use ${VSERVER_COUNT_RANGE.min}–${VSERVER_COUNT_RANGE.max}` });
  }
  if (!Token.isUnresolved(props.sshPublicKey)) issues.push(...avereSshKeyIssues('sshPublicKey', props.sshPublicKey));
  if (!Token.isUnresolved(props.adminPassword))
    issues.push({ path: 'adminPassword', message: 'must be a Terraform reference (a random_password result or a Key Vault secret), never a literal password' });
  const subnet = parseCidr(subnetCidr);
  const first = parseIpv4(vserverFirstIp);
  if (first === undefined) issues.push({ path: 'vserverFirstIp', message: `${show(vserverFirstIp)} is not an IPv4 address` });
  else if (subnet && issues.every((i) => i.path !== 'vserverCount')) {
    const usable = usableRange(subnet);
    const last = first + BigInt(vserverCount) - 1n;
    const dynamicLast = usable.first + BigInt(cacheDynamicAddressCount(nodeCount)) - 1n;
    if (first < usable.first || last > usable.last) {
      issues.push({
        path: 'vserverFirstIp',
        message: `the vserver range from ${vserverFirstIp} (${vserverCount} addresses) is outside the usable addresses of the cache subnet ${subnetCidr}`,
      });
    } else if (first <= dynamicLast) {
      issues.push({
        path: 'vserverFirstIp',
        message: `the vserver range from ${vserverFirstIp} overlaps the addresses Azure assigns to the controller and the ${nodeCount} nodes; start it after them`,
      });
    }
  }
  if (Number.isInteger(vserverCount) && Number.isInteger(nodeCount) && vserverCount < nodeCount) {
    issues.push({
      path: 'vserverCount',
      message: `${vserverCount} vserver addresses for ${nodeCount} nodes: the cluster takes max(nodes, vservers) consecutive addresses, so the published name would miss some; use at least ${nodeCount}`,
    });
  }
  return issues;
}
