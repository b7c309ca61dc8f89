/**
 * Configuration of the storage stack: which shared file system backs the
 * cluster (Azure NetApp Files, the default; Azure Managed Lustre; or Avere
 * vFXT, the seed's design and retired), the Blob core filer of Avere and
 * Lustre, and each backend's settings.
 */
import { z } from 'zod';
import type { InputIssue } from '../errors';
import { show } from '../errors';
import { storageAccountNameIssues } from '../storage/core-filer';
import { LUSTRE_SKU_NAMES, lustreCapacityIssues, lustreSubnetIssues } from '../storage/lustre';
import { beegfsDiskIssues } from '../storage/beegfs';
import { fileServerSubnetIssues } from '../storage/file-servers';
import { glusterLayoutIssues } from '../storage/glusterfs';
import { NETAPP_SERVICE_LEVEL_NAMES, NETAPP_SNAPSHOTS_TO_KEEP, netappSizeIssues, netappSubnetIssues } from '../storage/netapp';

const guid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, { message: 'expected a GUID' });

const containerName = z.string().regex(/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/, { message: 'expected 3–63 lowercase letters, digits or single hyphens' });

/** Avere vFXT cache settings. */
export const avereSchema = z
  .strictObject({
    /** Cache nodes (3–16). */
    nodeCount: z
      .number()
      .int()
      .min(3, { message: 'Avere vFXT needs at least 3 nodes' })
      .max(16, { message: 'Avere vFXT supports at most 16 nodes' })
      .default(3),
    /** Cache disk per node, GB. */
    nodeCacheSizeGb: z.union([z.literal(1024), z.literal(4096), z.literal(8192)], { message: 'expected 1024, 4096 or 8192 (GB per node)' }).default(4096),
    /** Node SKU of the avere provider: "prod_sku" (E32s_v3 nodes) or "unsupported_test_SKU" (small, unsupported; tests only). */
    nodeSku: z.enum(['prod_sku', 'unsupported_test_SKU']).default('prod_sku'),
    /** VM size of the controller. */
    controllerSize: z
      .string()
      .regex(/^Standard_[A-Za-z0-9_]+$/, { message: 'expected an Azure VM size such as "Standard_A1_v2"' })
      .default('Standard_A1_v2'),
    /** Cluster name (the avere provider's `vfxt_cluster_name`). */
    clusterName: z
      .string()
      .regex(/^[a-z][a-z0-9-]{1,30}[a-z0-9]$/, { message: 'expected 3–32 lowercase letters, digits or hyphens, starting with a letter' })
      .default('vfxt'),
    /** Round-robin DNS name (in the private zone) clients mount. */
    dnsName: z
      .string()
      .regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, { message: 'expected a DNS label' })
      .default('vfxt'),
    /**
     * Accept the Marketplace terms of the controller and node images with `azurerm_marketplace_agreement`. Off by
     * default: the agreement fails with "already exists – import" where the terms were accepted before; accept
     * them once per subscription with `az vm image terms accept --urn microsoft-avere:vfxt:avere-vfxt-controller:latest`
     * (and `…:avere-vfxt-node:latest`) instead.
     */
    acceptMarketplaceTerms: z.boolean().default(false),
  })
  .prefault({});

/** Azure Managed Lustre settings. */
export const lustreSchema = z
  .strictObject({
    sku: z.enum(LUSTRE_SKU_NAMES as [string, ...string[]], { message: `expected one of ${LUSTRE_SKU_NAMES.join(', ')}` }).default('AMLFS-Durable-Premium-125'),
    /** Storage capacity in TiB (steps depend on the SKU). */
    capacityTb: z.number().default(16),
    /** Availability zone of the file system. */
    zone: z.enum(['1', '2', '3']).default('1'),
    /** Weekly maintenance window (UTC). */
    maintenanceDay: z.enum(['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']).default('Sunday'),
    maintenanceTimeUtc: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'expected HH:MM (UTC), e.g. "02:00"' })
      .default('02:00'),
    /**
     * Object id of the "HPC Cache Resource Provider" service principal in your tenant (it needs Storage Account
     * Contributor and Storage Blob Data Contributor on the core filer for HSM). Unset: the Terraform variable
     * `hpc_cache_rp_object_id`. Find it with `az ad sp list --display-name "HPC Cache Resource Provider" --query "[].id" -o tsv`.
     */
    hpcCacheResourceProviderObjectId: guid.optional(),
  })
  .prefault({});

const keep = z
  .number()
  .int()
  .min(NETAPP_SNAPSHOTS_TO_KEEP.min, { message: `keep at least ${NETAPP_SNAPSHOTS_TO_KEEP.min} snapshot` })
  .max(NETAPP_SNAPSHOTS_TO_KEEP.max, { message: `keep at most ${NETAPP_SNAPSHOTS_TO_KEEP.max} snapshots` });

