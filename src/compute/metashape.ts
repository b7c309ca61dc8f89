/**
 * Agisoft Metashape (formerly PhotoScan) network processing: versions and the
 * command lines of the server (scheduler) and the processing nodes. Up to 2.1
 * one binary runs both (`--server` / `--node`); 2.2 added a separate
 * `metashape-server` and nodes run as `--worker` (design notes §1).
 */

/** Control port (clients and the Network Monitor talk to the server). */
export const METASHAPE_CONTROL_PORT = 5840;
/** Dispatch port (nodes fetch work from the server). */
export const METASHAPE_DISPATCH_PORT = 5841;

/** `[major, minor, patch]` of a version such as "2.1.3", or undefined. */
export function parseMetashapeVersion(version: string): [number, number, number] | undefined {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?$/.exec(version);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : undefined;
}

/** True for 2.2 and later (separate server binary, `--worker --host`). */
export function usesWorkerSyntax(version: string): boolean {
  const v = parseMetashapeVersion(version);
  if (!v) throw new Error(`not a Metashape version: ${JSON.stringify(version)}`);
  return v[0] > 2 || (v[0] === 2 && v[1] >= 2);
}

/** Arguments of the server process (after the executable). */
export function serverArguments(p: { readonly version: string; readonly schedulerIp: string; readonly root: string }): string[] {
  return usesWorkerSyntax(p.version)
    ? ['--host', `${p.schedulerIp}:${METASHAPE_CONTROL_PORT}`, '--root', p.root]
    : ['--server', '--control', `${p.schedulerIp}:${METASHAPE_CONTROL_PORT}`, '--dispatch', `${p.schedulerIp}:${METASHAPE_DISPATCH_PORT}`, '--root', p.root];
}

/** The executable that runs the server on Windows, relative to the install directory. */
export function windowsServerExecutable(version: string): string {
  return usesWorkerSyntax(version) ? 'metashape-server.exe' : 'metashape.exe';
}

/** Arguments of a processing node. */
export function nodeArguments(p: { readonly version: string; readonly schedulerIp: string; readonly root: string; readonly gpuMask: number }): string[] {
  const gpu = ['--gpu_mask', String(p.gpuMask)];
  return usesWorkerSyntax(p.version)
    ? ['--worker', '--host', `${p.schedulerIp}:${METASHAPE_CONTROL_PORT}`, '--root', p.root, ...gpu]
    : ['--node', '--dispatch', `${p.schedulerIp}:${METASHAPE_DISPATCH_PORT}`, '--root', p.root, ...gpu];
}

/** Default installers (Agisoft's download site); both are configuration. */
export function defaultInstallerUrls(version: string): { readonly linux: string; readonly windows: string } {
  const v = version.replace(/\./g, '_');
  return {
    linux: `https://download.agisoft.com/metashape-pro_${v}_amd64.tar.gz`,
    windows: `https://download.agisoft.com/metashape-pro_${v}_x64.msi`,
  };
}
