import { NetappAccount } from '@cdktf/provider-azurerm/lib/netapp-account';
import { NetappPool } from '@cdktf/provider-azurerm/lib/netapp-pool';
import { NetappSnapshotPolicy } from '@cdktf/provider-azurerm/lib/netapp-snapshot-policy';
import { NetappVolume } from '@cdktf/provider-azurerm/lib/netapp-volume';
import { NetworkSecurityGroup } from '@cdktf/provider-azurerm/lib/network-security-group';
import type { Subnet } from '@cdktf/provider-azurerm/lib/subnet';
import { SubnetNetworkSecurityGroupAssociation } from '@cdktf/provider-azurerm/lib/subnet-network-security-group-association';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { withNormalizedLocation } from '../src/azure/regions';
import { InputIssue, show, throwIfIssues } from '../src/errors';
import { parseCidr } from '../src/net/cidr';
import { Naming } from '../src/naming';
import { netappFileSystem } from '../src/storage/file-systems';
import { NETAPP_NFS_PORTS, NETAPP_SNAPSHOTS_TO_KEEP, NetAppServiceLevel, netappSizeIssues, netappSubnetIssues } from '../src/storage/netapp';
import type { ISharedFileSystemBackend, SharedFileSystem } from '../src/storage/shared-file-system';
import type { IHpcNetwork } from './hpc-network';
import { denyInternetInbound } from '../src/net/security-rules';

/** One NFSv3 volume of {@link NetAppFiles}. */
export interface NetAppVolumeSpec {
  /** Export name ("data", "home"). */
  readonly name: string;
  /** Quota, GiB (50–102400); with auto QoS it also sets the throughput (service level rate × TiB). */
  readonly quotaGib: number;
  /**
   * Root on the clients stays root on the volume (no root squash). Nodes `chown` each volume's root to hpcuser at
   * boot, which needs it (a fresh volume's root belongs to root). @default false — root is squashed (the
   * {@link NetAppFiles.DEFAULT_VOLUMES} set it on both)
   */
  readonly rootAccess?: boolean;
  /** Linux mount point. @default `/mnt/anf-<name>` */
  readonly linuxMountPoint?: string;
}

/** Props of {@link NetAppFiles}. */
export interface NetAppFilesProps {
  readonly naming: Naming;
  readonly location: string;
  readonly resourceGroupName: string;
  /** The network: the volumes' delegated subnet is added to its storage VNet (checked against every other subnet at synth). */
  readonly network: IHpcNetwork;
  /** CIDR of the delegated subnet (inside the storage VNet, /28 or larger; /26 recommended). @default the network's `addressPlan.netappSubnet` */
  readonly subnetCidr?: string;
  /** Source CIDRs the export policy (read/write, root as each volume says) and the subnet's NSG admit. @default the network's compute subnet */
  readonly clientCidrs?: readonly string[];
  /**
   * Further client CIDRs (e.g. the jump box subnet), admitted read/write by a second export rule that always
   * squashes root. @default none
   */
  readonly squashedClientCidrs?: readonly string[];
  /** @default "Premium" */
  readonly serviceLevel?: NetAppServiceLevel;
  /** Capacity pool size, whole TiB (1–2048), at least the volumes' quotas. @default 4 */
  readonly poolSizeTib?: number;
  /** The volumes. @default data (3072 GiB, root access for the clients) and home (1024 GiB, root squashed) */
  readonly volumes?: readonly NetAppVolumeSpec[];
  /**
   * Snapshot policy of every volume: snapshots to keep of the daily (at 01:00 UTC) and weekly (Sunday 02:00 UTC)
   * schedules; `false`: no policy. @default { dailyToKeep: 7, weeklyToKeep: 4 }
   */
  readonly snapshotPolicy?: false | { readonly dailyToKeep: number; readonly weeklyToKeep: number };
  readonly tags?: Readonly<Record<string, string>>;
}

/** The subnet delegation Azure NetApp Files needs (one delegated subnet per VNet). */
export const NETAPP_DELEGATION = {
  name: 'netapp',
  service: 'Microsoft.NetApp/volumes',
  actions: ['Microsoft.Network/networkinterfaces/*', 'Microsoft.Network/virtualNetworks/subnets/join/action'],
} as const;

