/**
 * The boot of the VM-based file systems' machines: the GlusterFS servers' and the Samba gateways' cloud-config
 * (scripts under src/vm-scripts/linux, rendered with their parameters). Values may be Terraform references (the
 * vault URI); by default the result is escaped for a Terraform attribute, like the nodes' cloud-init.
 */
import { renderSecretHelper, SECRET_HELPER_PATH } from '../compute/cloud-init';
import { cloudConfig } from '../compute/yaml';
import { readScript, renderTemplate, shLiteral } from '../vm-scripts/render';
import { BEEGFS_CONNAUTH_FILE, BEEGFS_MOUNT_POINT, BeegfsDiskLayout, beegfsRepositoryBase } from './beegfs';
import { GLUSTER_VOLUMES, glusterBrickPortRange, glusterMountOptions } from './glusterfs';
import { SHARED_POSIX_IDENTITY } from './shared-file-system';

export const GLUSTER_SERVER_SCRIPT_PATH = '/opt/photogrammetry/gluster-server.sh';
export const GLUSTER_FORM_SCRIPT_PATH = '/opt/photogrammetry/gluster-form.sh';
export const GLUSTER_FORM_UNIT_PATH = '/etc/systemd/system/gluster-form.service';
export const GLUSTER_FORM_TIMER_PATH = '/etc/systemd/system/gluster-form.timer';
export const GLUSTER_FORMED_MARKER = '/var/lib/photogrammetry/gluster-formed';
export const GLUSTER_BRICK_ROOT = '/bricks/brick1';
/** How long one formation attempt waits for the other servers (seconds); the timer starts another 5 minutes later. */
export const GLUSTER_WAIT_WINDOW_SECONDS = 900;
export const GATEWAY_SCRIPT_PATH = '/opt/photogrammetry/samba-gateway.sh';

/** What a GlusterFS server needs to know. */
export interface GlusterServerParams {
  /** Every server's address, in brick order; the first forms the pool. */
  readonly serverAddresses: readonly string[];
  /** This server's index in `serverAddresses`. */
  readonly index: number;
  readonly replica: number;
  readonly arbiter: boolean;
  readonly diskCount: number;
  /** Networks allowed to mount the volumes (glusterd's auth.allow), as CIDRs. */
  readonly clientCidrs: readonly string[];
}

/**
 * auth.allow patterns of CIDRs (glusterd matches address wildcards): a prefix on an octet boundary is exact
 * (`10.0.1.0/24` → `10.0.1.*`); any other widens to the enclosing boundary (`10.0.1.0/25` → `10.0.1.*`), and the
 * file server subnet's NSG still admits exactly the CIDR.
 */
export function glusterAuthAllow(cidrs: readonly string[]): string {
  return [
    ...new Set(
      cidrs.map((c) => {
        const [address, prefix] = c.split('/');
        const keep = Math.floor(Number(prefix) / 8);
        return keep >= 4 ? address : [...address.split('.').slice(0, keep), '*'].join('.');
      }),
    ),
  ].join(',');
}

/** The formation script of the first server. */
export function renderGlusterFormScript(p: GlusterServerParams, forTerraform = true): string {
  return renderTemplate(
    readScript('linux/gluster-form.sh'),
    {
      SERVERS: p.serverAddresses.map(shLiteral).join(' '),
      VOLUMES: GLUSTER_VOLUMES.map(shLiteral).join(' '),
      TYPE_ARGS: ['replica', String(p.replica), ...(p.arbiter ? ['arbiter', '1'] : [])].map(shLiteral).join(' '),
      BRICK_ROOT: shLiteral(GLUSTER_BRICK_ROOT),
      AUTH_ALLOW: shLiteral(glusterAuthAllow(p.clientCidrs)),
      WAIT_WINDOW: String(GLUSTER_WAIT_WINDOW_SECONDS),
      FORMED_MARKER: shLiteral(GLUSTER_FORMED_MARKER),
    },
    { name: 'linux/gluster-form.sh', forTerraform },
  );
}

