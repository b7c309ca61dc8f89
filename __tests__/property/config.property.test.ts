/**
 * Property-based tests: random valid configurations always synthesize; random
 * invalid ones always fail with an InputError naming the field, never a stack trace.
 */
import fc from 'fast-check';
import { parseConfig } from '../../src/config/load';
import { InputError } from '../../src/errors';
import { mutations, validConfig } from '../support/arbitraries';
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

  test('random valid configurations synthesize the whole app with their address plan', () => {
    fc.assert(
      fc.property(validConfig, (input) => {
        const app = synthApp(input);
        const subnets = resourcesOf(app.stacks.network, 'azurerm_subnet').map(([, s]) => s.address_prefixes[0]).sort();
        const plan = app.config.addressPlan;
        expect(subnets).toEqual([plan.jumpboxSubnet, plan.computeSubnet, plan.adSubnet, plan.cacheSubnet].sort());
        const jumpboxRules = resourcesOf(app.stacks.network, 'azurerm_network_security_rule').filter(([, r]) => r.name.endsWith('-from-admins'));
        expect(jumpboxRules).toHaveLength(app.config.network.adminSourceCidrs.length > 0 ? 2 : 0);
      }),
      { numRuns: 12 },
    );
  });
});
