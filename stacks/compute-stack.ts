import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { Construct } from 'constructs';
import { JumpBoxes } from '../constructs/jump-boxes';
import { ClusterLicensing, PhotoScanCluster } from '../constructs/photoscan-cluster';
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

    const licensing: ClusterLicensing = secrets.activationCode
      ? { kind: 'code', keyVaultUri: secrets.vaultUri, secretName: secrets.activationCode.secretName, secretResourceId: secrets.activationCode.resourceId }
      : secrets.licenseServer
        ? { kind: 'license-server', address: secrets.licenseServer }
        : { kind: 'none' };
    const joinDomain = (scope: Construct, joinId: string, virtualMachineId: string) => domain.joinDomain(scope, joinId, { virtualMachineId, tags: this.tags }).extension;
    const adminPassword = secrets.password('localAdmin').value;
    const urls = installerUrls(c);

    this.cluster = new PhotoScanCluster(this, 'cluster', {
      naming: this.naming,
      location: config.location,
      resourceGroupName: rg.name,
      network: {
        subnetId: net.subnets.compute.id,
        subnetCidr: config.addressPlan.computeSubnet,
        nsgName: net.subnets.compute.nsgName,
        nsgResourceGroupName: net.resourceGroupName,
        jumpboxSubnetCidr: config.addressPlan.jumpboxSubnet,
      },
      fileSystem: props.storage.fileSystem,
      schedulerIp: config.addressPlan.schedulerIp,
      schedulerSize: c.scheduler.size,
      allowControlFromJumpbox: c.scheduler.allowControlFromJumpbox,
      nodes: c.nodes,
      metashape: { version: c.metashape.version, linuxInstallerUrl: urls.linux, windowsInstallerUrl: urls.windows },
      licensing,
      adminUsername: domain.adminUsername,
      adminPassword,
      sshPublicKey: this.adminSshPublicKey,
      grantSecretsRead: (scope, grantId, principalId, secretResourceId) => secrets.grantSecretsRead(scope, grantId, principalId, secretResourceId),
      joinDomain,
      tags: this.tags,
    });

    this.jumpBoxes = new JumpBoxes(this, 'jumpboxes', {
      naming: this.naming,
      location: config.location,
      resourceGroupName: rg.name,
      network: {
        subnetId: net.subnets.jumpbox.id,
        subnetCidr: config.addressPlan.jumpboxSubnet,
        nsgName: net.subnets.jumpbox.nsgName,
        resourceGroupName: net.resourceGroupName,
        vnetName: net.photoscanVnetName,
        vnetCidr: config.addressPlan.photoscanVnet,
        otherSubnetCidrs: { jumpboxSubnet: config.addressPlan.jumpboxSubnet, computeSubnet: config.addressPlan.computeSubnet, adSubnet: config.addressPlan.adSubnet },
      },
      windowsIp: config.addressPlan.windowsJumpboxIp,
      windowsSize: c.jumpboxes.windowsSize,
      linux: c.jumpboxes.linux,
      linuxIp: config.addressPlan.linuxJumpboxIp,
      linuxSize: c.jumpboxes.linuxSize,
      adminUsername: domain.adminUsername,
      adminPassword,
      sshPublicKey: this.adminSshPublicKey,
      bastionSubnetCidr: c.bastion.enabled ? c.bastion.subnetCidr : undefined,
      joinDomain,
      tags: this.tags,
    });
  }
}
