/**
 * What a shared file system offers the processing nodes and the scheduler.
 * The compute side depends on this interface only, never on a concrete
 * backend (AvereCache, Azure Managed Lustre, ...), so the configuration can
 * swap the backend with no change to the compute code.
 */

/** The POSIX identity every node shares so file ownership matches across nodes (seed: uid/gid 7007). */
export const SHARED_POSIX_IDENTITY = { user: 'hpcuser', uid: 7007, group: 'hpcgroup', gid: 7007 } as const;

/** One exported directory. */
export interface SharedExport {
  /** Short name, e.g. "data" or "home". */
  readonly name: string;
  /** Path on the server (NFS export / junction, or Lustre sub-directory), e.g. "/data". */
  readonly path: string;
  /** Where Linux clients mount it, e.g. "/mnt/vfxt-data". */
  readonly linuxMountPoint: string;
  /**
   * The address this export is mounted from, when each export has its own (an Azure NetApp Files volume's mount
   * address). Unset: the file system's `addresses` (Avere vservers, the Lustre MGS).
   */
  readonly address?: string;
}

/** How Linux clients mount the exports. */
export interface LinuxMount {
  /**
   * fstab file-system type: "nfs" (NFSv3), "lustre", "glusterfs" (the native FUSE client) or "beegfs" (the BeeGFS
   * client service mounts the whole file system at one point; the exports are directories in it).
   */
  readonly fsType: 'nfs' | 'lustre' | 'glusterfs' | 'beegfs';
  /** fstab options, e.g. ["hard", "proto=tcp", "mountproto=tcp", "retry=30", "noatime"]. */
  readonly options: readonly string[];
  /**
   * True when clients should spread over all `addresses` (each client mounts
   * from one address chosen by its index) rather than use `dnsName`.
   */
  readonly spreadOverAddresses: boolean;
  /**
   * A Key Vault secret the client needs before it mounts (BeeGFS's connection authentication file), read at boot with
   * the machine's managed identity; the compute side grants its machines read access to it. @default none
   */
  readonly clientSecret?: ClientSecret;
  /** Where the client's package repository is, when it comes from the file system's own (BeeGFS). @default none */
  readonly clientRepository?: string;
}

/** A Key Vault secret a client reads at boot (values may be Terraform references). */
export interface ClientSecret {
  /** `https://<vault>.vault.azure.net/` */
  readonly keyVaultUri: string;
  readonly secretName: string;
  /** ARM id of the secret, the scope of the read grant. */
  readonly secretResourceId: string;
  /** Where the client writes it (root only). */
  readonly path: string;
}

/** How the Windows scheduler reaches the data, or why it cannot. */
export type WindowsAccess =
  | {
      readonly supported: true;
      /** "nfs-client": Windows' Client for NFS with anonymous uid/gid; "smb": an SMB share. */
      readonly method: 'nfs-client' | 'smb';
      /** UNC path of the data export, e.g. "\\\\vfxt\\!\\data". */
      readonly uncPath: string;
    }
  | {
      readonly supported: false;
      /** Why Windows cannot mount it, and what to do instead (shown at synth and in reports). */
      readonly reason: string;
    };

/** A shared file system, as the compute side sees it. Values may be Terraform tokens. */
export interface SharedFileSystem {
  /** Backend kind, for reports: e.g. "avere-vfxt", "managed-lustre" or "netapp-files". */
  readonly kind: string;
  /** DNS name clients mount (round-robin over `addresses` where there are several), if any. */
  readonly dnsName?: string;
  /** Server addresses clients may mount from (cache vservers, Lustre MGS, every NetApp volume's mount address). */
  readonly addresses: readonly string[];
  /** Exported directories (seed: /data and /home). */
  readonly exports: readonly SharedExport[];
  readonly linux: LinuxMount;
  readonly windows: WindowsAccess;
}

/**
 * The fstab source of an export, mounted from its own address if it has one, else from `address`:
 * `10.1.0.17:/data` (NFS, GlusterFS's volume `data`) or `10.1.1.5@tcp:/lustrefs/` (Lustre); BeeGFS's client mounts
 * `beegfs_nodev` (the management host is in its configuration).
 */
export function mountSource(fs: Pick<SharedFileSystem, 'linux'>, exp: Pick<SharedExport, 'path' | 'address'>, address: string): string {
  const from = exp.address ?? address;
  if (fs.linux.fsType === 'beegfs') return 'beegfs_nodev';
  return fs.linux.fsType === 'lustre' ? `${from}@tcp:/lustrefs${exp.path === '/' ? '' : exp.path}` : `${from}:${exp.path}`;
}

/** A construct that provides a shared file system (Azure NetApp Files, Avere cache, Managed Lustre, or your own backend). */
export interface ISharedFileSystemBackend {
  /** What the scheduler and the processing nodes mount. */
  readonly fileSystem: SharedFileSystem;
}
