/**
 * Boot rehearsal of the Linux processing nodes (see rehearsal.ts): the rendered cloud-config runs against stub
 * commands, and the end state is checked — the node service enabled whatever happens to licensing, the activation
 * code read through IMDS + Key Vault with retries while the role assignment propagates, handed to Metashape on
 * standard input only, the licence where Metashape reads it, the mounts in fstab — and a second run changes
 * nothing. Then the real validators: shellcheck on every rendered shell script, cloud-init's schema on the
 * cloud-config (skipped with a note when not installed, except under CI=true).
 *
 * Every scenario starts on its own machine when the file is collected and runs concurrently with the others (and
 * with the validators); each describe waits for its own in beforeAll (or its test), so the assertions see exactly
 * the state they always did: a scenario's tests read its machine only after its runs, and the second run of the
 * first machine still happens after the first run's tests.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { NODE_UNIT_PATH, renderNodeCloudInit, renderNodeSetupScript, type NodeCloudInitParams } from '../../src/compute/cloud-init';
import {
  ACTIVATE_SCRIPT_PATH,
  ACTIVATE_UNIT_PATH,
  AMLFS_LUSTRE_CLIENT_VERSION,
  METASHAPE_ACTIVATED_MARKER,
  METASHAPE_LICENSE_DIR,
  renderActivationScript,
  SECRET_RETRY_WINDOW_SECONDS,
} from '../../src/compute/node-boot';
import { addressRange, avereFileSystem, lustreFileSystem, netappFileSystem } from '../../src/storage/file-systems';
import { leaveNote } from '../support/notes';
import {
  applyCloudConfig,
  calls,
  callsOf,
  cloudInitSchema,
  copyMachine,
  createMachine,
  env,
  execStartOf,
  findTool,
  jsonFieldProgram,
  KERNELS,
  run as runCommand,
  runOnMachine,
  started,
  type Machine,
  type PythonStandIns,
  type RunResult,
} from './rehearsal';

const CODE = 'ABCDE-FGHIJ-KLMNP-QRSTU-VWXYZ';
const TOKEN = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.fake-imds-token.sig';
const avere = avereFileSystem({ dnsName: 'vfxt.hpc.internal', vserverAddresses: addressRange('10.1.0.17', 4) });
const lustre = lustreFileSystem({ mgsAddress: '10.1.1.5' });
const netapp = netappFileSystem({
  exports: [
    { name: 'data', volumePath: 'vol-pgm-data', address: '10.1.2.4' },
    { name: 'home', volumePath: 'vol-pgm-home', address: '10.1.2.5' },
  ],
});
const params = (
  fileSystem = avere,
  licensing: NodeCloudInitParams['licensing'] = { kind: 'code', keyVaultUri: 'https://kv-pgm-abc.vault.azure.net/', secretName: 'photoscan-activation-code' },
): NodeCloudInitParams => ({
  fileSystem,
  schedulerIp: '10.0.1.250',
  metashapeVersion: '2.1.3',
  installerUrl: 'https://download.agisoft.com/metashape-pro_2_1_3_amd64.tar.gz',
  gpuMask: 1,
  licensing,
});

/** The rendered cloud-config of a parameter set (each rendered once, shared by the scenarios and the validators). */
const rendered = new Map<NodeCloudInitParams, string>();
function cloudConfigOf(p: NodeCloudInitParams): string {
  if (!rendered.has(p)) rendered.set(p, renderNodeCloudInit(p, false));
  return rendered.get(p)!;
}
const AVERE_CODE = params();
const LUSTRE_CODE = params(lustre);

interface Boot {
  readonly setup: RunResult[];
  readonly activation: RunResult;
}

/** cloud-init on a machine: the cloud-config's files written, then its runcmd, in order. */
async function setUp(m: Machine, p: NodeCloudInitParams, e: NodeJS.ProcessEnv): Promise<RunResult[]> {
  const runcmd = applyCloudConfig(m, cloudConfigOf(p));
  const setup: RunResult[] = [];
  for (const argv of runcmd) setup.push(await runOnMachine(m, e, argv));
  return setup;
}

