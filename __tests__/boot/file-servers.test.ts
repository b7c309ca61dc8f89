/**
 * Boot of the VM-based file systems' machines (GlusterFS servers, BeeGFS servers, Samba gateways) and the nodes'
 * clients: every rendered shell script through shellcheck, every cloud-config through cloud-init's schema, and a
 * rehearsal of the GlusterFS pool formation under bash with a stub `gluster` (formation order, idempotence, one
 * server down at boot) and of the nodes' BeeGFS and GlusterFS client set-up.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { renderNodeCloudInit, renderNodeSetupScript, renderSecretHelper, type NodeCloudInitParams } from '../../src/compute/cloud-init';
import {
  beegfsGatewayMount,
  GLUSTER_FORM_SCRIPT_PATH,
  GLUSTER_FORMED_MARKER,
  glusterGatewayMount,
  renderBeegfsServerCloudInit,
  renderBeegfsServerScript,
  renderGlusterFormScript,
  renderGlusterServerCloudInit,
  renderGlusterServerScript,
  renderSambaGatewayCloudInit,
  renderSambaGatewayScript,
  type BeegfsServerParams,
  type GlusterServerParams,
  type SambaGatewayParams,
} from '../../src/storage/boot';
import { beegfsFileSystem, glusterFileSystem } from '../../src/storage/file-systems';
import { leaveNote } from '../support/notes';
import { applyCloudConfig, callsOf, cloudInitSchema, createMachine, env, findTool, run, runOnMachine } from './rehearsal';

const SERVERS = ['10.1.3.10', '10.1.3.11', '10.1.3.12'];
const gluster = (index: number, extra: Partial<GlusterServerParams> = {}): GlusterServerParams => ({
  serverAddresses: SERVERS,
  index,
  replica: 3,
  arbiter: false,
  diskCount: 4,
  clientCidrs: ['10.0.1.0/24', '10.1.3.0/24'],
  ...extra,
});
const beegfs = (role: BeegfsServerParams['role'], extra: Partial<BeegfsServerParams> = {}): BeegfsServerParams => ({
  role,
  managementAddress: '10.1.3.10',
  serverId: 1,
  targetIds: role === 'storage' ? [101, 102] : [1],
  diskLayout: 'premium-ssd',
  diskCount: role === 'management' ? 0 : 4,
  keyVaultUri: 'https://kv-pgm-abc123.vault.azure.net/',
  connAuthSecretName: 'beegfs-connauth',
  ...extra,
});
const gateway = (mount: SambaGatewayParams['mount']): SambaGatewayParams => ({
  domainName: 'photoscan.local',
  netbiosName: 'PHOTOSCAN',
  joinUser: 'pgmadmin',
  keyVaultUri: 'https://kv-pgm-abc123.vault.azure.net/',
  joinSecretName: 'domain-admin-password',
  clientCidrs: ['10.0.1.0/24'],
  mount,
});
const beegfsFs = beegfsFileSystem({
  managementAddress: '10.1.3.10',
  connAuthSecret: {
    keyVaultUri: 'https://kv-pgm-abc123.vault.azure.net/',
    secretName: 'beegfs-connauth',
    secretResourceId: '/subscriptions/x/secrets/beegfs-connauth',
  },
  smbHost: 'smb.photoscan.local',
});
const glusterFs = glusterFileSystem({ serverAddresses: SERVERS, dnsName: 'gluster.photoscan.local', smbHost: 'smb.photoscan.local' });
const node = (fileSystem: NodeCloudInitParams['fileSystem']): NodeCloudInitParams => ({
  fileSystem,
  schedulerIp: '10.0.1.250',
  metashapeVersion: '2.1.3',
  installerUrl: 'https://download.agisoft.com/metashape-pro_2_1_3_amd64.tar.gz',
  gpuMask: 1,
  licensing: { kind: 'license-server', address: '10.0.1.20:5842' },
});

/** A stub `gluster`: peers answer unless listed in STUB_DOWN; volumes live as files in the state directory. */
const GLUSTER_STUB = `#!/bin/bash
_stub_log gluster "$@"
[ "$1" = --mode=script ] && shift
case "$1 $2" in
  "peer probe")
    case " \${STUB_DOWN:-} " in *" $3 "*) echo "peer probe: failed: Probe returned with Transport endpoint is not connected" >&2; exit 1 ;; esac
    : > "$STUB_STATE/peer-$3"; echo "peer probe: success" ;;
  "pool list")
    printf 'UUID\\tHostname\\tState\\n'
    for p in "$STUB_STATE"/peer-*; do [ -e "$p" ] && printf 'uuid\\t%s\\tConnected\\n' "\${p##*/peer-}"; done
    printf 'uuid\\tlocalhost\\tConnected\\n' ;;
  "volume info")
    [ -e "$STUB_STATE/volume-$3" ] || { echo "Volume $3 does not exist" >&2; exit 1; }
    printf 'Volume Name: %s\\nStatus: %s\\n' "$3" "$(cat "$STUB_STATE/volume-$3")" ;;
  "volume create") echo Created > "$STUB_STATE/volume-$3" ;;
  "volume start") echo Started > "$STUB_STATE/volume-$3" ;;
  "volume set") ;;
  *) echo "gluster stub: unexpected $*" >&2; exit 1 ;;
esac
`;

