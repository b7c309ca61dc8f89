/** The tolerant template/expression scanner finds references in what cdktf and people write. */
import { formatReference, hasTemplateSequence, isSingleInterpolation, scanExpression, scanTemplate } from '../../src/validation/expressions';

const refs = (template: string) => scanTemplate(template).references.map(formatReference);

describe('scanTemplate', () => {
  test.each([
    ['plain text has no references', 'eastus', []],
    [
      'a cdktf token reference with dashes and a hash',
      '${azurerm_resource_group.hpc-network_resource-group_18A88DF2.name}',
      ['azurerm_resource_group.hpc-network_resource-group_18A88DF2.name'],
    ],
    ['function calls are not references; their arguments are scanned', '${element(azurerm_x.y.*.id, 0)}', ['azurerm_x.y.*.id']],
    ['provider-defined functions', '${provider::azurerm::normalise_resource_id(azurerm_x.y.id)}', ['azurerm_x.y.id']],
    ['string literals inside expressions are templates', '${join("-", ["rg", "${var.env}", "x.y"])}', ['var.env']],
    ['escaped quotes inside string literals', '${format("a\\"b %s", local.name)}', ['local.name']],
    ['several interpolations and literal text', 'vm-${var.env}-${count.index}', ['var.env', 'count.index']],
    ['$${ and %%{ are literal text', 'echo $${HOME} %%{x} ${path.module}', ['path.module']],
    [
      'index, string key, splat and legacy index steps',
      '${a_b.c[0].id} ${a_b.c["k"].id} ${a_b.c[*].id} ${a_b.c.0.id}',
      ['a_b.c[0].id', 'a_b.c["k"].id', 'a_b.c.*.id', 'a_b.c[0].id'],
    ],
    ['an index expression is scanned too', '${azurerm_x.y[local.i].id}', ['local.i', 'azurerm_x.y[...].id']],
    [
      'attributes of a call result are not roots',
      '${tolist(azurerm_virtual_network.v.subnet).0.id} ${element(x_y.z, 0).name}',
      ['azurerm_virtual_network.v.subnet', 'x_y.z'],
    ],
    ['for expression variables are not references', '${[for key, val in toset(var.names): {"name" = val.x, k = key}]}', ['var.names']],
    ['object for expression', '${{ for s in azurerm_subnet.a : s.name => s.id if s.name != "" }}', ['azurerm_subnet.a']],
    ['directives and their iteration variables', '%{ for ip in var.ips ~}${ip.addr}%{ endfor }%{ if local.on }x%{ else }y%{ endif }', ['var.ips', 'local.on']],
    ['conditionals and operators', '${var.a == "prod" ? local.b * 2 : -module.m.out}', ['var.a', 'local.b', 'module.m.out']],
    ['numbers with dots are not traversals', '${1.5 + var.n}', ['var.n']],
    ['heredoc bodies are templates', '${<<EOT\nhello ${var.who}\nEOT\n}', ['var.who']],
    ['keywords are not references', '${true ? null : false}', []],
  ])('%s', (_, template, expected) => {
    const result = scanTemplate(template);
    expect(result.references.map(formatReference)).toEqual(expected);
    expect(result.errors).toEqual([]);
  });

  test('malformed templates give errors and what could be read', () => {
    expect(scanTemplate('${var.a').errors).toEqual(['unterminated interpolation starting at offset 0: ${var.a']);
    expect(refs('${var.a')).toEqual(['var.a']);
    expect(scanTemplate('${"abc}').errors.length).toBeGreaterThan(0);
    expect(scanTemplate('${var.a)}').errors).toEqual(['unbalanced ")" at offset 7']);
  });
});

describe('scanExpression', () => {
  test('bare traversals as in depends_on', () => {
    expect(scanExpression('azurerm_resource_group.rg').references.map(formatReference)).toEqual(['azurerm_resource_group.rg']);
    expect(scanExpression('module.net').references.map(formatReference)).toEqual(['module.net']);
  });
});

describe('interpolation helpers', () => {
  test('isSingleInterpolation: the whole string is one ${...}', () => {
    expect(isSingleInterpolation('${var.x}')).toBe(true);
    expect(isSingleInterpolation('${{for a in b: a => a}}')).toBe(true);
    expect(isSingleInterpolation('${ "}" }')).toBe(true);
    expect(isSingleInterpolation('${var.x}${var.y}')).toBe(false);
    expect(isSingleInterpolation('a-${var.x}')).toBe(false);
    expect(isSingleInterpolation('$${var.x}')).toBe(false);
  });

  test('hasTemplateSequence: ignores escapes', () => {
    expect(hasTemplateSequence('a-${var.x}')).toBe(true);
    expect(hasTemplateSequence('%{ if x }y%{ endif }')).toBe(true);
    expect(hasTemplateSequence('$${HOME}')).toBe(false);
    expect(hasTemplateSequence('100')).toBe(false);
  });
});