/** What systemd runs for metashape-activate.service. */
const activate = (m: Machine, e: NodeJS.ProcessEnv) => runOnMachine(m, e, ['bash', execStartOf(m, ACTIVATE_UNIT_PATH)]);

/**
 * The first scenario runs every python3 step of the activation for real: the helper's json_field (token, 403s,
 * secret) and metashape-activate.py. The others, whose activation is that same rendered helper, answer json_field
 * without a python3 process, and those whose point is not the activation itself also the Metashape step (see
 * PythonStandIns in rehearsal.ts); the wrong code keeps the real metashape-activate.py, whose redaction it checks.
 */
const jsonField = (p: NodeCloudInitParams) => jsonFieldProgram(renderActivationScript(p, false));
const withoutPython = (p: NodeCloudInitParams): PythonStandIns => ({ jsonField: jsonField(p), metashape: true });

/** Boots a machine: cloud-init's runcmd, then what systemd runs for metashape-activate.service. */
async function boot(m: Machine, p: NodeCloudInitParams, vaultFailures: number, standIns?: PythonStandIns): Promise<Boot> {
  const e = env(m, { code: CODE, token: TOKEN, vaultFailures, standIns });
  const setup = await setUp(m, p, e);
  return { setup, activation: await activate(m, e) };
}

/**
 * The three scenarios of the Avere + activation code node start from the same machine after cloud-init: the same
 * rendered cloud-config run against the same stubs (the setup reads nothing from Key Vault: the number of refusals
 * only matters to the activation). It runs once, on the first scenario's machine; the other two get a copy of
 * that machine (copyMachine) before any activation runs, then each continues on its own.
 */
const AVERE_MACHINES = { main: createMachine('ubuntu'), refusal: createMachine('ubuntu'), wrongCode: createMachine('ubuntu') };
const avereSetUp = started(
  (async () => {
    const m = AVERE_MACHINES.main;
    const setup = await setUp(m, AVERE_CODE, env(m, { code: CODE, token: TOKEN, vaultFailures: 3 }));
    copyMachine(m, AVERE_MACHINES.refusal);
    copyMachine(m, AVERE_MACHINES.wrongCode);
    return setup;
  })(),
);

const fstab = (m: Machine) => fs.readFileSync(path.join(m.root, 'etc/fstab'), 'utf8');
const sleeps = (m: Machine) => callsOf(m, 'sleep').map(([s]) => Number(s));
const vaultReads = (m: Machine) => callsOf(m, 'curl').filter((a) => a.some((x) => x.includes('/secrets/'))).length;

