import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { formatProblem, runTerraformValidate, validateOutdir, validateOutdirDetailed } from '../../src/validation';
import { leaveNote } from '../support/notes';
import { STACK_NAMES } from '../../stacks/app';
import { azurermStateKey, localStatePath } from '../../stacks/backend';
import { resourcesOf, synthApp } from '../support/synth';
import { AZURERM_VERSION, maskVersions, RANDOM_VERSION } from '../support/toolchain';

const app = synthApp();

describe('the app', () => {
  test('has the three stacks, deployed network → storage → compute', () => {
    expect(Object.keys(app.manifest.stacks).sort()).toEqual(['compute', 'network', 'storage']);
    expect(STACK_NAMES).toEqual(['network', 'storage', 'compute']);
    expect(app.manifest.stacks.network.dependencies).toEqual([]);
    expect(app.manifest.stacks.storage.dependencies).toEqual(['network']);
    expect(app.manifest.stacks.compute.dependencies.sort()).toEqual(['network', 'storage']);
  });

  test('each stack has its own resource group, tagged with the stack name', () => {
    for (const name of STACK_NAMES) {
      const groups = resourcesOf(app.stacks[name], 'azurerm_resource_group').map(([, g]) => g);
      expect(groups).toEqual([
        expect.objectContaining({ name: `rg-pgm-${name}`, location: 'eastus', tags: { workload: 'photogrammetry', 'managed-by': 'cdktf', stack: name } }),
      ]);
    }
  });

  test('cross-stack references: producer outputs (sensitive) → consumer remote state → consumer expression', () => {
    const network = app.stacks.network;
    const storage = app.stacks.storage;
    const compute = app.stacks.compute;
    const storageVnet = Object.entries(network.output ?? {}).find(([, o]) =>
      /azurerm_virtual_network\.hpc-network_storage-vnet_\w+\.name/.test(String(o.value)),
    );
    expect(storageVnet).toBeDefined();
    expect(storageVnet![1].sensitive).toBe(true);

    expect(storage.data?.terraform_remote_state).toEqual({
      'cross-stack-reference-input-network': {
        backend: 'local',
        config: { path: '../../../terraform.network.tfstate' },
        workspace: '${terraform.workspace}',
      },
    });
    // The NetApp subnet joins the network stack's storage VNet, read through the remote state.
    const [[, subnet]] = resourcesOf(storage, 'azurerm_subnet');
    expect(subnet.virtual_network_name).toBe(`\${data.terraform_remote_state.cross-stack-reference-input-network.outputs.${storageVnet![0]}}`);

    // The volumes' mount addresses cross storage → compute (sensitive outputs, remote state, element(…, 0)).
    expect(Object.keys(compute.data?.terraform_remote_state ?? {}).sort()).toEqual([
      'cross-stack-reference-input-network',
      'cross-stack-reference-input-storage',
    ]);
    const mounts = Object.entries(storage.output ?? {}).filter(([, o]) => /mount_ip_addresses/.test(String(o.value)));
    expect(mounts).toHaveLength(2);
    for (const [name, o] of mounts) {
      expect(o.sensitive).toBe(true);
      expect(JSON.stringify(compute)).toContain(`element(data.terraform_remote_state.cross-stack-reference-input-storage.outputs.${name}, 0)`);
    }
    const [[, vmss]] = resourcesOf(compute, 'azurerm_linux_virtual_machine_scale_set');
    expect(vmss.network_interface[0].ip_configuration[0].subnet_id).toMatch(
      /^\$\{data\.terraform_remote_state\.cross-stack-reference-input-network\.outputs\.[\w-]+compute-subnet[\w-]+id\}$/,
    );
    const lustre = synthApp({ storage: { backend: 'managed-lustre' } });
    expect(Object.keys(lustre.stacks.compute.data?.terraform_remote_state ?? {}).sort()).toEqual([
      'cross-stack-reference-input-network',
      'cross-stack-reference-input-storage',
    ]);
    const mgs = Object.entries(lustre.stacks.storage.output ?? {}).find(([, o]) => /mgs_address/.test(String(o.value)))!;
    expect(mgs[1].sensitive).toBe(true);
    expect(JSON.stringify(lustre.stacks.compute.locals)).toContain(`data.terraform_remote_state.cross-stack-reference-input-storage.outputs.${mgs[0]}`);
  });

  test('local backend: a relative state file per stack, identical on every machine', () => {
    for (const name of STACK_NAMES) {
      expect(app.stacks[name].terraform?.backend).toEqual({ local: { path: localStatePath(name) } });
    }
    expect(localStatePath('network')).toBe('../../../terraform.network.tfstate');
    expect(localStatePath('compute', 'state')).toBe('../../../state/terraform.compute.tfstate');
    expect(JSON.stringify(app.stacks)).not.toContain(process.cwd());
  });

  test('azurerm backend: one key per stack, and remote state read through the same backend', () => {
    const remote = synthApp({
      backend: {
        type: 'azurerm',
        resourceGroupName: 'rg-tfstate',
        storageAccountName: 'sttfstate01',
        containerName: 'tfstate',
        keyPrefix: 'prod/',
        useOidc: true,
      },
    });
    for (const name of STACK_NAMES) {
      expect(remote.stacks[name].terraform?.backend).toEqual({
        azurerm: {
          resource_group_name: 'rg-tfstate',
          storage_account_name: 'sttfstate01',
          container_name: 'tfstate',
          key: `prod/${name}.tfstate`,
          use_oidc: true,
          use_azuread_auth: true,
        },
      });
    }
    expect(azurermStateKey('storage', 'photogrammetry')).toBe('photogrammetry/storage.tfstate');
    expect(remote.stacks.storage.data?.terraform_remote_state?.['cross-stack-reference-input-network']).toMatchObject({
      backend: 'azurerm',
      config: { key: 'prod/network.tfstate', container_name: 'tfstate', storage_account_name: 'sttfstate01' },
    });
  });

  test('the azurerm provider in every stack, pinned by the provider package', () => {
    for (const name of STACK_NAMES) {
      expect(app.stacks[name].provider?.azurerm).toEqual([{ features: [{}] }]);
      expect(app.stacks[name].terraform?.required_providers).toMatchObject({ azurerm: { source: 'azurerm', version: AZURERM_VERSION } });
    }
    // random only where values are generated (the vault's passwords and name suffix).
    expect(app.stacks.network.provider?.random).toEqual([{}]);
    expect(app.stacks.network.terraform?.required_providers).toMatchObject({ random: { source: 'hashicorp/random', version: RANDOM_VERSION } });
    const pinned = synthApp({ subscriptionId: '00000000-0000-0000-0000-000000000001' });
    expect(pinned.stacks.network.provider?.azurerm).toEqual([{ features: [{}], subscription_id: '00000000-0000-0000-0000-000000000001' }]);
  });

  test('the empty-admin warning reaches the manifest (what `cdktf synth` prints)', () => {
    expect(app.manifest.stacks.network.annotations).toEqual([
      expect.objectContaining({ level: '@cdktf/warn', message: expect.stringContaining('adminSourceCidrs is empty') }),
      // No Key Vault firewall warning: the default deploy location (the runner subnet) can write the vault.
    ]);
    const open = synthApp({ network: { adminSourceCidrs: ['203.0.113.0/24'] }, secrets: { allowedIpRanges: ['203.0.113.7/32'] } });
    expect(open.manifest.stacks.network.annotations).toEqual([]);
  });

  test.each(STACK_NAMES)('snapshot of the %s stack', (name) => {
    expect(maskVersions(app.stacks[name])).toMatchSnapshot(); // versions masked: both flavours (cdktf, CDK Terrain) share the snapshot
  });
});