/** Azure NetApp Files settings. */
export const netappFilesSchema = z
  .strictObject({
    /** Service level of the capacity pool and its volumes: throughput per TiB of quota (Standard 16, Premium 64, Ultra 128 MiB/s). */
    serviceLevel: z
      .enum(NETAPP_SERVICE_LEVEL_NAMES as [string, ...string[]], { message: `expected one of ${NETAPP_SERVICE_LEVEL_NAMES.join(', ')}` })
      .default('Premium'),
    /** Capacity pool size, whole TiB (1–2048), at least the volumes' quotas. */
    poolSizeTib: z.number().default(4),
    /** Quota of the /data volume, GiB (50–102400). */
    dataQuotaGib: z.number().default(3072),
    /** Quota of the /home volume, GiB (50–102400). */
    homeQuotaGib: z.number().default(1024),
    /** Daily (01:00 UTC) and weekly (Sunday 02:00 UTC) snapshots kept of both volumes; `enabled: false` for none. */
    snapshotPolicy: z.strictObject({ enabled: z.boolean().default(true), dailyToKeep: keep.default(7), weeklyToKeep: keep.default(4) }).prefault({}),
    /**
     * Root squash for the compute subnet (the jump boxes are always squashed): "none" (default) — the nodes' setup
     * runs as root and hands the root of /data and /home to hpcuser (a fresh volume's root belongs to root; with
     * NFSv3's AUTH_SYS, root on a node can act as uid 7007 anyway); "home" squashes root on /home, "all" on both —
     * then make the squashed volumes writable for uid 7007 yourself.
     */
    rootSquash: z.enum(['home', 'all', 'none']).default('none'),
    /** Also admit the jump box subnet (read/write, root squashed) in the export policy and the subnet's NSG. */
    allowJumpbox: z.boolean().default(false),
  })
  .prefault({});

const vmSize = (fallback: string) =>
  z
    .string()
    .regex(/^Standard_[A-Za-z0-9_]+$/, { message: `expected an Azure VM size such as "${fallback}"` })
    .default(fallback);
const dnsLabel = (fallback: string) =>
  z
    .string()
    .regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, { message: 'expected a DNS label' })
    .default(fallback);
const premiumDiskType = z.enum(['Premium_LRS', 'PremiumV2_LRS', 'Premium_ZRS', 'StandardSSD_LRS']).default('Premium_LRS');

/** What the VM-based backends (GlusterFS, BeeGFS) and their Samba gateways share: placement and networking. */
export const fileServersSchema = z
  .strictObject({
    /** Spread the servers (and the gateways) over the region's availability zones 1–3 where it has them. */
    availabilityZones: z.boolean().default(true),
    /**
     * Put the servers into one proximity placement group (lower latency to each other; the compute nodes join it when
     * `compute` places them there too). Excludes availability zones spreading: a group lives in one zone.
     */
    proximityPlacementGroup: z.boolean().default(false),
    /** Put the processing nodes' scale set into the servers' proximity placement group too (needs `proximityPlacementGroup`). */
    nodesInProximityPlacementGroup: z.boolean().default(false),
    /**
     * A NAT gateway (one static public IP, egress only) on the file server subnet: the Samba gateways sit in the
     * backend pool of a Standard internal load balancer, which takes away default outbound access, and they install
     * packages at boot. Off only where the subnet has egress otherwise.
     */
    natGateway: z.boolean().default(true),
    /** Accelerated networking on every server and gateway NIC (the sizes must support it). */
    acceleratedNetworking: z.boolean().default(true),
    /** Admin user of the Linux servers and gateways (SSH key only: the `adminSshPublicKey`). */
    adminUsername: z
      .string()
      .regex(/^[a-z_][a-z0-9_-]{0,31}$/, { message: 'expected a Linux user name' })
      .default('azureuser'),
  })
  .prefault({});

/**
 * The Samba gateways of the VM-based backends: Linux VMs that mount the file system and export /data and /home over
 * SMB to the Windows scheduler (and Windows workers), joined to the domain, behind an internal load balancer.
 */
export const sambaGatewaySchema = z
  .strictObject({
    /** Gateway VMs behind the load balancer (1–8). */
    count: z.number().int().min(1, { message: 'at least 1 gateway' }).max(8, { message: 'at most 8 gateways' }).default(2),
    vmSize: vmSize('Standard_D4s_v5'),
    /** Name of the load balancer's address in the private zone (the Windows machines map `\\<name>.<zone>\data`). */
    dnsName: dnsLabel('smb'),
  })
  .prefault({});