describe('Ubuntu 22.04 node, Avere NFS, Key Vault answers 403 three times (role assignment propagating)', () => {
  const m = AVERE_MACHINES.main;
  const booting = started(avereSetUp.then(async (setup) => ({ setup, activation: await activate(m, env(m, { code: CODE, token: TOKEN, vaultFailures: 3 })) })));
  let first: Boot;
  beforeAll(async () => {
    first = await booting;
  });

  test('the setup succeeds and enables the node service (and the activation timer) before anything can fail', () => {
    expect(first.setup.map((r) => r.status)).toEqual([0]);
    const systemctl = callsOf(m, 'systemctl');
    expect(systemctl).toContainEqual(['enable', 'metashape-node.service']);
    expect(systemctl).toContainEqual(['enable', 'metashape-activate.timer']);
    expect(systemctl).toContainEqual(['start', '--no-block', 'metashape-activate.timer', 'metashape-activate.service']);
    expect(systemctl).toContainEqual(['start', '--no-block', 'metashape-node.service']);
    // Enabled first: before the packages, mounts and the download that could fail.
    const order = calls(m).map((c) => c.join(' '));
    expect(order.indexOf('systemctl enable metashape-node.service')).toBeLessThan(order.findIndex((c) => c.startsWith('apt-get')));
  });

  test('the activation reads the code after the 403s with backoff and activates as the service user', () => {
    expect(first.activation.status).toBe(0);
    expect(vaultReads(m)).toBe(4);
    expect(sleeps(m)).toEqual([5, 10, 20]);
    expect(first.activation.output).toMatch(/read secret \S+ after 4 attempt\(s\)/);
    expect(first.activation.output).toContain('read the activation code');
    expect(first.activation.output).toContain('metashape-activation: ok');
    expect(fs.readFileSync(path.join(m.state, 'runuser-user'), 'utf8').trim()).toBe('hpcuser');
    expect(callsOf(m, 'sudo')).toEqual([]);
    const metashape = callsOf(m, 'metashape.sh');
    expect(metashape).toEqual([['-r', path.join(m.root, '/opt/photogrammetry/metashape-activate.py'), '-platform', 'offscreen']]);
  });

  test("the code travels only through standard input: in no argv, no log, no output; the token only in curl's config on stdin", () => {
    const stdin = fs.readdirSync(m.state).filter((f) => f.startsWith('metashape-stdin.'));
    expect(stdin).toHaveLength(1);
    expect(fs.readFileSync(path.join(m.state, stdin[0]), 'utf8')).toBe(`${CODE}\n`);
    const argvLog = fs.readFileSync(m.log, 'utf8');
    expect(argvLog).not.toContain(CODE);
    expect(argvLog).not.toContain(TOKEN);
    expect(fs.readFileSync(path.join(m.state, 'curl-config.4'), 'utf8')).toContain(`Authorization: Bearer ${TOKEN}`);
    for (const out of [
      ...first.setup.map((r) => r.output),
      first.activation.output,
      fs.readFileSync(path.join(m.root, 'var/log/photogrammetry-setup.log'), 'utf8'),
    ]) {
      expect(out).not.toContain(CODE);
      expect(out).not.toContain(TOKEN);
    }
    // Nothing under the machine's root holds the code (no env file, no temporary file).
    const grep = spawnSync('grep', ['-rl', CODE, m.root], { encoding: 'utf8' });
    expect(grep.stdout).toBe('');
  });

  test('the licence lands in AGISOFT_LICENSING_DIR, which (and the install folder) belongs to the service user', () => {
    expect(fs.readFileSync(path.join(m.root, METASHAPE_LICENSE_DIR, 'metashape.lic'), 'utf8')).toContain('licence');
    expect(fs.existsSync(path.join(m.root, METASHAPE_ACTIVATED_MARKER))).toBe(true);
    expect(fs.statSync(path.join(m.root, METASHAPE_LICENSE_DIR)).mode & 0o777).toBe(0o700);
    expect(callsOf(m, 'chown')).toContainEqual(['hpcuser:hpcgroup', path.join(m.root, METASHAPE_LICENSE_DIR), path.join(m.root, '/opt/metashape-pro')]);
    // The node and the activation use the same directory.
    expect(fs.readFileSync(path.join(m.root, 'etc/default/metashape-node'), 'utf8')).toBe(`AGISOFT_LICENSING_DIR=${METASHAPE_LICENSE_DIR}\n`);
    const unit = fs.readFileSync(path.join(m.root, NODE_UNIT_PATH), 'utf8');
    expect(unit).toContain('EnvironmentFile=-/etc/default/metashape-node');
    expect(unit).toMatch(/^Wants=.*metashape-activate\.service/m);
    expect(unit).toMatch(/^After=.*metashape-activate\.service/m);
    // A node that started unlicensed restarts once the licence is there.
    expect(callsOf(m, 'systemctl')).toContainEqual(['try-restart', '--no-block', 'metashape-node.service']);
  });

  test('the runtime libraries Metashape loads are installed', () => {
    const installed = callsOf(m, 'apt-get')
      .filter((a) => a.includes('install'))
      .flat();
    for (const pkg of ['libgl1', 'libglu1-mesa', 'libgomp1', 'libxrender1', 'libxi6', 'libxkbcommon-x11-0', 'libdbus-1-3', 'libfontconfig1', 'python3', 'curl'])
      expect(installed).toContain(pkg);
  });

  test('the exports are in fstab, each once, from the address this host name picks', () => {
    const lines = fstab(m).trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^10\.1\.0\.(17|18|19|20):\/data \/mnt\/vfxt-data nfs vers=3,hard,proto=tcp,mountproto=tcp,retry=30,noatime,_netdev 0 0$/);
    expect(lines[1]).toMatch(/^10\.1\.0\.(17|18|19|20):\/home \/mnt\/vfxt-home nfs /);
    expect(callsOf(m, 'mount')).toEqual([['-a']]);
  });

  describe('a second run (cloud-init again, the timer firing) changes nothing', () => {
    let second: Boot;
    let before: { fstab: string; users: number; groups: number; reads: number; curls: number };
    beforeAll(async () => {
      before = {
        fstab: fstab(m),
        users: callsOf(m, 'useradd').length,
        groups: callsOf(m, 'groupadd').length,
        reads: vaultReads(m),
        curls: callsOf(m, 'curl').length,
      };
      second = await boot(m, AVERE_CODE, 0);
    });

    test('no duplicate fstab line, no second user or group, no second download', () => {
      expect(second.setup.map((r) => r.status)).toEqual([0]);
      expect(fstab(m)).toBe(before.fstab);
      expect(before.users).toBe(1);
      expect(before.groups).toBe(1);
      expect(callsOf(m, 'useradd')).toHaveLength(1);
      expect(callsOf(m, 'groupadd')).toHaveLength(1);
      expect(second.setup[0].output).not.toMatch(/already exists/);
      expect(callsOf(m, 'curl')).toHaveLength(before.curls); // neither the installer nor the code again
    });

    test('the activation sees the licence and stops (the unit is also conditioned on the marker)', () => {
      expect(second.activation.status).toBe(0);
      expect(second.activation.output).toContain('already activated');
      expect(vaultReads(m)).toBe(before.reads);
      expect(fs.readFileSync(path.join(m.root, ACTIVATE_UNIT_PATH), 'utf8')).toContain(`ConditionPathExists=!${METASHAPE_ACTIVATED_MARKER}`);
    });
  });
});