describe('offline schema validation of the whole app', () => {
  test('every stack of the default app passes against the installed provider schemas', () => {
    const result = validateOutdirDetailed(app.outdir);
    expect(result.problems).toEqual([]);
    expect(result.stacks.map((s) => s.stack).sort()).toEqual(['compute', 'network', 'storage']);
    expect(result.stacks.reduce((n, s) => n + s.resources, 0)).toBeGreaterThanOrEqual(20);
  });

  test('a mistake in the synthesized JSON is reported with its stack, resource and attribute', () => {
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'pgm-invalid-'));
    fs.cpSync(app.outdir, copy, { recursive: true });
    const file = path.join(copy, 'stacks', 'network', 'cdk.tf.json');
    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    const [vnet] = Object.keys(json.resource.azurerm_virtual_network);
    json.resource.azurerm_virtual_network[vnet].adress_space = ['10.0.0.0/16'];
    fs.writeFileSync(file, JSON.stringify(json));
    const problems = validateOutdir(copy).map(formatProblem);
    expect(problems).toEqual([expect.stringMatching(new RegExp(`network.*azurerm_virtual_network\\.${vnet}.*adress_space.*address_space`))]);
  });
});

test('terraform validate of the whole app with the REAL providers: runs where they are installed, else says why not (the stand-ins run in __tests__/terraform)', () => {
  const result = runTerraformValidate(app.outdir);
  if (result.status === 'skipped') {
    leaveNote(
      `terraform validate with the real providers: not here (${result.reason.split(' for ')[0]}); the stand-in providers validate and rehearse every stack instead (__tests__/terraform)`,
    );
    expect(result.reason).toMatch(/terraform is not on PATH|no local copy of provider/);
    return;
  }
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(result).toEqual(expect.objectContaining({ status: 'passed', stacks: ['compute', 'network', 'storage'] }));
  leaveNote(`terraform validate of the app: passed for ${result.stacks.join(', ')}`);
});
