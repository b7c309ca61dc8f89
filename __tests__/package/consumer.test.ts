/**
 * The library as another team uses it: `npm pack`, install the tarball into a
 * fresh project without the registry (unpacked, its dependencies linked), compose the constructs in a way
 * main.ts does not, synthesize, validate. Also: no emitted file imports the
 * root of @cdktf/provider-azurerm, importing the library stays cheap and loads no tooling (that is the
 * `/tooling` entry), and synthesizing reads no jsii assembly and writes nothing into node_modules.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.join(__dirname, '..', '..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pgm-consumer-'));
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const npm = (args: string[], cwd: string) =>
  execFileSync('npm', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });

let tarball: string;
let files: string[];
const project = path.join(work, 'consumer');

/** True when dist/ was built after the last change to any source (npm test builds it before jest runs). */
function distIsFresh(): boolean {
  const entry = path.join(root, 'dist', 'index.js');
  if (!fs.existsSync(entry)) return false;
  const built = fs.statSync(path.join(root, 'dist', 'src', 'index.js')).mtimeMs;
  const newest = (dir: string): number =>
    fs.readdirSync(path.join(root, dir), { withFileTypes: true }).reduce((m, e) => {
      const rel = path.join(dir, e.name);
      return Math.max(m, e.isDirectory() ? newest(rel) : fs.statSync(path.join(root, rel)).mtimeMs);
    }, 0);
  return ['src', 'constructs', 'stacks'].every((d) => newest(d) <= built);
}

