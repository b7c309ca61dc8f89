import { ManagedLustreFileSystem } from '@cdktf/provider-azurerm/lib/managed-lustre-file-system';
import { NetworkSecurityGroup } from '@cdktf/provider-azurerm/lib/network-security-group';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import type { Subnet } from '@cdktf/provider-azurerm/lib/subnet';
import { SubnetNetworkSecurityGroupAssociation } from '@cdktf/provider-azurerm/lib/subnet-network-security-group-association';
import { TerraformStack, TerraformVariable, Token } from 'cdktf';
import { Construct } from 'constructs';
import { InputIssue, show, throwIfIssues } from '../src/errors';
import { parseCidr } from '../src/net/cidr';
import { Naming } from '../src/naming';
import { lustreFileSystem } from '../src/storage/file-systems';
import { LUSTRE_SKUS, LustreSku, lustreCapacityIssues, lustreSubnetIssues } from '../src/storage/lustre';
import type { ISharedFileSystemBackend, SharedFileSystem } from '../src/storage/shared-file-system';
import type { CoreFiler } from './core-filer';
import type { IHpcNetwork } from './hpc-network';
import { withNormalizedLocation } from '../src/azure/regions';
import { warn, WARNING_IDS } from '../src/warnings';
import { applyAvmInterfaces, AvmInterfaceProps, AvmResources, avmIssues } from './avm';
import { denyInternetInbound } from '../src/net/security-rules';

/** Terraform variable that carries the HPC Cache Resource Provider's object id when the configuration does not. */
export const HPC_CACHE_RP_VARIABLE = 'hpc_cache_rp_object_id';

/** Props of {@link ManagedLustre}. */
export interface ManagedLustreProps extends AvmInterfaceProps {
  readonly naming: Naming;
  readonly location: string;
  readonly resourceGroupName: string;
  /** The network: the file system's subnet is added to its storage VNet (checked against every other subnet at synth). */
  readonly network: IHpcNetwork;
  /**
   * CIDR of the file system's own subnet (inside the storage VNet), sized for the capacity.
   * @default the network's `addressPlan.lustreSubnet`
   */
  readonly subnetCidr?: string;
  /** Source CIDRs of the Lustre clients. @default the network's compute subnet */
  readonly clientCidrs?: readonly string[];
  /** The Blob core filer; its `data` container is the HSM namespace, a `lustre-logs` container is created for HSM logs. */
  readonly coreFiler: CoreFiler;
  /** @default "AMLFS-Durable-Premium-125" */
  readonly sku?: LustreSku;
  /** TiB, in the SKU's steps. @default 16 */
  readonly capacityTb?: number;
  /** @default "1" */
  readonly zone?: string;
  /** @default { dayOfWeek: "Sunday", timeOfDayUtc: "02:00" } */
  readonly maintenanceWindow?: { readonly dayOfWeek: string; readonly timeOfDayUtc: string };
  /**
   * Object id of the "HPC Cache Resource Provider" service principal in the tenant (HSM needs it to reach the
   * container). @default the Terraform variable `hpc_cache_rp_object_id`
   */
  readonly hpcCacheResourceProviderObjectId?: string;
  readonly tags?: Readonly<Record<string, string>>;
}

/** Ports Lustre clients use: LNet 988 and 1019–1023 (Azure Managed Lustre network prerequisites). */
export const LUSTRE_PORTS = ['988', '1019-1023'] as const;

/**
 * Azure Managed Lustre, the supported successor of the Avere cache: its own
 * subnet (with an NSG that admits only the Lustre clients), the file system
 * with HSM linked to the core filer's data container, and the roles the HPC
 * Cache resource provider needs on the storage account. Linux clients only:
 * the Windows scheduler cannot mount it, and synth says so.
 */
export class ManagedLustre extends Construct implements ISharedFileSystemBackend {
  /** SKU unless the `sku` prop says otherwise. */
  static readonly DEFAULT_SKU: LustreSku = 'AMLFS-Durable-Premium-125';
  /** Zone unless the `zone` prop says otherwise. */
  static readonly DEFAULT_ZONE = '1';
  /** Maintenance window unless the `maintenanceWindow` prop says otherwise. */
  static readonly DEFAULT_MAINTENANCE_WINDOW = { dayOfWeek: 'Sunday', timeOfDayUtc: '02:00' } as const;

  readonly fileSystem: SharedFileSystem;
  readonly mgsAddress: string;
  readonly subnetId: string;
  /** Id of the file system (`azurerm_managed_lustre_file_system.id`). */
  readonly fileSystemId: string;
  /** The resources behind it, for escape hatches (`defaultChild` is the file system). */
  readonly fileSystemResource: ManagedLustreFileSystem;
  readonly subnet: Subnet;
  /** The lock, role assignments and diagnostic setting of the `lock`, `roleAssignments`, `diagnosticSettings` props. */
  readonly avm: AvmResources;