/**
 * Azure NetApp Files, the default shared file system: a NetApp account, one auto-QoS capacity pool, and one NFSv3
 * volume per export (the seed's /data and /home) in a subnet of the storage VNet delegated to
 * `Microsoft.NetApp/volumes`, with Standard network features. The export policy and the subnet's NSG admit only
 * the client subnets; root is squashed except where a volume asks for root access; a snapshot policy keeps daily
 * and weekly snapshots. Linux mounts each volume from its own address (`mount_ip_addresses`), Windows through
 * Client for NFS.
 */
export class NetAppFiles extends Construct implements ISharedFileSystemBackend {
  static readonly DEFAULT_SERVICE_LEVEL: NetAppServiceLevel = 'Premium';
  static readonly DEFAULT_POOL_SIZE_TIB = 4;
  static readonly DEFAULT_VOLUMES: readonly NetAppVolumeSpec[] = [
    { name: 'data', quotaGib: 3072, rootAccess: true },
    { name: 'home', quotaGib: 1024, rootAccess: true },
  ];
  static readonly DEFAULT_SNAPSHOT_POLICY = { dailyToKeep: 7, weeklyToKeep: 4 } as const;

  readonly fileSystem: SharedFileSystem;
  readonly subnet: Subnet;
  readonly subnetId: string;
  readonly account: NetappAccount;
  readonly pool: NetappPool;
  readonly snapshotPolicy?: NetappSnapshotPolicy;
  /** The volumes by export name (`defaultChild` is the pool). */
  readonly volumes: Readonly<Record<string, NetappVolume>>;

  constructor(scope: Construct, id: string, props: NetAppFilesProps) {
    super(scope, id);
    props = withNormalizedLocation(props, `NetAppFiles props (${this.node.path})`);
    const serviceLevel = props.serviceLevel ?? NetAppFiles.DEFAULT_SERVICE_LEVEL;
    const poolSizeTib = props.poolSizeTib ?? NetAppFiles.DEFAULT_POOL_SIZE_TIB;
    const volumes = props.volumes ?? NetAppFiles.DEFAULT_VOLUMES;
    const subnetCidr = props.subnetCidr ?? props.network.addressPlan.netappSubnet ?? '';
    const clientCidrs = props.clientCidrs ?? [props.network.subnet('compute').cidr];
    const squashedCidrs = props.squashedClientCidrs ?? [];
    const snapshots = props.snapshotPolicy ?? NetAppFiles.DEFAULT_SNAPSHOT_POLICY;
    throwIfIssues(`NetAppFiles props (${this.node.path})`, validate(serviceLevel, poolSizeTib, volumes, subnetCidr, clientCidrs, squashedCidrs, snapshots));
    const tags = props.tags ? { ...props.tags } : undefined;
    const common = { location: props.location, resourceGroupName: props.resourceGroupName, tags };

    this.subnet = props.network.addSubnet(this, 'subnet', {
      name: props.naming.name('subnet', 'netapp'),
      vnet: 'storage',
      cidr: subnetCidr,
      delegation: NETAPP_DELEGATION,
    });
    this.subnetId = this.subnet.id;
    // Standard network features honour NSGs on the delegated subnet: NFSv3 from the clients only.
    const nsg = new NetworkSecurityGroup(this, 'nsg', {
      name: props.naming.name('networkSecurityGroup', 'netapp'),
      ...common,
      securityRule: [
        {
          name: 'allow-nfs-clients',
          priority: 100,
          direction: 'Inbound',
          access: 'Allow',
          protocol: '*',
          sourcePortRange: '*',
          destinationPortRanges: [...NETAPP_NFS_PORTS],
          sourceAddressPrefixes: [...clientCidrs, ...squashedCidrs],
          destinationAddressPrefix: subnetCidr,
        },
        denyInternetInbound(),
      ],
    });
    const association = new SubnetNetworkSecurityGroupAssociation(this, 'nsg-association', { subnetId: this.subnet.id, networkSecurityGroupId: nsg.id });

    this.account = new NetappAccount(this, 'account', { name: props.naming.name('netappAccount', 'hpc'), ...common });
    this.pool = new NetappPool(this, 'pool', {
      name: props.naming.name('netappPool', serviceLevel.toLowerCase()),
      accountName: this.account.name,
      serviceLevel,
      sizeInTb: poolSizeTib,
      qosType: 'Auto',
      ...common,
    });
    this.node.defaultChild = this.pool;
    if (snapshots !== false) {
      this.snapshotPolicy = new NetappSnapshotPolicy(this, 'snapshot-policy', {
        name: props.naming.name('netappSnapshotPolicy', 'hpc'),
        accountName: this.account.name,
        enabled: true,
        dailySchedule: { hour: 1, minute: 0, snapshotsToKeep: snapshots.dailyToKeep },
        weeklySchedule: { daysOfWeek: ['Sunday'], hour: 2, minute: 0, snapshotsToKeep: snapshots.weeklyToKeep },
        ...common,
      });
    }

    const byName: Record<string, NetappVolume> = {};
    const shared = volumes.map((v) => {
      // volume_path is unique per subscription and region: the name prefix keeps environments apart.
      const volumePath = props.naming.name('netappVolume', v.name);
      const volume = new NetappVolume(this, `volume-${v.name}`, {
        name: volumePath,
        accountName: this.account.name,
        poolName: this.pool.name,
        volumePath,
        serviceLevel,
        subnetId: this.subnet.id,
        networkFeatures: 'Standard',
        protocols: ['NFSv3'],
        securityStyle: 'unix',
        storageQuotaInGb: v.quotaGib,
        snapshotDirectoryVisible: true,
        exportPolicyRule: [
          {
            ruleIndex: 1,
            allowedClients: [...clientCidrs],
            protocol: ['NFSv3'],
            unixReadOnly: false,
            unixReadWrite: true,
            rootAccessEnabled: v.rootAccess ?? false,
          },
          ...(squashedCidrs.length > 0
            ? [{ ruleIndex: 2, allowedClients: [...squashedCidrs], protocol: ['NFSv3'], unixReadOnly: false, unixReadWrite: true, rootAccessEnabled: false }]
            : []),
        ],
        dataProtectionSnapshotPolicy: this.snapshotPolicy ? { snapshotPolicyId: this.snapshotPolicy.id } : undefined,
        dependsOn: [association],
        ...common,
      });
      byName[v.name] = volume;
      return { name: v.name, volumePath, address: Fn.element(volume.mountIpAddresses, 0), linuxMountPoint: v.linuxMountPoint };
    });
    this.volumes = byName;
    this.fileSystem = netappFileSystem({ exports: shared });
  }
}