function glusterMachine() {
  const m = createMachine('ubuntu');
  fs.writeFileSync(path.join(m.stubs, 'gluster'), GLUSTER_STUB, { mode: 0o755 });
  applyCloudConfig(m, renderGlusterServerCloudInit(gluster(0), false));
  return m;
}
const formEnv = (m: ReturnType<typeof createMachine>, down = '') => ({ ...env(m, { code: 'x', token: 't', vaultFailures: 0 }), STUB_DOWN: down });

describe('GlusterFS pool formation (first server, gluster-form.sh)', () => {
  test('probes every other server, waits for all Connected, then creates and starts data and home once', async () => {
    const m = glusterMachine();
    const r = await runOnMachine(m, formEnv(m), ['bash', GLUSTER_FORM_SCRIPT_PATH]);
    expect(r.output).toContain('pool of 3 servers formed');
    expect(r.status).toBe(0);
    const g = callsOf(m, 'gluster').map((c) =>
      c
        .filter((a) => a !== '--mode=script')
        .slice(0, 3)
        .join(' '),
    );
    const first = (s: string) => g.findIndex((c) => c.startsWith(s));
    expect(g.filter((c) => c.startsWith('peer probe'))).toEqual(['peer probe 10.1.3.11', 'peer probe 10.1.3.12']);
    expect(first('volume create')).toBeGreaterThan(g.lastIndexOf('peer probe 10.1.3.12'));
    expect(first('volume create')).toBeGreaterThan(first('pool list'));
    expect(first('volume start data')).toBeGreaterThan(first('volume create data'));
    const create = callsOf(m, 'gluster').find((c) => c.includes('create') && c.includes('data'))!;
    expect(create).toEqual([
      '--mode=script',
      'volume',
      'create',
      'data',
      'replica',
      '3',
      'transport',
      'tcp',
      '10.1.3.10:/bricks/brick1/data',
      '10.1.3.11:/bricks/brick1/data',
      '10.1.3.12:/bricks/brick1/data',
    ]);
    expect(callsOf(m, 'gluster')).toContainEqual(['volume', 'set', 'home', 'auth.allow', '10.0.1.*,10.1.3.*']);
    expect(fs.existsSync(path.join(m.root, GLUSTER_FORMED_MARKER))).toBe(true);

    // Idempotent: with the marker it stops at once; without it (a re-run after a partial one) nothing is created again.
    const again = await runOnMachine(m, formEnv(m), ['bash', GLUSTER_FORM_SCRIPT_PATH]);
    expect(again.status).toBe(0);
    expect(again.output).toContain('the pool is formed');
    fs.rmSync(path.join(m.root, GLUSTER_FORMED_MARKER));
    fs.writeFileSync(m.log, '');
    const rerun = await runOnMachine(m, formEnv(m), ['bash', GLUSTER_FORM_SCRIPT_PATH]);
    expect(rerun.status).toBe(0);
    expect(callsOf(m, 'gluster').filter((c) => c.includes('create') || c.includes('start'))).toEqual([]);
  });

  test('a server that does not answer fails the attempt after retrying, before any volume exists (the timer retries)', async () => {
    const m = glusterMachine();
    const r = await runOnMachine(m, formEnv(m, '10.1.3.12'), ['bash', GLUSTER_FORM_SCRIPT_PATH]);
    expect(r.status).toBe(1);
    expect(r.output).toContain('server 10.1.3.12 did not answer');
    expect(callsOf(m, 'gluster').filter((c) => c.includes('probe') && c.includes('10.1.3.12')).length).toBeGreaterThan(5);
    expect(callsOf(m, 'gluster').some((c) => c.includes('create'))).toBe(false);
    expect(callsOf(m, 'sleep').length).toBeGreaterThan(5);
    expect(fs.existsSync(path.join(m.root, GLUSTER_FORMED_MARKER))).toBe(false);
    // The server comes up: the next attempt forms the pool.
    const later = await runOnMachine(m, formEnv(m), ['bash', GLUSTER_FORM_SCRIPT_PATH]);
    expect(later.status).toBe(0);
  });

  test('only the first server forms the pool; arbiter layouts create "replica 3 arbiter 1"', () => {
    expect(renderGlusterServerCloudInit(gluster(0), false)).toContain(GLUSTER_FORM_SCRIPT_PATH);
    expect(renderGlusterServerCloudInit(gluster(1), false)).not.toContain(GLUSTER_FORM_SCRIPT_PATH);
    expect(renderGlusterServerScript(gluster(1), false)).toContain('FORMS_POOL=false');
    expect(renderGlusterFormScript(gluster(0, { arbiter: true }), false)).toContain("TYPE_ARGS=('replica' '3' 'arbiter' '1')");
  });
});