  constructor(scope: Construct, id: string, props: ManagedLustreProps) {
    super(scope, id);
    props = withNormalizedLocation(props, `ManagedLustre props (${this.node.path})`);
    const sku = props.sku ?? ManagedLustre.DEFAULT_SKU;
    const capacity = props.capacityTb ?? LUSTRE_SKUS[sku]?.minTb ?? 16;
    const subnetCidr = props.subnetCidr ?? props.network.addressPlan.lustreSubnet ?? '';
    const clientCidrs = props.clientCidrs ?? [props.network.subnet('compute').cidr];
    throwIfIssues(`ManagedLustre props (${this.node.path})`, [...validate(props, sku, capacity, subnetCidr, clientCidrs), ...avmIssues(props)]);
    const tags = props.tags ? { ...props.tags } : undefined;

    const subnet = props.network.addSubnet(this, 'subnet', {
      name: props.naming.name('subnet', 'lustre'),
      vnet: 'storage',
      cidr: subnetCidr,
      serviceEndpoints: ['Microsoft.Storage'],
    });
    this.subnet = subnet;
    this.subnetId = subnet.id;
    const nsg = new NetworkSecurityGroup(this, 'nsg', {
      name: props.naming.name('networkSecurityGroup', 'lustre'),
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      securityRule: [
        {
          name: 'allow-lustre-clients',
          priority: 100,
          direction: 'Inbound',
          access: 'Allow',
          protocol: 'Tcp',
          sourcePortRange: '*',
          destinationPortRanges: [...LUSTRE_PORTS],
          sourceAddressPrefixes: [...clientCidrs],
          destinationAddressPrefix: subnetCidr,
        },
        {
          name: 'allow-lustre-servers',
          priority: 110,
          direction: 'Inbound',
          access: 'Allow',
          protocol: '*',
          sourcePortRange: '*',
          destinationPortRange: '*',
          sourceAddressPrefix: subnetCidr,
          destinationAddressPrefix: subnetCidr,
        },
        denyInternetInbound(),
      ],
      tags,
    });
    const association = new SubnetNetworkSecurityGroupAssociation(this, 'nsg-association', { subnetId: subnet.id, networkSecurityGroupId: nsg.id });

    let principal = props.hpcCacheResourceProviderObjectId;
    if (principal === undefined) {
      principal = new TerraformVariable(TerraformStack.of(this), HPC_CACHE_RP_VARIABLE, {
        type: 'string',
        description:
          'Object id of the "HPC Cache Resource Provider" service principal: az ad sp list --display-name "HPC Cache Resource Provider" --query "[].id" -o tsv',
      }).stringValue;
    }
    const roles = ['Storage Account Contributor', 'Storage Blob Data Contributor'].map(
      (role) =>
        new RoleAssignment(this, `hsm-${role.toLowerCase().replace(/ /g, '-')}`, {
          scope: props.coreFiler.accountId,
          roleDefinitionName: role,
          principalId: principal!,
          principalType: 'ServicePrincipal',
        }),
    );

    const dataContainer = props.coreFiler.containerIds.data;
    const logContainer = props.coreFiler.containerIds['lustre-logs'];
    const fs = new ManagedLustreFileSystem(this, 'file-system', {
      name: props.naming.name('lustre', 'data'),
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      skuName: sku,
      storageCapacityInTb: capacity,
      subnetId: subnet.id,
      zones: [props.zone ?? ManagedLustre.DEFAULT_ZONE],
      maintenanceWindow: {
        dayOfWeek: props.maintenanceWindow?.dayOfWeek ?? ManagedLustre.DEFAULT_MAINTENANCE_WINDOW.dayOfWeek,
        timeOfDayInUtc: props.maintenanceWindow?.timeOfDayUtc ?? ManagedLustre.DEFAULT_MAINTENANCE_WINDOW.timeOfDayUtc,
      },
      hsmSetting: { containerId: dataContainer, loggingContainerId: logContainer, importPrefix: '/' },
      dependsOn: [association, ...roles],
      tags,
    });
    this.fileSystemResource = fs;
    this.fileSystemId = fs.id;
    this.node.defaultChild = fs;
    this.mgsAddress = fs.mgsAddress;
    // Lock, roles and resource logs (every category: the allLogs group) of the file system, when asked for.
    this.avm = applyAvmInterfaces(this, props, { resourceId: fs.id, purpose: 'lustre', defaultLogs: ['group:allLogs'] });
    this.fileSystem = lustreFileSystem({ mgsAddress: this.mgsAddress });
    warn(this, WARNING_IDS.LUSTRE_NO_WINDOWS, `ManagedLustre: ${(this.fileSystem.windows as { reason: string }).reason}`);
  }
}

function validate(props: ManagedLustreProps, sku: string, capacity: number, subnetCidr: string, clientCidrs: readonly string[]): InputIssue[] {
  const issues = lustreCapacityIssues('sku', 'capacityTb', sku, capacity);
  if (issues.length === 0 || !parseCidr(subnetCidr)) issues.push(...lustreSubnetIssues('subnetCidr', subnetCidr, capacity));
  if (clientCidrs.length === 0) issues.push({ path: 'clientCidrs', message: 'at least one client CIDR (the compute subnet) is needed' });
  if (!props.coreFiler.containerIds.data || !props.coreFiler.containerIds['lustre-logs']) {
    issues.push({ path: 'coreFiler', message: 'needs the containers "data" (HSM namespace) and "lustre-logs" (HSM logs)' });
  }
  const p = props.hpcCacheResourceProviderObjectId;
  if (p !== undefined && !Token.isUnresolved(p) && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(p)) {
    issues.push({ path: 'hpcCacheResourceProviderObjectId', message: `${show(p)} is not a GUID` });
  }
  return issues;
}