function validate(
  serviceLevel: string,
  poolSizeTib: number,
  volumes: readonly NetAppVolumeSpec[],
  subnetCidr: string,
  clientCidrs: readonly string[],
  squashedCidrs: readonly string[],
  snapshots: NetAppFilesProps['snapshotPolicy'],
): InputIssue[] {
  const quotas = Object.fromEntries(volumes.map((v) => [v.name, v.quotaGib]));
  const fields = Object.fromEntries(volumes.map((v, i) => [v.name, `volumes[${i}].quotaGib`]));
  const issues = netappSizeIssues({ serviceLevel: 'serviceLevel', poolSizeTib: 'poolSizeTib', quotas: fields }, serviceLevel, poolSizeTib, quotas);
  if (volumes.length === 0) issues.push({ path: 'volumes', message: 'at least one volume (the data export) is needed' });
  volumes.forEach((v, i) => {
    if (!/^[a-z][a-z0-9-]{0,15}$/.test(v.name))
      issues.push({ path: `volumes[${i}].name`, message: `${show(v.name)} is not allowed: 1–16 lowercase letters, digits or hyphens, starting with a letter` });
    if (volumes.findIndex((w) => w.name === v.name) !== i) issues.push({ path: `volumes[${i}].name`, message: `${show(v.name)} is used twice` });
  });
  issues.push(...netappSubnetIssues('subnetCidr', subnetCidr));
  if (clientCidrs.length === 0) issues.push({ path: 'clientCidrs', message: 'at least one client CIDR (the compute subnet) is needed' });
  for (const [field, cidrs] of [
    ['clientCidrs', clientCidrs],
    ['squashedClientCidrs', squashedCidrs],
  ] as const) {
    cidrs.forEach((c, i) => {
      const r = parseCidr(c);
      if (!r || r.prefix === 0) issues.push({ path: `${field}[${i}]`, message: `${show(c)} is not allowed: name the client subnets (an IPv4 CIDR, no /0)` });
    });
  }
  if (snapshots) {
    const { min, max } = NETAPP_SNAPSHOTS_TO_KEEP;
    for (const key of ['dailyToKeep', 'weeklyToKeep'] as const) {
      const n = snapshots[key];
      if (!Number.isInteger(n) || n < min || n > max)
        issues.push({ path: `snapshotPolicy.${key}`, message: `${show(n)} is not allowed: keep ${min}–${max} snapshots` });
    }
  }
  return issues;
}
