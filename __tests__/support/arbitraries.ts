/** fast-check generators of valid configurations, and mutations that make them invalid. */
import fc from 'fast-check';
import type { EnvironmentConfigInput } from '../../src/config/schema';

const octet = fc.integer({ min: 0, max: 255 });

/** A valid address plan: two disjoint /16 VNets in 10/8, /24 subnets, statics at usable offsets. */
export const validAddressPlan = fc
  .record({
    vnets: fc.uniqueArray(octet, { minLength: 2, maxLength: 2 }),
    // Not the last /24: the default runner subnet (deploy.runnerSubnetCidr) is the VNet's last /27.
    subnets: fc.uniqueArray(fc.integer({ min: 0, max: 254 }), { minLength: 3, maxLength: 3 }),
    storageThirds: fc.uniqueArray(octet, { minLength: 2, maxLength: 2 }),
    statics: fc.uniqueArray(fc.integer({ min: 4, max: 254 }), { minLength: 4, maxLength: 4 }),
    schedulerHost: fc.integer({ min: 4, max: 254 }),
    vserverCount: fc.integer({ min: 3, max: 32 }),
    // Above the addresses Azure hands the controller and up to 16 nodes (.4–.38).
    vserverStart: fc.integer({ min: 39, max: 200 }),
  })
  .map(
    ({
      vnets: [p, s],
      subnets: [jump, compute, ad],
      storageThirds: [cacheThird, lustreThird],
      statics: [dc1, dc2, win, lin],
      schedulerHost,
      vserverCount,
      vserverStart,
    }) => ({
      photoscanVnet: `10.${p}.0.0/16`,
      jumpboxSubnet: `10.${p}.${jump}.0/24`,
      computeSubnet: `10.${p}.${compute}.0/24`,
      adSubnet: `10.${p}.${ad}.0/24`,
      storageVnet: `10.${s}.0.0/16`,
      cacheSubnet: `10.${s}.${cacheThird}.0/24`,
      lustreSubnet: `10.${s}.${lustreThird}.0/24`,
      domainControllerIps: [`10.${p}.${ad}.${dc1}`, `10.${p}.${ad}.${dc2}`],
      schedulerIp: `10.${p}.${compute}.${schedulerHost}`,
      windowsJumpboxIp: `10.${p}.${jump}.${win}`,
      linuxJumpboxIp: `10.${p}.${jump}.${lin}`,
      cacheVserverFirstIp: `10.${s}.${cacheThird}.${Math.min(vserverStart, 255 - vserverCount)}`,
      cacheVserverCount: vserverCount,
    }),
  );

/** Public admin sources: /24 ranges or single addresses in TEST-NET blocks. */
const adminSource = fc.oneof(
  fc.constantFrom('203.0.113.0/24', '198.51.100.0/24', '192.0.2.0/24'),
  fc.integer({ min: 1, max: 254 }).map((h) => `198.51.100.${h}`),
);

export const validConfig: fc.Arbitrary<EnvironmentConfigInput> = fc
  .record({
    namePrefix: fc.stringMatching(/^[a-z][a-z0-9]{1,9}$/),
    location: fc.constantFrom('eastus', 'westeurope', 'southcentralus', 'japaneast', 'westus3'),
    tags: fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/), fc.string({ maxLength: 40 }), { maxKeys: 4 }),
    network: fc.record({ adminSourceCidrs: fc.uniqueArray(adminSource, { maxLength: 3 }) }),
    addressPlan: validAddressPlan,
    storage: fc.record({
      backend: fc.constantFrom('avere' as const, 'managed-lustre' as const),
      avere: fc.record({ nodeCount: fc.integer({ min: 3, max: 16 }), nodeCacheSizeGb: fc.constantFrom(1024 as const, 4096 as const, 8192 as const) }),
      lustre: fc.constantFrom(
        { sku: 'AMLFS-Durable-Premium-125', capacityTb: 16 },
        { sku: 'AMLFS-Durable-Premium-250', capacityTb: 8 },
        { sku: 'AMLFS-Durable-Premium-500', capacityTb: 20 },
      ),
    }),
    secrets: fc.record({ licensing: fc.constantFrom('code' as const, 'none' as const), allowedIpRanges: fc.constantFrom<string[]>([], ['203.0.113.7/32']) }),
    compute: fc.record({
      nodes: fc.record({
        count: fc.integer({ min: 0, max: 100 }),
        size: fc.constantFrom('Standard_NC24ads_A100_v4', 'Standard_NC4as_T4_v3', 'Standard_NC64as_T4_v3', 'Standard_NC96ads_A100_v4'),
        spot: fc.record({ enabled: fc.boolean() }),
        autoscale: fc.record({ enabled: fc.boolean() }),
      }),
      jumpboxes: fc.record({ linux: fc.boolean() }),
      metashape: fc.record({ version: fc.constantFrom('1.8.5', '2.1.3', '2.2.0') }),
    }),
  })
  // The cluster takes max(nodes, vservers) addresses: keep at least one vserver per node.
  .map((c) => ({ ...c, addressPlan: { ...c.addressPlan, cacheVserverCount: Math.max(c.addressPlan.cacheVserverCount, c.storage.avere.nodeCount) } }));