/** GlusterFS on VMs (upstream maintenance has slowed: synth warns). */
export const glusterfsSchema = z
  .strictObject({
    /** Servers, a multiple of `replica` (each holds one brick of each volume). */
    serverCount: z.number().default(3),
    /** Copies of every file (2 or 3). */
    replica: z.number().default(3),
    /** `replica 3 arbiter 1`: the third brick of each set keeps metadata only. */
    arbiter: z.boolean().default(false),
    vmSize: vmSize('Standard_D8s_v5'),
    /** Data disks per server, striped by LVM into one XFS brick file system. */
    diskCount: z.number().default(4),
    diskSizeGb: z.number().default(1024),
    diskType: premiumDiskType,
    /** Round-robin name of the servers in the private zone. */
    dnsName: dnsLabel('gluster'),
  })
  .prefault({});

const beegfsServerGroup = (count: number, size: string, disks: number, diskSizeGb: number) =>
  z
    .strictObject({
      count: z.number().default(count),
      vmSize: vmSize(size),
      /** "premium-ssd": managed data disks (striped per target); "nvme": the L-series' local NVMe disks (lost when the VM is deallocated). */
      diskLayout: z.enum(['premium-ssd', 'nvme']).default('premium-ssd'),
      diskCount: z.number().default(disks),
      diskSizeGb: z.number().default(diskSizeGb),
      diskType: premiumDiskType,
      /** Targets per server: the disks split evenly into this many striped volumes, one BeeGFS target each. */
      targetsPerServer: z.number().default(1),
    })
    .prefault({});

/** BeeGFS on VMs: one management server, metadata servers and storage servers. */
export const beegfsSchema = z
  .strictObject({
    managementVmSize: vmSize('Standard_D2s_v5'),
    metadata: beegfsServerGroup(1, 'Standard_D8s_v5', 2, 256),
    storage: beegfsServerGroup(2, 'Standard_D16s_v5', 4, 1024),
  })
  .prefault({});

/** The Blob storage account and container behind the file system. */
export const coreFilerSchema = z
  .strictObject({
    /** Storage account name. Default: `st<prefix>filer` + a random 6-character suffix kept in state (globally unique). */
    accountName: z.string().optional(),
    replication: z.enum(['LRS', 'ZRS', 'GRS', 'RAGRS', 'GZRS', 'RAGZRS']).default('LRS'),
    /** Container behind the `/data` export (and Lustre's HSM namespace). */
    dataContainerName: containerName.default('data'),
    /** Container behind the `/home` export (Avere). */
    homeContainerName: containerName.default('home'),
    /** Days deleted blobs and containers are kept. */
    softDeleteDays: z.number().int().min(1, { message: 'at least 1 day' }).max(365, { message: 'at most 365 days' }).default(7),
    /** `lifecycle.prevent_destroy` on the account and the container: `terraform destroy` cannot delete the data. */
    preventDestroy: z.boolean().default(true),
  })
  .prefault({});

/** The storage section. */
export const storageSchema = z
  .strictObject({
    /**
     * "netapp-files" (Azure NetApp Files, NFSv3 for Linux and Windows; the default), "managed-lustre" (Azure Managed
     * Lustre, Linux clients only), "avere" (the seed's Avere vFXT; retired 2025-09-30), "glusterfs" or "beegfs" (file
     * servers on VMs in the storage VNet, Samba gateways for Windows).
     */
    backend: z.enum(['netapp-files', 'managed-lustre', 'avere', 'glusterfs', 'beegfs']).default('netapp-files'),
    /** The Blob core filer of the Avere and Lustre backends (Azure NetApp Files holds the data itself). */
    coreFiler: coreFilerSchema,
    avere: avereSchema,
    lustre: lustreSchema,
    netappFiles: netappFilesSchema,
    glusterfs: glusterfsSchema,
    beegfs: beegfsSchema,
    sambaGateway: sambaGatewaySchema,
    fileServers: fileServersSchema,
  })
  .prefault({});

export type StorageConfig = z.output<typeof storageSchema>;