/** The server preparation script. */
export function renderGlusterServerScript(p: GlusterServerParams, forTerraform = true): string {
  return renderTemplate(
    readScript('linux/gluster-server.sh'),
    {
      DATA_DISKS: readScript('linux/data-disks.sh').trimEnd(),
      DISK_COUNT: String(p.diskCount),
      BRICK_ROOT: shLiteral(GLUSTER_BRICK_ROOT),
      VOLUMES: GLUSTER_VOLUMES.map(shLiteral).join(' '),
      MAX_PORT: String(glusterBrickPortRange().last),
      FORMS_POOL: p.index === 0 ? 'true' : 'false',
    },
    { name: 'linux/gluster-server.sh', forTerraform },
  );
}

/** A GlusterFS server's `#cloud-config`: the preparation script and, on the first server, the formation unit and timer. */
export function renderGlusterServerCloudInit(p: GlusterServerParams, forTerraform = true): string {
  const files: Array<Record<string, string>> = [
    { path: GLUSTER_SERVER_SCRIPT_PATH, permissions: '0755', owner: 'root:root', content: renderGlusterServerScript(p, forTerraform) },
  ];
  if (p.index === 0) {
    files.push(
      { path: GLUSTER_FORM_SCRIPT_PATH, permissions: '0755', owner: 'root:root', content: renderGlusterFormScript(p, forTerraform) },
      {
        path: GLUSTER_FORM_UNIT_PATH,
        permissions: '0644',
        owner: 'root:root',
        content: renderTemplate(
          readScript('linux/gluster-form.service'),
          { FORMED_MARKER: GLUSTER_FORMED_MARKER, FORM_SCRIPT: GLUSTER_FORM_SCRIPT_PATH },
          { name: 'linux/gluster-form.service', forTerraform },
        ),
      },
      {
        path: GLUSTER_FORM_TIMER_PATH,
        permissions: '0644',
        owner: 'root:root',
        content: renderTemplate(readScript('linux/gluster-form.timer'), {}, { name: 'linux/gluster-form.timer', forTerraform }),
      },
    );
  }
  return cloudConfig({ write_files: files, runcmd: [['bash', GLUSTER_SERVER_SCRIPT_PATH]] });
}

/** The gateway's "mount the backend" part for GlusterFS: the FUSE client and an fstab entry per volume. */
export function glusterGatewayMount(serverAddresses: readonly string[]): {
  readonly snippet: string;
  readonly shares: ReadonlyArray<{ name: string; path: string }>;
} {
  const options = glusterMountOptions(serverAddresses).join(',');
  const shares = GLUSTER_VOLUMES.map((v) => ({ name: v, path: `/mnt/gluster-${v}` }));
  const lines = [
    'install_packages glusterfs-client',
    'touch "$R/etc/fstab"',
    ...shares.flatMap((s) => {
      const entry = `${serverAddresses[0]}:/${s.name} ${s.path} glusterfs ${options} 0 0`;
      return [
        `mkdir -p "$R"${shLiteral(s.path)}`,
        `grep -qs ${shLiteral(` ${s.path} `)} "$R/etc/fstab" || echo ${shLiteral(entry)} >> "$R/etc/fstab"`,
        `echo ${shLiteral(`RequiresMountsFor=${s.path}`)} >> "$DROP_IN"`,
      ];
    }),
    '# The volumes exist once the first server has formed the pool: not fatal here, systemd mounts them before smbd.',
    'mount -a || echo "the GlusterFS volumes are not mounted yet; smbd waits for them" >&2',
  ];
  return { snippet: lines.join('\n'), shares };
}

/** What a Samba gateway needs to know. */
export interface SambaGatewayParams {
  /** The domain (FQDN) and its NetBIOS name. */
  readonly domainName: string;
  readonly netbiosName: string;
  /** The account that joins machines, and where its password is in Key Vault. */
  readonly joinUser: string;
  readonly keyVaultUri: string;
  readonly joinSecretName: string;
  /** Networks allowed to connect (smb.conf `hosts allow`), CIDRs. */
  readonly clientCidrs: readonly string[];
  /** The backend's mount part and the shares it offers. */
  readonly mount: { readonly snippet: string; readonly shares: ReadonlyArray<{ name: string; path: string }> };
}

