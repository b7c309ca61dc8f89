import { LinuxVirtualMachine } from '@cdktf/provider-azurerm/lib/linux-virtual-machine';
import { ManagedDisk } from '@cdktf/provider-azurerm/lib/managed-disk';
import { NetworkInterface } from '@cdktf/provider-azurerm/lib/network-interface';
import { VirtualMachineDataDiskAttachment } from '@cdktf/provider-azurerm/lib/virtual-machine-data-disk-attachment';
import { Fn, TerraformLocal } from 'cdktf';
import { Construct } from 'constructs';
import { Naming } from '../src/naming';
import { FILE_SERVER_TAGS } from '../src/storage/file-servers';

/** Ubuntu 22.04 LTS (Gen2): the file servers' and gateways' image (BeeGFS 7.4 and the distribution's GlusterFS support it). */
export const FILE_SERVER_IMAGE = { publisher: 'Canonical', offer: '0001-com-ubuntu-server-jammy', sku: '22_04-lts-gen2', version: 'latest' } as const;

/** Placement and networking every file server and gateway of one backend shares. */
export interface FileServerPlacement {
  /** Zones to spread the machines over, round robin (empty: no zones). */
  readonly zones: readonly string[];
  /** Proximity placement group id. @default none */
  readonly proximityPlacementGroupId?: string;
  readonly acceleratedNetworking: boolean;
}

/** One Linux machine of a VM-based backend. */
export interface FileServerVmSpec {
  /** Purpose in resource names, e.g. "gluster1". */
  readonly purpose: string;
  readonly size: string;
  readonly subnetId: string;
  readonly privateIp: string;
  /** The rendered cloud-config (a Terraform local; custom_data is its base64). */
  readonly cloudInit: string;
  /** Managed data disks (LUN = index). @default none */
  readonly dataDisks?: { readonly count: number; readonly sizeGb: number; readonly type: string };
  /** Index among its group, for the zone. */
  readonly index: number;
  /** What it holds, as tags for the report's capacity and throughput estimate. @default none (gateways, management) */
  readonly estimate?: { readonly role: string; readonly rawGib: number; readonly diskMbps: number; readonly copies: number };
}

/** Common props of the machines' constructs. */
export interface FileServerVmCommon {
  readonly naming: Naming;
  readonly location: string;
  readonly resourceGroupName: string;
  readonly adminUsername: string;
  readonly sshPublicKey: string;
  readonly placement: FileServerPlacement;
  readonly tags?: Readonly<Record<string, string>>;
}

/** A Linux VM with a static address, a system-assigned identity and its data disks: what every file server and gateway is. */
export class FileServerVm extends Construct {
  readonly vm: LinuxVirtualMachine;
  readonly nic: NetworkInterface;
  readonly disks: readonly ManagedDisk[];
  readonly principalId: string;

  constructor(scope: Construct, id: string, common: FileServerVmCommon, spec: FileServerVmSpec) {
    super(scope, id);
    const tags = common.tags ? { ...common.tags } : undefined;
    const zone = common.placement.zones.length > 0 ? common.placement.zones[spec.index % common.placement.zones.length] : undefined;
    this.nic = new NetworkInterface(this, 'nic', {
      name: common.naming.name('networkInterface', spec.purpose),
      location: common.location,
      resourceGroupName: common.resourceGroupName,
      acceleratedNetworkingEnabled: common.placement.acceleratedNetworking,
      ipConfiguration: [{ name: 'ipconfig', subnetId: spec.subnetId, privateIpAddressAllocation: 'Static', privateIpAddress: spec.privateIp }],
      tags,
    });
    const cloudInit = new TerraformLocal(this, 'cloud-init', spec.cloudInit);
    this.vm = new LinuxVirtualMachine(this, 'vm', {
      name: common.naming.name('virtualMachine', spec.purpose),
      location: common.location,
      resourceGroupName: common.resourceGroupName,
      size: spec.size,
      zone,
      proximityPlacementGroupId: common.placement.proximityPlacementGroupId,
      adminUsername: common.adminUsername,
      disablePasswordAuthentication: true,
      adminSshKey: [{ username: common.adminUsername, publicKey: common.sshPublicKey }],
      networkInterfaceIds: [this.nic.id],
      osDisk: { caching: 'ReadWrite', storageAccountType: 'Premium_LRS' },
      sourceImageReference: { ...FILE_SERVER_IMAGE },
      identity: { type: 'SystemAssigned' },
      encryptionAtHostEnabled: true,
      bootDiagnostics: {},
      customData: Fn.base64encode(cloudInit.asString),
      tags: spec.estimate
        ? {
            ...(tags ?? {}),
            [FILE_SERVER_TAGS.role]: spec.estimate.role,
            [FILE_SERVER_TAGS.rawGib]: String(spec.estimate.rawGib),
            [FILE_SERVER_TAGS.diskMbps]: String(spec.estimate.diskMbps),
            [FILE_SERVER_TAGS.copies]: String(spec.estimate.copies),
          }
        : tags,
    });
    this.principalId = this.vm.identity.principalId;
    const d = spec.dataDisks;
    this.disks = Array.from({ length: d?.count ?? 0 }, (_, lun) => {
      const disk = new ManagedDisk(this, `disk-${lun}`, {
        name: `${common.naming.name('managedDisk', spec.purpose)}-data${lun}`,
        location: common.location,
        resourceGroupName: common.resourceGroupName,
        storageAccountType: d!.type,
        createOption: 'Empty',
        diskSizeGb: d!.sizeGb,
        zone,
        tags,
      });
      new VirtualMachineDataDiskAttachment(this, `disk-${lun}-attachment`, {
        managedDiskId: disk.id,
        virtualMachineId: this.vm.id,
        lun,
        caching: d!.type === 'PremiumV2_LRS' ? 'None' : 'ReadOnly',
      });
      return disk;
    });
  }
}
