/**
 * The `SharedFileSystem` each storage backend offers the compute side. Pure
 * functions: the constructs fill in their addresses and names.
 */
import { formatIpv4, parseIpv4 } from '../net/cidr';
import { LUSTRE_MOUNT_OPTIONS } from './lustre';
import { NETAPP_NFS_OPTIONS } from './netapp';
import { BEEGFS_CONNAUTH_FILE, BEEGFS_MOUNT_POINT, beegfsRepositoryBase } from './beegfs';
import { GLUSTER_VOLUMES, glusterMountOptions } from './glusterfs';
import type { ClientSecret, SharedExport, SharedFileSystem } from './shared-file-system';

/** NFSv3 client options for Avere vFXT (Microsoft's client guidance plus the seed's noatime). */
export const AVERE_NFS_OPTIONS = ['vers=3', 'hard', 'proto=tcp', 'mountproto=tcp', 'retry=30', 'noatime', '_netdev'] as const;

/** `count` consecutive addresses from `first` (e.g. the vserver range). */
export function addressRange(first: string, count: number): string[] {
  const start = parseIpv4(first);
  if (start === undefined) throw new Error(`addressRange: ${JSON.stringify(first)} is not an IPv4 address`);
  return Array.from({ length: count }, (_, i) => formatIpv4(start + BigInt(i)));
}

/** The Avere cache as a shared file system: `/data` and `/home` over NFSv3, spread over every vserver address. */
export function avereFileSystem(props: { readonly dnsName: string; readonly vserverAddresses: readonly string[] }): SharedFileSystem {
  // (not named `exports`: CommonJS output would shadow the module's own exports)
  const shared: SharedExport[] = [
    { name: 'data', path: '/data', linuxMountPoint: '/mnt/vfxt-data' },
    { name: 'home', path: '/home', linuxMountPoint: '/mnt/vfxt-home' },
  ];
  return {
    kind: 'avere-vfxt',
    dnsName: props.dnsName,
    addresses: [...props.vserverAddresses],
    exports: shared,
    linux: { fsType: 'nfs', options: [...AVERE_NFS_OPTIONS], spreadOverAddresses: true },
    // Windows' Client for NFS: "!" is the root of the cache's namespace (the seed's \\vfxt\!\data).
    windows: { supported: true, method: 'nfs-client', uncPath: `\\\\${props.dnsName}\\!\\data` },
  };
}

/** Why the Windows scheduler cannot use Azure Managed Lustre, and what to do. */
export const LUSTRE_WINDOWS_REASON =
  'Azure Managed Lustre has no Windows client, so the Windows scheduler cannot mount it. The scheduler only dispatches ' +
  'work (nodes read and write the data over Lustre); to reach the data from Windows, copy through a Linux node or ' +
  'choose a backend with SMB (Azure NetApp Files).';

/** Azure Managed Lustre as a shared file system: the whole namespace at /data (HSM-backed by the data container). */
export function lustreFileSystem(props: { readonly mgsAddress: string }): SharedFileSystem {
  return {
    kind: 'managed-lustre',
    addresses: [props.mgsAddress],
    exports: [{ name: 'data', path: '/', linuxMountPoint: '/mnt/lustre-data' }],
    linux: { fsType: 'lustre', options: [...LUSTRE_MOUNT_OPTIONS], spreadOverAddresses: false },
    windows: { supported: false, reason: LUSTRE_WINDOWS_REASON },
  };
}

/** One Azure NetApp Files volume as an export: its name, its volume path (the NFS export) and its mount address. */
export interface NetAppExportProps {
  readonly name: string;
  /** The volume's `volume_path` (unique in the subscription and region), exported as `/<volumePath>`. */
  readonly volumePath: string;
  /** The volume's mount address (first of its `mount_ip_addresses`; a Terraform reference). */
  readonly address: string;
  /** @default `/mnt/anf-<name>` */
  readonly linuxMountPoint?: string;
}

/**
 * Azure NetApp Files as a shared file system: one NFSv3 volume per export, each mounted from its own address with
 * NetApp's HPC options; Windows maps the `data` volume through Client for NFS (anonymous uid/gid 7007), as the seed
 * did with Avere.
 */
export function netappFileSystem(props: { readonly exports: readonly NetAppExportProps[] }): SharedFileSystem {
  const shared: SharedExport[] = props.exports.map((e) => ({
    name: e.name,
    path: `/${e.volumePath}`,
    linuxMountPoint: e.linuxMountPoint ?? `/mnt/anf-${e.name}`,
    address: e.address,
  }));
  const data = props.exports.find((e) => e.name === 'data') ?? props.exports[0];
  return {
    kind: 'netapp-files',
    addresses: [...new Set(shared.map((e) => e.address!))],
    exports: shared,
    linux: { fsType: 'nfs', options: [...NETAPP_NFS_OPTIONS], spreadOverAddresses: false },
    // Windows' Client for NFS names an NFS export \\<server>\<export path>.
    windows: { supported: true, method: 'nfs-client', uncPath: `\\\\${data.address}\\${data.volumePath}` },
  };
}

/**
 * GlusterFS as a shared file system: the volumes `data` and `home` over the native FUSE client, each mounted from the
 * first server with the others as backup volfile servers (after the volfile, the client talks to every brick
 * itself); Windows through the Samba gateways' SMB shares behind the internal load balancer name.
 */
export function glusterFileSystem(props: {
  readonly serverAddresses: readonly string[];
  /** Round-robin name of the servers in the private zone, if any. */
  readonly dnsName?: string;
  /** FQDN (or address) of the gateways' load balancer. */
  readonly smbHost: string;
}): SharedFileSystem {
  return {
    kind: 'glusterfs',
    dnsName: props.dnsName,
    addresses: [...props.serverAddresses],
    exports: GLUSTER_VOLUMES.map((v) => ({ name: v, path: `/${v}`, linuxMountPoint: `/mnt/gluster-${v}` })),
    linux: { fsType: 'glusterfs', options: glusterMountOptions(props.serverAddresses), spreadOverAddresses: false },
    windows: { supported: true, method: 'smb', uncPath: `\\\\${props.smbHost}\\data` },
  };
}

/**
 * BeeGFS as a shared file system: the client service mounts the whole file system at {@link BEEGFS_MOUNT_POINT}
 * (its management server's address in the client configuration, the connection authentication secret from Key
 * Vault); `/data` and `/home` are directories in it. Windows through the Samba gateways.
 */
export function beegfsFileSystem(props: {
  readonly managementAddress: string;
  readonly connAuthSecret: Omit<ClientSecret, 'path'>;
  readonly smbHost: string;
  /** @default the pinned release's repository */
  readonly repository?: string;
}): SharedFileSystem {
  return {
    kind: 'beegfs',
    addresses: [props.managementAddress],
    exports: ['data', 'home'].map((v) => ({ name: v, path: `/${v}`, linuxMountPoint: `${BEEGFS_MOUNT_POINT}/${v}` })),
    linux: {
      fsType: 'beegfs',
      options: [],
      spreadOverAddresses: false,
      clientSecret: { ...props.connAuthSecret, path: BEEGFS_CONNAUTH_FILE },
      clientRepository: props.repository ?? beegfsRepositoryBase(),
    },
    windows: { supported: true, method: 'smb', uncPath: `\\\\${props.smbHost}\\data` },
  };
}
