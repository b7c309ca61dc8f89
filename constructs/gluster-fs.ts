import { Construct } from 'constructs';
import { InputIssue, throwIfIssues } from '../src/errors';
import { glusterGatewayMount, renderGlusterServerCloudInit } from '../src/storage/boot';
import { fileServerAddresses, fileServerSubnetIssues, premiumDiskMbps } from '../src/storage/file-servers';
import { glusterFileSystem } from '../src/storage/file-systems';
import { GLUSTER_MAINTENANCE_NOTE, GLUSTER_MANAGEMENT_PORTS, glusterBrickPortRange, glusterLayoutIssues } from '../src/storage/glusterfs';
import type { ISharedFileSystemBackend, SharedFileSystem } from '../src/storage/shared-file-system';
import { warn, WARNING_IDS } from '../src/warnings';
import type { IDomain } from './domain-services';
import { FileServerVm, FileServerVmCommon } from './file-server-vms';
import type { IHpcNetwork } from './hpc-network';
import { SambaGateways, SambaGatewaysProps } from './samba-gateways';

/** Props of {@link GlusterFs}. */
export interface GlusterFsProps extends FileServerVmCommon {
  /** The network: servers go into its file server subnet (create it with `fileServerSubnet: true`). */
  readonly network: IHpcNetwork;
  /** The domain: the servers' round-robin name and the gateways' name go into its private zone. */
  readonly domain: IDomain;
  /** Servers, a multiple of `replica`. @default 3 */
  readonly serverCount?: number;
  /** @default 3 */
  readonly replica?: number;
  /** @default false */
  readonly arbiter?: boolean;
  /** @default "Standard_D8s_v5" */
  readonly vmSize?: string;
  /** Data disks per server, striped into one XFS brick file system. @default { count: 4, sizeGb: 1024, type: "Premium_LRS" } */
  readonly disks?: { readonly count: number; readonly sizeGb: number; readonly type: string };
  /** Networks of the clients (the volumes' auth.allow and the NSG): the compute subnet; the file server subnet (gateways) is added. @default the compute subnet */
  readonly clientCidrs?: readonly string[];
  /** Round-robin name of the servers. @default "gluster" */
  readonly dnsName?: string;
  /** The Samba gateways for Windows (everything but what GlusterFS fills in). */
  readonly gateways: Omit<SambaGatewaysProps, keyof FileServerVmCommon | 'network' | 'domain' | 'mount'>;
  /** Priorities of the NSG rules admitting glusterd and the bricks. @default 310 and 320 */
  readonly rulePriorities?: { readonly management: number; readonly bricks: number };
}

/**
 * GlusterFS on VMs, one of the seed's storage alternatives: N servers in the file server subnet with static
 * addresses, each with its data disks striped into one XFS brick file system, forming a distributed-replicated
 * volume per export (`data`, `home`; replica 2/3, optional arbiter) — the first server probes the others and
 * creates the volumes once all are up. Linux nodes mount with the native FUSE client (backup volfile servers);
 * Windows through {@link SambaGateways}. The file server subnet admits glusterd (24007–24008) and the brick ports
 * from the clients and the servers only. Synth warns about upstream's maintenance status.
 */
export class GlusterFs extends Construct implements ISharedFileSystemBackend {
  static readonly DEFAULT_SERVER_COUNT = 3;
  static readonly DEFAULT_REPLICA = 3;
  static readonly DEFAULT_VM_SIZE = 'Standard_D8s_v5';
  static readonly DEFAULT_DISKS = { count: 4, sizeGb: 1024, type: 'Premium_LRS' } as const;
  static readonly DEFAULT_DNS_NAME = 'gluster';

  readonly fileSystem: SharedFileSystem;
  readonly serverAddresses: readonly string[];
  readonly servers: readonly FileServerVm[];
  readonly gateways: SambaGateways;