describe("Key Vault refuses for longer than one attempt's retry window", () => {
  const m = AVERE_MACHINES.refusal;
  // The retry loop is what this scenario exercises (~40 json_field calls, each a python3 process if real).
  const booting = started(
    avereSetUp.then(async (setup) => ({
      setup,
      activation: await activate(m, env(m, { code: CODE, token: TOKEN, vaultFailures: 1000, standIns: withoutPython(AVERE_CODE) })),
    })),
  );
  let run: Boot;
  beforeAll(async () => {
    run = await booting;
  });

  test('the setup still succeeds and the node is enabled; the attempt gives up after ~30 min and fails for the timer', () => {
    expect(run.setup.map((r) => r.status)).toEqual([0]);
    expect(callsOf(m, 'systemctl')).toContainEqual(['enable', 'metashape-node.service']);
    expect(callsOf(m, 'systemctl')).toContainEqual(['enable', 'metashape-activate.timer']);
    expect(run.activation.status).toBe(1);
    const waited = sleeps(m).reduce((a, b) => a + b, 0);
    expect(waited).toBeGreaterThanOrEqual(SECRET_RETRY_WINDOW_SECONDS);
    expect(waited).toBeLessThan(SECRET_RETRY_WINDOW_SECONDS + 120);
    expect(Math.max(...sleeps(m))).toBe(120); // the backoff is capped at 2 minutes
    expect(run.activation.output).toMatch(/still unreadable after \d+ attempts over \d+ s\n[\s\S]*the timer tries again/);
    expect(callsOf(m, 'metashape.sh')).toEqual([]);
    expect(fs.existsSync(path.join(m.root, METASHAPE_ACTIVATED_MARKER))).toBe(false);
  });

  test('the timer runs the activation again until it succeeds', async () => {
    const timer = fs.readFileSync(path.join(m.root, '/etc/systemd/system/metashape-activate.timer'), 'utf8');
    expect(timer).toMatch(/^OnUnitInactiveSec=15min$/m);
    expect(timer).toMatch(/^Unit=metashape-activate\.service$/m);
    const retry = await runOnMachine(m, env(m, { code: CODE, token: TOKEN, vaultFailures: 0, standIns: withoutPython(AVERE_CODE) }), [
      'bash',
      execStartOf(m, ACTIVATE_UNIT_PATH),
    ]);
    expect(retry.status).toBe(0);
    expect(fs.existsSync(path.join(m.root, METASHAPE_ACTIVATED_MARKER))).toBe(true);
  });
});

