/**
 * Layer b, `terraform validate`: skipped with a reason naming what is missing
 * when terraform or the providers are not available locally (as on this
 * machine: no network, no provider mirror); with a (fake) terraform and a
 * local mirror it runs init + validate in a copy of each stack, offline.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  findLocalProviders,
  findOnPath,
  parseValidateOutput,
  requiredProviders,
  runTerraformValidate,
  terraformPlatform,
} from '../../src/validation/terraform-validate';
import { validStack } from './fixtures';
import { AZURERM_VERSION, CORE_VERSION } from '../support/toolchain';

let root: string;
let outdir: string;

/** An outdir with one stack ("net") that requires the installed azurerm version (AZURERM_VERSION) and random ~> 3.7. */
function writeOutdir(dir: string, json: unknown): void {
  fs.mkdirSync(path.join(dir, 'stacks', 'net'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'stacks', 'net', 'cdk.tf.json'), JSON.stringify(json));
  fs.writeFileSync(
    path.join(dir, 'manifest.json'),
    JSON.stringify({ version: CORE_VERSION, stacks: { net: { synthesizedStackPath: 'stacks/net/cdk.tf.json' } } }),
  );
}

/**
 * A stand-in terraform: records its arguments, environment and CLI config,
 * writes into its working directory, and fails validation when the stack
 * contains "BROKEN".
 */
function writeFakeTerraform(dir: string): string {
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin, { recursive: true });
  const script = `#!/bin/sh
log="${dir}/calls.log"
echo "$* | CHECKPOINT_DISABLE=$CHECKPOINT_DISABLE | cwd=$(pwd)" >> "$log"
cat "$TF_CLI_CONFIG_FILE" >> "$log" 2>/dev/null
touch .terraform-was-here
case "$1" in
  init) exit 0 ;;
  validate)
    if grep -q BROKEN cdk.tf.json; then
      echo '{"format_version":"1.0","valid":false,"error_count":1,"warning_count":0,"diagnostics":[{"severity":"error","summary":"Unsupported argument","detail":"An argument named \\"BROKEN\\" is not expected here.","range":{"filename":"cdk.tf.json","start":{"line":3,"column":5}}}]}'
      exit 1
    fi
    echo '{"format_version":"1.0","valid":true,"error_count":0,"warning_count":0,"diagnostics":[]}'
    exit 0 ;;
esac
exit 2
`;
  fs.writeFileSync(path.join(bin, 'terraform'), script, { mode: 0o755 });
  return bin;
}

/** A filesystem mirror holding azurerm AZURERM_VERSION (unpacked) and random 3.7.2 (packed) for this platform. */
function writeMirror(dir: string): string {
  const mirror = path.join(dir, 'mirror');
  fs.mkdirSync(path.join(mirror, 'registry.terraform.io', 'hashicorp', 'azurerm', AZURERM_VERSION, terraformPlatform()), { recursive: true });
  fs.mkdirSync(path.join(mirror, 'registry.terraform.io', 'hashicorp', 'random'), { recursive: true });
  fs.writeFileSync(path.join(mirror, 'registry.terraform.io', 'hashicorp', 'random', `terraform-provider-random_3.7.2_${terraformPlatform()}.zip`), '');
  return mirror;
}

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'pgm-tfv-'));
  outdir = path.join(root, 'cdktf.out');
  writeOutdir(outdir, validStack());
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('skipped', () => {
  test('here: terraform is installed but no provider is available offline; the reason names the provider and where it looked', () => {
    const env = { ...process.env, PHOTOGRAMMETRY_TF_VALIDATE: undefined };
    const result = runTerraformValidate(outdir, { env });
    expect(result.status).toBe('skipped');
    if (result.status !== 'skipped') return;
    if (!findOnPath('terraform', env)) {
      expect(result.reason).toBe('terraform is not on PATH'); // a machine without terraform at all
      return;
    }
    expect(result.reason).toContain(`no local copy of provider registry.terraform.io/hashicorp/azurerm ${AZURERM_VERSION}`);
    expect(result.reason).toContain('TF_PLUGIN_CACHE_DIR');
    expect(result.reason).toContain('.terraform.d/plugins');
    expect(result.reason).toContain('PHOTOGRAMMETRY_TF_VALIDATE=1');
  });

  test('without terraform on PATH', () => {
    expect(runTerraformValidate(outdir, { env: { PATH: path.join(root, 'empty'), HOME: root } })).toEqual({
      status: 'skipped',
      reason: 'terraform is not on PATH',
    });
  });

  test('when turned off', () => {
    expect(runTerraformValidate(outdir, { env: { ...process.env, PHOTOGRAMMETRY_TF_VALIDATE: '0' } })).toEqual({
      status: 'skipped',
      reason: 'disabled by PHOTOGRAMMETRY_TF_VALIDATE=0',
    });
  });

  test('when a mirror has the provider, but not a version the stacks accept', () => {
    const mirror = writeMirror(path.join(root, 'old'));
    const search = findLocalProviders([{ source: 'registry.terraform.io/hashicorp/azurerm', constraints: ['~> 3.0'] }], {
      HOME: root,
      TF_PLUGIN_CACHE_DIR: mirror,
    });
    expect(search.mirrors).toEqual([]);
    expect(search.missing.map((m) => m.source)).toEqual(['registry.terraform.io/hashicorp/azurerm']);
  });
});

