/**
 * The Linux nodes' boot beyond the setup script: the licence activation (a helper run by its own systemd unit and
 * retried by a timer, rendered from src/vm-scripts/linux/metashape-activate.*) and the constants the boot shares with
 * the Windows bootstrap. Internal to the library (not re-exported by the package entry); used by cloud-init.ts.
 */
import { keyVaultReadFragment, readScript, renderTemplate, shLiteral } from '../vm-scripts/render';
import { SHARED_POSIX_IDENTITY } from '../storage/shared-file-system';
import type { NodeCloudInitParams } from './cloud-init';

/** Where the node installs Metashape (the Linux tarball unpacked). */
export const INSTALL_DIR = '/opt/metashape-pro';
/** The activation helper (root only: it handles the code in memory) and the Python script Metashape runs for it. */
export const ACTIVATE_SCRIPT_PATH = '/opt/photogrammetry/metashape-activate.sh';
export const ACTIVATE_PY_PATH = '/opt/photogrammetry/metashape-activate.py';
export const ACTIVATE_UNIT_PATH = '/etc/systemd/system/metashape-activate.service';
export const ACTIVATE_TIMER_PATH = '/etc/systemd/system/metashape-activate.timer';
/** Where Metashape 2.x writes its licence files on the nodes (AGISOFT_LICENSING_DIR), owned by the service user. */
export const METASHAPE_LICENSE_DIR = '/var/lib/metashape/licensing';
/** Written by the activation helper after a successful activation; its presence stops further attempts. */
export const METASHAPE_ACTIVATED_MARKER = '/var/lib/metashape/activated';
/**
 * How long one activation attempt retries reading the code (seconds): longer than Azure role assignments take to
 * propagate. The timer starts another attempt 15 minutes after one gives up.
 */
export const SECRET_RETRY_WINDOW_SECONDS = 1800;
/** Azure Managed Lustre client version for plain images (as Azure/azhpc-images installs it). */
export const AMLFS_LUSTRE_CLIENT_VERSION = '2.15.6-39-g3e00a10';

/** The activation helper run by metashape-activate.service: reads the code from Key Vault (retrying) and activates. */
export function renderActivationScript(p: NodeCloudInitParams, forTerraform = true): string {
  const l = p.licensing;
  return renderTemplate(
    readScript('linux/metashape-activate.sh'),
    {
      KEYVAULT_READ: keyVaultReadFragment(),
      HPC_USER: shLiteral(SHARED_POSIX_IDENTITY.user),
      INSTALL_DIR: shLiteral(INSTALL_DIR),
      LICENSING: shLiteral(l.kind),
      KEY_VAULT_URI: shLiteral(l.kind === 'code' ? l.keyVaultUri : ''),
      ACTIVATION_SECRET: shLiteral(l.kind === 'code' ? l.secretName : ''),
      LICENSE_DIR: shLiteral(METASHAPE_LICENSE_DIR),
      ACTIVATED_MARKER: shLiteral(METASHAPE_ACTIVATED_MARKER),
      ACTIVATE_PY: shLiteral(ACTIVATE_PY_PATH),
      RETRY_WINDOW: String(SECRET_RETRY_WINDOW_SECONDS),
    },
    { name: 'linux/metashape-activate.sh', forTerraform },
  );
}

/** The units of the activation: a oneshot service and the timer that runs it again until it succeeds. */
export function renderActivationUnits(forTerraform = true): { readonly service: string; readonly timer: string; readonly python: string } {
  return {
    service: renderTemplate(
      readScript('linux/metashape-activate.service'),
      { ACTIVATED_MARKER: METASHAPE_ACTIVATED_MARKER, ACTIVATE_SCRIPT: ACTIVATE_SCRIPT_PATH },
      { name: 'linux/metashape-activate.service', forTerraform },
    ),
    timer: renderTemplate(readScript('linux/metashape-activate.timer'), {}, { name: 'linux/metashape-activate.timer', forTerraform }),
    python: renderTemplate(readScript('linux/metashape-activate.py'), {}, { name: 'linux/metashape-activate.py', forTerraform }),
  };
}
