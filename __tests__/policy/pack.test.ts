/**
 * The pack as an Aspect in real stacks: errors fail synth, warnings annotate, suppressions need reasons and show in
 * cdk.tf.json, not-applicable is counted apart from pass, the report is written, and no provider schema is read.
 */
import { execFileSync } from 'child_process';
import { PublicIp } from '@cdktf/provider-azurerm/lib/public-ip';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { StorageContainer } from '@cdktf/provider-azurerm/lib/storage-container';
import { VirtualNetwork } from '@cdktf/provider-azurerm/lib/virtual-network';
import { Subnet } from '@cdktf/provider-azurerm/lib/subnet';
import { App, Aspects, TerraformStack, Testing } from 'cdktf';
import { Construct } from 'constructs';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { isTaggable, PolicyAspect, POLICY_SUPPRESSIONS_METADATA_KEY, taggableTypes } from '../../src/policy/aspect';
import { evaluateStack } from '../../src/policy/evaluate';
import { renderPolicyMarkdown, summarize } from '../../src/policy/report';
import { POLICY_RULES } from '../../src/policy/rule-ids';
import { suppressPolicy } from '../../src/policy/suppressions';
import { synthApp } from '../support/synth';

function stackWithPublicIp(suppress: boolean) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgm-policy-'));
  const app = new App({ outdir, stackTraces: false });
  const stack = new TerraformStack(app, 'edge');
  new AzurermProvider(stack, 'azurerm', { features: [{}] });
  const pip = new PublicIp(stack, 'pip', {
    name: 'pip-x',
    location: 'eastus',
    resourceGroupName: 'rg',
    allocationMethod: 'Static',
    sku: 'Standard',
    tags: { a: 'b' },
  });
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
  expect(aspect.findings.find((f) => f.ruleId === 'PGM-NET-3')).toMatchObject({
    result: 'suppressed',
    reason: 'An appliance needs a public address for its licence server.',
    suppressedAt: 'edge/pip',
  });
  const report = JSON.parse(fs.readFileSync(path.join(outdir, 'policy-report.json'), 'utf8'));
  expect(report.summary).toMatchObject({ fail: 0, suppressed: 1 });
  expect(fs.existsSync(path.join(outdir, 'stacks', 'edge', 'policy-report.json'))).toBe(true);
  expect(fs.readFileSync(path.join(outdir, 'policy-report.md'), 'utf8')).toContain('| PGM-NET-3 | edge | `azurerm_public_ip.pip` |');
});

test("an applied suppression is written into the resource's // metadata in cdk.tf.json, with its rule, reason and place", () => {
  const { app, outdir } = stackWithPublicIp(true);
  app.synth();
  const json = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'edge', 'cdk.tf.json'), 'utf8'));
  expect(json.resource.azurerm_public_ip.pip['//']).toEqual({
    metadata: { path: 'edge/pip', uniqueId: 'pip' },
    [POLICY_SUPPRESSIONS_METADATA_KEY]: [
      {
        ruleId: 'PGM-NET-3',
        reason: 'An appliance needs a public address for its licence server.',
        suppressedAt: 'edge/pip',
        finding: 'public IP pip-x: only jump boxes and Bastion may have one (suppress PGM-NET-3 there with the reason)',
      },
    ],
  });
});

test('a suppression that suppresses nothing (the rule passed or did not apply) leaves the metadata alone', () => {
  // A real App: Testing.synth strips the `//` metadata.
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgm-policy-'));
  const app = new App({ outdir, stackTraces: false });
  const stack = new TerraformStack(app, 's');
  new AzurermProvider(stack, 'azurerm', { features: [{}] });
  const rg = new ResourceGroup(stack, 'rg', { name: 'rg', location: 'eastus', tags: { a: 'b' } });
  suppressPolicy(rg, POLICY_RULES.TAGS, 'Tags are applied by the landing zone policy.');
  suppressPolicy(rg, POLICY_RULES.PUBLIC_IP, 'Not a public IP, nothing to suppress here.');
  Aspects.of(stack).add(new PolicyAspect());
  app.synth();
  const json = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 's', 'cdk.tf.json'), 'utf8'));
  expect(json.resource.azurerm_resource_group.rg['//']).toEqual({ metadata: { path: 's/rg', uniqueId: 'rg' } });
});

test('warnings annotate without failing synth', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgm-policy-'));
  const app = new App({ outdir, stackTraces: false });
  const stack = new TerraformStack(app, 'data');
  new AzurermProvider(stack, 'azurerm', { features: [{}] });
  new StorageContainer(stack, 'c', { name: 'data', storageAccountId: 'x' });
  Aspects.of(stack).add(new PolicyAspect());
  app.synth();
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
  expect(manifest.stacks.data.annotations).toEqual([
    expect.objectContaining({
      level: '@cdktf/warn',
      message: expect.stringMatching(/\[PGM-DATA-1\] azurerm_storage_container\.c: lifecycle\.prevent_destroy is off/),
    }),
  ]);
});