describe('the nodes mount the VM-based file systems', () => {
  test('BeeGFS: the connauth secret is written by the helper (read from Key Vault), the client is set up for the management host', async () => {
    const m = createMachine('ubuntu');
    const [cmd] = applyCloudConfig(m, renderNodeCloudInit(node(beegfsFs), false));
    const setupClient = path.join(m.root, 'opt/beegfs/sbin/beegfs-setup-client');
    fs.mkdirSync(path.dirname(setupClient), { recursive: true });
    fs.writeFileSync(setupClient, '#!/bin/bash\n_stub_log beegfs-setup-client "$@"\n', { mode: 0o755 });
    const r = await runOnMachine(m, env(m, { code: 'CONNAUTH-SECRET-VALUE', token: 'tok', vaultFailures: 1 }), cmd);
    expect(r.output).not.toContain('CONNAUTH-SECRET-VALUE');
    expect(r.status).toBe(0);
    const secret = path.join(m.root, 'etc/beegfs/connauthfile');
    expect(fs.readFileSync(secret, 'utf8')).toBe('CONNAUTH-SECRET-VALUE');
    expect(fs.statSync(secret).mode & 0o777).toBe(0o400);
    expect(callsOf(m, 'beegfs-setup-client')).toEqual([['-m', '10.1.3.10']]);
    expect(fs.readFileSync(path.join(m.root, 'etc/beegfs/beegfs-client.conf'), 'utf8')).toBe(
      'connAuthFile = /etc/beegfs/connauthfile\nconnDisableAuthentication = false\n',
    );
    expect(fs.readFileSync(path.join(m.root, 'etc/beegfs/beegfs-mounts.conf'), 'utf8')).toBe('/mnt/beegfs /etc/beegfs/beegfs-client.conf\n');
    expect(callsOf(m, 'systemctl')).toContainEqual(['restart', 'beegfs-client.service']);
    // Not mounted in the rehearsal: the data directory is not made on the OS disk, and the node waits for the mount.
    expect(fs.existsSync(path.join(m.root, 'mnt/beegfs/data'))).toBe(false);
    expect(fs.readFileSync(path.join(m.root, 'etc/systemd/system/metashape-node.service.d/beegfs.conf'), 'utf8')).toBe(
      "[Unit]\nAfter=beegfs-client.service\n[Service]\nExecStartPre=+/bin/sh -c 'mountpoint -q /mnt/beegfs || systemctl start beegfs-client.service; mountpoint -q /mnt/beegfs'\n",
    );
    // The client was installed already (beegfs-setup-client is there): not installed again. A fresh node installs it with
    // the headers of its running kernel, for the module build.
    expect(callsOf(m, 'apt-get').flat()).not.toContain('beegfs-client');
    expect(renderNodeSetupScript(node(beegfsFs), false)).toContain('install_packages beegfs-client beegfs-helperd beegfs-utils "linux-headers-${kernel}"');
    expect(fs.readFileSync(path.join(m.root, 'etc/fstab'), 'utf8')).toBe('');
  });

  test('GlusterFS: fstab entries for data and home over the FUSE client with backup volfile servers', async () => {
    const m = createMachine('ubuntu');
    const [cmd] = applyCloudConfig(m, renderNodeCloudInit(node(glusterFs), false));
    const r = await runOnMachine(m, env(m, { code: 'x', token: 't', vaultFailures: 0 }), cmd);
    expect(r.status).toBe(0);
    const opts = 'defaults,_netdev,backup-volfile-servers=10.1.3.11:10.1.3.12,x-systemd.requires=network-online.target';
    expect(fs.readFileSync(path.join(m.root, 'etc/fstab'), 'utf8')).toBe(
      `10.1.3.10:/data /mnt/gluster-data glusterfs ${opts} 0 0\n10.1.3.10:/home /mnt/gluster-home glusterfs ${opts} 0 0\n`,
    );
    expect(callsOf(m, 'apt-get').flat()).toContain('glusterfs-client');
  });
});

