/**
 * The processing nodes' cloud-init: the node setup script and the systemd
 * unit (files under src/vm-scripts/linux), rendered with their parameters and
 * wrapped in a `#cloud-config` document. Values are quoted for the shell; by
 * default the result is escaped for Terraform (it goes into a plain string
 * attribute, where Terraform references such as the Lustre MGS address resolve).
 */
import { keyVaultReadFragment, readScript, renderTemplate, shLiteral } from '../vm-scripts/render';
import { SHARED_POSIX_IDENTITY, SharedFileSystem } from '../storage/shared-file-system';
import { nodeArguments } from './metashape';
import {
  ACTIVATE_PY_PATH,
  ACTIVATE_SCRIPT_PATH,
  ACTIVATE_TIMER_PATH,
  ACTIVATE_UNIT_PATH,
  AMLFS_LUSTRE_CLIENT_VERSION,
  INSTALL_DIR,
  METASHAPE_LICENSE_DIR,
  renderActivationScript,
  renderActivationUnits,
} from './node-boot';
import type { LicensingParams } from './windows-bootstrap';
import { cloudConfig } from './yaml';
import { BEEGFS_MOUNT_POINT } from '../storage/beegfs';
import { SECRET_RETRY_WINDOW_SECONDS } from './node-boot';

/** Where machines keep the Key Vault secret helper (src/vm-scripts/linux/keyvault-secret.sh). */
export const SECRET_HELPER_PATH = '/opt/photogrammetry/keyvault-secret.sh';

/** The helper that writes one Key Vault secret into a root-only file (retrying while the role assignment propagates). */
export function renderSecretHelper(forTerraform = true): string {
  return renderTemplate(
    readScript('linux/keyvault-secret.sh'),
    { RETRY_WINDOW: String(SECRET_RETRY_WINDOW_SECONDS), KEYVAULT_READ: keyVaultReadFragment() },
    { name: 'linux/keyvault-secret.sh', forTerraform },
  );
}

/** What a node needs to know. */
export interface NodeCloudInitParams {
  readonly fileSystem: SharedFileSystem;
  readonly schedulerIp: string;
  readonly metashapeVersion: string;
  /** https URL of the Linux installer (.tar.gz). */
  readonly installerUrl: string;
  readonly gpuMask: number;
  /** How the node is licensed. */
  readonly licensing: LicensingParams;
}

export const NODE_SETUP_PATH = '/opt/photogrammetry/node-setup.sh';
export const NODE_UNIT_PATH = '/etc/systemd/system/metashape-node.service';

/** A systemd ExecStart word (quoted when it has spaces or quotes). */
function systemdWord(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `"${word.replace(/(["\\])/g, '\\$1')}"`;
}

/** The mount point of the export the nodes work in (`data`, else the first). */
export function dataMountPoint(fs: SharedFileSystem): string {
  return (fs.exports.find((e) => e.name === 'data') ?? fs.exports[0]).linuxMountPoint;
}

