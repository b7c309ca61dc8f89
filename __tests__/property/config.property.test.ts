/**
 * Property-based tests: random valid configurations always synthesize, pass the
 * offline schema validation and the policy pack; random invalid ones always
 * fail with an InputError naming the field, never a stack trace.
 */
import { deployLocation } from '../../src/config/deploy';
import { REHEARSAL_SSH_PUBLIC_KEY } from '../../src/terraform/harness';
import fc from 'fast-check';
import { parseConfig } from '../../src/config/load';
import { InputError } from '../../src/errors';
import * as fs from 'fs';
import * as path from 'path';
import { validateOutdirDetailed } from '../../src/validation';
import { ED25519_TEST_KEY, mutations, validConfig } from '../support/arbitraries';
import { resourcesOf, synthApp } from '../support/synth';

describe('configuration properties', () => {
  test('every generated valid configuration parses', () => {
    fc.assert(
      fc.property(validConfig, (input) => {
        parseConfig(input);
      }),
      { numRuns: 300 },
    );
  });

  test('every single mutation is refused with an InputError that names the field', () => {
    fc.assert(
      fc.property(validConfig, mutations, (input, mutation) => {
        let error: unknown;
        try {
          parseConfig(mutation.apply(input));
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(InputError);
        const issues = (error as InputError).issues;
        expect(issues.map((i) => i.path)).toContain(mutation.field);
        expect((error as Error).message).not.toMatch(/\n\s+at /);
      }),
      { numRuns: 300 },
    );
  });

  test('random valid configurations synthesize the whole app with their address plan, pass the validator and the policy pack', () => {
    fc.assert(
      fc.property(validConfig, fc.boolean(), (input, withKey) => {
        // ed25519 where the backend allows it; Avere's vFXT accepts only RSA keys with a comment.
        const key = input.storage?.backend === 'avere' ? REHEARSAL_SSH_PUBLIC_KEY : ED25519_TEST_KEY;
        const app = synthApp(withKey ? { ...input, adminSshPublicKey: key } : input);
        expect(validateOutdirDetailed(app.outdir).problems).toEqual([]);
        const policy = JSON.parse(fs.readFileSync(path.join(app.outdir, 'policy-report.json'), 'utf8'));
        expect(policy.findings.filter((f: { result: string; severity: string }) => f.result === 'fail' && f.severity === 'error')).toEqual([]);
        expect(policy.findings.filter((f: { result: string }) => f.result === 'suppressed').every((f: { ruleId: string }) => f.ruleId === 'PGM-NET-3')).toBe(
          true,
        );
        const subnets = resourcesOf(app.stacks.network, 'azurerm_subnet')
          .map(([, s]) => s.address_prefixes[0])
          .sort();
        const plan = app.config.addressPlan;
        // The cache subnet only with the Avere backend (Managed Lustre adds its own subnet from the storage stack);
        // the runner subnet where Terraform runs (deploy.from "runner-subnet", the default).
        const runner = deployLocation(app.config);
        expect(subnets).toEqual(
          [
            plan.jumpboxSubnet,
            plan.computeSubnet,
            plan.adSubnet,
            ...(app.config.storage.backend === 'avere' ? [plan.cacheSubnet] : []),
            ...(runner.kind === 'runner-subnet' ? [runner.cidr] : []),
          ].sort(),
        );
        const lustreSubnets = resourcesOf(app.stacks.storage, 'azurerm_subnet').map(([, x]) => x.address_prefixes[0]);
        expect(lustreSubnets).toEqual(app.config.storage.backend === 'managed-lustre' ? [plan.lustreSubnet] : []);
        const [[, vmss]] = resourcesOf(app.stacks.compute, 'azurerm_linux_virtual_machine_scale_set');
        expect(vmss.instances).toBe(app.config.compute.nodes.count);
        const jumpboxRules = resourcesOf(app.stacks.network, 'azurerm_network_security_rule').filter(([, r]) => r.name.endsWith('-from-admins'));
        expect(jumpboxRules).toHaveLength(app.config.network.adminSourceCidrs.length > 0 ? 2 : 0);
      }),
      { numRuns: 10, endOnFailure: true },
    );
  });
});