/** Stub commands of the gateway and the BeeGFS servers (files first on PATH; each logs its argv). */
function addStubs(m: ReturnType<typeof createMachine>, stubs: Record<string, string>) {
  for (const [name, body] of Object.entries(stubs))
    fs.writeFileSync(path.join(m.stubs, name), `#!/bin/bash\n_stub_log ${name} "$@"\n${body}\n`, { mode: 0o755 });
}

describe('Samba gateway boot (samba-gateway.sh)', () => {
  const NET = `
case "$1 $2" in
  "ads testjoin") [ -e "$STUB_STATE/joined" ] ;;
  "ads join")
    pw=''; IFS= read -r pw <&3 || true
    [ "$PASSWD_FD" = 3 ] && [ "$pw" = "$STUB_CODE" ] || { echo "net stub: wrong password" >&2; exit 1; }
    : > "$STUB_STATE/joined"; echo "Joined 'SMB1' to dns domain 'photoscan.local'" ;;
  *) exit 1 ;;
esac`;

  async function boot() {
    const m = createMachine('ubuntu');
    addStubs(m, { net: NET, testparm: '' });
    fs.writeFileSync(path.join(m.root, 'etc/nsswitch.conf'), 'passwd:         files systemd\ngroup:          files systemd\nhosts: files dns\n');
    const [cmd] = applyCloudConfig(m, renderSambaGatewayCloudInit(gateway(glusterGatewayMount(SERVERS)), false));
    const e = env(m, { code: 'JOIN-PASSWORD-VALUE', token: 'tok', vaultFailures: 2 });
    return { m, cmd, e, r: await runOnMachine(m, e, cmd) };
  }

  test('mounts the volumes, joins the domain with the password from Key Vault through a file descriptor, exports data and home', async () => {
    const { m, cmd, e, r } = await boot();
    expect(r.output).not.toContain('JOIN-PASSWORD-VALUE');
    expect(r.status).toBe(0);
    expect(callsOf(m, 'net')).toEqual([
      ['ads', 'testjoin'],
      ['ads', 'join', '-U', 'pgmadmin'],
    ]);
    expect(fs.existsSync(path.join(m.root, 'run/photogrammetry/join-password'))).toBe(false);
    const smb = fs.readFileSync(path.join(m.root, 'etc/samba/smb.conf'), 'utf8');
    expect(smb).toContain('  realm = PHOTOSCAN.LOCAL\n  security = ads\n');
    expect(smb).toContain('  hosts allow = 10.0.1.0/24\n');
    expect(smb).toContain('[data]\n  path = /mnt/gluster-data\n  read only = no\n  force user = hpcuser\n  force group = hpcgroup\n');
    expect(smb).toContain('[home]\n  path = /mnt/gluster-home\n');
    expect(fs.readFileSync(path.join(m.root, 'etc/systemd/system/smbd.service.d/photogrammetry.conf'), 'utf8')).toBe(
      '[Unit]\nRequiresMountsFor=/mnt/gluster-data\nRequiresMountsFor=/mnt/gluster-home\n',
    );
    expect(fs.readFileSync(path.join(m.root, 'etc/fstab'), 'utf8')).toContain(
      '10.1.3.10:/data /mnt/gluster-data glusterfs defaults,_netdev,backup-volfile-servers=10.1.3.11:10.1.3.12',
    );
    expect(fs.readFileSync(path.join(m.root, 'etc/nsswitch.conf'), 'utf8')).toContain(
      'passwd:         files systemd winbind\ngroup:          files systemd winbind\n',
    );
    expect(callsOf(m, 'systemctl')).toContainEqual(['restart', 'winbind.service', 'smbd.service']);

    // Idempotent: a second run finds the join and changes no file.
    fs.writeFileSync(m.log, '');
    const again = await runOnMachine(m, e, cmd);
    expect(again.status).toBe(0);
    expect(callsOf(m, 'net')).toEqual([['ads', 'testjoin']]);
    expect(fs.readFileSync(path.join(m.root, 'etc/fstab'), 'utf8').match(/glusterfs/g)).toHaveLength(2);
    expect(fs.readFileSync(path.join(m.root, 'etc/nsswitch.conf'), 'utf8').match(/winbind/g)).toHaveLength(2);
  });
});