describe('a wrong code: the activation fails without printing it; the node is enabled anyway', () => {
  const m = AVERE_MACHINES.wrongCode;
  const e = env(m, { code: CODE, token: TOKEN, vaultFailures: 0, standIns: { jsonField: jsonField(AVERE_CODE) } });
  // Key Vault holds another code than the one Metashape accepts.
  const wrong = 'WRONG-CODEX-XXXXX-XXXXX-XXXXX';
  const booting = started(
    avereSetUp.then(async (runcmd) => {
      // cloud-init's runcmd is this one command, which ran on the machine copied: bash /opt/photogrammetry/node-setup.sh.
      if (JSON.stringify(parse(cloudConfigOf(AVERE_CODE)).runcmd) !== JSON.stringify([['bash', '/opt/photogrammetry/node-setup.sh']]))
        throw new Error('the runcmd is not the setup script alone');
      const setup = runcmd[0];
      const activation = await runOnMachine(m, { ...e, STUB_CODE: wrong, STUB_ACCEPTED_CODE: CODE }, ['bash', execStartOf(m, ACTIVATE_UNIT_PATH)]);
      return { setup, activation };
    }),
  );
  let setup: RunResult;
  let activation: RunResult;
  beforeAll(async () => {
    ({ setup, activation } = await booting);
  });

  test('status 1 for the timer, the error reported with the code redacted, no marker', () => {
    expect(setup.status).toBe(0);
    expect(callsOf(m, 'systemctl')).toContainEqual(['enable', 'metashape-node.service']);
    expect(activation.status).toBe(1);
    expect(activation.output).toContain('metashape-activation: failed: RuntimeError: Activation failed: invalid key <redacted>');
    expect(activation.output).not.toContain(wrong);
    expect(fs.existsSync(path.join(m.root, METASHAPE_ACTIVATED_MARKER))).toBe(false);
  });
});

describe("plain images get the Managed Lustre client as Microsoft's HPC images name it", () => {
  const ubuntu = createMachine('ubuntu');
  const alma = createMachine('alma');
  const booting = {
    ubuntu: started(boot(ubuntu, LUSTRE_CODE, 0, withoutPython(LUSTRE_CODE))),
    alma: started(boot(alma, LUSTRE_CODE, 0, withoutPython(LUSTRE_CODE))),
  };

  test('Ubuntu 22.04: amlfs-jammy repository, amlfs-lustre-client-<version>=<kernel>', async () => {
    const m = ubuntu;
    const run = await booting.ubuntu;
    expect(run.setup.map((r) => r.status)).toEqual([0]);
    expect(fs.readFileSync(path.join(m.root, 'etc/apt/sources.list.d/amlfs.list'), 'utf8')).toBe(
      'deb [arch=amd64 signed-by=/usr/share/keyrings/microsoft-amlfs.gpg] https://packages.microsoft.com/repos/amlfs-jammy/ jammy main\n',
    );
    expect(callsOf(m, 'apt-get').flat()).toContain(`amlfs-lustre-client-${AMLFS_LUSTRE_CLIENT_VERSION}=${KERNELS.ubuntu}`);
    expect(fstab(m)).toBe(
      '10.1.1.5@tcp:/lustrefs /mnt/lustre-data lustre noatime,flock,_netdev 0 0\n'.replace('noatime,flock,_netdev', lustre.linux.options.join(',')),
    );
    expect(run.activation.status).toBe(0);
  });

  test('AlmaLinux 9: amlfs-el9 repository, the kmod build for the running kernel, the RHEL names of the libraries', async () => {
    const m = alma;
    const run = await booting.alma;
    expect(run.setup.map((r) => r.status)).toEqual([0]);
    expect(fs.readFileSync(path.join(m.root, 'etc/yum.repos.d/amlfs.repo'), 'utf8')).toContain('baseurl=https://packages.microsoft.com/yumrepos/amlfs-el9\n');
    const installed = callsOf(m, 'dnf').flat();
    expect(installed).toContain('amlfs-lustre-client-2.15.6_39_g3e00a10-5.14.0.427.13.1.el9.4-1');
    for (const pkg of ['mesa-libGL', 'mesa-libGLU', 'libgomp', 'libXrender', 'libXi', 'libxkbcommon-x11', 'dbus-libs', 'fontconfig', 'python3'])
      expect(installed).toContain(pkg);
    expect(callsOf(m, 'apt-get')).toEqual([]);
    expect(run.activation.status).toBe(0);
  });
});

