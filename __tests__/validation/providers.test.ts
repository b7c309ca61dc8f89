/** Provider source addresses, version constraints and name suggestions. */
import { impliedProviderName, normalizeProviderSource, satisfiesVersionConstraint } from '../../src/validation/providers';
import { closestName, editDistance } from '../../src/validation/suggest';

test('source addresses are normalized as Terraform does', () => {
  expect(normalizeProviderSource('azurerm')).toBe('registry.terraform.io/hashicorp/azurerm');
  expect(normalizeProviderSource('Hashicorp/AzureRM')).toBe('registry.terraform.io/hashicorp/azurerm');
  expect(normalizeProviderSource('example.com/acme/avere')).toBe('example.com/acme/avere');
});

test('the implied provider is the type prefix', () => {
  expect(impliedProviderName('azurerm_virtual_network')).toBe('azurerm');
  expect(impliedProviderName('random_password')).toBe('random');
  expect(impliedProviderName('thing')).toBe('thing');
});

test.each([
  ['4.55.0', '4.55.0', true],
  ['4.55.0', '= 4.55.0', true],
  ['4.55.0', '4.55.1', false],
  ['4.55.0', '>= 4.0, < 5.0', true],
  ['4.55.0', '>= 4.0, < 4.50', false],
  ['4.55.0', '~> 4.55', true],
  ['4.55.0', '~> 4.0', true],
  ['4.55.0', '~> 4.56', false],
  ['4.55.0', '~> 4.55.1', false],
  ['4.55.3', '~> 4.55.1', true],
  ['4.55.0', '~> 3.0', false],
  ['4.55.0', '~> 4', true],
  ['5.0.0', '~> 4', false],
  ['4.55.0', '!= 4.55.0', false],
  ['4.55.0', '> 4.55.0', false],
  ['4.55.0', 'not a constraint', true],
])('%s satisfies "%s": %s', (version, constraint, expected) => {
  expect(satisfiesVersionConstraint(version, constraint)).toBe(expected);
});

test('suggestions: typos, camelCase, truncated and extended names; nothing far away', () => {
  expect(closestName('adress_prefixes', ['address_prefixes', 'name'])).toBe('address_prefixes');
  expect(closestName('addressPrefixes', ['address_prefixes', 'name'])).toBe('address_prefixes');
  expect(closestName('tenant', ['tenant_id', 'object_id'])).toBe('tenant_id');
  expect(closestName('azurerm_client_configuration', ['azurerm_client_config', 'azurerm_nginx_configuration'])).toBe('azurerm_client_config');
  expect(closestName('location', ['name', 'tags'])).toBeUndefined();
  expect(editDistance('ab', 'ba')).toBe(1);
});
