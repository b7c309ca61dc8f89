import { DataAzurermClientConfig } from '@cdktf/provider-azurerm/lib/data-azurerm-client-config';
import { KeyVaultSecret } from '@cdktf/provider-azurerm/lib/key-vault-secret';
import { LinuxVirtualMachine } from '@cdktf/provider-azurerm/lib/linux-virtual-machine';
import { MarketplaceAgreement } from '@cdktf/provider-azurerm/lib/marketplace-agreement';
import { NetworkInterface } from '@cdktf/provider-azurerm/lib/network-interface';
import type { NetworkSecurityRule } from '@cdktf/provider-azurerm/lib/network-security-rule';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { RoleDefinition } from '@cdktf/provider-azurerm/lib/role-definition';
import { StorageAccount } from '@cdktf/provider-azurerm/lib/storage-account';
import { StorageContainer } from '@cdktf/provider-azurerm/lib/storage-container';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import { Password } from '@cdktf/provider-random/lib/password';
import { Fn, TerraformLocal, Token } from 'cdktf';
import { Construct } from 'constructs';
import { hardenedStorageAccount } from './core-filer';
import { withNormalizedLocation } from '../src/azure/regions';
import { renderCycleCloudCloudInit } from '../src/compute/cyclecloud';
import { resolveGpuMask } from '../src/compute/gpu';
import { AutoscaleSettings, autoscaleIssues, SPOT_DEFAULTS, SpotSettings, spotIssues, vmSizeIssues } from '../src/compute/node-rules';
import { cycleCloudNodeBounds, ImageReference, WORKERS_MARKER_KEY, type WorkersMarker } from '../src/compute/orchestrators';
import { InputIssue, show, throwIfIssues } from '../src/errors';
import { sshPublicKeyIssues } from '../src/identity/ssh-key';
import { metashapeOptionIssues } from './metashape-scheduler';
import { MAX_PROCESSING_NODES, ProcessingNodes, WorkerNodesBaseProps } from './processing-nodes';
import { uniqueNameSuffix } from './providers';
import { POLICY_RULES } from '../src/policy/rule-ids';
import { suppressPolicy } from '../src/policy/suppressions';
import type { IGrantable, IPrincipal, ISecretsVault } from './secrets-vault';

/** The CycleCloud 8 marketplace image and its plan (terms accepted once per subscription). */
export const CYCLECLOUD_IMAGE = { publisher: 'azurecyclecloud', offer: 'azure-cyclecloud', sku: 'cyclecloud8-gen2', version: 'latest' } as const;
export const CYCLECLOUD_PLAN = { name: 'cyclecloud8-gen2', product: 'azure-cyclecloud', publisher: 'azurecyclecloud' } as const;

/**
 * What CycleCloud needs to create and remove the workers (Microsoft's documented CycleCloud role, without public IPs,
 * resource group writes and storage account creation: the locker exists already). Assigned on the compute resource
 * group (VMs, scale sets, disks, NICs, the locker) and on the compute subnet (join).
 */
export const CYCLECLOUD_ROLE_ACTIONS: readonly string[] = [
  'Microsoft.Commerce/RateCard/read',
  'Microsoft.Compute/*/read',
  'Microsoft.Compute/availabilitySets/*',
  'Microsoft.Compute/disks/*',
  'Microsoft.Compute/locations/usages/read',
  'Microsoft.Compute/skus/read',
  'Microsoft.Compute/virtualMachines/*',
  'Microsoft.Compute/virtualMachineScaleSets/*',
  'Microsoft.Compute/virtualMachineScaleSets/virtualMachines/*',
  'Microsoft.ManagedIdentity/userAssignedIdentities/*/assign/action',
  'Microsoft.Network/*/read',
  'Microsoft.Network/networkInterfaces/write',
  'Microsoft.Network/networkInterfaces/delete',
  'Microsoft.Network/networkInterfaces/join/action',
  'Microsoft.Network/virtualNetworks/subnets/join/action',
  'Microsoft.Resources/deployments/read',
  'Microsoft.Resources/subscriptions/resourceGroups/read',
  'Microsoft.Resources/subscriptions/resourceGroups/resources/read',
  'Microsoft.Resources/subscriptions/operationresults/read',
  'Microsoft.Storage/storageAccounts/read',
  'Microsoft.Storage/storageAccounts/listKeys/action',
  'Microsoft.Storage/storageAccounts/blobServices/containers/read',
  'Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action',
];