describe('BeeGFS server boot (beegfs-server.sh)', () => {
  const STUBS = {
    vgs: '[ -e "$STUB_STATE/vg-$1" ]',
    vgcreate: ': > "$STUB_STATE/vg-$1"',
    pvcreate: '',
    lvcreate: '',
    blkid: 'd=${*: -1}; [ -e "$STUB_STATE/fs-${d//\\//_}" ]',
    'mkfs.xfs': 'd=${*: -1}; : > "$STUB_STATE/fs-${d//\\//_}"',
    'mkfs.ext4': 'd=${*: -1}; : > "$STUB_STATE/fs-${d//\\//_}"',
    mountpoint: 'exit 1',
    'beegfs-setup-storage': 'while [ $# -gt 0 ]; do [ "$1" = -p ] && dir=$2; shift; done; echo done > "$PGM_ROOT$dir/format.conf"',
  };

  test('storage server: 4 disks split into 2 striped XFS targets, set up once with ids 101/102, connauth from Key Vault', async () => {
    const m = createMachine('ubuntu');
    addStubs(m, STUBS);
    fs.mkdirSync(path.join(m.root, 'opt/beegfs/sbin'), { recursive: true });
    fs.symlinkSync(path.join(m.stubs, 'beegfs-setup-storage'), path.join(m.root, 'opt/beegfs/sbin/beegfs-setup-storage'));
    const lunDir = path.join(m.root, 'dev/disk/azure/scsi1');
    fs.mkdirSync(lunDir, { recursive: true });
    ['sdc', 'sdd', 'sde', 'sdf'].forEach((d, i) => {
      fs.writeFileSync(path.join(m.root, 'dev', d), '');
      fs.symlinkSync(path.join(m.root, 'dev', d), path.join(lunDir, `lun${i}`));
    });
    const [cmd] = applyCloudConfig(m, renderBeegfsServerCloudInit(beegfs('storage'), false));
    const e = env(m, { code: 'CONNAUTH', token: 'tok', vaultFailures: 0 });
    const r = await runOnMachine(m, e, cmd);
    expect({ status: r.status, output: r.status === 0 ? '' : r.output }).toEqual({ status: 0, output: '' });
    expect(fs.readFileSync(path.join(m.root, 'etc/beegfs/connauthfile'), 'utf8')).toBe('CONNAUTH');
    const dev = (d: string) => path.join(m.root, 'dev', d);
    expect(callsOf(m, 'pvcreate')).toEqual([
      ['-y', dev('sdc'), dev('sdd')],
      ['-y', dev('sde'), dev('sdf')],
    ]);
    expect(callsOf(m, 'lvcreate')).toEqual([
      ['-y', '-l', '100%FREE', '-i', '2', '-I', '512k', '-n', 'lv', 'vg_beegfs101'],
      ['-y', '-l', '100%FREE', '-i', '2', '-I', '512k', '-n', 'lv', 'vg_beegfs102'],
    ]);
    expect(callsOf(m, 'beegfs-setup-storage')).toEqual([
      ['-p', '/data/beegfs/storage101', '-s', '1', '-i', '101', '-m', '10.1.3.10'],
      ['-p', '/data/beegfs/storage102', '-s', '1', '-i', '102', '-m', '10.1.3.10'],
    ]);
    expect(fs.readFileSync(path.join(m.root, 'etc/fstab'), 'utf8')).toContain('/dev/vg_beegfs101/lv /data/beegfs/storage101 xfs noatime,nodiratime');
    expect(fs.readFileSync(path.join(m.root, 'etc/beegfs/beegfs-storage.conf'), 'utf8')).toBe(
      'connAuthFile = /etc/beegfs/connauthfile\nconnDisableAuthentication = false\n',
    );
    expect(callsOf(m, 'systemctl')).toContainEqual(['restart', 'beegfs-storage.service']);
    const apt = callsOf(m, 'apt-get').flat();
    expect(apt).toContain('beegfs-storage');

    // Idempotent: nothing is formatted or set up again.
    fs.writeFileSync(m.log, '');
    const again = await runOnMachine(m, e, cmd);
    expect(again.status).toBe(0);
    for (const c of ['pvcreate', 'vgcreate', 'lvcreate', 'mkfs.xfs', 'beegfs-setup-storage']) expect(callsOf(m, c)).toEqual([]);
    expect(fs.readFileSync(path.join(m.root, 'etc/fstab'), 'utf8').match(/beegfs/g)).toHaveLength(4);
  });
});

