import { execFileSync } from 'child_process';
import { Token, TerraformVariable } from 'cdktf';
import { escapeForTerraform, psLiteral, renderTemplate, shLiteral } from '../../src/vm-scripts/render';
import { synthInStack } from '../support/synth';

describe('psLiteral', () => {
  test.each([
    ['plain', "'plain'"],
    ["O'Brien", "'O''Brien'"],
    ['$(Remove-Item C:\\)', "'$(Remove-Item C:\\)'"],
    ['it\u2019s', "'it\u2019\u2019s'"],
  ])('%s', (value, expected) => expect(psLiteral(value)).toBe(expected));
});

describe('shLiteral', () => {
  test.each(["it's", '$(rm -rf /)', '`id`', 'a b\nc', '\\'])('%j round-trips through bash', (value) => {
    expect(execFileSync('bash', ['-c', `printf %s ${shLiteral(value)}`], { encoding: 'utf8' })).toBe(value);
  });
});

test('escapeForTerraform doubles the template introducers only', () => {
  expect(escapeForTerraform('${env:HOME} %{if} $x {y}')).toBe('$${env:HOME} %%{if} $x {y}');
});

describe('renderTemplate', () => {
  test('fills every placeholder; escapes literal text and plain values for Terraform', () => {
    expect(renderTemplate('Write-Host ${env:X} {{A}}; {{B}}', { A: psLiteral('a'), B: '${b}' }, { name: 't' })).toBe("Write-Host $${env:X} 'a'; $${b}");
  });

  test('without Terraform escaping', () => {
    expect(renderTemplate('echo ${HOME} {{A}}', { A: '1' }, { name: 't', forTerraform: false })).toBe('echo ${HOME} 1');
  });

  test('a missing or an unused value is an error naming the template and the placeholder', () => {
    expect(() => renderTemplate('{{A}} {{B}}', { A: '1' }, { name: 'dc.ps1' })).toThrow('template dc.ps1: no value for {{B}}');
    expect(() => renderTemplate('{{A}}', { A: '1', C: '2' }, { name: 'dc.ps1' })).toThrow('values not used by the template: C');
  });

  test('a token value stays a reference after synth while the literal text stays escaped', () => {
    const json = synthInStack((stack) => {
      const v = new TerraformVariable(stack, 'vault_uri', { type: 'string' });
      expect(Token.isUnresolved(v.stringValue)).toBe(true);
      new TerraformVariable(stack, 'script', { type: 'string', default: renderTemplate('$u = {{URI}}; ${env:X}', { URI: v.stringValue }, { name: 't' }) });
    });
    expect(json.variable?.script.default).toBe('$u = ${var.vault_uri}; $${env:X}');
  });
});
