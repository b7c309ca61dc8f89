/**
 * The prerequisite checklist: one table in src/report/prerequisites.ts, rendered into the README's deploy section
 * (checked here) and filtered per configuration by `npm run report`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadAppModel } from '../../src/report/model';
import { vmInventory } from '../../src/report/inventory';
import { PREREQUISITES, prerequisiteChecklist, renderPrerequisiteReference } from '../../src/report/prerequisites';
import { buildArchitectureReport, renderArchitectureMarkdown } from '../../src/report/report';
import { synthApp } from '../support/synth';

const RSA =
  'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7MQshdNYaze3sW7nmjkZziXiIVL63olY+5UQiA3IpIqE5mK0lYG0lmh9/AGGZfG2nRIuMNA1SgYCUqy72s8QPnUi5yekJlWlbYyu73itfno1rBNGo30xmQemgeQ2Yxmcd3KUcMIOnXYlaIuuyTHshrgXwQv5h0M0QFpr6w629kJ+veEbB0F7xEEy2BM0xfC4GaEV1AGIfo93goQkakvn46cqHg6Amwv+mQfpVqF1yCkkgOqYy7CBdtZXbtdhxOyf0cbAIG//ziveHsgLVyendux0kk4iOIBaiCDgd88kVgzhvhaDqsLYHIt12bE/hAj0bC0y/tl95xOzv384ErdfD vfx@example';
const checklist = (input: Parameters<typeof synthApp>[0]) => {
  const model = loadAppModel(synthApp(input).outdir);
  return prerequisiteChecklist(model, vmInventory(model));
};
const ids = (items: ReturnType<typeof checklist>) => [...new Set(items.map((i) => i.id))];

test('the README lists every prerequisite, rendered from the one table', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  const section = /<!-- prerequisites:start[^>]*-->\n([\s\S]*?)\n<!-- prerequisites:end -->/.exec(readme);
  expect(section?.[1]).toBe(renderPrerequisiteReference());
  expect(new Set(PREREQUISITES.map((p) => p.id)).size).toBe(PREREQUISITES.length);
});

test('default configuration (NetApp Files, runner subnet): NetApp, encryption at host, deployer role, runner, quotas per family; no Avere or Lustre items', () => {
  const items = checklist({});
  expect(ids(items)).toEqual(
    expect.arrayContaining([
      'rp-compute',
      'rp-network',
      'rp-keyvault',
      'rp-netapp',
      'feature-encryption-at-host',
      'role-deployer',
      'quota-vcpus',
      'location-runner',
      'input-activation-code',
    ]),
  );
  expect(ids(items)).not.toEqual(expect.arrayContaining(['rp-storagecache']));
  for (const id of [
    'egress-file-servers',
    'rp-storagecache',
    'terms-avere',
    'tool-avere-provider',
    'rp-marketplace',
    'location-egress',
    'input-hpc-cache-rp',
    'quota-spot',
  ])
    expect(ids(items)).not.toContain(id);
  const quotas = items.filter((i) => i.id === 'quota-vcpus').map((i) => i.what);
  expect(quotas).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^StandardNCADSA100v4Family: 120 vCPUs in eastus \(5 VMs\)$/),
      expect.stringMatching(/^Total Regional vCPUs: \d+ in eastus$/),
    ]),
  );
  expect(items.find((i) => i.id === 'location-runner')?.what).toMatch(/the vault admits: .*subnet snet-pgm-runner \(10\.0\.255\.224\/27\)/);
  expect(items.find((i) => i.id === 'quota-vcpus')?.how).toContain('az vm list-usage --location eastus');
});

test('Avere without accepted terms: Marketplace terms, the provider install, MarketplaceOrdering; with acceptMarketplaceTerms no terms item', () => {
  const avere = ids(checklist({ storage: { backend: 'avere' }, adminSshPublicKey: RSA }));
  expect(avere).toEqual(expect.arrayContaining(['terms-avere', 'tool-avere-provider', 'rp-marketplace', 'rp-storage']));
  expect(avere).not.toContain('rp-netapp');
  const accepted = ids(checklist({ storage: { backend: 'avere', avere: { acceptMarketplaceTerms: true } }, adminSshPublicKey: RSA }));
  expect(accepted).not.toContain('terms-avere');
  expect(accepted).toContain('tool-avere-provider');
});

test('Managed Lustre and egress IPs: StorageCache, the HPC Cache RP id, the egress location with the vault rule', () => {
  const items = checklist({ storage: { backend: 'managed-lustre' }, deploy: { from: 'egress-ips', egressCidrs: ['203.0.113.7/32'] } });
  expect(ids(items)).toEqual(expect.arrayContaining(['rp-storagecache', 'input-hpc-cache-rp', 'location-egress']));
  expect(ids(items)).not.toContain('location-runner');
  expect(items.find((i) => i.id === 'location-egress')?.what).toMatch(/the vault admits: .*203\.0\.113\.7\/32$/);
});

test('npm run report prints the checklist', () => {
  const model = loadAppModel(synthApp({}).outdir);
  const md = renderArchitectureMarkdown(buildArchitectureReport(model));
  expect(md).toMatch(
    /## Prerequisites \(this configuration\)\n\n- \[ \] \*\*resource provider\*\* Microsoft\.Compute — `az provider register --namespace Microsoft\.Compute --wait`/,
  );
  expect(md).toContain('- [ ] **feature** Microsoft.Compute/EncryptionAtHost');
});

test('file servers on VMs (GlusterFS, BeeGFS): their egress to the package repositories is listed', () => {
  expect(ids(checklist({ storage: { backend: 'glusterfs' } }))).toContain('egress-file-servers');
  expect(ids(checklist({ storage: { backend: 'beegfs' } }))).toContain('egress-file-servers');
});
