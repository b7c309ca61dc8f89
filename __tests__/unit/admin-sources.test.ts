import { normalizeAdminSource, validateAdminSourceCidrs } from '../../src/net/admin-sources';

describe('validateAdminSourceCidrs', () => {
  test('empty and well-formed lists are valid', () => {
    expect(validateAdminSourceCidrs([])).toEqual([]);
    expect(validateAdminSourceCidrs(['203.0.113.0/24', '198.51.100.7'])).toEqual([]);
  });

  test.each(['*', 'Any', 'ANY', 'Internet', 'internet', '0.0.0.0/0', '0.0.0.0', '10.0.0.0/0'])('%s is refused', (value) => {
    expect(validateAdminSourceCidrs(['203.0.113.0/24', value])).toEqual([
      { path: 'network.adminSourceCidrs[1]', message: expect.stringContaining(`"${value}" opens RDP/SSH to the whole Internet and is refused`) },
    ]);
  });

  test.each(['203.0.113.5/24', 'example.com', '203.0.113.0/33', ''])('%p is not a valid source', (value) => {
    expect(validateAdminSourceCidrs([value], 'adminSourceCidrs')).toEqual([
      { path: 'adminSourceCidrs[0]', message: expect.stringContaining('is neither an IPv4 address nor an aligned IPv4 CIDR') },
    ]);
  });

  test('duplicates are refused', () => {
    expect(validateAdminSourceCidrs(['198.51.100.7', '198.51.100.7/32'])).toEqual([
      { path: 'network.adminSourceCidrs[1]', message: '"198.51.100.7/32" is listed twice' },
    ]);
  });

  test('normalizes plain addresses to /32', () => {
    expect(normalizeAdminSource('198.51.100.7')).toBe('198.51.100.7/32');
    expect(normalizeAdminSource('203.0.113.0/24')).toBe('203.0.113.0/24');
    expect(normalizeAdminSource('203.0.113.1/24')).toBeUndefined();
  });
});