describe('GlusterFS server boot (gluster-server.sh)', () => {
  const STUBS = {
    vgs: '[ -e "$STUB_STATE/vg-$1" ]',
    vgcreate: ': > "$STUB_STATE/vg-$1"',
    pvcreate: '',
    lvcreate: '',
    blkid: 'd=${*: -1}; [ -e "$STUB_STATE/fs-${d//\\//_}" ]',
    'mkfs.xfs': 'd=${*: -1}; : > "$STUB_STATE/fs-${d//\\//_}"',
    mountpoint: '[ -e "$STUB_STATE/mounted" ]',
  };
  // Ubuntu 22.04's glusterd.vol (glusterfs 10): max-port commented out.
  const GLUSTERD_VOL =
    'volume management\n    type mgmt/glusterd\n    option working-directory /var/lib/glusterd\n#   option base-port 49152\n#   option max-port  60999\nend-volume\n';

  test('stripes the 4 data disks into one XFS brick file system, limits brick ports, enables the formation on the first server; idempotent', async () => {
    const m = createMachine('ubuntu');
    addStubs(m, STUBS);
    const lunDir = path.join(m.root, 'dev/disk/azure/scsi1');
    fs.mkdirSync(lunDir, { recursive: true });
    ['sdc', 'sdd', 'sde', 'sdf'].forEach((d, i) => {
      fs.writeFileSync(path.join(m.root, 'dev', d), '');
      fs.symlinkSync(path.join(m.root, 'dev', d), path.join(lunDir, `lun${i}`));
    });
    fs.mkdirSync(path.join(m.root, 'etc/glusterfs'), { recursive: true });
    fs.writeFileSync(path.join(m.root, 'etc/glusterfs/glusterd.vol'), GLUSTERD_VOL);
    const [cmd] = applyCloudConfig(m, renderGlusterServerCloudInit(gluster(0), false));
    const e = env(m, { code: 'x', token: 't', vaultFailures: 0 });
    const r = await runOnMachine(m, e, cmd);
    expect({ status: r.status, output: r.status === 0 ? '' : r.output }).toEqual({ status: 0, output: '' });
    const dev = (d: string) => path.join(m.root, 'dev', d);
    expect(callsOf(m, 'pvcreate')).toEqual([['-y', dev('sdc'), dev('sdd'), dev('sde'), dev('sdf')]]);
    expect(callsOf(m, 'lvcreate')).toEqual([['-y', '-l', '100%FREE', '-i', '4', '-I', '256k', '-n', 'lv_bricks', 'vg_bricks']]);
    expect(callsOf(m, 'mkfs.xfs')).toEqual([['-f', '-i', 'size=512', '-n', 'size=8192', '/dev/vg_bricks/lv_bricks']]);
    expect(fs.readFileSync(path.join(m.root, 'etc/fstab'), 'utf8')).toBe('/dev/vg_bricks/lv_bricks /bricks/brick1 xfs inode64,noatime,nofail 0 0\n');
    for (const v of ['data', 'home']) expect(fs.statSync(path.join(m.root, 'bricks/brick1', v)).isDirectory()).toBe(true);
    expect(fs.readFileSync(path.join(m.root, 'etc/glusterfs/glusterd.vol'), 'utf8')).toContain('    type mgmt/glusterd\n    option max-port 49155\n');
    expect(callsOf(m, 'systemctl')).toEqual(
      expect.arrayContaining([
        ['restart', 'glusterd.service'],
        ['enable', 'gluster-form.timer'],
      ]),
    );

    // Again: nothing is created or formatted, the port limit is written once.
    fs.writeFileSync(m.log, '');
    const again = await runOnMachine(m, e, cmd);
    expect(again.status).toBe(0);
    for (const c of ['pvcreate', 'vgcreate', 'lvcreate', 'mkfs.xfs']) expect(callsOf(m, c)).toEqual([]);
    expect(fs.readFileSync(path.join(m.root, 'etc/glusterfs/glusterd.vol'), 'utf8').match(/max-port 49155/g)).toHaveLength(1);
    expect(fs.readFileSync(path.join(m.root, 'etc/fstab'), 'utf8').split('\n').filter(Boolean)).toHaveLength(1);
  });
});