/** A valid configuration as the whole app sees it (with an SSH key, so every Linux machine is checked with a real one). */
export const ED25519_TEST_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGk1pXYlNXdSgHCM2ZcGzvJJ8uk6HMiyDf9P4tyXQY1u test@example';

/** One change that makes a valid configuration invalid, and the field the error must name. */
export interface Mutation {
  readonly field: string;
  readonly apply: (c: EnvironmentConfigInput) => EnvironmentConfigInput;
}

const plan = (c: EnvironmentConfigInput) => c.addressPlan as Required<NonNullable<EnvironmentConfigInput['addressPlan']>>;
const withPlan = (c: EnvironmentConfigInput, p: Partial<NonNullable<EnvironmentConfigInput['addressPlan']>>) => ({
  ...c,
  addressPlan: { ...c.addressPlan, ...p },
});

export const mutations: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constantFrom<Mutation>(
    { field: 'namePrefix', apply: (c) => ({ ...c, namePrefix: 'Bad_Prefix' }) },
    { field: 'location', apply: (c) => ({ ...c, location: 'West Eurpoe' }) }, // a display name is accepted and normalised; a misspelt one is not
    { field: 'network.adminSourceCidrs[0]', apply: (c) => ({ ...c, network: { adminSourceCidrs: ['0.0.0.0/0'] } }) },
    { field: 'network.adminSourceCidrs[0]', apply: (c) => ({ ...c, network: { adminSourceCidrs: ['Internet'] } }) },
    { field: 'addressPlan.schedulerIp', apply: (c) => withPlan(c, { schedulerIp: plan(c).domainControllerIps[0] }) },
    { field: 'addressPlan.windowsJumpboxIp', apply: (c) => withPlan(c, { windowsJumpboxIp: plan(c).jumpboxSubnet.replace(/0\/24$/, '2') }) },
    { field: 'addressPlan.storageVnet', apply: (c) => withPlan(c, { storageVnet: plan(c).photoscanVnet }) },
    { field: 'addressPlan.computeSubnet', apply: (c) => withPlan(c, { computeSubnet: plan(c).jumpboxSubnet }) },
    // The cache subnet exists (and is checked) only with the Avere backend.
    { field: 'addressPlan.cacheSubnet', apply: (c) => ({ ...withPlan(c, { cacheSubnet: plan(c).adSubnet }), storage: { ...c.storage, backend: 'avere' } }) },
    { field: 'addressPlan.cacheVserverCount', apply: (c) => ({ ...withPlan(c, { cacheVserverCount: 2 }), storage: { ...c.storage, backend: 'avere' } }) },
    { field: 'storage.avere.nodeCount', apply: (c) => ({ ...c, storage: { ...c.storage, avere: { nodeCount: 17 } } }) },
    { field: 'compute.nodes.count', apply: (c) => ({ ...c, compute: { ...c.compute, nodes: { count: -1 } } }) },
    { field: 'compute.nodes.size', apply: (c) => ({ ...c, compute: { ...c.compute, nodes: { size: 'Standard_XY999_v9' } } }) },
    {
      field: 'compute.metashape.linuxInstallerUrl',
      apply: (c) => ({ ...c, compute: { ...c.compute, metashape: { linuxInstallerUrl: 'http://example.com/m.tar.gz' } } }),
    },
    { field: 'domain.netbiosName', apply: (c) => ({ ...c, domain: { netbiosName: 'A-NAME-FAR-TOO-LONG' } }) },
    { field: 'secrets.softDeleteRetentionDays', apply: (c) => ({ ...c, secrets: { softDeleteRetentionDays: 3 } }) },
    {
      field: 'storage.lustre.capacityTb',
      apply: (c) => ({ ...c, storage: { ...c.storage, backend: 'managed-lustre', lustre: { sku: 'AMLFS-Durable-Premium-125', capacityTb: 15 } } }),
    },
    { field: 'adminSshPublicKey', apply: (c) => ({ ...c, adminSshPublicKey: 'ssh-rsa AAAA' }) },
    {
      field: 'addressPlan.domainControllerIps[1]',
      apply: (c) => withPlan(c, { domainControllerIps: [plan(c).domainControllerIps[0], plan(c).domainControllerIps[0]] }),
    },
  ),
  fc
    .string({ minLength: 1, maxLength: 12 })
    .filter((k) => !/^(namePrefix|location|subscriptionId|tags|backend|network|addressPlan|domain|secrets|storage|compute)$/.test(k))
    .map((key): Mutation => ({ field: key, apply: (c) => ({ ...c, [key]: 1 }) })),
);