/** The node setup script. */
export function renderNodeSetupScript(p: NodeCloudInitParams, forTerraform = true): string {
  const fs = p.fileSystem;
  const l = p.licensing;
  return renderTemplate(
    readScript('linux/node-setup.sh'),
    {
      HPC_USER: shLiteral(SHARED_POSIX_IDENTITY.user),
      HPC_UID: String(SHARED_POSIX_IDENTITY.uid),
      HPC_GROUP: shLiteral(SHARED_POSIX_IDENTITY.group),
      HPC_GID: String(SHARED_POSIX_IDENTITY.gid),
      FS_TYPE: shLiteral(fs.linux.fsType),
      MOUNT_OPTIONS: shLiteral(fs.linux.options.join(',')),
      SERVER_ADDRESSES: fs.addresses.map(shLiteral).join(' '),
      SPREAD: fs.linux.spreadOverAddresses ? 'true' : 'false',
      // path|mount point|own address (empty: one of SERVER_ADDRESSES)
      EXPORTS: fs.exports.map((e) => shLiteral(`${e.path}|${e.linuxMountPoint}|${e.address ?? ''}`)).join(' '),
      DATA_MOUNT: shLiteral(dataMountPoint(fs)),
      INSTALLER_URL: shLiteral(p.installerUrl),
      INSTALL_DIR: shLiteral(INSTALL_DIR),
      LICENSING: shLiteral(l.kind),
      LICENSE_SERVER: shLiteral(l.kind === 'license-server' ? l.address : ''),
      LICENSE_DIR: shLiteral(METASHAPE_LICENSE_DIR),
      LUSTRE_CLIENT_VERSION: shLiteral(AMLFS_LUSTRE_CLIENT_VERSION),
      CLIENT_REPOSITORY: shLiteral(fs.linux.clientRepository ?? ''),
      SECRET_HELPER: shLiteral(SECRET_HELPER_PATH),
      CLIENT_SECRET_VAULT: shLiteral(fs.linux.clientSecret?.keyVaultUri ?? ''),
      CLIENT_SECRET_NAME: shLiteral(fs.linux.clientSecret?.secretName ?? ''),
      CLIENT_SECRET_FILE: shLiteral(fs.linux.clientSecret?.path ?? ''),
      BEEGFS_MOUNT: shLiteral(BEEGFS_MOUNT_POINT),
    },
    { name: 'linux/node-setup.sh', forTerraform },
  );
}

/** The systemd unit that runs the node and restarts it on failure. */
export function renderNodeUnit(p: NodeCloudInitParams, forTerraform = true): string {
  const root = dataMountPoint(p.fileSystem);
  const args = nodeArguments({ version: p.metashapeVersion, schedulerIp: p.schedulerIp, root, gpuMask: p.gpuMask });
  return renderTemplate(
    readScript('linux/metashape-node.service'),
    {
      DATA_MOUNT: root,
      HPC_USER: SHARED_POSIX_IDENTITY.user,
      HPC_GROUP: SHARED_POSIX_IDENTITY.group,
      EXEC_START: [`${INSTALL_DIR}/metashape.sh`, ...args, '-platform', 'offscreen'].map(systemdWord).join(' '),
    },
    { name: 'linux/metashape-node.service', forTerraform },
  );
}

/** One file of the node's boot: where it goes, its mode and its rendered content. */
export interface NodeBootFile {
  readonly path: string;
  readonly permissions: string;
  readonly content: string;
}

/**
 * The files every Linux node gets, whatever starts it (cloud-init on the scale set, the Batch start task, the
 * CycleCloud cluster-init): the setup script, the node unit and the activation (helper, its Python script, service
 * and timer). {@link NODE_SETUP_PATH} is then run once.
 */
export function renderNodeBootFiles(p: NodeCloudInitParams, forTerraform = true): NodeBootFile[] {
  const activation = renderActivationUnits(forTerraform);
  return [
    { path: NODE_SETUP_PATH, permissions: '0755', content: renderNodeSetupScript(p, forTerraform) },
    { path: NODE_UNIT_PATH, permissions: '0644', content: renderNodeUnit(p, forTerraform) },
    { path: ACTIVATE_SCRIPT_PATH, permissions: '0700', content: renderActivationScript(p, forTerraform) },
    { path: ACTIVATE_PY_PATH, permissions: '0644', content: activation.python },
    { path: ACTIVATE_UNIT_PATH, permissions: '0644', content: activation.service },
    { path: ACTIVATE_TIMER_PATH, permissions: '0644', content: activation.timer },
    // The helper that writes a file system client's secret (BeeGFS), only where the file system has one.
    ...(p.fileSystem.linux.clientSecret ? [{ path: SECRET_HELPER_PATH, permissions: '0700', content: renderSecretHelper(forTerraform) }] : []),
  ];
}

/**
 * The `#cloud-config` document: writes the node's boot files ({@link renderNodeBootFiles}), then runs the setup
 * script once.
 */
export function renderNodeCloudInit(p: NodeCloudInitParams, forTerraform = true): string {
  const doc = {
    write_files: renderNodeBootFiles(p, forTerraform).map((f) => ({ path: f.path, permissions: f.permissions, owner: 'root:root', content: f.content })),
    runcmd: [['bash', NODE_SETUP_PATH]],
  };
  return cloudConfig(doc);
}
