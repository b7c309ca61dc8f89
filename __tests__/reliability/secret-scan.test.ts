/**
 * No secret value ever reaches cdktf.out. The synth runs with sentinel values
 * wherever a secret could come from (Terraform variables in the environment,
 * an activation code in the environment), and every file of the output is
 * scanned for them. Generated passwords exist only in state, so the JSON may
 * hold only references to them, and only in places meant for secrets.
 */
import * as fs from 'fs';
import * as path from 'path';
import { REHEARSED_APPS } from '../support/rehearsal';
import { resourcesOf, synthApp, type TfJson } from '../support/synth';

const SENTINELS = {
  TF_VAR_photoscan_activation_code: 'SENTINEL-ACTIVATION-4f1c9e',
  PHOTOSCAN_ACTIVATION_CODE: 'SENTINEL-ACTIVATION-ENV-7a2b',
  TF_VAR_admin_ssh_public_key: 'ssh-ed25519 SENTINELKEY',
  ARM_CLIENT_SECRET: 'SENTINEL-CLIENT-SECRET-93d0',
};

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

const saved = { ...process.env };
let app: ReturnType<typeof synthApp>;
beforeAll(() => {
  Object.assign(process.env, SENTINELS);
  app = synthApp({ secrets: { allowedIpRanges: ['203.0.113.7/32'] } });
});
afterAll(() => {
  process.env = saved;
});

test('no sentinel appears in any file of the output', () => {
  const files = filesUnder(app.outdir);
  expect(files.length).toBeGreaterThan(3);
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    for (const [source, value] of Object.entries(SENTINELS)) {
      if (text.includes(value)) throw new Error(`${source}'s value appears in ${path.relative(app.outdir, file)}`);
    }
  }
});

/** Every place a string mentions `random_password`, as `<type>.<attribute path>`. */
function passwordUses(json: TfJson): string[] {
  const uses: string[] = [];
  const walk = (value: unknown, where: string) => {
    if (typeof value === 'string') {
      if (/random_password\./.test(value)) uses.push(where);
    } else if (Array.isArray(value)) value.forEach((v) => walk(v, `${where}[]`));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, where ? `${where}.${k}` : k);
  };
  for (const [type, byName] of Object.entries(json.resource ?? {})) for (const r of Object.values(byName)) walk(r, type);
  for (const [name, o] of Object.entries(json.output ?? {}))
    if (/random_password\./.test(String(o.value)) && o.sensitive !== true) uses.push(`output.${name} (not sensitive)`);
  return uses;
}

const ALLOWED_PASSWORD_USES = new Set([
  'azurerm_key_vault_secret.value',
  'azurerm_windows_virtual_machine.admin_password',
  'azurerm_windows_virtual_machine_scale_set.admin_password',
  'azurerm_linux_virtual_machine.admin_password',
  'azurerm_virtual_machine_run_command.protected_parameter[].value',
  'azurerm_virtual_machine_extension.protected_settings',
  'avere_vfxt.vfxt_admin_password',
]);

test('generated passwords are referenced only where Azure keeps them secret', () => {
  for (const name of ['network', 'storage', 'compute'] as const) {
    const uses = passwordUses(app.stacks[name]);
    expect(uses.filter((u) => !ALLOWED_PASSWORD_USES.has(u))).toEqual([]);
  }
  expect(passwordUses(app.stacks.network)).toEqual(
    expect.arrayContaining(['azurerm_key_vault_secret.value', 'azurerm_virtual_machine_run_command.protected_parameter[].value']),
  );
});

test('secret-carrying variables are sensitive and have no default', () => {
  for (const name of ['network', 'storage', 'compute'] as const) {
    for (const [vname, v] of Object.entries(app.stacks[name].variable ?? {})) {
      if (/password|secret|code|token/i.test(vname)) {
        expect({ vname, sensitive: v.sensitive, hasDefault: 'default' in v }).toEqual({ vname, sensitive: true, hasDefault: false });
      }
    }
  }
  // domain admin, DSRM and local admin passwords and the activation code (the vFXT password only with Avere)
  expect(resourcesOf(app.stacks.network, 'azurerm_key_vault_secret').length).toBeGreaterThanOrEqual(4);
});

describe.each(REHEARSED_APPS.filter(([name]) => name !== 'default'))('%s', (_name, input) => {
  let example: ReturnType<typeof synthApp>;
  beforeAll(() => {
    Object.assign(process.env, SENTINELS);
    example = synthApp(input);
  });
  afterAll(() => {
    process.env = { ...saved };
    fs.rmSync(example.outdir, { recursive: true, force: true });
  });

  test('no sentinel in the output; generated passwords only where Azure keeps them secret; secret variables sensitive', () => {
    for (const file of filesUnder(example.outdir)) {
      const text = fs.readFileSync(file, 'utf8');
      for (const [source, value] of Object.entries(SENTINELS)) {
        if (text.includes(value)) throw new Error(`${source}'s value appears in ${path.relative(example.outdir, file)}`);
      }
    }
    for (const name of ['network', 'storage', 'compute'] as const) {
      expect(passwordUses(example.stacks[name]).filter((u) => !ALLOWED_PASSWORD_USES.has(u))).toEqual([]);
      for (const [vname, v] of Object.entries(example.stacks[name].variable ?? {}))
        if (/password|secret|code|token/i.test(vname))
          expect({ vname, sensitive: v.sensitive, hasDefault: 'default' in v }).toEqual({ vname, sensitive: true, hasDefault: false });
    }
  });
});
