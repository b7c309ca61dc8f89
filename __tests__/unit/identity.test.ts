/**
 * The pure identity rules behind SecretsVault and DomainServices (and their config sections), tested directly:
 * Key Vault names and firewall ranges, retention, admin usernames, AD domain and NetBIOS names, the private
 * zone / AD domain overlap, zonal regions and the generated passwords' character set.
 */
import { regionHasZones } from '../../src/azure/regions';
import { controllerSizeIssues, isSameOrUnder } from '../../src/config/domain';
import { domainNameIssues, netbiosNameIssues } from '../../src/identity/domain-name';
import {
  ADMIN_ACCOUNTS,
  ADMIN_ACCOUNT_SECRETS,
  adminUsernameIssues,
  keyVaultIpRangeIssues,
  keyVaultNameIssues,
  PASSWORD_SPECIALS,
  retentionDaysIssues,
} from '../../src/identity/key-vault';

const messages = (issues: { path: string; message: string }[]) => issues.map((i) => `${i.path}: ${i.message}`);

describe('keyVaultNameIssues', () => {
  test.each(['kv1', 'kv-pgm-secrets', 'A'.repeat(24), 'kv-a1-b2-c3', 'Kv9'])('accepts %j', (name) => {
    expect(keyVaultNameIssues('n', name)).toEqual([]);
  });
  test.each([
    ['', 'empty'],
    ['kv', '2 characters'],
    ['a'.repeat(25), '25 characters'],
    ['1kv', 'starts with a digit'],
    ['-kv', 'starts with a hyphen'],
    ['kv-', 'ends with a hyphen'],
    ['kv--x', 'double hyphen'],
    ['kv_x', 'underscore'],
    ['kv.x', 'dot'],
    ['kv x', 'space'],
  ])('refuses %j (%s), naming the field and the value', (name) => {
    expect(messages(keyVaultNameIssues('secrets.keyVaultName', name))).toEqual([
      expect.stringMatching(
        new RegExp(`^secrets\\.keyVaultName: ${JSON.stringify(name).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not a valid Key Vault name: expected 3–24`),
      ),
    ]);
  });
});

describe('keyVaultIpRangeIssues', () => {
  test('public addresses and aligned CIDRs pass', () => {
    expect(keyVaultIpRangeIssues('r', ['203.0.113.7', '198.51.100.0/24', '20.1.2.3/32'])).toEqual([]);
  });
  test.each([
    ['0.0.0.0/0', /r\[0\]: "0.0.0.0\/0" would let the whole Internet through/],
    ['10.0.1.0/24', /r\[0\]: "10.0.1.0\/24" is a private range/],
    ['172.20.0.5', /is a private range/],
    ['192.168.1.0/24', /is a private range/],
    ['0.0.0.0/4', /is a private range/], // 0.0.0.0–15.255.255.255 covers 10/8
    ['203.0.113.7/24', /r\[0\]: "203.0.113.7\/24" is neither .* \(did you mean "203.0.113.0\/24"\?\)/],
    ['203.0.113.300', /is neither a public IPv4 address nor an aligned CIDR/],
    ['my-laptop', /is neither/],
  ])('refuses %j', (value, message) => {
    expect(messages(keyVaultIpRangeIssues('r', [value]))).toEqual([expect.stringMatching(message)]);
  });
  test('duplicates (an address and its /32) are reported at the second index', () => {
    expect(messages(keyVaultIpRangeIssues('r', ['203.0.113.7', '203.0.113.7/32']))).toEqual([expect.stringMatching(/^r\[1\]: .* is listed twice/)]);
  });
  test('references are skipped', () => {
    expect(keyVaultIpRangeIssues('r', ['${var.runner_ip}', '10.0.0.0/8'], (v) => v.startsWith('${'))).toEqual([expect.objectContaining({ path: 'r[1]' })]);
  });
});

test('retentionDaysIssues: 7–90 whole days', () => {
  for (const ok of [7, 30, 90]) expect(retentionDaysIssues('d', ok)).toEqual([]);
  for (const bad of [6, 91, 0, -1, 7.5, Number.NaN])
    expect(messages(retentionDaysIssues('d', bad))).toEqual([expect.stringMatching(/^d: .* days is not allowed: Key Vault keeps deleted secrets 7–90 days$/)]);
});

describe('adminUsernameIssues', () => {
  test.each(['pgmadmin', 'ops_admin', 'a1', 'x'.repeat(20)])('accepts %j', (name) => expect(adminUsernameIssues('u', name)).toEqual([]));
  test.each(['administrator', 'Admin', 'ROOT', 'guest', 'user1'])('refuses reserved %j', (name) => {
    expect(messages(adminUsernameIssues('domain.adminUsername', name))).toEqual([expect.stringMatching(/^domain\.adminUsername: .* is reserved by Azure/)]);
  });
  test.each(['', '1admin', 'x'.repeat(21), 'pgm admin', 'pgm\\admin', 'pgm@admin'])('refuses malformed %j', (name) => {
    expect(messages(adminUsernameIssues('u', name))).toEqual([expect.stringMatching(/^u: .* is not a valid admin username/)]);
  });
});