  constructor(scope: Construct, id: string, props: GlusterFsProps) {
    super(scope, id);
    const layout = {
      serverCount: props.serverCount ?? GlusterFs.DEFAULT_SERVER_COUNT,
      replica: props.replica ?? GlusterFs.DEFAULT_REPLICA,
      arbiter: props.arbiter ?? false,
    };
    const subnet = props.network.subnet('fileserver');
    const clientCidrs = props.clientCidrs ?? [props.network.subnet('compute').cidr];
    const disks = props.disks ?? GlusterFs.DEFAULT_DISKS;
    const issues: InputIssue[] = [
      ...glusterLayoutIssues({ serverCount: 'serverCount', replica: 'replica', arbiter: 'arbiter' }, layout),
      ...fileServerSubnetIssues('network.fileserver', subnet.cidr, { servers: layout.serverCount }, { servers: 'serverCount' }),
    ];
    throwIfIssues(`GlusterFs props (${this.node.path})`, issues);
    warn(this, WARNING_IDS.GLUSTER_MAINTENANCE, `GlusterFs: ${GLUSTER_MAINTENANCE_NOTE}`);

    const addresses = fileServerAddresses(subnet.cidr, 'servers', layout.serverCount);
    this.serverAddresses = addresses;
    const peers = [...clientCidrs, subnet.cidr];
    const priorities = props.rulePriorities ?? { management: 310, bricks: 320 };
    props.network.allowInbound(
      'fileserver',
      {
        name: 'allow-glusterd',
        priority: priorities.management,
        access: 'Allow',
        protocol: 'Tcp',
        ports: [GLUSTER_MANAGEMENT_PORTS],
        sources: peers,
        destination: subnet.cidr,
        description: 'glusterd (volfiles, peer traffic) from the clients, the gateways and the other servers',
      },
      { scope: this, id: 'glusterd-rule' },
    );
    props.network.allowInbound(
      'fileserver',
      {
        name: 'allow-gluster-bricks',
        priority: priorities.bricks,
        access: 'Allow',
        protocol: 'Tcp',
        ports: [glusterBrickPortRange().text],
        sources: peers,
        destination: subnet.cidr,
        description: 'GlusterFS brick processes (glusterd max-port keeps them in this range)',
      },
      { scope: this, id: 'bricks-rule' },
    );

    this.servers = addresses.map(
      (ip, i) =>
        new FileServerVm(this, `server-${i + 1}`, props, {
          purpose: `gluster${i + 1}`,
          size: props.vmSize ?? GlusterFs.DEFAULT_VM_SIZE,
          subnetId: subnet.id,
          privateIp: ip,
          cloudInit: renderGlusterServerCloudInit({
            serverAddresses: addresses,
            index: i,
            replica: layout.replica,
            arbiter: layout.arbiter,
            diskCount: disks.count,
            clientCidrs: peers,
          }),
          dataDisks: disks,
          index: i,
          estimate: {
            role: 'glusterfs-server',
            rawGib: disks.count * disks.sizeGb,
            diskMbps: disks.count * premiumDiskMbps(disks.sizeGb),
            copies: layout.replica,
          },
        }),
    );
    const published = props.domain.publishRoundRobin(this, 'round-robin', { name: props.dnsName ?? GlusterFs.DEFAULT_DNS_NAME, addresses, tags: props.tags });

    this.gateways = new SambaGateways(this, 'gateways', {
      ...commonOf(props),
      network: props.network,
      domain: props.domain,
      ...props.gateways,
      mount: glusterGatewayMount(addresses),
    });
    this.fileSystem = glusterFileSystem({ serverAddresses: addresses, dnsName: published.fqdn, smbHost: this.gateways.fqdn });
  }
}

/** The props every machine of a backend shares (no backend-specific key leaks into the gateways' props). */
export function commonOf(props: FileServerVmCommon): FileServerVmCommon {
  const { naming, location, resourceGroupName, adminUsername, sshPublicKey, placement, tags } = props;
  return { naming, location, resourceGroupName, adminUsername, sshPublicKey, placement, tags };
}
