/**
 * The scheduler's boot: its bootstrap (CustomScriptExtension) reads the activation code from Key Vault, so it
 * waits for its own role assignment twice — in Terraform (depends_on) and in the script (a retry loop that outlasts
 * the propagation of the assignment).
 */
import { SECRET_RETRY_WINDOW_SECONDS } from '../../src/compute/node-boot';
import { renderWindowsBootstrap } from '../../src/compute/windows-bootstrap';
import { addressRange, avereFileSystem } from '../../src/storage/file-systems';
import { resourcesOf, synthApp } from '../support/synth';

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGk1pXYlNXdSgHCM2ZcGzvJJ8uk6HMiyDf9P4tyXQY1u me@example';
const avere = avereFileSystem({ dnsName: 'vfxt.hpc.internal', vserverAddresses: addressRange('10.1.0.17', 4) });

describe('rendered scheduler bootstrap', () => {
  const ps = renderWindowsBootstrap(
    {
      role: 'server',
      fileSystem: avere,
      schedulerIp: '10.0.1.250',
      computeSubnet: '10.0.1.0/24',
      metashapeVersion: '2.1.3',
      installerUrl: 'https://e.com/a.msi',
      licensing: { kind: 'code', keyVaultUri: 'https://kv.vault.azure.net/', secretName: 'photoscan-activation-code' },
    },
    false,
  );
  const fn = /function Read-ActivationCode \{\n([\s\S]*?)\n\}\n/.exec(ps)?.[1] ?? '';

  test('reads the code in a retry loop: token and secret inside try, backoff doubling to 2 min, for the retry window', () => {
    expect(ps).toContain(`$SecretRetryWindow = ${SECRET_RETRY_WINDOW_SECONDS}`);
    expect(fn).toMatch(/while \(\$true\) \{[\s\S]*try \{[\s\S]*metadata\/identity\/oauth2\/token[\s\S]*\/secrets\/[\s\S]*return \$value[\s\S]*\} catch \{/);
    expect(fn).toMatch(/if \(\$waited -ge \$SecretRetryWindow\) \{\s*throw /);
    expect(fn).toMatch(/Start-Sleep -Seconds \$delay/);
    expect(fn).toMatch(/\$delay = \[Math\]::Min\(\$delay \* 2, 120\)/);
    // Simulated: the schedule the loop follows waits at least the window before giving up.
    let delay = 5;
    let waited = 0;
    while (waited < SECRET_RETRY_WINDOW_SECONDS) {
      waited += delay;
      delay = Math.min(delay * 2, 120);
    }
    expect(waited).toBeLessThan(SECRET_RETRY_WINDOW_SECONDS + 120);
  });

  test('the licence step uses the loop and never writes the code or the token to the transcript', () => {
    expect(ps).toMatch(/if \(\$Licensing -eq 'code'\) \{\n\s+\$code = Read-ActivationCode\n/);
    expect(ps).not.toMatch(/Write-(Output|Host|Verbose)[^\n]*\$(code|token|value)\b/);
    expect(ps).not.toMatch(/Set-PSDebug|Start-Transcript[^\n]*-IncludeInvocationHeader/);
  });
});

describe('synthesized scheduler extension', () => {
  const compute = synthApp({ adminSshPublicKey: KEY }).stacks.compute;
  const [cse] = resourcesOf(compute, 'azurerm_virtual_machine_extension')
    .map(([, r]) => r)
    .filter((e) => e.type === 'CustomScriptExtension');
  const grants = resourcesOf(compute, 'azurerm_role_assignment');

  test("depends_on the scheduler's own Key Vault role assignment (and the domain join)", () => {
    const [schedulerGrant] = grants.filter(([, r]) =>
      /azurerm_windows_virtual_machine\.cluster_scheduler_\w+\.identity\[0\]\.principal_id/.test(r.principal_id),
    );
    expect(schedulerGrant).toBeDefined();
    expect(schedulerGrant[1].role_definition_name).toBe('Key Vault Secrets User');
    expect(cse.depends_on).toContain(`azurerm_role_assignment.${schedulerGrant[0]}`);
    expect(cse.depends_on).toContainEqual(expect.stringMatching(/^azurerm_virtual_machine_extension\.cluster_scheduler-domain-join/));
    // Not the nodes' assignment: the scheduler does not wait for the scale set.
    const nodeGrant = grants.find(([, r]) => /scale_set/.test(r.principal_id));
    expect(nodeGrant).toBeDefined();
    expect(cse.depends_on).not.toContain(`azurerm_role_assignment.${nodeGrant![0]}`);
  });
});
