import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { Construct } from 'constructs';
import { JumpBoxes } from '../constructs/jump-boxes';
import { PhotoScanCluster } from '../constructs/photoscan-cluster';
import { installerUrls } from '../src/config/compute';
import { NetworkStack } from './network-stack';
import { PhotogrammetryStack, PhotogrammetryStackProps } from './photogrammetry-stack';
import { StorageStack } from './storage-stack';

/** Props of {@link ComputeStack}. */
export interface ComputeStackProps extends PhotogrammetryStackProps {
  readonly network: NetworkStack;
  /** Only its `fileSystem` (the SharedFileSystem interface) is used: the backend does not matter here. */
  readonly storage: StorageStack;
}

/** The compute stack: scheduler, GPU processing nodes and jump boxes. Deployed last. */
export class ComputeStack extends PhotogrammetryStack {
  readonly resourceGroupName: string;
  readonly cluster: PhotoScanCluster;
  readonly jumpBoxes: JumpBoxes;

  constructor(scope: Construct, id: string, props: ComputeStackProps) {
    super(scope, id, props);
    this.addDependency(props.network);
    this.addDependency(props.storage);
    const { config } = props;
    const c = config.compute;
    const net = props.network.network;
    const secrets = props.network.secrets;
    const domain = props.network.domain;
    const rg = new ResourceGroup(this, 'resource-group', {
      name: this.naming.name('resourceGroup', 'compute'),
      location: config.location,
      tags: this.tags,
    });
    this.resourceGroupName = rg.name;

    const adminPassword = secrets.password('localAdmin').value;
    const urls = installerUrls(c);

    this.cluster = new PhotoScanCluster(this, 'cluster', {
      naming: this.naming,
      location: config.location,
      resourceGroupName: rg.name,
      network: net,
      fileSystem: props.storage.fileSystem,
      schedulerIp: config.addressPlan.schedulerIp,
      schedulerSize: c.scheduler.size,
      allowControlFromJumpbox: c.scheduler.allowControlFromJumpbox,
      // With storage.fileServers.nodesInProximityPlacementGroup, the nodes join the file servers' proximity placement group.
      nodes: config.storage.fileServers.nodesInProximityPlacementGroup
        ? { ...c.nodes, proximityPlacementGroupId: props.storage.proximityPlacementGroupId }
        : c.nodes,
      orchestrator: c.orchestrator,
      batch: c.batch,
      cyclecloud: c.cyclecloud,
      resourceGroupId: rg.id,
      metashape: { version: c.metashape.version, linuxInstallerUrl: urls.linux, windowsInstallerUrl: urls.windows },
      secrets,
      domain,
      adminUsername: domain.adminUsername,
      adminPassword,
      sshPublicKey: this.adminSshPublicKey,
      tags: this.tags,
    });

    this.jumpBoxes = new JumpBoxes(this, 'jumpboxes', {
      naming: this.naming,
      location: config.location,
      resourceGroupName: rg.name,
      network: net,
      windowsIp: config.addressPlan.windowsJumpboxIp,
      windowsSize: c.jumpboxes.windowsSize,
      linux: c.jumpboxes.linux,
      linuxIp: config.addressPlan.linuxJumpboxIp,
      linuxSize: c.jumpboxes.linuxSize,
      adminUsername: domain.adminUsername,
      adminPassword,
      sshPublicKey: this.adminSshPublicKey,
      bastionSubnetCidr: c.bastion.enabled ? c.bastion.subnetCidr : undefined,
      domain,
      tags: this.tags,
    });
  }
}