/** The gateway script. */
export function renderSambaGatewayScript(p: SambaGatewayParams, forTerraform = true): string {
  return renderTemplate(
    readScript('linux/samba-gateway.sh'),
    {
      HPC_USER: shLiteral(SHARED_POSIX_IDENTITY.user),
      HPC_UID: String(SHARED_POSIX_IDENTITY.uid),
      HPC_GROUP: shLiteral(SHARED_POSIX_IDENTITY.group),
      HPC_GID: String(SHARED_POSIX_IDENTITY.gid),
      REALM: shLiteral(p.domainName.toUpperCase()),
      WORKGROUP: shLiteral(p.netbiosName.toUpperCase()),
      JOIN_USER: shLiteral(p.joinUser),
      KEY_VAULT_URI: shLiteral(p.keyVaultUri),
      JOIN_SECRET: shLiteral(p.joinSecretName),
      SECRET_HELPER: shLiteral(SECRET_HELPER_PATH),
      HOSTS_ALLOW: shLiteral(p.clientCidrs.join(' ')),
      SHARES: p.mount.shares.map((s) => shLiteral(`${s.name}|${s.path}`)).join(' '),
      MOUNT_BACKEND: p.mount.snippet,
    },
    { name: 'linux/samba-gateway.sh', forTerraform },
  );
}

/** A gateway's `#cloud-config`: the secret helper and the gateway script, run once. */
export function renderSambaGatewayCloudInit(p: SambaGatewayParams, forTerraform = true): string {
  const doc = {
    write_files: [
      { path: SECRET_HELPER_PATH, permissions: '0700', owner: 'root:root', content: renderSecretHelper(forTerraform) },
      { path: GATEWAY_SCRIPT_PATH, permissions: '0700', owner: 'root:root', content: renderSambaGatewayScript(p, forTerraform) },
    ],
    runcmd: [['bash', GATEWAY_SCRIPT_PATH]],
  };
  return cloudConfig(doc);
}

export const BEEGFS_SERVER_SCRIPT_PATH = '/opt/photogrammetry/beegfs-server.sh';

/** What a BeeGFS server needs to know. */
export interface BeegfsServerParams {
  readonly role: 'management' | 'metadata' | 'storage';
  readonly managementAddress: string;
  /** Numeric id of the service (metadata and storage servers: 1-based within the group). */
  readonly serverId: number;
  /** Target ids on this server (storage: `server*100 + t`; metadata and management: one). */
  readonly targetIds: readonly number[];
  readonly diskLayout: BeegfsDiskLayout;
  readonly diskCount: number;
  readonly keyVaultUri: string;
  readonly connAuthSecretName: string;
  /** @default the pinned release's repository */
  readonly repository?: string;
}

/** The server script. */
export function renderBeegfsServerScript(p: BeegfsServerParams, forTerraform = true): string {
  return renderTemplate(
    readScript('linux/beegfs-server.sh'),
    {
      DATA_DISKS: readScript('linux/data-disks.sh').trimEnd(),
      ROLE: shLiteral(p.role),
      MGMT_HOST: shLiteral(p.managementAddress),
      SERVER_ID: String(p.serverId),
      TARGET_IDS: p.targetIds.map(String).join(' '),
      DISK_LAYOUT: shLiteral(p.diskLayout),
      DISK_COUNT: String(p.diskCount),
      REPOSITORY: shLiteral(p.repository ?? beegfsRepositoryBase()),
      KEY_VAULT_URI: shLiteral(p.keyVaultUri),
      CONNAUTH_SECRET: shLiteral(p.connAuthSecretName),
      CONNAUTH_FILE: shLiteral(BEEGFS_CONNAUTH_FILE),
      SECRET_HELPER: shLiteral(SECRET_HELPER_PATH),
    },
    { name: 'linux/beegfs-server.sh', forTerraform },
  );
}

