import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { Construct } from 'constructs';
import { AvereCache } from '../constructs/avere-cache';
import { CoreFiler } from '../constructs/core-filer';
import { ManagedLustre } from '../constructs/managed-lustre';
import { BeeGfs } from '../constructs/bee-gfs';
import { GlusterFs } from '../constructs/gluster-fs';
import { ProximityPlacementGroup } from '@cdktf/provider-azurerm/lib/proximity-placement-group';
import { regionHasZones } from '../src/azure/regions';
import { deployLocation } from '../src/config/deploy';
import { NetAppFiles } from '../constructs/netapp-files';
import type { NetAppServiceLevel } from '../src/storage/netapp';
import type { LustreSku } from '../src/storage/lustre';
import type { SharedFileSystem } from '../src/storage/shared-file-system';
import { NetworkStack } from './network-stack';
import { PhotogrammetryStack, PhotogrammetryStackProps } from './photogrammetry-stack';

/** Props of {@link StorageStack}. */
export interface StorageStackProps extends PhotogrammetryStackProps {
  /** The network it attaches the shared file system to. */
  readonly network: NetworkStack;
}

/**
 * The storage stack: the shared file system the configuration selects (`storage.backend`: Azure NetApp Files, the
 * default; Azure Managed Lustre; or the seed's Avere vFXT cache) and, for Lustre and Avere, the Blob core filer.
 * Deployed after the network. The compute stack sees only {@link fileSystem}.
 */
export class StorageStack extends PhotogrammetryStack {
  readonly resourceGroupName: string;
  /** The Blob core filer of the Avere and Lustre backends (none with Azure NetApp Files, which holds the data itself). */
  readonly coreFiler?: CoreFiler;
  /** What the processing nodes and the scheduler mount. */
  readonly fileSystem: SharedFileSystem;
  readonly backend: NetAppFiles | AvereCache | ManagedLustre | GlusterFs | BeeGfs;
  /** The file servers' proximity placement group (GlusterFS, BeeGFS with `storage.fileServers.proximityPlacementGroup`). */
  proximityPlacementGroupId?: string;

  constructor(scope: Construct, id: string, props: StorageStackProps) {
    super(scope, id, props);
    this.addDependency(props.network);
    const { config } = props;
    const storage = config.storage;
    const net = props.network.network;
    const rg = new ResourceGroup(this, 'resource-group', {
      name: this.naming.name('resourceGroup', 'storage'),
      location: config.location,
      tags: this.tags,
    });
    this.resourceGroupName = rg.name;
    const lustre = storage.backend === 'managed-lustre';

    if (storage.backend === 'glusterfs' || storage.backend === 'beegfs') {
      this.backend = this.vmBackend(props, rg.name);
      this.fileSystem = this.backend.fileSystem;
      return;
    }

    if (storage.backend === 'netapp-files') {
      const n = storage.netappFiles;
      this.backend = new NetAppFiles(this, 'netapp', {
        naming: this.naming,
        location: config.location,
        resourceGroupName: rg.name,
        network: net,
        subnetCidr: config.addressPlan.netappSubnet,
        clientCidrs: [config.addressPlan.computeSubnet],
        squashedClientCidrs: n.allowJumpbox ? [config.addressPlan.jumpboxSubnet] : [],
        serviceLevel: n.serviceLevel as NetAppServiceLevel,
        poolSizeTib: n.poolSizeTib,
        volumes: [
          { name: 'data', quotaGib: n.dataQuotaGib, rootAccess: n.rootSquash !== 'all' },
          { name: 'home', quotaGib: n.homeQuotaGib, rootAccess: n.rootSquash === 'none' },
        ],
        snapshotPolicy: n.snapshotPolicy.enabled ? { dailyToKeep: n.snapshotPolicy.dailyToKeep, weeklyToKeep: n.snapshotPolicy.weeklyToKeep } : false,
        tags: this.tags,
      });
      this.fileSystem = this.backend.fileSystem;
      return;
    }

    const coreFiler = new CoreFiler(this, 'core-filer', {
      naming: this.naming,
      location: config.location,
      resourceGroupName: rg.name,
      accountName: storage.coreFiler.accountName,
      replication: storage.coreFiler.replication,
      containers: lustre
        ? { data: storage.coreFiler.dataContainerName, 'lustre-logs': 'lustre-logs' }
        : { data: storage.coreFiler.dataContainerName, home: storage.coreFiler.homeContainerName },
      // The Lustre subnet is added by ManagedLustre below (its id is known only then).
      allowedSubnetIds: lustre ? [] : [net.subnet('cache').id],
      softDeleteDays: storage.coreFiler.softDeleteDays,
      preventDestroy: storage.coreFiler.preventDestroy,
      tags: this.tags,
    });

    this.coreFiler = coreFiler;
    if (lustre) {
      const amlfs = new ManagedLustre(this, 'lustre', {
        naming: this.naming,
        location: config.location,
        resourceGroupName: rg.name,
        network: net,
        subnetCidr: config.addressPlan.lustreSubnet,
        clientCidrs: [config.addressPlan.computeSubnet],
        coreFiler,
        sku: storage.lustre.sku as LustreSku,
        capacityTb: storage.lustre.capacityTb,
        zone: storage.lustre.zone,
        maintenanceWindow: { dayOfWeek: storage.lustre.maintenanceDay, timeOfDayUtc: storage.lustre.maintenanceTimeUtc },
        hpcCacheResourceProviderObjectId: storage.lustre.hpcCacheResourceProviderObjectId,
        tags: this.tags,
      });
      coreFiler.account.networkRules.virtualNetworkSubnetIds = [amlfs.subnetId];
      this.backend = amlfs;
    } else {
      this.backend = new AvereCache(this, 'avere', {
        naming: this.naming,
        location: config.location,
        resourceGroupName: rg.name,
        resourceGroupId: rg.id,
        network: net,
        coreFiler,
        nodeCount: storage.avere.nodeCount,
        nodeCacheSizeGb: storage.avere.nodeCacheSizeGb,
        nodeSku: storage.avere.nodeSku,
        controllerSize: storage.avere.controllerSize,
        clusterName: storage.avere.clusterName,
        vserverFirstIp: config.addressPlan.cacheVserverFirstIp,
        vserverCount: config.addressPlan.cacheVserverCount,
        adminPassword: props.network.secrets.password('vfxtAdmin').value,
        sshPublicKey: this.adminSshPublicKey,
        acceptMarketplaceTerms: storage.avere.acceptMarketplaceTerms,
        // The avere provider's SSH path: from the runner subnet (config refuses Avere with deploy.from "egress-ips").
        deployerSourceCidrs: ((d) => (d.kind === 'runner-subnet' ? [d.cidr] : []))(deployLocation(config)),
        domain: props.network.domain,
        dnsName: storage.avere.dnsName,
        tags: this.tags,
      });
    }
    this.fileSystem = this.backend.fileSystem;
  }

