/**
 * The installed toolchain, read from the installed packages, so no test hard-codes a version or a package name
 * (issue 16: the same tests run for the cdktf flavour and, rewritten, for the CDK Terrain flavour).
 * Under cdktf: cdktf 0.21, @cdktf/provider-azurerm 14.23.1 = azurerm 4.55.0, @cdktf/provider-random 12.0.1 =
 * random 3.7.2. Under CDK Terrain: cdktn 0.24, @cdktn/provider-azurerm 16.1.0 = azurerm 4.73.0,
 * @cdktn/provider-random 15.0.1 = random 3.9.1. The package names below are rewritten by the flavour's build step.
 */
import * as fs from 'fs';

/** The core package (`cdktf`, or `cdktn` in the CDK Terrain flavour). */
export const CORE_PACKAGE = (JSON.parse(fs.readFileSync(require.resolve('cdktf/package.json'), 'utf8')) as { name: string }).name;
/** The azurerm provider package. */
export const AZURERM_PACKAGE = '@cdktf/provider-azurerm';
/** The random provider package. */
export const RANDOM_PACKAGE = '@cdktf/provider-random';

interface ProviderPackageJson {
  readonly version: string;
  readonly cdktf?: { readonly provider?: { readonly name: string; readonly version: string } };
}

function packageJson(name: string): ProviderPackageJson {
  return JSON.parse(fs.readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as ProviderPackageJson;
}

function providerVersion(name: string): string {
  const version = packageJson(name).cdktf?.provider?.version;
  if (!version) throw new Error(`${name}/package.json names no provider version (cdktf.provider.version)`);
  return version;
}

/** Version of the installed core package (`0.21.0`). */
export const CORE_VERSION = packageJson(CORE_PACKAGE).version;
/** Version of the installed azurerm provider package (`14.23.1`). */
export const AZURERM_PACKAGE_VERSION = packageJson(AZURERM_PACKAGE).version;
/** The azurerm provider version that package binds, which synth pins in `required_providers` (`4.55.0`). */
export const AZURERM_VERSION = providerVersion(AZURERM_PACKAGE);
/** Version of the installed random provider package (`12.0.1`). */
export const RANDOM_PACKAGE_VERSION = packageJson(RANDOM_PACKAGE).version;
/** The random provider version that package binds (`3.7.2`). */
export const RANDOM_VERSION = providerVersion(RANDOM_PACKAGE);

/** Major and minor of a version: `4.55.0` → [4, 55]. */
export function majorMinor(version: string): [number, number] {
  const [major, minor] = version.split('.').map(Number);
  return [major, minor];
}

/** True when the installed azurerm provider is at least `version` (`4.60`). */
export function azurermAtLeast(version: string): boolean {
  const [a, b] = majorMinor(AZURERM_VERSION);
  const [c, d] = majorMinor(version);
  return a > c || (a === c && b >= d);
}

/**
 * A synthesized stack with the toolchain's and the providers' versions masked (`<version>`), for snapshots that
 * both flavours share: `//.metadata.version` and `terraform.required_providers.<name>.version`.
 */
export function maskVersions<T>(tf: T): T {
  const out = JSON.parse(JSON.stringify(tf)) as {
    '//'?: { metadata?: { version?: string } };
    terraform?: { required_providers?: Record<string, { version?: string }> };
  };
  if (out['//']?.metadata?.version) out['//'].metadata.version = '<version>';
  for (const p of Object.values(out.terraform?.required_providers ?? {})) if (p && typeof p === 'object' && p.version) p.version = '<version>';
  return out as T;
}
