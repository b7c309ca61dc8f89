import { Naming, validateNamePrefix } from '../../src/naming';
import { validateTags } from '../../src/tags';

describe('Naming', () => {
  const naming = new Naming('pgm');
  test('CAF-style names', () => {
    expect(naming.name('virtualNetwork', 'photoscan')).toBe('vnet-pgm-photoscan');
    expect(naming.name('networkSecurityGroup', 'jumpbox')).toBe('nsg-pgm-jumpbox');
    expect(naming.name('resourceGroup', 'Network')).toBe('rg-pgm-network');
  });
  test('compact names fit storage account rules and keep the suffix', () => {
    expect(naming.compact('storageAccount', 'core-filer')).toBe('stpgmcorefiler');
    const long = naming.compact('storageAccount', 'averycorefilerwithalongname', 'a1b2c3');
    expect(long).toHaveLength(24);
    expect(long).toMatch(/^stpgm[a-z0-9]+a1b2c3$/);
  });
  test.each(['P', 'pg-m', '1pgm', 'abcdefghijk', ''])('prefix %p is refused', (prefix) => {
    expect(() => new Naming(prefix)).toThrow(/2–10 lowercase letters or digits/);
    expect(validateNamePrefix(prefix)[0].path).toBe('namePrefix');
  });
});

describe('validateTags', () => {
  test('valid tags pass; bad names and long values are named', () => {
    expect(validateTags({ env: 'prod' })).toEqual([]);
    expect(validateTags({ 'a/b': 'x', ok: 'y'.repeat(257) })).toEqual([
      { path: 'tags.a/b', message: expect.stringContaining('must be 1–512 characters without') },
      { path: 'tags.ok', message: 'tag value must be a string of at most 256 characters' },
    ]);
  });
});
