/**
 * Boot rehearsal of the "batch" and "cyclecloud" orchestrators (see rehearsal.ts): the node bundle the Batch start
 * task and the CycleCloud cluster-init run writes exactly the scale set's cloud-config files and runs the same setup;
 * the CycleCloud server's initialization reads the admin password from Key Vault (retrying), registers the
 * subscription through the managed identity and imports and starts the Metashape cluster with the configured bounds.
 * Then shellcheck on every rendered script and cloud-init's schema on the server's cloud-config.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { NODE_SETUP_PATH, renderNodeBootFiles, renderNodeCloudInit, type NodeCloudInitParams } from '../../src/compute/cloud-init';
import {
  CYCLECLOUD_CLUSTER_INIT_PATH,
  CYCLECLOUD_INIT_PATH,
  CYCLECLOUD_PARAMETERS_PATH,
  CYCLECLOUD_TEMPLATE_PATH,
  renderCycleCloudCloudInit,
  renderCycleCloudInitScript,
  type CycleCloudServerParams,
} from '../../src/compute/cyclecloud';
import { NODE_BUNDLE_EOF, renderNodeBundleScript } from '../../src/compute/node-bundle';
import { addressRange, avereFileSystem, netappFileSystem } from '../../src/storage/file-systems';
import { leaveNote } from '../support/notes';
import { applyCloudConfig, callsOf, cloudInitSchema, createMachine, env, findTool, run, runOnMachine } from './rehearsal';

const CODE = 'ABCDE-FGHIJ-KLMNP-QRSTU-VWXYZ';
const PASSWORD = 'Cc-admin_Pa55word!x';
const TOKEN = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.fake-imds-token.sig';
const netapp = netappFileSystem({
  exports: [
    { name: 'data', volumePath: 'vol-pgm-data', address: '10.1.2.4' },
    { name: 'home', volumePath: 'vol-pgm-home', address: '10.1.2.5' },
  ],
});
const node = (fileSystem = netapp): NodeCloudInitParams => ({
  fileSystem,
  schedulerIp: '10.0.1.250',
  metashapeVersion: '2.1.3',
  installerUrl: 'https://download.agisoft.com/metashape-pro_2_1_3_amd64.tar.gz',
  gpuMask: 1,
  licensing: { kind: 'code', keyVaultUri: 'https://kv-pgm-abc.vault.azure.net/', secretName: 'photoscan-activation-code' },
});
const server: CycleCloudServerParams = {
  node: node(),
  adminUsername: 'pgmadmin',
  keyVaultUri: 'https://kv-pgm-abc.vault.azure.net/',
  adminSecretName: 'cyclecloud-admin-password',
  resourceGroupName: 'rg-pgm-compute',
  lockerAccountName: 'stpgmlocker123456',
  lockerContainerName: 'cyclecloud',
  location: 'westeurope',
  subnet: 'rg-pgm-network/vnet-pgm-photoscan/snet-pgm-compute',
  image: { publisher: 'microsoft-dsvm', offer: 'ubuntu-hpc', sku: '2204', version: 'latest' },
  machineType: 'Standard_NC24ads_A100_v4',
  nodeIdentityId:
    '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-pgm-compute/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-pgm-cyclecloud-nodes',
  initialCount: 2,
  maxCount: 6,
  spot: false,
  maxPrice: -1,
};

describe('node bundle (Batch start task, CycleCloud cluster-init)', () => {
  const p = node();
  const m = createMachine('ubuntu');
  const bundle = path.join(m.state, 'node-bundle.sh');
  fs.writeFileSync(bundle, renderNodeBundleScript(p, 'azure-batch-start-task', false));
  const e = env(m, { code: CODE, token: TOKEN, vaultFailures: 0 });
  let first: Awaited<ReturnType<typeof run>>;
  let second: Awaited<ReturnType<typeof run>>;
  let afterFirst: string;
  beforeAll(async () => {
    first = await run('bash', [bundle], { env: e });
    afterFirst = fs.readFileSync(path.join(m.root, 'etc/fstab'), 'utf8');
    second = await run('bash', [bundle], { env: e });
  });

  test('writes exactly the files of the scale set cloud-config, with their modes', () => {
    expect(first.status).toBe(0);
    const cloudConfig = parse(renderNodeCloudInit(p, false)) as { write_files: { path: string; permissions: string; content: string }[] };
    expect(cloudConfig.write_files.map((f) => f.path)).toEqual(renderNodeBootFiles(p, false).map((f) => f.path));
    for (const f of cloudConfig.write_files) {
      const file = path.join(m.root, f.path);
      expect({ path: f.path, content: fs.readFileSync(file, 'utf8') }).toEqual({ path: f.path, content: f.content });
      expect((fs.statSync(file).mode & 0o777).toString(8)).toBe(f.permissions.replace(/^0/, ''));
    }
  });

  test('then runs the same setup: node service enabled and started, shares in fstab, Metashape installed', () => {
    const systemctl = callsOf(m, 'systemctl');
    expect(systemctl).toContainEqual(['enable', 'metashape-node.service']);
    expect(systemctl).toContainEqual(['start', '--no-block', 'metashape-node.service']);
    expect(afterFirst).toContain('10.1.2.4:/vol-pgm-data /mnt/anf-data nfs ');
    expect(afterFirst).toContain('10.1.2.5:/vol-pgm-home /mnt/anf-home nfs ');
    expect(fs.existsSync(path.join(m.root, 'opt/metashape-pro/metashape.sh'))).toBe(true);
    expect(fs.existsSync(path.join(m.root, 'var/log/photogrammetry-setup.log'))).toBe(true);
    expect(first.output).not.toContain(CODE);
  });

  test('a second run (start task retried, node rebooted) succeeds and changes nothing in fstab', () => {
    expect(second.status).toBe(0);
    expect(fs.readFileSync(path.join(m.root, 'etc/fstab'), 'utf8')).toBe(afterFirst);
  });

  test('the here-document delimiter is in no file; the header names who runs it; no placeholder is left', () => {
    const text = renderNodeBundleScript(p, 'cyclecloud-cluster-init', false);
    expect(text.split('\n').filter((l) => l === NODE_BUNDLE_EOF)).toHaveLength(renderNodeBootFiles(p, false).length);
    expect(text).toContain('Started by: cyclecloud-cluster-init.');
    expect(text).toContain(`exec bash "$R"'${NODE_SETUP_PATH}'`);
    expect(text).not.toMatch(/\{\{[A-Z_]+\}\}/);
  });

  test('for Terraform, literal ${ in the files is escaped once (as in the cloud-config)', () => {
    const tf = renderNodeBundleScript(p, 'azure-batch-start-task');
    for (const f of renderNodeBootFiles(p)) expect(tf).toContain(f.content);
    expect(tf).not.toContain('$$${');
  });
});

describe('CycleCloud server initialization', () => {
  const m = createMachine('ubuntu');
  const e = { ...env(m, { code: PASSWORD, token: TOKEN, vaultFailures: 2 }), STUB_SUBSCRIPTION: '11111111-2222-3333-4444-555555555555' };
  let first: Awaited<ReturnType<typeof run>>;
  let second: Awaited<ReturnType<typeof run>>;
  beforeAll(async () => {
    const runcmd = applyCloudConfig(m, renderCycleCloudCloudInit(server, false));
    expect(runcmd).toEqual([['bash', CYCLECLOUD_INIT_PATH]]);
    first = await runOnMachine(m, e, runcmd[0]);
    second = await runOnMachine(m, e, runcmd[0]);
  });

  test('reads the admin password after the 403s, writes the one-shot account record (0600) and initializes the CLI', () => {
    expect(first.status).toBe(0);
    expect(callsOf(m, 'sleep').slice(0, 2)).toEqual([['5'], ['10']]);
    const record = path.join(m.root, 'opt/cycle_server/config/data/photogrammetry_account.json');
    expect(fs.statSync(record).mode & 0o777).toBe(0o600);
    const records = JSON.parse(fs.readFileSync(record, 'utf8')) as { AdType: string; Name: string; RawPassword?: string }[];
    expect(records).toContainEqual(expect.objectContaining({ AdType: 'AuthenticatedUser', Name: 'pgmadmin', RawPassword: PASSWORD, Superuser: true }));
    expect(callsOf(m, 'cyclecloud')[0]).toEqual([
      'initialize',
      '--batch',
      '--url=https://localhost',
      '--verify-ssl=false',
      '--username=pgmadmin',
      `--password=${PASSWORD}`,
    ]);
    // Nowhere in the log or output.
    expect(first.output).not.toContain(PASSWORD);
    expect(fs.readFileSync(path.join(m.root, 'var/log/cyclecloud-init.log'), 'utf8')).not.toContain(PASSWORD);
  });

  test('registers the subscription through the managed identity with the locker, then imports and starts the cluster', () => {
    const account = JSON.parse(fs.readFileSync(path.join(m.root, 'var/lib/photogrammetry/cyclecloud-account.json'), 'utf8'));
    expect(account).toMatchObject({
      Name: 'azure',
      AzureRMUseManagedIdentity: true,
      AzureRMSubscriptionId: '11111111-2222-3333-4444-555555555555',
      Location: 'westeurope',
      AzureResourceGroup: 'rg-pgm-compute',
      RMStorageAccount: 'stpgmlocker123456',
      RMStorageContainer: 'cyclecloud',
    });
    expect(JSON.stringify(account)).not.toMatch(/Secret":\s*"[^ ]/);
    const cc = callsOf(m, 'cyclecloud').map((c) => c.join(' '));
    expect(cc.slice(1)).toEqual([
      'account show azure',
      `account create -f ${path.join(m.root, 'var/lib/photogrammetry/cyclecloud-account.json')}`,
      'project upload azure-storage',
      `import_cluster metashape -c metashape -f ${path.join(m.root, CYCLECLOUD_TEMPLATE_PATH)} -p ${path.join(m.root, CYCLECLOUD_PARAMETERS_PATH)} --force`,
      'start_cluster metashape',
    ]);
    expect(first.output).toContain('cluster metashape started');
  });

  test('a second boot finds the marker and does nothing', () => {
    expect(second.status).toBe(0);
    expect(second.output).toContain('already initialized');
    expect(callsOf(m, 'cyclecloud')).toHaveLength(6);
  });

  test('the cluster parameters carry the bounds, the image, the subnet and the workers identity; cluster-init is the node bundle', () => {
    const params = JSON.parse(fs.readFileSync(path.join(m.root, CYCLECLOUD_PARAMETERS_PATH), 'utf8'));
    expect(params).toEqual({
      Credentials: 'azure',
      Region: 'westeurope',
      SubnetId: server.subnet,
      ImageName: 'microsoft-dsvm:ubuntu-hpc:2204:latest',
      MachineType: 'Standard_NC24ads_A100_v4',
      NodeIdentity: server.nodeIdentityId,
      InitialCount: 2,
      MaxCount: 6,
      Spot: false,
      MaxPrice: -1,
    });
    const template = fs.readFileSync(path.join(m.root, CYCLECLOUD_TEMPLATE_PATH), 'utf8');
    expect(template).toMatch(/\[\[nodearray worker\]\][\s\S]*InitialCount = \$InitialCount[\s\S]*MaxCount = \$MaxCount/);
    expect(template).toContain('[[[cluster-init metashape:default:1.0.0]]]');
    expect(template).toContain('Azure.Identities = $NodeIdentity');
    const clusterInit = path.join(m.root, CYCLECLOUD_CLUSTER_INIT_PATH);
    expect(fs.readFileSync(clusterInit, 'utf8')).toBe(renderNodeBundleScript(server.node, 'cyclecloud-cluster-init', false));
    expect(fs.statSync(clusterInit).mode & 0o777).toBe(0o755);
  });
});

describe('validators', () => {
  const required = process.env.CI === 'true';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgm-orchestrators-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  async function withTool(tool: string, what: string, bin: string | undefined, check: (bin: string) => Promise<void>) {
    if (!bin) {
      if (required) throw new Error(`${what}: ${tool} is not on PATH, and CI=true requires it`);
      leaveNote(`${what}: SKIPPED (${tool} is not on PATH)`);
      return;
    }
    await check(bin);
    leaveNote(`${what}: passed`);
  }

  test('shellcheck: the node bundles and the CycleCloud initialization, no finding at any level', async () => {
    await withTool('shellcheck', 'shellcheck of the orchestrator scripts', findTool('shellcheck'), async (bin) => {
      const avere = avereFileSystem({ dnsName: 'vfxt.hpc.internal', vserverAddresses: addressRange('10.1.0.17', 4) });
      const files = [
        ['bundle-netapp.sh', renderNodeBundleScript(node(), 'azure-batch-start-task', false)],
        ['bundle-avere.sh', renderNodeBundleScript(node(avere), 'cyclecloud-cluster-init', false)],
        ['cyclecloud-init.sh', renderCycleCloudInitScript(server, false)],
      ].map(([name, text]) => {
        const file = path.join(dir, name);
        fs.writeFileSync(file, text);
        return file;
      });
      const r = await run(bin, ['--shell=bash', '--severity=style', ...files]);
      expect(r.output).toBe('');
      expect(r.status).toBe(0);
    });
  });

  test("cloud-init schema: the CycleCloud server's cloud-config is valid", async () => {
    await withTool('cloud-init', "cloud-init schema of the CycleCloud server's cloud-config", findTool('cloud-init'), async (bin) => {
      const file = path.join(dir, 'cyclecloud.yaml');
      fs.writeFileSync(file, renderCycleCloudCloudInit(server, false));
      const [r] = await cloudInitSchema(bin, [file]);
      expect({ status: r.status, output: r.output.trim() }).toEqual({ status: 0, output: `Valid cloud-config: ${file}` });
    });
  });
});
