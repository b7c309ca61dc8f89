/**
 * The library as another team uses it: `npm pack`, install the tarball into a
 * fresh project offline (from the npm cache), compose the constructs in a way
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

beforeAll(() => {
  // `npm pack` runs `prepack` (= npm run build) and writes the tarball.
  const packed = JSON.parse(npm(['pack', '--json', '--pack-destination', work], root)) as Array<{ filename: string; files: Array<{ path: string }> }>;
  tarball = path.join(work, packed[0].filename);
  files = packed[0].files.map((f) => f.path);

  fs.mkdirSync(project);
  const peers = Object.fromEntries(Object.keys(pkg.peerDependencies).map((name) => [name, pkg.devDependencies[name] ?? pkg.peerDependencies[name]]));
  fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, dependencies: { [pkg.name]: `file:${tarball}`, ...peers } }, null, 2));
  npm(['install', '--offline', '--ignore-scripts', '--no-package-lock'], project);
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

test('a consumer composes its own app (custom address plan, own stack layout), synthesizes and validates it', () => {
  const app = `
    const { App, TerraformStack } = require('cdktf');
    const lib = require(${JSON.stringify(pkg.name)});
    const { AzurermProvider } = require('@cdktf/provider-azurerm/lib/provider');
    const app = new App({ outdir: 'cdktf.out' });
    // 1) The library's stacks with a configuration of the consumer's own: another region, prefix and address plan.
    const config = lib.parseConfig({
      namePrefix: 'vfx',
      location: 'westeurope',
      tags: { team: 'vfx' },
      network: { adminSourceCidrs: ['198.51.100.0/24'] },
      addressPlan: {
        photoscanVnet: '172.20.0.0/16', jumpboxSubnet: '172.20.0.0/24', computeSubnet: '172.20.4.0/22', adSubnet: '172.20.2.0/24',
        storageVnet: '172.21.0.0/16', cacheSubnet: '172.21.0.0/24',
        domainControllerIps: ['172.20.2.10', '172.20.2.11'], schedulerIp: '172.20.4.10',
        windowsJumpboxIp: '172.20.0.10', linuxJumpboxIp: '172.20.0.11', cacheVserverFirstIp: '172.21.0.100',
      },
    });
    lib.addPhotogrammetryStacks(app, config);
    // 2) HpcNetwork alone, in a stack of the consumer's own, with a second plan.
    const extra = new TerraformStack(app, 'lab-network');
    new AzurermProvider(extra, 'azurerm', { features: [{}] });
    const net = new lib.HpcNetwork(extra, 'lab', {
      naming: new lib.Naming('lab'), location: 'northeurope', adminSourceCidrs: ['203.0.113.7/32'], tags: { env: 'lab' },
      addressPlan: { ...lib.DEFAULT_ADDRESS_PLAN, photoscanVnet: '10.50.0.0/16', jumpboxSubnet: '10.50.0.0/24', computeSubnet: '10.50.1.0/24', adSubnet: '10.50.2.0/24',
        domainControllerIps: ['10.50.2.4', '10.50.2.5'], schedulerIp: '10.50.1.250', windowsJumpboxIp: '10.50.0.4', linuxJumpboxIp: '10.50.0.5' },
    });
    app.synth();
    const v = lib.validation.validateOutdirDetailed('cdktf.out');
    console.log(JSON.stringify({ problems: v.problems.map(lib.validation.formatProblem), stacks: v.stacks.map((s) => s.stack).sort(), computeCidr: net.subnets.compute.cidr }));`;
  fs.writeFileSync(path.join(project, 'app.js'), app);
  const run = spawnSync(process.execPath, ['app.js'], { cwd: project, encoding: 'utf8', env: { ...process.env, CHECKPOINT_DISABLE: '1' } });
  expect(run.stderr).not.toMatch(/Error/);
  expect(run.status).toBe(0);
  const out = JSON.parse(run.stdout.trim().split('\n').pop()!);
  expect(out).toEqual({ problems: [], stacks: ['compute', 'lab-network', 'network', 'storage'], computeCidr: '10.50.1.0/24' });
  const network = JSON.parse(fs.readFileSync(path.join(project, 'cdktf.out', 'stacks', 'network', 'cdk.tf.json'), 'utf8'));
  const vnets = Object.values(network.resource.azurerm_virtual_network) as Array<{ name: string; location: string; address_space: string[] }>;
  expect(vnets.map((v) => [v.name, v.location, v.address_space])).toEqual(
    expect.arrayContaining([['vnet-vfx-photoscan', 'westeurope', ['172.20.0.0/16']], ['vnet-vfx-storage', 'westeurope', ['172.21.0.0/16']]]),
  );
});