const LICENSE_SERVER = params(avere, { kind: 'license-server', address: '10.0.1.20:5842' });
const NETAPP = params(netapp, { kind: 'license-server', address: '10.0.1.20:5842' });

describe('Azure NetApp Files: each volume from its own mount address, NFSv3 with nconnect where the kernel has it', () => {
  const machines = { ubuntu: createMachine('ubuntu'), alma: createMachine('alma'), old: createMachine('ubuntu') };
  // A kernel before 5.3 (no nconnect) on the third machine.
  fs.writeFileSync(path.join(machines.old.state, 'kernel'), '4.15.0-1113-azure');
  const booting = {
    ubuntu: started(boot(machines.ubuntu, NETAPP, 0)),
    alma: started(boot(machines.alma, NETAPP, 0)),
    old: started(boot(machines.old, NETAPP, 0)),
  };
  const options = 'rw,hard,vers=3,proto=tcp,rsize=262144,wsize=262144,nconnect=8,noatime,_netdev';

  test.each(['ubuntu', 'alma'] as const)('%s: fstab mounts /data and /home from their volumes, with nconnect=8', async (name) => {
    const run = await booting[name];
    expect(run.setup.map((r) => r.status)).toEqual([0]);
    expect(fstab(machines[name])).toBe(`10.1.2.4:/vol-pgm-data /mnt/anf-data nfs ${options} 0 0\n10.1.2.5:/vol-pgm-home /mnt/anf-home nfs ${options} 0 0\n`);
    expect(callsOf(machines[name], 'mount')).toEqual([['-a']]);
    // Both volume roots are handed to the service user (root access from the compute subnet by default).
    expect(callsOf(machines[name], 'chown')).toContainEqual(['hpcuser:hpcgroup', path.join(machines[name].root, 'mnt/anf-data')]);
    expect(callsOf(machines[name], 'chown')).toContainEqual(['hpcuser:hpcgroup', path.join(machines[name].root, 'mnt/anf-home')]);
  });

  test('a kernel without nconnect mounts without it', async () => {
    const run = await booting.old;
    expect(run.setup.map((r) => r.status)).toEqual([0]);
    const lines = fstab(machines.old).trim().split('\n');
    expect(lines).toEqual([
      `10.1.2.4:/vol-pgm-data /mnt/anf-data nfs ${options.replace('nconnect=8,', '')} 0 0`,
      `10.1.2.5:/vol-pgm-home /mnt/anf-home nfs ${options.replace('nconnect=8,', '')} 0 0`,
    ]);
  });
});
const UNLICENSED = params(avere, { kind: 'none' });

describe('licence server and no licence: no activation, the node enabled', () => {
  const cases = [
    ['license-server', LICENSE_SERVER, 'AGISOFT_LICENSING_DIR=/var/lib/metashape/licensing\nAGISOFT_FLS=10.0.1.20:5842\n'],
    ['none', UNLICENSED, 'AGISOFT_LICENSING_DIR=/var/lib/metashape/licensing\n'],
  ] as const;
  const machines = new Map(
    cases.map(([name, p]) => {
      const m = createMachine('ubuntu');
      return [name, { m, booting: started(boot(m, p, 0)) }];
    }),
  );

  test.each(cases)('%s', async (name, _params, envFile) => {
    const { m, booting } = machines.get(name)!;
    const run = await booting;
    expect(run.setup.map((r) => r.status)).toEqual([0]);
    expect(fs.readFileSync(path.join(m.root, 'etc/default/metashape-node'), 'utf8')).toBe(envFile);
    expect(callsOf(m, 'systemctl')).toContainEqual(['enable', 'metashape-node.service']);
    expect(callsOf(m, 'systemctl')).not.toContainEqual(['enable', 'metashape-activate.timer']);
    // Pulled in by the node unit, the activation finds nothing to do.
    expect(run.activation.status).toBe(0);
    expect(callsOf(m, 'curl').filter((a) => a.some((x) => x.includes('vault')))).toEqual([]);
  });
});