/**
 * What CycleCloud reads at the subscription (VM sizes and their prices, quota usage, the resource group): lookups
 * that a resource-group assignment cannot answer. Read-only.
 */
export const CYCLECLOUD_SUBSCRIPTION_READ_ACTIONS: readonly string[] = [
  'Microsoft.Commerce/RateCard/read',
  'Microsoft.Compute/skus/read',
  'Microsoft.Compute/locations/usages/read',
  'Microsoft.Resources/subscriptions/resourceGroups/read',
];

/** Props of {@link CycleCloudCluster}. */
export interface CycleCloudClusterProps extends WorkerNodesBaseProps {
  /** Resource id of the compute resource group (CycleCloud's role is assigned there). */
  readonly resourceGroupId: string;
  /** The vault: the admin password is kept there; with licensing "code" the workers read the code. */
  readonly secrets: ISecretsVault;
  /** Workers at most (and during working hours). @default 5 */
  readonly count?: number;
  /** GPU size of the workers. @default "Standard_NC24ads_A100_v4" */
  readonly size?: string;
  /** @default from the size */
  readonly gpuMask?: number;
  /** Workers' image. @default microsoft-dsvm:ubuntu-hpc:2204:latest */
  readonly image?: ImageReference;
  readonly spot?: SpotSettings;
  /** Only its bounds are used: the cluster starts with `idleCount` workers, at most `count`. @default disabled */
  readonly autoscale?: AutoscaleSettings;
  /** Size of the CycleCloud server. @default "Standard_D4s_v5" */
  readonly serverSize?: string;
  /** Accept the CycleCloud image's marketplace terms in this deployment (else once with the CLI). @default false */
  readonly acceptMarketplaceTerms?: boolean;
  /** CycleCloud's admin account (its password is generated into the vault). */
  readonly adminUsername: string;
  /** OpenSSH public key of the server. */
  readonly sshPublicKey: string;
  /** First priority of the server's rule in the compute subnet's NSG. @default 350 */
  readonly nsgPriorityBase?: number;
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * The GPU processing nodes as an Azure CycleCloud cluster: the CycleCloud server VM from its marketplace image in the
 * compute subnet, its managed identity with a custom role on the compute resource group and subnet only, its storage
 * locker (hardened), an admin password generated into the vault, and a cloud-config that initializes CycleCloud at
 * boot (admin from the vault, subscription through the managed identity), uploads the Metashape project whose
 * cluster-init is the processing nodes' own setup, imports the worker cluster and starts it. The workers carry a
 * user-assigned identity that reads the activation code.
 */
export class CycleCloudCluster extends Construct implements IGrantable {
  static readonly DEFAULT_SERVER_SIZE = 'Standard_D4s_v5';
  static readonly DEFAULT_NSG_PRIORITY_BASE = 350;
  static readonly ADMIN_SECRET_NAME = 'cyclecloud-admin-password';

  readonly server: LinuxVirtualMachine;
  readonly locker: StorageAccount;
  readonly nodeIdentity: UserAssignedIdentity;
  readonly role: RoleDefinition;
  /** The read-only lookups at the subscription ({@link CYCLECLOUD_SUBSCRIPTION_READ_ACTIONS}). */
  readonly readRole: RoleDefinition;
  readonly roleAssignments: readonly RoleAssignment[];
  readonly adminSecret: KeyVaultSecret;
  readonly nsgRule: NetworkSecurityRule;
  readonly agreement?: MarketplaceAgreement;
  readonly principalId: string;
  readonly grantPrincipal: IPrincipal;
  readonly serverPrincipalId: string;
  readonly serverIp: string;
  readonly nodeCount: number;
  readonly initialCount: number;
  readonly gpuMask: number;