describe('the rendered server, gateway and client scripts pass their validators', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgm-fs-validators-'));
  const scripts: Record<string, string> = {
    'gluster-server-0': renderGlusterServerScript(gluster(0), false),
    'gluster-form': renderGlusterFormScript(gluster(0, { arbiter: true }), false),
    'beegfs-management': renderBeegfsServerScript(beegfs('management'), false),
    'beegfs-metadata': renderBeegfsServerScript(beegfs('metadata'), false),
    'beegfs-storage-nvme': renderBeegfsServerScript(beegfs('storage', { diskLayout: 'nvme' }), false),
    'gateway-gluster': renderSambaGatewayScript(gateway(glusterGatewayMount(SERVERS)), false),
    'gateway-beegfs': renderSambaGatewayScript(
      gateway(beegfsGatewayMount({ managementAddress: '10.1.3.10', keyVaultUri: 'https://kv/', connAuthSecretName: 'beegfs-connauth' })),
      false,
    ),
    'keyvault-secret': renderSecretHelper(false),
    'node-setup-beegfs': renderNodeSetupScript(node(beegfsFs), false),
    'node-setup-gluster': renderNodeSetupScript(node(glusterFs), false),
  };
  const configs: Record<string, string> = {
    'gluster-server-0': renderGlusterServerCloudInit(gluster(0), false),
    'gluster-server-1': renderGlusterServerCloudInit(gluster(1), false),
    'beegfs-storage': renderBeegfsServerCloudInit(beegfs('storage'), false),
    'gateway-gluster': renderSambaGatewayCloudInit(gateway(glusterGatewayMount(SERVERS)), false),
    'node-beegfs': renderNodeCloudInit(node(beegfsFs), false),
  };
  const required = process.env.CI === 'true';

  test('shellcheck: no finding at any level', async () => {
    const bin = findTool('shellcheck');
    if (!bin) {
      if (required) throw new Error('shellcheck is not on PATH and CI=true requires it');
      leaveNote('shellcheck of the file server scripts: SKIPPED (not on PATH)');
      return;
    }
    const files = Object.entries(scripts).map(([name, text]) => {
      const f = path.join(dir, `${name}.sh`);
      fs.writeFileSync(f, text);
      return f;
    });
    const r = await run(bin, ['--shell=bash', '--severity=style', ...files]);
    expect(r.output).toBe('');
    expect(r.status).toBe(0);
    leaveNote('shellcheck of the file server scripts: passed');
  });

  test('cloud-init schema --config-file: every cloud-config is valid', async () => {
    const bin = findTool('cloud-init');
    if (!bin) {
      if (required) throw new Error('cloud-init is not on PATH and CI=true requires it');
      leaveNote('cloud-init schema of the file server cloud-configs: SKIPPED (not on PATH)');
      return;
    }
    const files = Object.entries(configs).map(([name, text]) => {
      const f = path.join(dir, `${name}.yaml`);
      fs.writeFileSync(f, text);
      return f;
    });
    const results = await cloudInitSchema(bin, files);
    results.forEach((r, i) =>
      expect({ file: files[i], status: r.status, output: r.output.trim() }).toEqual({ file: files[i], status: 0, output: `Valid cloud-config: ${files[i]}` }),
    );
    leaveNote('cloud-init schema of the file server cloud-configs: passed');
  });

  test('no placeholder left and no secret value in any rendered text', () => {
    for (const text of [...Object.values(scripts), ...Object.values(configs)]) {
      expect(text).not.toMatch(/\{\{[A-Z_]+\}\}/);
      expect(text).not.toMatch(/set -x|PASSWD=/);
    }
  });
});
