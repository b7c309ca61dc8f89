import { Password } from '@cdktf/provider-random/lib/password';
import { RandomProvider } from '@cdktf/provider-random/lib/provider';
import { DomainJoin } from '../../constructs/domain-join';
import { domainNameIssues, netbiosNameIssues } from '../../src/identity/domain-name';
import { resourcesOf, synthInStack } from '../support/synth';

test('DomainJoin: JsonADDomainExtension with the password only as a reference in protected_settings', () => {
  const json = synthInStack((stack) => {
    new RandomProvider(stack, 'random');
    const pw = new Password(stack, 'pw', { length: 24 });
    new DomainJoin(stack, 'join', {
      virtualMachineId: '/subscriptions/x/vm',
      domainName: 'photoscan.local',
      joinUser: 'pgmadmin',
      joinPassword: pw.result,
      tags: { a: 'b' },
    });
  });
  const [[, ext]] = resourcesOf(json, 'azurerm_virtual_machine_extension');
  expect(ext).toMatchObject({
    publisher: 'Microsoft.Compute',
    type: 'JsonADDomainExtension',
    type_handler_version: '1.3',
    virtual_machine_id: '/subscriptions/x/vm',
    tags: { a: 'b' },
  });
  expect(JSON.parse(ext.settings)).toEqual({ Name: 'photoscan.local', OUPath: '', User: 'photoscan.local\\pgmadmin', Restart: 'true', Options: '3' });
  expect(ext.protected_settings).toBe('${jsonencode({"Password" = random_password.pw.result})}');
});

test('DomainJoin refuses a bad domain name, naming the field', () => {
  expect(() => synthInStack((stack) => new DomainJoin(stack, 'j', { virtualMachineId: 'x', domainName: 'nodots', joinUser: 'u', joinPassword: 'p' }))).toThrow(
    /domainName: "nodots" is not a valid domain name/,
  );
});

test.each(['photoscan.local', 'ad.contoso.com', 'a-b.c1'])('valid domain %s', (d) => expect(domainNameIssues('d', d)).toEqual([]));
test.each(['local', '-a.local', 'a..local', 'a_b.local', 'a.123', `${'a'.repeat(64)}.local`, ''])('invalid domain %j', (d) =>
  expect(domainNameIssues('d', d)).toHaveLength(1),
);
test.each(['PHOTOSCAN', 'pgm-ad', 'A'])('valid NetBIOS %s', (n) => expect(netbiosNameIssues('n', n)).toEqual([]));
test.each(['PHOTOSCANDOMAIN1', 'a.b', '1234', 'SYSTEM', 'nt authority', ''])('invalid NetBIOS %j', (n) => expect(netbiosNameIssues('n', n)).toHaveLength(1));
