import { Construct } from 'constructs';
import { App, TerraformStack } from 'cdktf';
import { POLICY_RULES } from '../../src/policy/rule-ids';
import { suppressionsFor, suppressPolicy } from '../../src/policy/suppressions';

test('a suppression applies to the construct and its children, nearest first', () => {
  const stack = new TerraformStack(new App(), 's');
  const parent = new Construct(stack, 'jump');
  const child = new Construct(parent, 'pip');
  suppressPolicy(stack, POLICY_RULES.TAGS, 'tags are set by the landing zone');
  suppressPolicy(parent, POLICY_RULES.PUBLIC_IP, 'jump boxes are the admin entry point');
  expect(suppressionsFor(child)).toEqual([
    { ruleId: 'PGM-NET-3', reason: 'jump boxes are the admin entry point', constructPath: 's/jump' },
    { ruleId: 'PGM-TAG-1', reason: 'tags are set by the landing zone', constructPath: 's' },
  ]);
  expect(suppressionsFor(new Construct(stack, 'other'))).toEqual([{ ruleId: 'PGM-TAG-1', reason: 'tags are set by the landing zone', constructPath: 's' }]);
});

test('a suppression needs a known rule and a reason of 10+ characters', () => {
  const stack = new TerraformStack(new App(), 's');
  expect(() => suppressPolicy(stack, POLICY_RULES.PUBLIC_IP, 'because')).toThrow(/reason: a suppression of PGM-NET-3 needs a reason of at least 10 characters/);
  expect(() => suppressPolicy(stack, 'PGM-NOPE' as never, 'a good long reason')).toThrow(/ruleId: "PGM-NOPE" is not a rule of the policy pack/);
});