/** Cross-field checks of the storage section. */
export function storageIssues(config: {
  storage: StorageConfig;
  addressPlan: { lustreSubnet: string; netappSubnet?: string; fileServerSubnet?: string };
  location?: string;
}): InputIssue[] {
  const { storage } = config;
  const issues: InputIssue[] = [];
  if (storage.coreFiler.accountName !== undefined) issues.push(...storageAccountNameIssues('storage.coreFiler.accountName', storage.coreFiler.accountName));
  if (storage.backend === 'managed-lustre') {
    issues.push(...lustreCapacityIssues('storage.lustre.sku', 'storage.lustre.capacityTb', storage.lustre.sku, storage.lustre.capacityTb));
    if (issues.length === 0) issues.push(...lustreSubnetIssues('addressPlan.lustreSubnet', config.addressPlan.lustreSubnet, storage.lustre.capacityTb));
  }
  if (storage.backend === 'netapp-files') {
    const n = storage.netappFiles;
    const at = 'storage.netappFiles';
    issues.push(
      ...netappSizeIssues(
        { serviceLevel: `${at}.serviceLevel`, poolSizeTib: `${at}.poolSizeTib`, quotas: { data: `${at}.dataQuotaGib`, home: `${at}.homeQuotaGib` } },
        n.serviceLevel,
        n.poolSizeTib,
        { data: n.dataQuotaGib, home: n.homeQuotaGib },
      ),
    );
    if (config.addressPlan.netappSubnet !== undefined) issues.push(...netappSubnetIssues('addressPlan.netappSubnet', config.addressPlan.netappSubnet));
  }
  if (storage.backend === 'glusterfs' || storage.backend === 'beegfs') issues.push(...vmBackendIssues(config));
  return issues;
}

/** The GlusterFS and BeeGFS checks: layout, disks, sizes and the file server subnet's room. */
function vmBackendIssues(config: Parameters<typeof storageIssues>[0]): InputIssue[] {
  const { storage } = config;
  const issues: InputIssue[] = [];
  const subnetField = 'addressPlan.fileServerSubnet';
  const subnet = config.addressPlan.fileServerSubnet ?? '';
  const gateways = storage.sambaGateway.count;
  if (storage.backend === 'glusterfs') {
    const g = storage.glusterfs;
    const at = 'storage.glusterfs';
    issues.push(...glusterLayoutIssues({ serverCount: `${at}.serverCount`, replica: `${at}.replica`, arbiter: `${at}.arbiter` }, g));
    issues.push(...diskIssues(at, g.diskCount, g.diskSizeGb));
    issues.push(
      ...fileServerSubnetIssues(
        subnetField,
        subnet,
        { servers: g.serverCount, gateways },
        { servers: `${at}.serverCount`, gateways: 'storage.sambaGateway.count' },
      ),
    );
  } else {
    const b = storage.beegfs;
    for (const [group, g] of [
      ['metadata', b.metadata],
      ['storage', b.storage],
    ] as const) {
      const at = `storage.beegfs.${group}`;
      if (!Number.isInteger(g.count) || g.count < 1)
        issues.push({ path: `${at}.count`, message: `${show(g.count)} is not allowed: at least 1 ${group} server` });
      // A metadata server has one target (its disks striped into one ext4 file system).
      if (group === 'metadata' && g.targetsPerServer !== 1)
        issues.push({ path: `${at}.targetsPerServer`, message: `${show(g.targetsPerServer)} is not allowed: a metadata server has 1 target` });
      issues.push(...beegfsDiskIssues(at, g.diskLayout, g.vmSize, { count: g.diskCount, sizeGb: g.diskSizeGb }, group === 'metadata' ? 1 : g.targetsPerServer));
    }
    issues.push(
      ...fileServerSubnetIssues(
        subnetField,
        subnet,
        { servers: 1, metadata: b.metadata.count, storage: b.storage.count, gateways },
        { metadata: 'storage.beegfs.metadata.count', storage: 'storage.beegfs.storage.count', gateways: 'storage.sambaGateway.count' },
      ),
    );
  }
  if (storage.fileServers.nodesInProximityPlacementGroup && !storage.fileServers.proximityPlacementGroup) {
    issues.push({
      path: 'storage.fileServers.nodesInProximityPlacementGroup',
      message: 'needs storage.fileServers.proximityPlacementGroup: true (the group the nodes join)',
    });
  }
  if (storage.fileServers.availabilityZones && storage.fileServers.proximityPlacementGroup) {
    issues.push({
      path: 'storage.fileServers.proximityPlacementGroup',
      message: 'a proximity placement group lives in one zone: set storage.fileServers.availabilityZones to false to use it',
    });
  }
  return issues;
}

function diskIssues(at: string, count: number, sizeGb: number): InputIssue[] {
  const issues: InputIssue[] = [];
  if (!Number.isInteger(count) || count < 1 || count > 32)
    issues.push({ path: `${at}.diskCount`, message: `${show(count)} is not allowed: use 1–32 data disks per server` });
  if (!Number.isInteger(sizeGb) || sizeGb < 32 || sizeGb > 32767)
    issues.push({ path: `${at}.diskSizeGb`, message: `${show(sizeGb)} is not allowed: a managed disk is 32–32767 GiB` });
  return issues;
}
