/**
 * The library as another team uses it: `npm pack`, install the tarball into a
 * fresh project without the registry (unpacked, its dependencies linked), compose the constructs in a way
 * main.ts does not, synthesize, validate. Also: no emitted file imports the
 * root of @cdktf/provider-azurerm, and importing the library stays cheap.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.join(__dirname, '..', '..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pgm-consumer-'));
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const npm = (args: string[], cwd: string) => execFileSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' }, stdio: ['ignore', 'pipe', 'pipe'] });

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
  const packed = JSON.parse(npm(['pack', '--json', '--ignore-scripts', '--pack-destination', work], root)) as Array<{ filename: string; files: Array<{ path: string }> }>;
  tarball = path.join(work, packed[0].filename);
  files = packed[0].files.map((f) => f.path);

  fs.mkdirSync(project);
  fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, dependencies: { [pkg.name]: `file:${tarball}` } }, null, 2));
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

test('the tarball holds the entry, declarations and script assets, and nothing of the repo tooling', () => {
  expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'CHANGELOG.md', 'API.md', 'dist/index.js', 'dist/index.d.ts', 'dist/src/index.js', 'dist/src/index.d.ts']));
  expect(files.filter((f) => /^(__tests__|bench|scripts|src|constructs|stacks)\//.test(f) || /^dist\/(scripts|__tests__|bench|main\.)/.test(f))).toEqual([]);
  expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
});

test('no emitted .js or .d.ts imports the root of @cdktf/provider-azurerm (or provider-random)', () => {
  const dist = path.join(project, 'node_modules', pkg.name, 'dist');
  const offenders: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (/\.(js|d\.ts)$/.test(e.name) && /(from |require\(|import\()\s*["']@cdktf\/provider-(azurerm|random)["']/.test(fs.readFileSync(full, 'utf8'))) offenders.push(path.relative(dist, full));
    }
  };
  walk(dist);
  expect(offenders).toEqual([]);
});

test('importing the library does not load the provider index', () => {
  const probe = `
    const t = process.hrtime.bigint();
    const lib = require(${JSON.stringify(pkg.name)});
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    const rootIndex = Object.keys(require.cache).some((f) => /@cdktf[\\\\/]provider-azurerm[\\\\/]lib[\\\\/]index\\.js$/.test(f));
    console.log(JSON.stringify({ ms, rootIndex, exports: Object.keys(lib).length, rss: process.memoryUsage().rss }));`;
  const out = JSON.parse(execFileSync(process.execPath, ['-e', probe], { cwd: project, encoding: 'utf8' }));
  expect(out.rootIndex).toBe(false);
  expect(out.exports).toBeGreaterThan(20);
  expect(out.rss).toBeLessThan(300 * 1024 * 1024);
});

test('a consumer composes its own app: custom address plan, Managed Lustre, two PhotoScan clusters sharing one network', () => {
  const app = `
    const { App } = require('cdktf');
    const lib = require(${JSON.stringify(pkg.name)});
    const { ResourceGroup } = require('@cdktf/provider-azurerm/lib/resource-group');
    const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGk1pXYlNXdSgHCM2ZcGzvJJ8uk6HMiyDf9P4tyXQY1u vfx@example';
    const app = new App({ outdir: 'cdktf.out' });
    const config = lib.parseConfig({
      namePrefix: 'vfx', location: 'westeurope', tags: { team: 'vfx' }, adminSshPublicKey: KEY,
      network: { adminSourceCidrs: ['198.51.100.0/24'] },
      addressPlan: {
        photoscanVnet: '172.20.0.0/16', jumpboxSubnet: '172.20.0.0/24', computeSubnet: '172.20.4.0/22', adSubnet: '172.20.2.0/24',
        storageVnet: '172.21.0.0/16', cacheSubnet: '172.21.0.0/24', lustreSubnet: '172.21.1.0/24',
        domainControllerIps: ['172.20.2.10', '172.20.2.11'], schedulerIp: '172.20.4.10',
        windowsJumpboxIp: '172.20.0.10', linuxJumpboxIp: '172.20.0.11', cacheVserverFirstIp: '172.21.0.100',
      },
      storage: { backend: 'managed-lustre', lustre: { sku: 'AMLFS-Durable-Premium-250', capacityTb: 16, hpcCacheResourceProviderObjectId: '11111111-2222-3333-4444-555555555555' } },
    });
    // The library's network and storage stacks ...
    const network = new lib.NetworkStack(app, 'network', { config });
    const storage = new lib.StorageStack(app, 'storage', { config, network });
    // ... and a stack of the consumer's own with two clusters (two teams) in the shared compute subnet.
    const render = new lib.PhotogrammetryStack(app, 'render', { config });
    render.addDependency(network);
    render.addDependency(storage);
    const net = network.network;
    const clusters = [['teama', '172.20.4.10', 300, 4], ['teamb', '172.20.4.11', 400, 2]].map(([team, ip, base, count]) => {
      const naming = new lib.Naming(team);
      const rg = new ResourceGroup(render, team + '-rg', { name: naming.name('resourceGroup', 'render'), location: config.location, tags: render.tags });
      return new lib.PhotoScanCluster(render, team, {
        naming, location: config.location, resourceGroupName: rg.name, tags: render.tags,
        network: { subnetId: net.subnets.compute.id, subnetCidr: config.addressPlan.computeSubnet, nsgName: net.subnets.compute.nsgName, nsgResourceGroupName: net.resourceGroupName, jumpboxSubnetCidr: config.addressPlan.jumpboxSubnet },
        fileSystem: storage.fileSystem, schedulerIp: ip, nsgPriorityBase: base,
        nodes: { count, size: 'Standard_NC4as_T4_v3' },
        metashape: { version: '2.2.0', linuxInstallerUrl: 'https://download.example.com/m.tar.gz', windowsInstallerUrl: 'https://download.example.com/m.msi' },
        licensing: { kind: 'code', keyVaultUri: network.secrets.vaultUri, secretName: network.secrets.activationCode.secretName, secretResourceId: network.secrets.activationCode.resourceId },
        adminUsername: network.domain.adminUsername, adminPassword: network.secrets.password('localAdmin').value, sshPublicKey: render.adminSshPublicKey,
        grantSecretsRead: (scope, id, principal, secret) => network.secrets.grantSecretsRead(scope, id, principal, secret),
        joinDomain: (scope, id, vm) => network.domain.joinDomain(scope, id, { virtualMachineId: vm, tags: render.tags }).extension,
      });
    });
    app.synth();
    const v = lib.validation.validateOutdirDetailed('cdktf.out');
    const policy = require('./cdktf.out/policy-report.json');
    console.log(JSON.stringify({
      problems: v.problems.map(lib.validation.formatProblem), stacks: v.stacks.map((s) => s.stack).sort(),
      policyFailures: policy.findings.filter((f) => f.result === 'fail').map((f) => f.ruleId + ' ' + f.address),
      masks: clusters.map((c) => c.gpuMask), report: lib.architectureReport('cdktf.out').inventory.totals,
    }));`;
  fs.writeFileSync(path.join(project, 'app.js'), app);
  const run = spawnSync(process.execPath, ['app.js'], { cwd: project, encoding: 'utf8', env: { ...process.env, CHECKPOINT_DISABLE: '1' } });
  expect(run.stderr).not.toMatch(/Error/);
  expect(run.status).toBe(0);
  const out = JSON.parse(run.stdout.trim().split('\n').pop()!);
  expect(out).toMatchObject({ problems: [], stacks: ['network', 'render', 'storage'], policyFailures: [], masks: [1, 1] });
  // 2 DCs (D2s_v5) + 2 schedulers (D8s_v5) + 6 T4 nodes (4 vCPUs, 1 GPU each); no Avere with Lustre.
  expect(out.report).toEqual({ vms: 10, vcpus: 2 * 2 + 2 * 8 + 6 * 4, gpus: 6 });
  const render = JSON.parse(fs.readFileSync(path.join(project, 'cdktf.out', 'stacks', 'render', 'cdk.tf.json'), 'utf8'));
  const sets = Object.values(render.resource.azurerm_linux_virtual_machine_scale_set) as Array<{ name: string; instances: number }>;
  expect(sets.map((x) => [x.name, x.instances]).sort()).toEqual([['vmss-teama-nodes', 4], ['vmss-teamb-nodes', 2]]);
  const rules = Object.values(render.resource.azurerm_network_security_rule) as Array<{ name: string; priority: number }>;
  expect(rules.map((r) => [r.name, r.priority]).sort()).toEqual([
    ['teama-allow-metashape-from-compute', 300],
    ['teama-deny-metashape-from-elsewhere', 320],
    ['teamb-allow-metashape-from-compute', 400],
    ['teamb-deny-metashape-from-elsewhere', 420],
  ]);
  const locals = JSON.stringify(render.locals);
  expect(locals).toContain('--worker --host 172.20.4.10:5840');
  expect(locals).toMatch(/mgs_address/);
});