describe('the default app', () => {
  const app = synthApp();
  test('passes the pack with only reasoned suppressions (the jump box public IP and its NIC)', () => {
    const report = JSON.parse(fs.readFileSync(path.join(app.outdir, 'policy-report.json'), 'utf8'));
    expect(report.summary).toMatchObject({ fail: 0, suppressed: 2 });
    const suppressed = report.findings.filter((f: { result: string }) => f.result === 'suppressed');
    expect(suppressed.map((f: { address: string }) => f.address.split('.')[0]).sort()).toEqual(['azurerm_network_interface', 'azurerm_public_ip']);
    for (const f of suppressed)
      expect(f).toMatchObject({ ruleId: 'PGM-NET-3', stack: 'compute', suppressedAt: 'compute/jumpboxes', reason: expect.stringMatching(/.{10,}/) });
    expect(report.findings.length).toBeGreaterThan(100);
  });

  test('not applicable is counted apart from pass, and the counts add up', () => {
    const report = JSON.parse(fs.readFileSync(path.join(app.outdir, 'policy-report.json'), 'utf8'));
    const s = report.summary;
    expect(s.notApplicable).toBeGreaterThan(0);
    expect(s.pass + s.fail + s.suppressed + s.notApplicable).toBe(report.findings.length);
    const na = report.findings.filter((f: { result: string }) => f.result === 'not-applicable');
    // Role assignments take no tags: PGM-TAG-1 does not apply (it used to count as a pass).
    expect(na).toContainEqual(
      expect.objectContaining({
        ruleId: 'PGM-TAG-1',
        address: expect.stringMatching(/^azurerm_role_assignment\./),
        message: 'azurerm_role_assignment takes no tags',
      }),
    );
    expect(
      report.findings.filter(
        (f: { ruleId: string; address: string; result: string }) =>
          f.ruleId === 'PGM-TAG-1' && f.address.startsWith('azurerm_role_assignment.') && f.result === 'pass',
      ),
    ).toEqual([]);
    // Every not-applicable finding says why.
    for (const f of na) expect(f.message).toMatch(/.{10,}/);
  });

  test('the suppressed resources carry the suppression in their // metadata', () => {
    const pip = Object.values(app.stacks.compute.resource!.azurerm_public_ip)[0] as Record<string, any>;
    expect(pip['//'][POLICY_SUPPRESSIONS_METADATA_KEY]).toEqual([
      expect.objectContaining({
        ruleId: 'PGM-NET-3',
        suppressedAt: 'compute/jumpboxes',
        reason: expect.stringContaining('The jump boxes are the admin entry point'),
      }),
    ]);
    const withMetadata = Object.entries(app.stacks)
      .flatMap(([, json]) => Object.values(json.resource ?? {}).flatMap((byName) => Object.values(byName) as Array<Record<string, any>>))
      .filter((r) => r['//']?.[POLICY_SUPPRESSIONS_METADATA_KEY]);
    expect(withMetadata.map((r) => r.name).sort()).toEqual(['nic-pgm-jumpwin', 'pip-pgm-jumpwin']);
  });

  test('each stack has its report and every rule ran somewhere', () => {
    const ran = new Set<string>();
    for (const s of ['network', 'storage', 'compute']) {
      const r = JSON.parse(fs.readFileSync(path.join(app.outdir, 'stacks', s, 'policy-report.json'), 'utf8'));
      expect(r.stack).toBe(s);
      for (const f of r.findings) ran.add(f.ruleId);
    }
    // No legacy VMs here, and no storage account: the NetApp Files default has no Blob core filer (Avere and Lustre do;
    // the storage rules are unit-tested in rules.test.ts).
    const expected = Object.values(POLICY_RULES).filter((id) => id !== POLICY_RULES.VM_MANAGED_DISKS && !id.startsWith('PGM-ST-'));
    expect(expected.filter((id) => !ran.has(id))).toEqual([]);
  });

  test('the Markdown report: summary, no failures, the suppression with its reason, the rules table', () => {
    const md = fs.readFileSync(path.join(app.outdir, 'policy-report.md'), 'utf8');
    expect(md).toMatch(/^# Policy report\n\n\d+ passed · 0 failed \(0 errors, 0 warnings\) · 2 suppressed · \d+ not applicable\n/);
    expect(md).toContain('The jump boxes are the admin entry point');
    expect(md).toContain('| PGM-KV-1 | error | 1 | 0 | 0 | 0 |');
    expect(md).toMatch(/\| PGM-TAG-1 \| error \| \d+ \| 0 \| 0 \| [1-9]\d* \|/);
  });
});

test('evaluateStack: variables and outputs are checked too', () => {
  const findings = evaluateStack(
    's',
    { variable: { db_password: { type: 'string' }, region: { type: 'string' } }, output: { token: { value: 'x', sensitive: true } } },
    { taggable: () => false },
  );
  expect(findings.map((f) => [f.address, f.result])).toEqual([
    ['variable.db_password', 'fail'],
    ['variable.region', 'not-applicable'],
    ['output.token', 'pass'],
  ]);
  expect(summarize(findings)).toEqual({ pass: 1, fail: 1, suppressed: 0, notApplicable: 1, errors: 1, warnings: 0 });
  expect(renderPolicyMarkdown(findings)).toContain(
    '| PGM-SEC-1 | error | s | `variable.db_password` | variable db_password looks like a secret but is not sensitive |',
  );
});

test('evaluateStack: a suppression turns only a failure into suppressed; not-applicable and pass stay as they are', () => {
  const json = {
    resource: {
      azurerm_role_assignment: { ra: { '//': { metadata: { path: 's/ra' } } } },
      azurerm_resource_group: { rg: { '//': { metadata: { path: 's/rg' } } } },
    },
  };
  const findings = evaluateStack('s', json, {
    taggable: (t) => t === 'azurerm_resource_group',
    suppressionsFor: () => [{ ruleId: 'PGM-TAG-1', reason: 'tags come from the landing zone', constructPath: 's' }],
  });
  expect(findings.map((f) => [f.address, f.result, f.message])).toEqual([
    ['azurerm_role_assignment.ra', 'not-applicable', 'azurerm_role_assignment takes no tags'],
    ['azurerm_resource_group.rg', 'suppressed', 'no tags'],
  ]);
});

describe('taggability is read off the resource constructs (no schema)', () => {
  const stack = new TerraformStack(Testing.app(), 's');
  new AzurermProvider(stack, 'azurerm', { features: [{}] });
  const rg = new ResourceGroup(stack, 'rg', { name: 'rg', location: 'eastus' });
  const vnet = new VirtualNetwork(stack, 'vnet', { name: 'v', location: 'eastus', resourceGroupName: 'rg', addressSpace: ['10.0.0.0/16'] });
  const subnet = new Subnet(stack, 'subnet', { name: 's', resourceGroupName: 'rg', virtualNetworkName: 'v', addressPrefixes: ['10.0.0.0/24'] });
  const ra = new RoleAssignment(stack, 'ra', { scope: 'x', principalId: 'p', roleDefinitionName: 'Reader' });
  const container = new StorageContainer(stack, 'c', { name: 'c', storageAccountId: 'x' });

  test.each([
    ['azurerm_resource_group', true, rg],
    ['azurerm_virtual_network', true, vnet],
    ['azurerm_subnet', false, subnet],
    ['azurerm_role_assignment', false, ra],
    ['azurerm_storage_container (has metadata, not tags)', false, container],
    ['a plain construct', false, new Construct(stack, 'plain')],
  ] as Array<[string, boolean, Construct]>)('%s → taggable %s', (_name, expected, construct) => expect(isTaggable(construct)).toBe(expected));

  test("the stack's taggable types", () => {
    expect([...taggableTypes(stack)].sort()).toEqual(['azurerm_resource_group', 'azurerm_virtual_network']);
  });
});

test('synthesizing the default app with the policy pack reads no jsii assembly, loads no schema index and writes nothing into node_modules', () => {
  // A fresh process, so nothing loaded by other tests counts; record-reads.js patches fs before anything loads.
  const root = path.join(__dirname, '..', '..');
  const out = execFileSync(
    process.execPath,
    ['-r', path.join(__dirname, 'fixtures', 'record-reads.js'), path.join(root, 'scripts', 'run-ts.js'), path.join(__dirname, 'fixtures', 'lean-synth.ts')],
    {
      cwd: root,
      env: { ...process.env, CHECKPOINT_DISABLE: '1' },
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const { reads, writes, modules, summary } = JSON.parse(out) as { reads: string[]; writes: string[]; modules: string[]; summary: { fail: number } };
  expect(summary.fail).toBe(0); // the pack ran
  expect(reads.some((r) => r.endsWith(`${path.sep}policy-report.json`))).toBe(true); // the recorder sees the library's reads
  expect(reads.filter((r) => /\.jsii(\.gz)?$/.test(r))).toEqual([]);
  expect(reads.filter((r) => /cdktf-azure-photogrammetry[\\/](?!ts[\\/])/.test(r))).toEqual([]); // no cached schema index either
  expect(modules.filter((m) => /[\\/]src[\\/](validation|report|ci)[\\/]/.test(m))).toEqual([]);
  // The library writes its outdir only. The one exception is this repository's TypeScript runner (scripts/run-ts.js,
  // its transpile cache under .cache/cdktf-azure-photogrammetry/ts/): a consumer runs the compiled package instead
  // (the package consumer test checks that run writes nothing into node_modules at all).
  expect(writes.some((w) => w.endsWith(`${path.sep}policy-report.json`))).toBe(true); // the recorder sees the library's writes
  expect(
    writes.filter((w) => /[\\/]node_modules[\\/]/.test(w) && !/[\\/]node_modules[\\/]\.cache[\\/]cdktf-azure-photogrammetry[\\/]ts([\\/]|$)/.test(w)),
  ).toEqual([]);
});
