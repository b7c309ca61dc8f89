/**
 * The configuration of the VM-based storage backends (storage.glusterfs, storage.beegfs, storage.sambaGateway,
 * storage.fileServers, addressPlan.fileServerSubnet): defaults, and every refusal naming its field.
 */
import { parseConfig } from '../../src/config/load';
import { InputError } from '../../src/errors';
import { beegfsServerGib, nvmeDiskCount } from '../../src/storage/beegfs';
import { fileServerAddresses } from '../../src/storage/file-servers';
import { glusterCreateArguments, glusterUsableGib } from '../../src/storage/glusterfs';
import { glusterAuthAllow } from '../../src/storage/boot';

const issues = (input: unknown) => {
  try {
    parseConfig(input);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as InputError).issues.map((i) => `${i.path}: ${i.message}`);
  }
  throw new Error('expected the configuration to be refused');
};

test('defaults: 3 GlusterFS servers replica 3, BeeGFS 1 metadata + 2 storage servers, 2 gateways named smb, zones on', () => {
  const c = parseConfig({ storage: { backend: 'glusterfs' } });
  expect(c.storage.glusterfs).toMatchObject({ serverCount: 3, replica: 3, arbiter: false, diskCount: 4, diskSizeGb: 1024, dnsName: 'gluster' });
  expect(c.storage.beegfs.metadata.count).toBe(1);
  expect(c.storage.beegfs.storage).toMatchObject({ count: 2, diskLayout: 'premium-ssd', targetsPerServer: 1 });
  expect(c.storage.sambaGateway).toEqual({ count: 2, vmSize: 'Standard_D4s_v5', dnsName: 'smb' });
  expect(c.storage.fileServers).toMatchObject({ availabilityZones: true, proximityPlacementGroup: false, acceleratedNetworking: true });
  expect(c.addressPlan.fileServerSubnet).toBe('10.1.3.0/24');
});

test('GlusterFS: whole replica sets, arbiter only with replica 3, no bare replica 2', () => {
  expect(issues({ storage: { backend: 'glusterfs', glusterfs: { serverCount: 4 } } })).toEqual([
    expect.stringMatching(/^storage\.glusterfs\.serverCount: 4 servers do not make whole replica sets of 3/),
  ]);
  expect(issues({ storage: { backend: 'glusterfs', glusterfs: { replica: 2, serverCount: 2, arbiter: true } } })).toEqual([
    expect.stringMatching(/^storage\.glusterfs\.arbiter: an arbiter needs replica 3/),
  ]);
  expect(issues({ storage: { backend: 'glusterfs', glusterfs: { replica: 2, serverCount: 2 } } })).toEqual([
    expect.stringMatching(/^storage\.glusterfs\.replica: replica 2 without an arbiter is prone to split-brain/),
  ]);
  expect(issues({ storage: { backend: 'glusterfs', glusterfs: { diskCount: 0, diskSizeGb: 40000 } } })).toEqual([
    expect.stringMatching(/^storage\.glusterfs\.diskCount: 0 is not allowed/),
    expect.stringMatching(/^storage\.glusterfs\.diskSizeGb: 40000 is not allowed/),
  ]);
  // Only the chosen backend's section is checked.
  expect(() => parseConfig({ storage: { glusterfs: { serverCount: 4 } } })).not.toThrow();
});

test('BeeGFS: NVMe needs an L-series v3 size, targets split the disks evenly', () => {
  expect(issues({ storage: { backend: 'beegfs', beegfs: { storage: { diskLayout: 'nvme', vmSize: 'Standard_D16s_v5' } } } })).toEqual([
    expect.stringMatching(/^storage\.beegfs\.storage\.vmSize: "Standard_D16s_v5" has no local NVMe disks/),
  ]);
  expect(issues({ storage: { backend: 'beegfs', beegfs: { storage: { diskCount: 3, targetsPerServer: 2 } } } })).toEqual([
    expect.stringMatching(/^storage\.beegfs\.storage\.targetsPerServer: 3 disks do not split evenly into 2 targets/),
  ]);
  expect(issues({ storage: { backend: 'beegfs', beegfs: { metadata: { targetsPerServer: 2 } } } })).toEqual([
    expect.stringMatching(/^storage\.beegfs\.metadata\.targetsPerServer: 2 is not allowed: a metadata server has 1 target/),
  ]);
  expect(nvmeDiskCount('Standard_L32as_v3')).toBe(4);
  expect(beegfsServerGib('nvme', 'Standard_L16s_v3', { count: 0, sizeGb: 0 })).toBe(3576);
});

test('file server subnet: inside the storage VNet, /25 or larger, room for the servers; proximity placement excludes zones', () => {
  expect(issues({ storage: { backend: 'glusterfs' }, addressPlan: { fileServerSubnet: '10.1.3.0/26' } })).toEqual([
    expect.stringMatching(/^addressPlan\.fileServerSubnet: "10\.1\.3\.0\/26" is too small/),
    expect.stringMatching(/^addressPlan\.fileServerSubnet: "10\.1\.3\.0\/26" has no room for 2 gateways address/),
  ]);
  expect(issues({ storage: { backend: 'beegfs' }, addressPlan: { fileServerSubnet: '10.9.3.0/24' } })).toEqual([
    expect.stringMatching(/^addressPlan\.fileServerSubnet: .*10\.9\.3\.0\/24.* storage/),
  ]);
  expect(issues({ storage: { backend: 'glusterfs', fileServers: { proximityPlacementGroup: true } } })).toEqual([
    expect.stringMatching(/^storage\.fileServers\.proximityPlacementGroup: a proximity placement group lives in one zone/),
  ]);
  expect(issues({ storage: { backend: 'beegfs', fileServers: { availabilityZones: false, nodesInProximityPlacementGroup: true } } })).toEqual([
    expect.stringMatching(/^storage\.fileServers\.nodesInProximityPlacementGroup: needs storage\.fileServers\.proximityPlacementGroup: true/),
  ]);
  // Other backends do not check (or create) the file server subnet.
  expect(() => parseConfig({ addressPlan: { fileServerSubnet: '10.9.3.0/24' } })).not.toThrow();
});

test('pure helpers: static addresses, create arguments, usable capacity, auth.allow patterns', () => {
  expect(fileServerAddresses('10.1.3.0/24', 'servers', 3)).toEqual(['10.1.3.10', '10.1.3.11', '10.1.3.12']);
  expect(fileServerAddresses('10.1.3.0/24', 'loadBalancer', 1)).toEqual(['10.1.3.99']);
  expect(glusterCreateArguments('data', ['a', 'b', 'c'], { replica: 3, arbiter: true }, '/bricks/brick1')).toEqual([
    'replica',
    '3',
    'arbiter',
    '1',
    'a:/bricks/brick1/data',
    'b:/bricks/brick1/data',
    'c:/bricks/brick1/data',
  ]);
  expect(glusterUsableGib({ serverCount: 6, replica: 3, arbiter: false }, 4096)).toBe(8192);
  expect(glusterAuthAllow(['10.0.1.0/24', '10.1.0.0/16'])).toBe('10.0.1.*,10.1.*');
  expect(glusterAuthAllow(['10.0.1.0/25', '172.20.16.0/20', '10.0.1.7/32'])).toBe('10.0.1.*,172.20.*,10.0.1.7');
});