describe('the rendered scripts and cloud-config pass their own validators', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgm-validators-'));
  const required = process.env.CI === 'true';

  /** Runs a validator, or reports why not: a note (SKIPPED …) locally, a failure under CI=true. */
  async function withTool(tool: string, debianPackage: string, what: string, bin: string | undefined, check: (bin: string) => Promise<void>) {
    if (!bin) {
      const reason = `${tool} is not on PATH (Debian package ${debianPackage}; .ci/run installs it)`;
      if (required) throw new Error(`${what}: ${reason}, and CI=true requires it`);
      leaveNote(`${what}: SKIPPED (${reason})`);
      console.log(`${what}: SKIPPED (${reason})`);
      return;
    }
    await check(bin);
    leaveNote(`${what}: passed`);
  }

  const variants = [
    ['avere-code', AVERE_CODE],
    ['lustre-code', LUSTRE_CODE],
    ['avere-license-server', LICENSE_SERVER],
    ['netapp-license-server', NETAPP],
  ] as const;

  // Both validators start now, each once over every variant, while the scenarios above run.
  const shellcheck = findTool('shellcheck');
  const cloudInit = findTool('cloud-init');
  /** Every rendered script of every variant → the file shellcheck reads it from (identical texts share one file). */
  const scripts = new Map<string, string>();
  for (const [name, p] of variants) {
    for (const [script, text] of [
      ['node-setup', renderNodeSetupScript(p, false)],
      ['metashape-activate', renderActivationScript(p, false)],
    ]) {
      if (scripts.has(text)) continue;
      const file = path.join(dir, `${script}-${name}.sh`);
      fs.writeFileSync(file, text);
      scripts.set(text, file);
    }
  }
  const shellchecking = shellcheck ? started(runCommand(shellcheck, ['--shell=bash', '--severity=style', ...scripts.values()])) : undefined;
  const configFiles = variants.map(([name, p]) => {
    const file = path.join(dir, `cloud-config-${name}.yaml`);
    fs.writeFileSync(file, cloudConfigOf(p));
    return file;
  });
  const schemaChecking = cloudInit ? started(cloudInitSchema(cloudInit, configFiles)) : undefined;

  test('shellcheck: node-setup.sh and metashape-activate.sh, every variant, no finding at any level', async () => {
    await withTool('shellcheck', 'shellcheck', 'shellcheck of the rendered node scripts', shellcheck, async () => {
      // Every variant's scripts are among the files checked.
      for (const [, p] of variants)
        for (const text of [renderNodeSetupScript(p, false), renderActivationScript(p, false)]) expect(scripts.has(text)).toBe(true);
      const r = (await shellchecking)!;
      expect(r.output).toBe('');
      expect(r.status).toBe(0);
    });
  });

  test('cloud-init schema --config-file: the rendered cloud-config is valid', async () => {
    await withTool('cloud-init', 'cloud-init', 'cloud-init schema of the rendered node cloud-config', cloudInit, async () => {
      const results = (await schemaChecking)!;
      expect(results).toHaveLength(variants.length);
      variants.forEach(([name, p], i) => {
        const file = configFiles[i];
        expect(fs.readFileSync(file, 'utf8')).toBe(renderNodeCloudInit(p, false));
        expect({ name, status: results[i].status, output: results[i].output.trim() }).toEqual({ name, status: 0, output: `Valid cloud-config: ${file}` });
      });
    });
  });

  test('the activation helper is root-only and the unit runs it; the Python script has no placeholder left', () => {
    const doc = renderNodeCloudInit(params(), false);
    expect(doc).toContain(`path: ${ACTIVATE_SCRIPT_PATH}\n    permissions: "0700"`);
    expect(doc).not.toMatch(/\{\{[A-Z_]+\}\}/);
    expect(doc).not.toMatch(/set -x|sudo /);
  });
});