/** A BeeGFS server's `#cloud-config`: the secret helper and the server script, run once. */
export function renderBeegfsServerCloudInit(p: BeegfsServerParams, forTerraform = true): string {
  const doc = {
    write_files: [
      { path: SECRET_HELPER_PATH, permissions: '0700', owner: 'root:root', content: renderSecretHelper(forTerraform) },
      { path: BEEGFS_SERVER_SCRIPT_PATH, permissions: '0700', owner: 'root:root', content: renderBeegfsServerScript(p, forTerraform) },
    ],
    runcmd: [['bash', BEEGFS_SERVER_SCRIPT_PATH]],
  };
  return cloudConfig(doc);
}

/**
 * The gateway's "mount the backend" part for BeeGFS: the client from BeeGFS's repository (module built for the
 * running kernel), the connection authentication secret, the client service; smbd waits for it.
 */
export function beegfsGatewayMount(p: { managementAddress: string; keyVaultUri: string; connAuthSecretName: string; repository?: string }): {
  readonly snippet: string;
  readonly shares: ReadonlyArray<{ name: string; path: string }>;
} {
  const repo = shLiteral(p.repository ?? beegfsRepositoryBase());
  const shares = ['data', 'home'].map((v) => ({ name: v, path: `${BEEGFS_MOUNT_POINT}/${v}` }));
  const lines = [
    `BEEGFS_REPOSITORY=${repo}`,
    '# shellcheck disable=SC1091',
    '. "$R/etc/os-release"',
    'mkdir -p "$R/usr/share/keyrings" "$R/etc/apt/sources.list.d"',
    'curl -fsSL --retry 5 "${BEEGFS_REPOSITORY}/gpg/GPG-KEY-beegfs" | gpg --dearmor --yes -o "$R/usr/share/keyrings/beegfs.gpg"',
    'echo "deb [arch=amd64 signed-by=/usr/share/keyrings/beegfs.gpg] ${BEEGFS_REPOSITORY} ${VERSION_CODENAME} non-free" > "$R/etc/apt/sources.list.d/beegfs.list"',
    'apt-get update -q -o DPkg::Lock::Timeout=600 -o Acquire::Retries=5',
    'install_packages beegfs-client beegfs-helperd beegfs-utils "linux-headers-$(uname -r)" build-essential',
    `"$R$SECRET_HELPER" "$KEY_VAULT_URI" ${shLiteral(p.connAuthSecretName)} ${shLiteral(BEEGFS_CONNAUTH_FILE)}`,
    `"$R/opt/beegfs/sbin/beegfs-setup-client" -m ${shLiteral(p.managementAddress)}`,
    'for conf in beegfs-client.conf beegfs-helperd.conf; do',
    '  touch "$R/etc/beegfs/$conf"',
    `  sed -i -E '/^[[:space:]]*connAuthFile[[:space:]]*=/d; /^[[:space:]]*connDisableAuthentication[[:space:]]*=/d' "$R/etc/beegfs/$conf"`,
    `  printf 'connAuthFile = %s\\nconnDisableAuthentication = false\\n' ${shLiteral(BEEGFS_CONNAUTH_FILE)} >> "$R/etc/beegfs/$conf"`,
    'done',
    `echo ${shLiteral(`${BEEGFS_MOUNT_POINT} /etc/beegfs/beegfs-client.conf`)} > "$R/etc/beegfs/beegfs-mounts.conf"`,
    `mkdir -p "$R"${shLiteral(BEEGFS_MOUNT_POINT)}`,
    'systemctl enable beegfs-helperd.service beegfs-client.service',
    'systemctl restart beegfs-helperd.service',
    'systemctl restart beegfs-client.service || echo "beegfs-client did not start yet; smbd waits for it" >&2',
    `if mountpoint -q "$R"${shLiteral(BEEGFS_MOUNT_POINT)}; then`,
    ...shares.map((s) => `  mkdir -p "$R"${shLiteral(s.path)}`),
    'else',
    `  echo ${shLiteral('BeeGFS is not mounted yet: smbd starts once the client is up')} >&2`,
    'fi',
    `printf 'Requires=beegfs-client.service\\nAfter=beegfs-client.service\\n' >> "$DROP_IN"`,
  ];
  return { snippet: lines.join('\n'), shares };
}
