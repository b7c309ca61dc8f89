/**
 * The Windows bootstrap script (src/vm-scripts/windows/metashape-bootstrap.ps1)
 * for the scheduler (role "server") and Windows workers (role "node"),
 * rendered with its parameters, each a PowerShell single-quoted literal. The
 * storage part follows the SharedFileSystem's Windows access: mount it, or
 * say why not and keep a local root.
 */
import { psLiteral, readScript, renderTemplate } from '../vm-scripts/render';
import { SHARED_POSIX_IDENTITY, SharedFileSystem } from '../storage/shared-file-system';
import { SECRET_RETRY_WINDOW_SECONDS } from './node-boot';
import { nodeArguments, serverArguments, windowsServerExecutable } from './metashape';

/** Drive the shared data is mapped to. */
export const WINDOWS_DATA_DRIVE = 'S:';
/** Local root when Windows cannot mount the shared storage. */
export const WINDOWS_LOCAL_ROOT = 'C:\\Metashape';

/** How a machine is licensed (values may be Terraform references). */
export type LicensingParams =
  | { readonly kind: 'code'; readonly keyVaultUri: string; readonly secretName: string }
  | { readonly kind: 'license-server'; readonly address: string }
  | { readonly kind: 'none' };

export interface WindowsBootstrapParams {
  readonly role: 'server' | 'node';
  readonly fileSystem: SharedFileSystem;
  readonly schedulerIp: string;
  /** CIDR allowed to the control and dispatch ports (the compute subnet). */
  readonly computeSubnet: string;
  /** Further CIDRs allowed to the control port 5840 only (e.g. the jump box subnet, for clients). @default none */
  readonly controlClientSubnets?: readonly string[];
  readonly metashapeVersion: string;
  /** https URL of the Windows installer (.msi). */
  readonly installerUrl: string;
  /** GPU mask (role "node"). */
  readonly gpuMask?: number;
  readonly licensing: LicensingParams;
}

/** The rendered script; `forTerraform` (default true) escapes `${`/`%{` for a Terraform attribute. */
export function renderWindowsBootstrap(p: WindowsBootstrapParams, forTerraform = true): string {
  const win = p.fileSystem.windows;
  const root = win.supported ? `${WINDOWS_DATA_DRIVE}\\` : WINDOWS_LOCAL_ROOT;
  const l = p.licensing;
  const args =
    p.role === 'server'
      ? serverArguments({ version: p.metashapeVersion, schedulerIp: p.schedulerIp, root })
      : nodeArguments({ version: p.metashapeVersion, schedulerIp: p.schedulerIp, root, gpuMask: p.gpuMask ?? 1 });
  return renderTemplate(
    readScript('windows/metashape-bootstrap.ps1'),
    {
      ROLE: psLiteral(p.role),
      SCHEDULER_IP: psLiteral(p.schedulerIp),
      COMPUTE_SUBNET: psLiteral(p.computeSubnet),
      CONTROL_CLIENTS: (p.controlClientSubnets ?? []).map(psLiteral).join(', '),
      INSTALLER_URL: psLiteral(p.installerUrl),
      EXE: psLiteral(p.role === 'server' ? windowsServerExecutable(p.metashapeVersion) : 'metashape.exe'),
      ARGUMENTS: args.map(psLiteral).join(', '),
      STORAGE_MODE: psLiteral(win.supported ? win.method : 'none'),
      UNC_PATH: psLiteral(win.supported ? win.uncPath : ''),
      STORAGE_NOTE: psLiteral(win.supported ? '' : win.reason),
      DATA_DRIVE: psLiteral(WINDOWS_DATA_DRIVE),
      ROOT: psLiteral(root),
      LICENSING: psLiteral(l.kind),
      KEY_VAULT_URI: psLiteral(l.kind === 'code' ? l.keyVaultUri : ''),
      ACTIVATION_SECRET: psLiteral(l.kind === 'code' ? l.secretName : ''),
      LICENSE_SERVER: psLiteral(l.kind === 'license-server' ? l.address : ''),
      SECRET_RETRY_WINDOW: String(SECRET_RETRY_WINDOW_SECONDS),
      HPC_UID: String(SHARED_POSIX_IDENTITY.uid),
      HPC_GID: String(SHARED_POSIX_IDENTITY.gid),
    },
    { name: 'windows/metashape-bootstrap.ps1', forTerraform },
  );
}

/**
 * The CustomScriptExtension command that runs a bootstrap script delivered inside it: `%s` is the script as
 * `base64gzip` (Terraform). PowerShell unpacks it to `%ProgramData%\photogrammetry\metashape-bootstrap.ps1` and
 * runs it. No backslash and no `${`: the text is a literal inside a Terraform expression; the compressed script
 * keeps the command far below cmd.exe's 8,191-character limit.
 */
export const WINDOWS_UNPACK_AND_RUN_COMMAND =
  'powershell.exe -NoProfile -ExecutionPolicy Bypass -Command "' +
  "$ErrorActionPreference = 'Stop'; " +
  "$dir = New-Item -ItemType Directory -Force -Path (Join-Path $env:ProgramData 'photogrammetry'); " +
  "$file = Join-Path $dir.FullName 'metashape-bootstrap.ps1'; " +
  "$zip = [IO.Compression.GZipStream]::new([IO.MemoryStream]::new([Convert]::FromBase64String('%s')), [IO.Compression.CompressionMode]::Decompress); " +
  '[IO.File]::WriteAllText($file, [IO.StreamReader]::new($zip).ReadToEnd()); ' +
  '& $file"';
