import { AddressPlan, cacheDynamicAddressCount, DEFAULT_ADDRESS_PLAN, validateAddressPlan } from '../../src/net/address-plan';

const plan = (overrides: Partial<AddressPlan>): AddressPlan => ({ ...DEFAULT_ADDRESS_PLAN, ...overrides });
const issuesOf = (overrides: Partial<AddressPlan>, nodeCount?: number) => validateAddressPlan(plan(overrides), { cacheNodeCount: nodeCount });

describe('validateAddressPlan', () => {
  test('the seed plan is valid', () => {
    expect(validateAddressPlan(DEFAULT_ADDRESS_PLAN)).toEqual([]);
  });

  test.each([
    ['jumpboxSubnet', '10.0.0.0', /not an IPv4 CIDR/],
    ['computeSubnet', '10.0.1.0/33', /not an IPv4 CIDR/],
    ['adSubnet', '10.0.300.0/24', /not an IPv4 CIDR/],
    ['photoscanVnet', 'ten.0.0.0/16', /not an IPv4 CIDR/],
    ['jumpboxSubnet', '10.0.0.5/24', /not a network address; use "10.0.0.0\/24"/],
    ['cacheSubnet', '10.1.0.0/30', /prefix \/30; Azure allows \/8 to \/29/],
  ] as const)('%s = %s does not parse or is not allowed', (field, value, message) => {
    const issues = issuesOf({ [field]: value });
    expect(issues).toContainEqual({ path: `addressPlan.${field}`, message: expect.stringMatching(message) });
  });

  test('a subnet outside its VNet is refused, naming both', () => {
    expect(issuesOf({ computeSubnet: '10.2.1.0/24' })).toContainEqual({
      path: 'addressPlan.computeSubnet',
      message: '"10.2.1.0/24" is not inside photoscanVnet "10.0.0.0/16"; a subnet must lie within its VNet',
    });
    expect(issuesOf({ cacheSubnet: '10.0.9.0/24' })).toContainEqual(
      expect.objectContaining({ path: 'addressPlan.cacheSubnet', message: expect.stringMatching(/not inside storageVnet/) }),
    );
  });

  test('overlapping VNets are refused', () => {
    expect(issuesOf({ storageVnet: '10.0.128.0/17', cacheSubnet: '10.0.128.0/24' })).toContainEqual({
      path: 'addressPlan.storageVnet',
      message: '"10.0.128.0/17" overlaps photoscanVnet "10.0.0.0/16"; peered VNets need disjoint address spaces',
    });
  });

  test('overlapping subnets are refused', () => {
    expect(issuesOf({ computeSubnet: '10.0.0.128/25', schedulerIp: '10.0.0.250' })).toContainEqual({
      path: 'addressPlan.computeSubnet',
      message: '"10.0.0.128/25" overlaps jumpboxSubnet "10.0.0.0/24"; subnets must not overlap',
    });
  });

  test.each([
    ['domainControllerIps[0]', { domainControllerIps: ['10.0.1.4', '10.0.2.5'] }, /outside adSubnet/],
    ['schedulerIp', { schedulerIp: '10.0.2.250' }, /outside computeSubnet "10.0.1.0\/24"/],
    ['windowsJumpboxIp', { windowsJumpboxIp: '10.0.1.4' }, /outside jumpboxSubnet/],
    ['linuxJumpboxIp', { linuxJumpboxIp: '10.0.5.5' }, /outside jumpboxSubnet/],
    ['windowsJumpboxIp', { windowsJumpboxIp: '10.0.0.3' }, /reserved by Azure .* use 10\.0\.0\.4–10\.0\.0\.254/],
    ['schedulerIp', { schedulerIp: '10.0.1.0' }, /reserved by Azure/],
    ['schedulerIp', { schedulerIp: '10.0.1.255' }, /reserved by Azure/],
    ['schedulerIp', { schedulerIp: '10.0.1' }, /not an IPv4 address/],
    ['domainControllerIps[1]', { domainControllerIps: ['10.0.2.4', '10.0.2.4'] }, /already used by domainControllerIps\[0\]/],
  ] as const)('static address %s: %j', (field, overrides, message) => {
    expect(issuesOf(overrides as Partial<AddressPlan>)).toContainEqual({
      path: `addressPlan.${field}`,
      message: expect.stringMatching(message),
    });
  });

  test('exactly two domain controllers', () => {
    expect(issuesOf({ domainControllerIps: ['10.0.2.4'] })).toContainEqual({
      path: 'addressPlan.domainControllerIps',
      message: 'has 1 addresses; exactly 2 are needed (DC-01 and DC-02)',
    });
  });

  test('the vserver range must stay in the usable part of the cache subnet', () => {
    expect(issuesOf({ cacheVserverFirstIp: '10.1.0.253' })).toContainEqual({
      path: 'addressPlan.cacheVserverFirstIp',
      message: expect.stringContaining(
        'vserver range 10.1.0.253–10.1.1.0 (4 addresses) must lie within the usable addresses of cacheSubnet "10.1.0.0/24": 10.1.0.4–10.1.0.254',
      ),
    });
    expect(issuesOf({ cacheVserverFirstIp: '10.1.0.2' })).toHaveLength(1);
  });

  test.each([2, 33, 3.5])('vserver count %p is outside 3–32', (count) => {
    expect(issuesOf({ cacheVserverCount: count })).toContainEqual({
      path: 'addressPlan.cacheVserverCount',
      message: `${count} is not allowed; use a whole number from 3 to 32`,
    });
  });

  test('the cache subnet must have room for 2 + 2n addresses, the controller and the vservers', () => {
    expect(cacheDynamicAddressCount(3)).toBe(9);
    // /28 = 16 addresses, 11 usable; 4 vservers leave 7 < 9.
    const small = { storageVnet: '10.1.0.0/16', cacheSubnet: '10.1.0.0/28', cacheVserverFirstIp: '10.1.0.10' };
    expect(issuesOf(small)).toEqual([
      {
        path: 'addressPlan.cacheSubnet',
        message: expect.stringContaining('has 11 usable addresses; a 3-node cache needs 9 (2 + 2×3 + 1 controller) plus 4 vserver addresses = 13'),
      },
    ]);
    // /27: 27 usable; 8 nodes need 19 + 8 vservers = 27 → fits exactly, vservers last; 9 nodes need 21 + 9 → refused.
    expect(issuesOf({ cacheSubnet: '10.1.0.0/27', cacheVserverFirstIp: '10.1.0.23', cacheVserverCount: 8 }, 8)).toEqual([]);
    expect(issuesOf({ cacheSubnet: '10.1.0.0/27', cacheVserverFirstIp: '10.1.0.22', cacheVserverCount: 9 }, 9)).toEqual([
      expect.objectContaining({ path: 'addressPlan.cacheSubnet', message: expect.stringContaining('a 9-node cache needs 21') }),
    ]);
  });

  test('at least as many vserver addresses as nodes (the cluster takes max(nodes, vservers))', () => {
    expect(issuesOf({ cacheVserverCount: 4, cacheVserverFirstIp: '10.1.0.100' }, 5)).toEqual([
      expect.objectContaining({ path: 'addressPlan.cacheVserverCount', message: expect.stringContaining('4 vserver addresses for a 5-node cache') }),
    ]);
    expect(issuesOf({ cacheVserverCount: 5, cacheVserverFirstIp: '10.1.0.100' }, 5)).toEqual([]);
  });

  test('the vserver range must not overlap the addresses Azure assigns to the controller and the nodes', () => {
    expect(issuesOf({ cacheVserverFirstIp: '10.1.0.10' })).toEqual([
      {
        path: 'addressPlan.cacheVserverFirstIp',
        message:
          'vserver range 10.1.0.10–10.1.0.13 overlaps 10.1.0.4–10.1.0.12, the addresses Azure assigns to the controller and the 3 cache nodes (2 + 2×3 + 1); start it at 10.1.0.13 or later',
      },
    ]);
    expect(issuesOf({ cacheVserverFirstIp: '10.1.0.13' })).toEqual([]);
    expect(issuesOf({ cacheVserverCount: 16 }, 16)).toEqual([
      expect.objectContaining({ path: 'addressPlan.cacheVserverFirstIp', message: expect.stringContaining('start it at 10.1.0.39 or later') }),
    ]);
  });

  test('reports every issue at once', () => {
    const issues = issuesOf({ jumpboxSubnet: 'x', schedulerIp: 'y', cacheVserverCount: 1 });
    expect(issues.map((i) => i.path)).toEqual(
      expect.arrayContaining(['addressPlan.jumpboxSubnet', 'addressPlan.schedulerIp', 'addressPlan.cacheVserverCount']),
    );
  });
});