describe('domain and NetBIOS names', () => {
  test.each(['photoscan.local', 'ad.contoso.com', 'a.b', `${'a'.repeat(63)}.local`])('domain %j is valid', (name) =>
    expect(domainNameIssues('d', name)).toEqual([]),
  );
  test.each(['photoscan', 'photo_scan.local', '-ad.local', 'ad-.local', 'ad..local', 'ad.123', `${'a'.repeat(64)}.local`, '', 'ad.local.'])(
    'domain %j is refused',
    (name) => {
      expect(messages(domainNameIssues('domain.name', name))).toEqual([expect.stringMatching(/^domain\.name: .* is not a valid domain name/)]);
    },
  );
  test.each(['PHOTOSCAN', 'PGM-AD', 'A', 'X'.repeat(15)])('NetBIOS %j is valid', (name) => expect(netbiosNameIssues('n', name)).toEqual([]));
  test.each([
    ['X'.repeat(16), /not a valid NetBIOS domain name: expected 1–15/],
    ['PHOTO.SCAN', /not a valid NetBIOS/],
    ['12345', /not a valid NetBIOS/],
    ['', /not a valid NetBIOS/],
    ['system', /"system" is reserved by Windows/],
    ['NETWORK', /is reserved/],
  ])('NetBIOS %j is refused', (name, message) => {
    expect(messages(netbiosNameIssues('domain.netbiosName', name))).toEqual([expect.stringMatching(message)]);
  });
});

test('isSameOrUnder: the zone equals the AD domain or lies under it (case-insensitive, trailing dot)', () => {
  expect(isSameOrUnder('photoscan.local', 'photoscan.local')).toBe(true);
  expect(isSameOrUnder('Cache.PhotoScan.Local.', 'photoscan.local')).toBe(true);
  expect(isSameOrUnder('hpc.internal', 'photoscan.local')).toBe(false);
  expect(isSameOrUnder('notphotoscan.local', 'photoscan.local')).toBe(false);
  expect(isSameOrUnder('local', 'photoscan.local')).toBe(false); // a parent zone is allowed (the DCs forward what they do not own)
});

test('regionHasZones: zonal regions get zones 1/2, others an availability set', () => {
  expect(regionHasZones('eastus')).toBe(true);
  expect(regionHasZones('WestEurope')).toBe(true);
  expect(regionHasZones('westus')).toBe(false);
  expect(regionHasZones('northcentralus')).toBe(false);
});

test('generated passwords: no character that needs escaping in PowerShell, cmd, JSON or shell', () => {
  for (const c of `"'\`$\\&|<>^% ;@/`) expect(PASSWORD_SPECIALS).not.toContain(c);
  expect(PASSWORD_SPECIALS.length).toBeGreaterThanOrEqual(8);
});

test('every admin account has its own Key Vault secret name (valid: 1–127 letters, digits, hyphens)', () => {
  const names = ADMIN_ACCOUNTS.map((a) => ADMIN_ACCOUNT_SECRETS[a].secretName);
  expect(new Set(names).size).toBe(ADMIN_ACCOUNTS.length);
  for (const n of names) expect(n).toMatch(/^[0-9a-zA-Z-]{1,127}$/);
});

describe('controllerSizeIssues (premium disks need an "s" size)', () => {
  test.each([
    'Standard_D2s_v5',
    'Standard_D2ds_v5',
    'Standard_DS2_v2',
    'Standard_E8as_v5',
    'Standard_B2ms',
    'Standard_D4s_v3',
    'Standard_GS1',
    'Standard_D2alds_v6',
    'Standard_F2s_v2',
  ])('accepts %j', (size) => {
    expect(controllerSizeIssues('s', size)).toEqual([]);
  });
  test.each(['Standard_D2_v5', 'Standard_A2_v2', 'Standard_D2a_v4'])('refuses %j: no premium storage', (size) => {
    expect(messages(controllerSizeIssues('domain.controllerSize', size))).toEqual([
      expect.stringMatching(/^domain\.controllerSize: .* has no premium storage/),
    ]);
  });
  test.each(['D2s_v5', 'Standard D2s v5', ''])('refuses %j: not a size name', (size) => {
    expect(messages(controllerSizeIssues('s', size))).toEqual([expect.stringMatching(/is not an Azure VM size/)]);
  });
});