  /** GlusterFS or BeeGFS on VMs in the file server subnet, with their Samba gateways for Windows. */
  private vmBackend(props: StorageStackProps, resourceGroupName: string): GlusterFs | BeeGfs {
    const { config } = props;
    const storage = config.storage;
    const f = storage.fileServers;
    const zonal = f.availabilityZones && regionHasZones(config.location);
    const ppg = f.proximityPlacementGroup
      ? new ProximityPlacementGroup(this, 'proximity-placement-group', {
          name: this.naming.name('proximityPlacementGroup', 'storage'),
          location: config.location,
          resourceGroupName,
          tags: this.tags,
        })
      : undefined;
    this.proximityPlacementGroupId = ppg?.id;
    const common = {
      naming: this.naming,
      location: config.location,
      resourceGroupName,
      adminUsername: f.adminUsername,
      sshPublicKey: this.adminSshPublicKey,
      placement: { zones: zonal ? ['1', '2', '3'] : [], proximityPlacementGroupId: ppg?.id, acceleratedNetworking: f.acceleratedNetworking },
      tags: this.tags,
      network: props.network.network,
      domain: props.network.domain,
    };
    const g = storage.sambaGateway;
    const gateways = {
      secrets: props.network.secrets,
      joinPasswordSecret: props.network.secrets.password('domainAdmin'),
      netbiosName: config.domain.netbiosName,
      count: g.count,
      vmSize: g.vmSize,
      dnsName: g.dnsName,
      clientCidrs: [config.addressPlan.computeSubnet],
      natGateway: f.natGateway,
    };
    if (storage.backend === 'glusterfs') {
      const c = storage.glusterfs;
      return new GlusterFs(this, 'glusterfs', {
        ...common,
        serverCount: c.serverCount,
        replica: c.replica,
        arbiter: c.arbiter,
        vmSize: c.vmSize,
        disks: { count: c.diskCount, sizeGb: c.diskSizeGb, type: c.diskType },
        clientCidrs: [config.addressPlan.computeSubnet],
        dnsName: c.dnsName,
        gateways,
      });
    }
    const b = storage.beegfs;
    const group = (x: typeof b.storage) => ({
      count: x.count,
      vmSize: x.vmSize,
      diskLayout: x.diskLayout,
      disks: { count: x.diskCount, sizeGb: x.diskSizeGb, type: x.diskType },
      targetsPerServer: x.targetsPerServer,
    });
    return new BeeGfs(this, 'beegfs', {
      ...common,
      secrets: props.network.secrets,
      connAuthSecret: props.network.secrets.password('beegfsConnAuth'),
      managementVmSize: b.managementVmSize,
      metadata: group(b.metadata),
      storage: group(b.storage),
      clientCidrs: [config.addressPlan.computeSubnet],
      gateways,
    });
  }
}
