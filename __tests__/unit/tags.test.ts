/** Tags inherited through an Aspect: every taggable resource, merged under its own tags; others untouched. */
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { InputError } from '../../src/errors';
import { addTags } from '../../src/tags';
import { resourceNamed, resourcesOf, synthApp, synthInStack } from '../support/synth';

test('stack and construct tags reach every taggable resource; its own tags win; role assignments get none', () => {
  const json = synthInStack((stack: TerraformStack) => {
    addTags(stack, { env: 'prod', owner: 'vfx' });
    const part = new Construct(stack, 'part');
    addTags(part, { owner: 'render' });
    new ResourceGroup(part, 'plain', { name: 'rg-plain', location: 'eastus' });
    new ResourceGroup(stack, 'own', { name: 'rg-own', location: 'eastus', tags: { env: 'dev', extra: 'x' } });
    new RoleAssignment(stack, 'ra', { scope: '/subscriptions/x', roleDefinitionName: 'Reader', principalId: '00000000-0000-0000-0000-000000000000' });
  });
  expect(resourceNamed(json, 'azurerm_resource_group', 'rg-plain').tags).toEqual({ env: 'prod', owner: 'render' });
  expect(resourceNamed(json, 'azurerm_resource_group', 'rg-own').tags).toEqual({ env: 'dev', owner: 'vfx', extra: 'x' });
  expect(resourcesOf(json, 'azurerm_role_assignment')[0][1]).not.toHaveProperty('tags');
});

test('invalid tags are refused naming the tag', () => {
  expect(() => synthInStack((stack: TerraformStack) => addTags(stack, { 'a/b': 'x' }))).toThrow(InputError);
});

test('the app: the synthesized tags are unchanged (config tags + stack)', () => {
  const app = synthApp();
  for (const [, r] of resourcesOf(app.stacks.network, 'azurerm_key_vault'))
    expect(r.tags).toEqual({ workload: 'photogrammetry', 'managed-by': 'cdktf', stack: 'network' });
});
