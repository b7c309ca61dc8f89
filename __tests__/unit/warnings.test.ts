/** Warnings with ids, emitted at synth, acknowledgeable; the jump-box warning is not raised when Bastion admits RDP/SSH. */
import { TerraformStack, Testing } from 'cdktf';
import { AzureBastion } from '../../constructs/bastion';
import { HpcNetwork } from '../../constructs/hpc-network';
import { parseConfig } from '../../src/config/load';
import { InputError } from '../../src/errors';
import { Naming } from '../../src/naming';
import { acknowledgeWarning, ACKNOWLEDGED_WARNINGS_CONTEXT_KEY, addWarningHint, warn, WARNING_IDS } from '../../src/warnings';
import { synthApp } from '../support/synth';

const warningsOf = (stack: TerraformStack): string[] => {
  Testing.synth(stack);
  return stack.node
    .findAll()
    .flatMap((c) => c.node.metadata)
    .filter((m) => m.type === '@cdktf/warn')
    .map((m) => String(m.data));
};
const network = (stack: TerraformStack) => new HpcNetwork(stack, 'net', { naming: new Naming('pgm'), location: 'eastus' });

test('a warning carries its id and names the prop', () => {
  const stack = new TerraformStack(Testing.app(), 's');
  network(stack);
  expect(warningsOf(stack)).toEqual([expect.stringMatching(/^\[pgm:hpc-network:no-admin-sources\] HpcNetwork: adminSourceCidrs is empty/)]);
});

test.each([
  [
    'on the construct, after it raised the warning',
    (_stack: TerraformStack, n: HpcNetwork) => acknowledgeWarning(n, WARNING_IDS.NO_ADMIN_SOURCES, 'admins use the VPN gateway'),
  ],
  ['on the stack, before', (s: TerraformStack) => acknowledgeWarning(s, WARNING_IDS.NO_ADMIN_SOURCES, 'admins use the VPN gateway')],
])('an acknowledged warning is not emitted (%s)', (_, ack) => {
  const stack = new TerraformStack(Testing.app(), 's');
  if (_.includes('before')) ack(stack, undefined as never);
  const n = network(stack);
  if (!_.includes('before')) ack(stack, n);
  expect(warningsOf(stack)).toEqual([]);
});

test('acknowledged through the cdktf context (cdktf.json) for the whole app', () => {
  const app = Testing.app({ context: { [ACKNOWLEDGED_WARNINGS_CONTEXT_KEY]: [WARNING_IDS.NO_ADMIN_SOURCES] } });
  const stack = new TerraformStack(app, 's');
  network(stack);
  expect(warningsOf(stack)).toEqual([]);
});

test('acknowledging another id leaves the warning; bad ids and empty reasons are refused', () => {
  const stack = new TerraformStack(Testing.app(), 's');
  acknowledgeWarning(stack, WARNING_IDS.AVERE_RETIRED, 'we know');
  network(stack);
  expect(warningsOf(stack)).toHaveLength(1);
  expect(() => acknowledgeWarning(stack, 'no-admin-sources', 'x')).toThrow(InputError);
  expect(() => acknowledgeWarning(stack, WARNING_IDS.NO_ADMIN_SOURCES, ' ')).toThrow(/needs a reason/);
  expect(() => warn(stack, 'Bad Id', 'x')).toThrow(/is not a warning id/);
});

test('a hint from an enclosing scope (the configuration layer) is appended', () => {
  const stack = new TerraformStack(Testing.app(), 's');
  addWarningHint(stack, 'acme:thing:careful', 'In acme.json: "careful": true.');
  warn(stack, 'acme:thing:careful', 'Thing: the careful prop is off.');
  expect(warningsOf(stack)).toEqual(['[acme:thing:careful] Thing: the careful prop is off. In acme.json: "careful": true.']);
});

test('Bastion admits RDP/SSH into the jump box subnet: no jump-box warning without admin sources', () => {
  const stack = new TerraformStack(Testing.app(), 's');
  const net = network(stack);
  new AzureBastion(stack, 'bastion', { naming: new Naming('pgm'), location: 'eastus', resourceGroupName: 'rg', network: net });
  expect(warningsOf(stack).filter((w) => w.includes('no-admin-sources'))).toEqual([]);
});

test('the app: the configuration layer adds the config path; Bastion on and no adminSourceCidrs: no jump-box warning', () => {
  const plain = synthApp();
  expect(plain.manifest.stacks.network.annotations.map((a) => a.message)).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^\[pgm:hpc-network:no-admin-sources\] .*adminSourceCidrs prop.* In the configuration file: "network": \{ "adminSourceCidrs"/),
    ]),
  );
  const bastion = synthApp({ compute: { bastion: { enabled: true } } });
  expect(bastion.manifest.stacks.network.annotations.map((a) => a.message).filter((m) => m.includes('no-admin-sources'))).toEqual([]);
});

test('the configuration file acknowledges warnings with a reason; unknown ids, duplicates and empty reasons are refused at their path', () => {
  const licensing = { secrets: { licensing: 'none' as const } };
  const unlicensed = (app: ReturnType<typeof synthApp>) =>
    Object.values(app.manifest.stacks)
      .flatMap((s) => s.annotations.map((a) => a.message))
      .filter((m) => m.includes(WARNING_IDS.UNLICENSED));
  expect(unlicensed(synthApp(licensing))).toHaveLength(1);
  const acknowledged = synthApp({ ...licensing, acknowledgedWarnings: [{ id: WARNING_IDS.UNLICENSED, reason: 'evaluation environment, no licence' }] });
  expect(unlicensed(acknowledged)).toEqual([]);
  expect(() => parseConfig({ acknowledgedWarnings: [{ id: 'pgm:nothing:here', reason: 'x' }] })).toThrow(/acknowledgedWarnings\[0\]\.id/);
  expect(() => parseConfig({ acknowledgedWarnings: [{ id: WARNING_IDS.UNLICENSED, reason: ' ' }] })).toThrow(
    /acknowledgedWarnings\[0\]\.reason.*give the reason/,
  );
  expect(() =>
    parseConfig({
      acknowledgedWarnings: [
        { id: WARNING_IDS.UNLICENSED, reason: 'a' },
        { id: WARNING_IDS.UNLICENSED, reason: 'b' },
      ],
    }),
  ).toThrow(/acknowledgedWarnings\[1\]\.id.*listed twice/);
});