describe('with terraform and a local mirror', () => {
  let env: NodeJS.ProcessEnv;
  beforeAll(() => {
    const bin = writeFakeTerraform(root);
    const mirror = writeMirror(root);
    fs.writeFileSync(path.join(root, '.terraformrc'), `provider_installation {\n  filesystem_mirror {\n    path = "${mirror}"\n  }\n}\n`);
    env = { PATH: `${bin}${path.delimiter}/usr/bin${path.delimiter}/bin`, HOME: root, TF_CLI_CONFIG_FILE: path.join(root, '.terraformrc') };
  });

  test('finds the providers in the mirror of the CLI configuration', () => {
    const search = findLocalProviders(requiredProviders([validStack()]), env);
    expect(search.missing).toEqual([]);
    expect(search.mirrors).toEqual([path.join(root, 'mirror')]);
  });

  test('passes a valid stack, offline, in a copy of the stack folder', () => {
    fs.rmSync(path.join(root, 'calls.log'), { force: true });
    expect(runTerraformValidate(outdir, { env })).toEqual({ status: 'passed', stacks: ['net'], diagnostics: [] });
    const log = fs.readFileSync(path.join(root, 'calls.log'), 'utf8');
    expect(log).toContain('init -backend=false -input=false -no-color | CHECKPOINT_DISABLE=1');
    expect(log).toContain('validate -json -no-color');
    expect(log).toContain(`filesystem_mirror {\n    path = "${path.join(root, 'mirror')}"`);
    expect(log).not.toContain('direct');
    expect(log).not.toContain(`cwd=${path.join(outdir, 'stacks', 'net')}`);
    expect(fs.existsSync(path.join(outdir, 'stacks', 'net', '.terraform-was-here'))).toBe(false);
  });

  test('reports the diagnostics of an invalid stack', () => {
    const broken = path.join(root, 'broken.out');
    writeOutdir(broken, { ...validStack(), BROKEN: true });
    expect(runTerraformValidate(broken, { env })).toEqual({
      status: 'failed',
      stacks: ['net'],
      diagnostics: [
        {
          stack: 'net',
          severity: 'error',
          summary: 'Unsupported argument',
          detail: 'An argument named "BROKEN" is not expected here.',
          address: undefined,
          location: 'cdk.tf.json:3:5',
        },
      ],
    });
  });
});

test('parseValidateOutput: non-JSON output of a failed run becomes one error', () => {
  expect(parseValidateOutput('s', 'panic', 'boom', 1)).toEqual([
    { stack: 's', severity: 'error', summary: 'terraform validate failed', detail: 'boom\npanic' },
  ]);
  expect(parseValidateOutput('s', '{"valid":false,"diagnostics":[]}')).toEqual([
    { stack: 's', severity: 'error', summary: 'terraform validate reported the configuration invalid' },
  ]);
});
