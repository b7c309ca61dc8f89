/**
 * The `SharedFileSystem` each storage backend offers the compute side. Pure
 * functions: the constructs fill in their addresses and names.
 */
import { formatIpv4, parseIpv4 } from '../net/cidr';
import { LUSTRE_MOUNT_OPTIONS } from './lustre';
import { NETAPP_NFS_OPTIONS } from './netapp';
import type { SharedExport, SharedFileSystem } from './shared-file-system';

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