/** Under `npm test` (scripts/test.js) the build runs beside jest: wait for its marker. */
async function waitForBuild(marker: string): Promise<void> {
  const deadline = Date.now() + 170_000;
  while (!fs.existsSync(marker)) {
    if (Date.now() > deadline) throw new Error(`the build of npm test did not finish (no ${marker})`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const status = fs.readFileSync(marker, 'utf8');
  if (status !== 'ok') throw new Error(`the build of npm test ${status}`);
}

beforeAll(async () => {
  // `npm test` builds dist/ beside jest; build here only when run otherwise (e.g. jest alone) and dist is missing or stale.
  if (process.env.PGM_BUILD_MARKER) await waitForBuild(process.env.PGM_BUILD_MARKER);
  else if (!distIsFresh()) npm(['run', 'build'], root);
  const packed = JSON.parse(npm(['pack', '--json', '--ignore-scripts', '--pack-destination', work], root)) as Array<{
    filename: string;
    files: Array<{ path: string }>;
  }>;
  tarball = path.join(work, packed[0].filename);
  files = packed[0].files.map((f) => f.path);

  fs.mkdirSync(project);
  fs.writeFileSync(
    path.join(project, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, dependencies: { [pkg.name]: `file:${tarball}` } }, null, 2),
  );
  // Install the tarball as npm lays it out, without the registry: `npm install --offline` would need registry
  // metadata for the tarball's own dependencies, which a fresh machine's npm cache does not hold after
  // `npm ci` (ENOTCACHED). Unpack it into node_modules/<name>, then give it its dependencies and the
  // consumer's cdktf toolchain (the peers) as links to this repository's installed copies.
  const installed = path.join(project, 'node_modules', pkg.name);
  fs.mkdirSync(installed, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1']);
  const packedManifest = JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8'));
  const links = [...Object.keys(packedManifest.dependencies ?? {}), ...Object.keys(packedManifest.peerDependencies ?? {})];
  for (const name of links) {
    fs.mkdirSync(path.dirname(path.join(project, 'node_modules', name)), { recursive: true });
    fs.symlinkSync(path.join(root, 'node_modules', name), path.join(project, 'node_modules', name), 'dir');
  }
  for (const name of links) expect(fs.lstatSync(path.join(project, 'node_modules', name)).isSymbolicLink()).toBe(true);
}, 180_000);

test('the tarball holds the two entries, declarations with their maps, the VM scripts and the licence, and nothing of the repo tooling', () => {
  expect(files).toEqual(
    expect.arrayContaining([
      'package.json',
      'README.md',
      'CHANGELOG.md',
      'API.md',
      'LICENSE',
      'dist/index.js',
      'dist/index.d.ts',
      'dist/src/index.js',
      'dist/src/index.d.ts',
      'dist/src/index.d.ts.map',
      'dist/tooling.js',
      'dist/tooling.d.ts',
      'dist/src/tooling.js',
      'dist/src/tooling.d.ts',
      'dist/src/vm-scripts/windows/metashape-bootstrap.ps1',
      'dist/src/vm-scripts/linux/node-setup.sh',
    ]),
  );
  expect(files.filter((f) => /^(__tests__|bench|scripts|src|constructs|stacks)\//.test(f) || /^dist\/(scripts|__tests__|bench|main\.)/.test(f))).toEqual([]);
  // The test and CI harness (stand-in providers, terraform runner) and the app runner are repository tooling.
  expect(files.filter((f) => /^dist\/src\/(terraform\/|cli\.|scripts\/)/.test(f))).toEqual([]);
  expect(pkg.exports).toEqual({
    '.': { types: './dist/index.d.ts', default: './dist/index.js' },
    './tooling': { types: './dist/tooling.d.ts', default: './dist/tooling.js' },
    './package.json': './package.json',
  });
  expect(pkg.license).toBe('MIT');
  expect(fs.readFileSync(path.join(root, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} cdktf-azure-photogrammetry authors\n/);
  expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
});

test('no emitted .js or .d.ts imports the root of @cdktf/provider-azurerm (or provider-random)', () => {
  const dist = path.join(project, 'node_modules', pkg.name, 'dist');
  const offenders: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (/\.(js|d\.ts)$/.test(e.name) && /(from |require\(|import\()\s*["']@cdktf\/provider-(azurerm|random)["']/.test(fs.readFileSync(full, 'utf8')))
        offenders.push(path.relative(dist, full));
    }
  };
  walk(dist);
  expect(offenders).toEqual([]);
});

test('importing the library does not load the provider index nor the tooling; the tooling is its own entry; deep imports are closed', () => {
  const probe = `
    const t = process.hrtime.bigint();
    const lib = require(${JSON.stringify(pkg.name)});
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    const loaded = Object.keys(require.cache);
    const rootIndex = loaded.some((f) => /@cdktf[\\\\/]provider-azurerm[\\\\/]lib[\\\\/]index\\.js$/.test(f));
    const toolingModules = loaded.filter((f) => /[\\\\/]dist[\\\\/]src[\\\\/](validation|report|ci)[\\\\/]/.test(f)).length;
    const tooling = require(${JSON.stringify(`${pkg.name}/tooling`)});
    let deep;
    try { require(${JSON.stringify(`${pkg.name}/dist/src/validation`)}); deep = 'loaded'; } catch (e) { deep = e.code; }
    console.log(JSON.stringify({ ms, rootIndex, toolingModules, exports: Object.keys(lib).length, rss: process.memoryUsage().rss,
      libHas: ['validation', 'validateOutdirDetailed', 'architectureReport', 'summarizePlan'].filter((n) => n in lib),
      toolingHas: ['validateOutdirDetailed', 'formatProblem', 'loadSchemaIndexes', 'architectureReport', 'writeArchitectureReport', 'summarizePlan', 'renderPlanComment'].filter((n) => typeof tooling[n] === 'function'),
      deep }));`;
  const out = JSON.parse(execFileSync(process.execPath, ['-e', probe], { cwd: project, encoding: 'utf8' }));
  expect(out.rootIndex).toBe(false);
  expect(out.toolingModules).toBe(0);
  expect(out.exports).toBeGreaterThan(20);
  expect(out.rss).toBeLessThan(300 * 1024 * 1024);
  expect(out.libHas).toEqual([]);
  expect(out.toolingHas).toEqual([
    'validateOutdirDetailed',
    'formatProblem',
    'loadSchemaIndexes',
    'architectureReport',
    'writeArchitectureReport',
    'summarizePlan',
    'renderPlanComment',
  ]);
  expect(out.deep).toBe('ERR_PACKAGE_PATH_NOT_EXPORTED');
});

test('synthesizing with the installed library reads no jsii assembly and writes nothing into node_modules', () => {
  fs.writeFileSync(
    path.join(project, 'lean.js'),
    `
    const { App } = require('cdktf');
    const lib = require(${JSON.stringify(pkg.name)});
    const app = new App({ outdir: 'cdktf.lean' });
    lib.addPhotogrammetryStacks(app, lib.parseConfig({}));
    app.synth();
    console.log(JSON.stringify({ reads: globalThis.__pgmReads, writes: globalThis.__pgmWrites }));`,
  );
  const recorder = path.join(root, '__tests__', 'policy', 'fixtures', 'record-reads.js');
  const run = spawnSync(process.execPath, ['-r', recorder, 'lean.js'], {
    cwd: project,
    encoding: 'utf8',
    env: { ...process.env, CHECKPOINT_DISABLE: '1' },
    maxBuffer: 64 * 1024 * 1024,
  });
  expect(run.status).toBe(0);
  const { reads, writes } = JSON.parse(run.stdout.trim().split('\n').pop()!) as { reads: string[]; writes: string[] };
  expect(reads.some((r) => r.includes(`${pkg.name}${path.sep}dist`))).toBe(true); // the recorder sees the library's own reads (VM scripts)
  expect(writes.some((w) => /cdktf\.lean[\\/]stacks[\\/]compute/.test(w))).toBe(true); // and its writes
  expect(reads.filter((r) => /\.jsii(\.gz)?$/.test(r))).toEqual([]);
  expect(writes.map((w) => path.resolve(project, w)).filter((w) => w.split(path.sep).includes('node_modules'))).toEqual([]);
});

const CONSUMER_PRELUDE = (name: string) => `
    const { App, TerraformStack } = require('cdktf');
    const lib = require(${JSON.stringify(name)});
    const { RandomProvider } = require('@cdktf/provider-random/lib/provider');
    const { AzurermProvider } = require('@cdktf/provider-azurerm/lib/provider');
    const { VirtualMachineExtension } = require('@cdktf/provider-azurerm/lib/virtual-machine-extension');
    const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGk1pXYlNXdSgHCM2ZcGzvJJ8uk6HMiyDf9P4tyXQY1u vfx@example';
    const app = new App({ outdir: 'cdktf.out' });
    const devConfig = lib.parseConfig({ namePrefix: 'vfxdev', location: 'westeurope', adminSshPublicKey: KEY, network: { adminSourceCidrs: ['198.51.100.0/24'] } });
    const dev = lib.addPhotogrammetryStacks(app, devConfig, { environment: 'dev' });`;

function runConsumer(file: string, body: string) {
  fs.writeFileSync(path.join(project, file), `${CONSUMER_PRELUDE(pkg.name)}\n${body}`);
  fs.rmSync(path.join(project, 'cdktf.out'), { recursive: true, force: true });
  return spawnSync(process.execPath, [file], { cwd: project, encoding: 'utf8', env: { ...process.env, CHECKPOINT_DISABLE: '1' } });
}

test('a consumer written against the README composes two environments, its own NSG rule, a grant to the nodes and an extension after the scheduler bootstrap', () => {
  const run = runConsumer(
    'app.js',
    `
    // A second environment in the same App: Managed Lustre, its own address plan, its own name prefix.
    const prodConfig = lib.parseConfig({
      namePrefix: 'vfxprod', location: 'westeurope', adminSshPublicKey: KEY,
      addressPlan: {
        photoscanVnet: '172.20.0.0/16', jumpboxSubnet: '172.20.0.0/24', computeSubnet: '172.20.4.0/22', adSubnet: '172.20.2.0/24',
        storageVnet: '172.21.0.0/16', lustreSubnet: '172.21.1.0/24',
        domainControllerIps: ['172.20.2.10', '172.20.2.11'], schedulerIp: '172.20.4.10', windowsJumpboxIp: '172.20.0.10', linuxJumpboxIp: '172.20.0.11',
      },
      storage: { backend: 'managed-lustre', lustre: { hpcCacheResourceProviderObjectId: '11111111-2222-3333-4444-555555555555' } },
      compute: { nodes: { count: 2, size: 'Standard_NC4as_T4_v3' } },
    });
    const prod = lib.addPhotogrammetryStacks(app, prodConfig, { environment: 'prod' });
    const net = prod.network.network;
    const cluster = prod.compute.cluster;
    // Its own NSG rule, through the network (checked against every other rule of that NSG at synth).
    net.allowInbound('compute', { name: 'allow-licence-server', priority: 500, access: 'Allow', protocol: 'Tcp', ports: ['5842'], sources: ['172.20.0.0/24'], description: 'Floating licences' }, { scope: prod.compute, id: 'licence-rule' });
    // A grant to the nodes' identity: read every secret of the vault.
    prod.network.secrets.grantSecretsRead(cluster.nodes, { id: 'nodes-read-vault' });
    // An extension on the scheduler, ordered after its bootstrap.
    new VirtualMachineExtension(prod.compute, 'monitoring', {
      name: 'monitoring', virtualMachineId: cluster.scheduler.vmId, publisher: 'Microsoft.Azure.Monitor', type: 'AzureMonitorWindowsAgent',
      typeHandlerVersion: '1.0', dependsOn: [cluster.scheduler.bootstrap], tags: prod.compute.tags,
    });
    // A stack of its own with its own random provider (another id): the library's constructs reuse it.
    const extras = new TerraformStack(app, 'extras');
    new AzurermProvider(extras, 'azure', { features: [{}] });
    new RandomProvider(extras, 'my-random');
    new lib.CoreFiler(extras, 'scratch', { naming: new lib.Naming('vfxtmp'), location: 'westeurope', resourceGroupName: 'rg-scratch', containers: { scratch: 'scratch' } });
    app.synth();
    const tooling = require(${JSON.stringify(`${pkg.name}/tooling`)});
    const v = tooling.validateOutdirDetailed('cdktf.out');
    const read = (s) => require('./cdktf.out/stacks/' + s + '/cdk.tf.json');
    const compute = read('prod-compute');
    console.log(JSON.stringify({
      problems: v.problems.map(tooling.formatProblem), stacks: v.stacks.map((s) => s.stack).sort(),
      rules: lib.testing.nsgRules(compute).map((r) => r.name + ':' + r.priority).sort(),
      grant: lib.testing.resourcesOf(compute, 'azurerm_role_assignment').filter(([k]) => /nodes-read-vault/.test(k)).map(([, r]) => r.principal_id),
      monitoring: lib.testing.resourceNamed(compute, 'azurerm_virtual_machine_extension', 'monitoring').depends_on,
      randomAliases: read('extras').provider.random.map((p) => p.alias || null),
      devSubnets: lib.testing.resourcesOf(read('dev-network'), 'azurerm_subnet').map(([, s]) => s.name).sort(),
      prodSubnets: lib.testing.resourcesOf(read('prod-network'), 'azurerm_subnet').map(([, s]) => s.name).sort(),
      prodSecrets: lib.testing.resourcesOf(read('prod-network'), 'azurerm_key_vault_secret').map(([, s]) => s.name).sort(),
    }));`,
  );
  expect(run.stderr).not.toMatch(/Error/);
  expect(run.status).toBe(0);
  const out = JSON.parse(run.stdout.trim().split('\n').pop()!);
  expect(out.problems).toEqual([]);
  expect(out.stacks).toEqual(['dev-compute', 'dev-network', 'dev-storage', 'extras', 'prod-compute', 'prod-network', 'prod-storage']);
  expect(out.rules).toEqual(['allow-licence-server:500', 'vfxprod-allow-metashape-from-compute:300', 'vfxprod-deny-metashape-from-elsewhere:320']);
  expect(out.grant).toEqual([expect.stringMatching(/azurerm_linux_virtual_machine_scale_set\.cluster_nodes_\w+\.identity\[0\]\.principal_id/)]);
  expect(out.monitoring).toEqual([expect.stringMatching(/^azurerm_virtual_machine_extension\.cluster_scheduler-bootstrap_\w+$/)]);
  expect(out.randomAliases).toEqual([null]);
  // No cache subnet without Avere: NetApp Files (dev, the default) and Managed Lustre (prod) add their own subnets from
  // the storage stack, and neither has a vFXT password; both have the runner subnet Terraform deploys from.
  expect(out.devSubnets).toEqual(['snet-vfxdev-ad', 'snet-vfxdev-compute', 'snet-vfxdev-jumpbox', 'snet-vfxdev-runner']);
  expect(out.prodSubnets).toEqual(['snet-vfxprod-ad', 'snet-vfxprod-compute', 'snet-vfxprod-jumpbox', 'snet-vfxprod-runner']);
  expect(out.prodSecrets).not.toContain('vfxt-admin-password');
});

test('a duplicate NSG priority and an overlapping subnet fail at synth, naming both constructs', () => {
  const run = runConsumer(
    'bad.js',
    `
    const extras = new TerraformStack(app, 'extras');
    new AzurermProvider(extras, 'azure', { features: [{}] });
    dev.network.network.allowInbound('compute', { name: 'my-rule', priority: 300, access: 'Allow', protocol: 'Tcp', ports: ['8080'], sources: ['10.0.0.0/24'] }, { scope: extras, id: 'my-rule' });
    dev.network.network.addSubnet(extras, 'my-subnet', { name: 'snet-mine', vnet: 'photoscan', cidr: '10.0.1.128/25' });
    app.synth();`,
  );
  expect(run.status).not.toBe(0);
  expect(run.stderr).toMatch(
    /priority 300 is used by "vfxdev-allow-metashape-from-compute" \(added by dev-compute\/cluster\/scheduler\) and "my-rule" \(added by extras\)/,
  );
  expect(run.stderr).toMatch(
    /subnet "snet-mine" "10\.0\.1\.128\/25" \(added by extras\) overlaps subnet "snet-vfxdev-compute" "10\.0\.1\.0\/24" \(added by dev-network\/hpc-network\)/,
  );
});