  constructor(scope: Construct, id: string, props: CycleCloudClusterProps) {
    super(scope, id);
    props = withNormalizedLocation(props, `CycleCloudCluster props (${this.node.path})`);
    const count = props.count ?? ProcessingNodes.DEFAULT_COUNT;
    const size = props.size ?? ProcessingNodes.DEFAULT_SIZE;
    const gpu = resolveGpuMask('gpuMask', size, props.gpuMask);
    throwIfIssues(`CycleCloudCluster props (${this.node.path})`, [...cycleCloudClusterIssues(props, count, size), ...gpu.issues]);
    this.gpuMask = gpu.mask!;
    this.nodeCount = count;
    const bounds = cycleCloudNodeBounds(count, props.autoscale);
    this.initialCount = bounds.initial;
    const compute = props.network.subnet('compute');
    const schedulerIp = props.schedulerIp ?? props.network.addressPlan.schedulerIp;
    const licensing = props.licensing ?? props.secrets.licensing;
    const tags = props.tags ? { ...props.tags } : undefined;
    const base = { location: props.location, resourceGroupName: props.resourceGroupName, tags };
    const image = props.image ?? { ...ProcessingNodes.DEFAULT_IMAGE };

    // The workers' identity (the only one on them, so IMDS hands out its tokens).
    this.nodeIdentity = new UserAssignedIdentity(this, 'node-identity', { name: props.naming.name('managedIdentity', 'cyclecloud-nodes'), ...base });
    this.principalId = this.nodeIdentity.principalId;
    this.grantPrincipal = { principalId: this.principalId, principalType: 'ServicePrincipal' };

    // The locker, hardened like the core filer (CycleCloud reads its keys through the role: listKeys).
    this.locker = new StorageAccount(this, 'locker', {
      name: `${props.naming.compact('storageAccount', 'locker', '', 18)}${uniqueNameSuffix(this)}`,
      ...base,
      ...hardenedStorageAccount([compute.id]),
    });
    const container = new StorageContainer(this, 'locker-container', { name: 'cyclecloud', storageAccountId: this.locker.id, containerAccessType: 'private' });
    const lockerReason =
      'The CycleCloud locker holds only the cluster-init project and node staging files, uploaded again at boot; the data is on the shared file system.';
    suppressPolicy(this.locker, POLICY_RULES.PREVENT_DESTROY, lockerReason);
    suppressPolicy(container, POLICY_RULES.PREVENT_DESTROY, lockerReason);

    // The admin password: generated, kept in the vault, read by the server at boot.
    const password = new Password(this, 'admin-password', {
      length: 24,
      special: true,
      overrideSpecial: '!#%*-_=+',
      minUpper: 2,
      minLower: 2,
      minNumeric: 2,
      minSpecial: 1,
    });
    this.adminSecret = new KeyVaultSecret(this, 'admin-secret', {
      name: CycleCloudCluster.ADMIN_SECRET_NAME,
      keyVaultId: props.secrets.vaultId,
      value: password.result,
      contentType: 'password: Azure CycleCloud admin',
      expirationDate: Fn.timeadd(Fn.plantimestamp(), '8760h'),
      lifecycle: { ignoreChanges: ['expiration_date'] },
      tags,
    });

    if (props.acceptMarketplaceTerms) {
      this.agreement = new MarketplaceAgreement(this, 'terms', {
        publisher: CYCLECLOUD_PLAN.publisher,
        offer: CYCLECLOUD_IMAGE.offer,
        plan: CYCLECLOUD_PLAN.name,
      });
    }
    const nic = new NetworkInterface(this, 'server-nic', {
      name: props.naming.name('networkInterface', 'cyclecloud'),
      ...base,
      ipConfiguration: [{ name: 'ipconfig', subnetId: compute.id, privateIpAddressAllocation: 'Dynamic' }],
    });
    this.serverIp = nic.privateIpAddress;
    const spot = props.spot?.enabled ?? false;
    const cloudInit = new TerraformLocal(
      this,
      'server_cloud_init',
      renderCycleCloudCloudInit({
        node: {
          fileSystem: props.fileSystem,
          schedulerIp,
          metashapeVersion: props.metashape.version,
          installerUrl: props.metashape.linuxInstallerUrl,
          gpuMask: this.gpuMask,
          licensing: licensing.kind === 'code' ? { kind: 'code', keyVaultUri: licensing.keyVaultUri, secretName: licensing.secretName } : licensing,
        },
        adminUsername: props.adminUsername,
        keyVaultUri: props.secrets.vaultUri,
        adminSecretName: this.adminSecret.name,
        resourceGroupName: props.resourceGroupName,
        lockerAccountName: this.locker.name,
        lockerContainerName: container.name,
        location: props.location,
        subnet: `${props.network.resourceGroupName}/${props.network.photoscanVnetName}/${compute.name}`,
        image,
        machineType: size,
        nodeIdentityId: this.nodeIdentity.id,
        initialCount: bounds.initial,
        maxCount: bounds.max,
        spot,
        maxPrice: spot ? (props.spot?.maxBidPrice ?? SPOT_DEFAULTS.maxBidPrice) : -1,
      }),
    );
    this.server = new LinuxVirtualMachine(this, 'server', {
      name: props.naming.name('virtualMachine', 'cyclecloud'),
      ...base,
      size: props.serverSize ?? CycleCloudCluster.DEFAULT_SERVER_SIZE,
      adminUsername: props.adminUsername,
      disablePasswordAuthentication: true,
      adminSshKey: [{ username: props.adminUsername, publicKey: props.sshPublicKey }],
      networkInterfaceIds: [nic.id],
      osDisk: { caching: 'ReadWrite', storageAccountType: 'Premium_LRS' },
      sourceImageReference: { ...CYCLECLOUD_IMAGE },
      plan: { ...CYCLECLOUD_PLAN },
      identity: { type: 'SystemAssigned' },
      encryptionAtHostEnabled: true,
      bootDiagnostics: {},
      customData: Fn.base64encode(cloudInit.asString),
      dependsOn: this.agreement ? [this.agreement] : undefined,
    });
    this.node.defaultChild = this.server;
    // For the report (src/report/inventory.ts): the workers CycleCloud runs. Under "//", which Terraform ignores.
    const marker: WorkersMarker = { orchestrator: 'cyclecloud', size, min: bounds.initial, max: bounds.max, spot };
    this.server.addOverride(`//.${WORKERS_MARKER_KEY}`, marker);
    this.serverPrincipalId = this.server.identity.principalId;

    // The narrowest role that lets CycleCloud create the workers: a custom role on the compute resource group and the
    // compute subnet only.
    const client = new DataAzurermClientConfig(this, 'client');
    this.role = new RoleDefinition(this, 'role', {
      name: `${props.naming.name('roleDefinition', 'cyclecloud')}-${props.location}`,
      scope: `/subscriptions/${client.subscriptionId}`,
      description: 'Azure CycleCloud: create and remove the Metashape workers in the compute resource group and subnet',
      permissions: [{ actions: [...CYCLECLOUD_ROLE_ACTIONS] }],
      assignableScopes: [props.resourceGroupId, compute.id],
    });
    const subscription = `/subscriptions/${client.subscriptionId}`;
    this.readRole = new RoleDefinition(this, 'read-role', {
      name: `${props.naming.name('roleDefinition', 'cyclecloud-read')}-${props.location}`,
      scope: subscription,
      description: 'Azure CycleCloud: read VM sizes, prices and quota usage (read-only)',
      permissions: [{ actions: [...CYCLECLOUD_SUBSCRIPTION_READ_ACTIONS] }],
      assignableScopes: [subscription],
    });
    const assign = (name: string, target: string, role: RoleDefinition) =>
      new RoleAssignment(this, name, {
        scope: target,
        roleDefinitionId: role.roleDefinitionResourceId,
        principalId: this.serverPrincipalId,
        principalType: 'ServicePrincipal',
      });
    this.roleAssignments = [
      assign('server-manages-compute', props.resourceGroupId, this.role),
      assign('server-joins-subnet', compute.id, this.role),
      assign('server-reads-subscription', subscription, this.readRole),
    ];
    props.secrets.grantSecretsRead(
      { principalId: this.serverPrincipalId, principalType: 'ServicePrincipal' },
      { scope: this, id: 'server-reads-admin-password', secret: this.adminSecret.resourceId },
    );
    if (licensing.kind === 'code') {
      props.secrets.grantSecretsRead(this, { scope: this, id: 'nodes-reads-activation-code', secret: licensing.secretResourceId });
    }
    // A file system client's secret (BeeGFS's connection authentication), read at boot by the nodes' setup.
    const clientSecret = props.fileSystem.linux.clientSecret;
    if (clientSecret) {
      props.secrets.grantSecretsRead(this, { scope: this, id: 'nodes-read-file-system-secret', secret: clientSecret.secretResourceId });
    }
    // The web UI (https) from the jump box subnet only.
    this.nsgRule = props.network.allowInbound(
      'compute',
      {
        name: `${props.naming.prefix}-allow-cyclecloud-from-jumpbox`,
        priority: props.nsgPriorityBase ?? CycleCloudCluster.DEFAULT_NSG_PRIORITY_BASE,
        access: 'Allow',
        protocol: 'Tcp',
        ports: ['443'],
        sources: [props.network.addressPlan.jumpboxSubnet],
        destination: `${this.serverIp}/32`,
      },
      { scope: this, id: 'nsg-allow-cyclecloud-from-jumpbox' },
    );
  }
}

/** Issues of the CycleCloud cluster's props (`compute.nodes.*` / `compute.cyclecloud.*` in the configuration). */
export function cycleCloudClusterIssues(
  props: Pick<CycleCloudClusterProps, 'metashape' | 'serverSize' | 'spot' | 'autoscale' | 'sshPublicKey'>,
  count: number,
  size: string,
  path = { nodes: 'nodes', cyclecloud: 'cyclecloud' },
): InputIssue[] {
  const issues: InputIssue[] = [];
  if (!Number.isInteger(count) || count < 0 || count > MAX_PROCESSING_NODES)
    issues.push({ path: `${path.nodes}.count`, message: `${show(count)} is not allowed; use 0–${MAX_PROCESSING_NODES}` });
  issues.push(...vmSizeIssues(`${path.nodes}.size`, size, ProcessingNodes.DEFAULT_SIZE));
  issues.push(
    ...vmSizeIssues(`${path.cyclecloud}.serverSize`, props.serverSize ?? CycleCloudCluster.DEFAULT_SERVER_SIZE, CycleCloudCluster.DEFAULT_SERVER_SIZE, {
      premiumStorage: "the server's OS disk is Premium_LRS",
    }),
  );
  issues.push(...spotIssues(`${path.nodes}.spot`, props.spot));
  issues.push(...autoscaleIssues(`${path.nodes}.autoscale`, props.autoscale, count, `${path.nodes}.count`));
  issues.push(...metashapeOptionIssues(props.metashape));
  if (props.sshPublicKey !== undefined && !Token.isUnresolved(props.sshPublicKey)) issues.push(...sshPublicKeyIssues('sshPublicKey', props.sshPublicKey));
  return issues;
}
