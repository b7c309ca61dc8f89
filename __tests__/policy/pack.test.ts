/** The pack as an Aspect in real stacks: errors fail synth, warnings annotate, suppressions need reasons, the report is written. */
import { PublicIp } from '@cdktf/provider-azurerm/lib/public-ip';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { App, Aspects, TerraformStack } from 'cdktf';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PolicyAspect } from '../../src/policy/aspect';
import { evaluateStack } from '../../src/policy/evaluate';
import { renderPolicyMarkdown } from '../../src/policy/report';
import { POLICY_RULES } from '../../src/policy/rule-ids';
import { suppressPolicy } from '../../src/policy/suppressions';
import { synthApp } from '../support/synth';

function stackWithPublicIp(suppress: boolean) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgm-policy-'));
  const app = new App({ outdir, stackTraces: false });
  const stack = new TerraformStack(app, 'edge');
  new AzurermProvider(stack, 'azurerm', { features: [{}] });
  const pip = new PublicIp(stack, 'pip', { name: 'pip-x', location: 'eastus', resourceGroupName: 'rg', allocationMethod: 'Static', sku: 'Standard', tags: { a: 'b' } });
  if (suppress) suppressPolicy(pip, POLICY_RULES.PUBLIC_IP, 'An appliance needs a public address for its licence server.');
  const aspect = new PolicyAspect();
  Aspects.of(stack).add(aspect);
  return { app, outdir, aspect };
}

test('an error finding fails synth, naming the rule, the resource and the problem', () => {
  const { app } = stackWithPublicIp(false);
  expect(() => app.synth()).toThrow(/\[edge\/pip\] \[PGM-NET-3\] azurerm_public_ip\.pip: public IP pip-x: only jump boxes and Bastion may have one/);
});

test('a reasoned suppression lets synth pass; the report lists it with its reason and path', () => {
  const { app, outdir, aspect } = stackWithPublicIp(true);
  app.synth();
  expect(aspect.findings.find((f) => f.ruleId === 'PGM-NET-3')).toMatchObject({ result: 'suppressed', reason: 'An appliance needs a public address for its licence server.', suppressedAt: 'edge/pip' });
  const report = JSON.parse(fs.readFileSync(path.join(outdir, 'policy-report.json'), 'utf8'));
  expect(report.summary).toMatchObject({ fail: 0, suppressed: 1 });
  expect(fs.existsSync(path.join(outdir, 'stacks', 'edge', 'policy-report.json'))).toBe(true);
  expect(fs.readFileSync(path.join(outdir, 'policy-report.md'), 'utf8')).toContain('| PGM-NET-3 | edge | `azurerm_public_ip.pip` |');
});

test('warnings annotate without failing synth', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgm-policy-'));
  const app = new App({ outdir, stackTraces: false });
  const stack = new TerraformStack(app, 'data');
  new AzurermProvider(stack, 'azurerm', { features: [{}] });
  new (require('@cdktf/provider-azurerm/lib/storage-container').StorageContainer)(stack, 'c', { name: 'data', storageAccountId: 'x' });
  Aspects.of(stack).add(new PolicyAspect());
  app.synth();
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
  expect(manifest.stacks.data.annotations).toEqual([expect.objectContaining({ level: '@cdktf/warn', message: expect.stringMatching(/\[PGM-DATA-1\] azurerm_storage_container\.c: lifecycle\.prevent_destroy is off/) })]);
});

describe('the default app', () => {
  const app = synthApp();
  test('passes the pack with only reasoned suppressions (the jump box public IP)', () => {
    const report = JSON.parse(fs.readFileSync(path.join(app.outdir, 'policy-report.json'), 'utf8'));
    expect(report.summary).toMatchObject({ fail: 0, suppressed: 1 });
    const suppressed = report.findings.filter((f: { result: string }) => f.result === 'suppressed');
    expect(suppressed).toEqual([expect.objectContaining({ ruleId: 'PGM-NET-3', stack: 'compute', reason: expect.stringMatching(/.{10,}/) })]);
    expect(report.findings.length).toBeGreaterThan(100);
  });

  test('each stack has its report and every rule ran somewhere', () => {
    const ran = new Set<string>();
    for (const s of ['network', 'storage', 'compute']) {
      const r = JSON.parse(fs.readFileSync(path.join(app.outdir, 'stacks', s, 'policy-report.json'), 'utf8'));
      expect(r.stack).toBe(s);
      for (const f of r.findings) ran.add(f.ruleId);
    }
    const expected = Object.values(POLICY_RULES).filter((id) => id !== POLICY_RULES.VM_MANAGED_DISKS); // no legacy VMs here
    expect(expected.filter((id) => !ran.has(id))).toEqual([]);
  });

  test('the Markdown report: summary, no failures, the suppression with its reason, the rules table', () => {
    const md = fs.readFileSync(path.join(app.outdir, 'policy-report.md'), 'utf8');
    expect(md).toMatch(/^# Policy report\n\n\d+ passed · 0 failed \(0 errors, 0 warnings\) · 1 suppressed/);
    expect(md).toContain('The jump boxes are the admin entry point');
    expect(md).toContain('| PGM-KV-1 | error |');
  });
});

test('evaluateStack: variables and outputs are checked too', () => {
  const findings = evaluateStack('s', { variable: { db_password: { type: 'string' } }, output: { token: { value: 'x', sensitive: true } } }, { taggable: () => false });
  expect(findings.map((f) => [f.address, f.result])).toEqual([
    ['variable.db_password', 'fail'],
    ['output.token', 'pass'],
  ]);
  expect(renderPolicyMarkdown(findings)).toContain('| PGM-SEC-1 | error | s | `variable.db_password` | variable db_password looks like a secret but is not sensitive |');
});
