/** The entry point as a user runs it: `node scripts/run-ts.js main.ts` (what cdktf.json's app runs). */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.join(__dirname, '..');
const runMain = (config: unknown) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgm-main-'));
  const file = path.join(dir, 'env.json');
  fs.writeFileSync(file, JSON.stringify(config));
  const result = spawnSync(process.execPath, ['scripts/run-ts.js', 'main.ts'], {
    cwd: root,
    env: { ...process.env, PHOTOGRAMMETRY_CONFIG: file, CDKTF_OUTDIR: path.join(dir, 'out'), CHECKPOINT_DISABLE: '1' },
    encoding: 'utf8',
  });
  return { ...result, outdir: path.join(dir, 'out') };
};

describe('main.ts', () => {
  test('synthesizes the three stacks from a configuration file', () => {
    const result = runMain({ namePrefix: 'demo', network: { adminSourceCidrs: ['203.0.113.0/24'] } });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(fs.readdirSync(path.join(result.outdir, 'stacks')).sort()).toEqual(['compute', 'network', 'storage']);
    const network = fs.readFileSync(path.join(result.outdir, 'stacks/network/cdk.tf.json'), 'utf8');
    expect(network).toContain('"name": "vnet-demo-photoscan"');
  });

  test('bad input: exit 1 with every field named, and no stack trace', () => {
    const result = runMain({ network: { adminSourceCidrs: ['*'] }, addressPlan: { schedulerIp: '10.0.0.4' } });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^Invalid configuration file .*env\.json:\n/);
    expect(result.stderr).toContain('  - network.adminSourceCidrs[0]: "*" opens RDP/SSH to the whole Internet and is refused');
    expect(result.stderr).toContain('  - addressPlan.schedulerIp: "10.0.0.4" is outside computeSubnet "10.0.1.0/24"');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(fs.existsSync(path.join(result.outdir, 'manifest.json'))).toBe(false);
  });
});
