/**
 * What a subscription needs before the first deploy: resource providers and features to register, Marketplace
 * terms, the deployer's role, quotas, tools and inputs. ONE table: the README's prerequisite list is rendered from
 * it ({@link renderPrerequisiteReference}, checked by a test), and `npm run report` prints the items that apply to
 * the synthesized configuration ({@link prerequisiteChecklist}), with the quotas its VM inventory needs.
 */
import type { AppModel, ModelResource } from './model';
import { blocks, firstBlock } from './model';
import { workersMarkerOf, type VmInventory } from './inventory';
import { FILE_SERVER_TAGS } from '../storage/file-servers';

/** One prerequisite. */
export interface Prerequisite {
  readonly id: string;
  readonly kind: 'resource provider' | 'feature' | 'marketplace terms' | 'role' | 'quota' | 'tool' | 'input' | 'deploy location' | 'egress';
  /** What to have (a namespace, a feature, a role…). */
  readonly what: string;
  /** How to get it (a command or a step). */
  readonly how: string;
  /** When it applies, in words (the README column). */
  readonly when: string;
  /** Whether it applies to a synthesized app. */
  readonly applies: (model: AppModel) => boolean;
}

const has = (model: AppModel, test: (r: ModelResource) => boolean) => model.resources.some(test);
const ofType =
  (...types: string[]) =>
  (r: ModelResource) =>
    types.includes(r.type);
const VM_TYPES = [
  'azurerm_linux_virtual_machine',
  'azurerm_windows_virtual_machine',
  'azurerm_linux_virtual_machine_scale_set',
  'azurerm_windows_virtual_machine_scale_set',
];
const isCycleCloudServer = (r: ModelResource) => r.type === 'azurerm_linux_virtual_machine' && firstBlock(r.config.plan)?.publisher === 'azurecyclecloud';
const registerProvider = (ns: string) => `az provider register --namespace ${ns} --wait`;

/** Every prerequisite, in the order a new subscription is prepared. */
export const PREREQUISITES: readonly Prerequisite[] = [
  {
    id: 'rp-compute',
    kind: 'resource provider',
    what: 'Microsoft.Compute',
    how: registerProvider('Microsoft.Compute'),
    when: 'always (VMs, scale sets, disks)',
    applies: (m) => has(m, ofType(...VM_TYPES)),
  },
  {
    id: 'rp-network',
    kind: 'resource provider',
    what: 'Microsoft.Network',
    how: registerProvider('Microsoft.Network'),
    when: 'always (VNets, NSGs, private DNS)',
    applies: (m) => has(m, (r) => r.type.startsWith('azurerm_virtual_network') || r.type === 'azurerm_subnet'),
  },
  {
    id: 'rp-keyvault',
    kind: 'resource provider',
    what: 'Microsoft.KeyVault',
    how: registerProvider('Microsoft.KeyVault'),
    when: 'always (the vault)',
    applies: (m) => has(m, ofType('azurerm_key_vault')),
  },
  {
    id: 'rp-storage',
    kind: 'resource provider',
    what: 'Microsoft.Storage',
    how: registerProvider('Microsoft.Storage'),
    when: 'with a Blob core filer (Avere, Managed Lustre)',
    applies: (m) => has(m, ofType('azurerm_storage_account')),
  },
  {
    id: 'rp-netapp',
    kind: 'resource provider',
    what: 'Microsoft.NetApp',
    how: registerProvider('Microsoft.NetApp'),
    when: 'storage.backend "netapp-files"',
    applies: (m) => has(m, (r) => r.type.startsWith('azurerm_netapp_')),
  },
  {
    id: 'rp-storagecache',
    kind: 'resource provider',
    what: 'Microsoft.StorageCache',
    how: registerProvider('Microsoft.StorageCache'),
    when: 'storage.backend "managed-lustre"',
    applies: (m) => has(m, ofType('azurerm_managed_lustre_file_system')),
  },
  {
    id: 'rp-insights',
    kind: 'resource provider',
    what: 'Microsoft.Insights',
    how: registerProvider('Microsoft.Insights'),
    when: 'compute.nodes.autoscale or diagnostic settings',
    applies: (m) => has(m, ofType('azurerm_monitor_autoscale_setting', 'azurerm_monitor_diagnostic_setting')),
  },
  {
    id: 'rp-marketplace',
    kind: 'resource provider',
    what: 'Microsoft.MarketplaceOrdering',
    how: registerProvider('Microsoft.MarketplaceOrdering'),
    when: 'storage.backend "avere" or compute.orchestrator "cyclecloud" (Marketplace images with a plan)',
    applies: (m) => has(m, ofType('avere_vfxt', 'azurerm_marketplace_agreement')) || has(m, isCycleCloudServer),
  },
  {
    id: 'rp-batch',
    kind: 'resource provider',
    what: 'Microsoft.Batch',
    how: registerProvider('Microsoft.Batch'),
    when: 'compute.orchestrator "batch"',
    applies: (m) => has(m, ofType('azurerm_batch_account')),
  },
  {
    id: 'feature-encryption-at-host',
    kind: 'feature',
    what: 'Microsoft.Compute/EncryptionAtHost',
    how: 'az feature register --namespace Microsoft.Compute --name EncryptionAtHost, wait for "Registered", then az provider register --namespace Microsoft.Compute',
    when: 'always (every VM and scale set encrypts at host)',
    applies: (m) => has(m, (r) => VM_TYPES.includes(r.type) && r.config.encryption_at_host_enabled === true),
  },
  {
    id: 'terms-avere',
    kind: 'marketplace terms',
    what: 'microsoft-avere:vfxt (avere-vfxt-controller, avere-vfxt-node)',
    how: 'az vm image terms accept --urn microsoft-avere:vfxt:avere-vfxt-controller:latest; az vm image terms accept --urn microsoft-avere:vfxt:avere-vfxt-node:latest (or storage.avere.acceptMarketplaceTerms: true on a subscription that never accepted them)',
    when: 'storage.backend "avere" without acceptMarketplaceTerms',
    applies: (m) => has(m, ofType('avere_vfxt')) && !has(m, ofType('azurerm_marketplace_agreement')),
  },
  {
    id: 'terms-cyclecloud',
    kind: 'marketplace terms',
    what: 'azurecyclecloud:azure-cyclecloud (cyclecloud8-gen2)',
    how: 'az vm image terms accept --urn azurecyclecloud:azure-cyclecloud:cyclecloud8-gen2:latest (or compute.cyclecloud.acceptMarketplaceTerms: true on a subscription that never accepted them)',
    when: 'compute.orchestrator "cyclecloud" without acceptMarketplaceTerms',
    applies: (m) => has(m, isCycleCloudServer) && !has(m, ofType('azurerm_marketplace_agreement')),
  },
  {
    id: 'role-batch-user-subscription',
    kind: 'role',
    what: 'the "Microsoft Azure Batch" service principal (ddbf3205-c6bd-46ae-8127-60eb93363864) as Contributor on the subscription',
    how: 'az role assignment create --assignee ddbf3205-c6bd-46ae-8127-60eb93363864 --role Contributor --scope /subscriptions/<id>; its object id goes into compute.batch.batchServicePrincipalObjectId',
    when: 'compute.batch.poolAllocationMode "UserSubscription"',
    applies: (m) => has(m, (r) => r.type === 'azurerm_batch_account' && r.config.pool_allocation_mode === 'UserSubscription'),
  },
  {
    id: 'role-deployer',
    kind: 'role',
    what: 'Owner, or Contributor + Role Based Access Control Administrator, on the subscription',
    how: 'az role assignment create --assignee <deployer object id> --role Owner --scope /subscriptions/<id> (the stacks create resource groups and role assignments; the deployer grants itself Key Vault Secrets Officer on the vault)',
    when: 'always',
    applies: () => true,
  },
  {
    id: 'role-custom-role',
    kind: 'role',
    what: 'the deployer may create custom roles on the subscription (Microsoft.Authorization/roleDefinitions/write: Owner or User Access Administrator; Role Based Access Control Administrator is not enough)',
    how: "az role assignment create --assignee <deployer object id> --role 'User Access Administrator' --scope /subscriptions/<id> (CycleCloud's own narrow role is a custom role)",
    when: 'compute.orchestrator "cyclecloud"',
    applies: (m) => has(m, ofType('azurerm_role_definition')),
  },
  {
    id: 'quota-vcpus',
    kind: 'quota',
    what: 'regional vCPUs per VM family (and Total Regional vCPUs), for the sizes of the configuration',
    how: 'az vm list-usage --location <region> -o table; request increases under Quotas in the portal',
    when: 'always (per family: `npm run report` lists them)',
    applies: (m) => has(m, ofType(...VM_TYPES, 'avere_vfxt')),
  },
  {
    id: 'quota-spot',
    kind: 'quota',
    what: 'Spot vCPUs (Total Regional Spot vCPUs)',
    how: 'az vm list-usage --location <region> -o table; request under Quotas in the portal',
    when: 'compute.nodes.spot.enabled',
    applies: (m) => has(m, (r) => (VM_TYPES.includes(r.type) && r.config.priority === 'Spot') || workersMarkerOf(r)?.spot === true),
  },
  {
    id: 'quota-batch',
    kind: 'quota',
    what: "the Batch account's own core quotas (dedicated cores per VM family), not the subscription's",
    how: 'after the first deploy: az batch account show -n <account> -g <rg> --query dedicatedCoreQuotaPerVmFamily; request increases on the Batch account (Quotas)',
    when: 'compute.orchestrator "batch" with poolAllocationMode "BatchService" (default)',
    applies: (m) => has(m, (r) => r.type === 'azurerm_batch_account' && r.config.pool_allocation_mode !== 'UserSubscription'),
  },
  {
    id: 'location-runner',
    kind: 'deploy location',
    what: 'a self-hosted runner (labels self-hosted, photogrammetry) in the runner subnet',
    how: 'create the runner VM in the runner subnet after the first network deploy (see "Deploying from CI")',
    when: 'deploy.from "runner-subnet" (default)',
    applies: (m) => has(m, (r) => r.type === 'azurerm_subnet' && typeof r.config.name === 'string' && /-runner$/.test(r.config.name)),
  },
  {
    id: 'location-egress',
    kind: 'deploy location',
    what: 'runners whose egress IPs are in deploy.egressCidrs',
    how: 'hosted runners with static egress IPs, or a NAT gateway in front of your runners',
    when: 'deploy.from "egress-ips"',
    applies: (m) =>
      has(m, (r) => r.type === 'azurerm_key_vault' && blocks(r.config.network_acls).some((a) => Array.isArray(a.ip_rules) && a.ip_rules.length > 0)) &&
      !has(m, (r) => r.type === 'azurerm_subnet' && typeof r.config.name === 'string' && /-runner$/.test(r.config.name)),
  },
  {
    id: 'egress-file-servers',
    kind: 'egress',
    what: 'outbound HTTP(S) from the file-server subnet to the Ubuntu archive (GlusterFS, Samba, BeeGFS build tools) and www.beegfs.io (BeeGFS packages): the servers and gateways install them at first boot',
    how: 'the NAT gateway the storage stack adds (storage.fileServers.natGateway, on by default), or a route to your egress firewall admitting those hosts',
    when: 'storage.backend "beegfs" or "glusterfs"',
    applies: (m) =>
      has(
        m,
        (r) =>
          r.type === 'azurerm_linux_virtual_machine' && typeof r.config.tags === 'object' && r.config.tags !== null && FILE_SERVER_TAGS.role in r.config.tags,
      ),
  },
  {
    id: 'tool-avere-provider',
    kind: 'tool',
    what: 'the hashicorp/avere provider binary (not on the Terraform Registry)',
    how: 'AVERE_PROVIDER_VERSION=<1.x> AVERE_PROVIDER_SHA256=<pinned> scripts/ci/install-avere-provider.sh',
    when: 'storage.backend "avere"',
    applies: (m) => has(m, ofType('avere_vfxt')),
  },
  {
    id: 'input-ssh-key',
    kind: 'input',
    what: 'the Linux admin SSH public key (adminSshPublicKey or TF_VAR_admin_ssh_public_key); with Avere "ssh-rsa AAAA… user@host"',
    how: 'ssh-keygen -t ed25519 (Avere: ssh-keygen -t rsa -b 4096 -C you@host)',
    when: 'always',
    applies: () => true,
  },
  {
    id: 'input-activation-code',
    kind: 'input',
    what: 'the Metashape activation code (TF_VAR_photoscan_activation_code)',
    how: 'repository secret PHOTOSCAN_ACTIVATION_CODE',
    when: 'secrets.licensing "code" (default)',
    applies: (m) => m.stacks.some((s) => s.json.variable?.photoscan_activation_code !== undefined),
  },
  {
    id: 'input-hpc-cache-rp',
    kind: 'input',
    what: 'object id of the "HPC Cache Resource Provider" service principal',
    how: 'az ad sp list --display-name "HPC Cache Resource Provider" --query "[].id" -o tsv → storage.lustre.hpcCacheResourceProviderObjectId',
    when: 'storage.backend "managed-lustre"',
    applies: (m) => has(m, ofType('azurerm_managed_lustre_file_system')),
  },
];

/** One line of the checklist of a synthesized app. */
export interface ChecklistItem {
  readonly id: string;
  readonly kind: Prerequisite['kind'];
  readonly what: string;
  readonly how: string;
}

/** The region the app deploys to (the first literal `location`), for the quota commands. */
function regionOf(model: AppModel): string | undefined {
  const r = model.resources.find((x) => typeof x.config.location === 'string' && !x.config.location.includes('${'));
  return r?.config.location as string | undefined;
}

/** The vault's firewall as synthesized: subnets and IPs it admits (the deploy location shows there). */
function vaultAdmits(model: AppModel): string[] {
  const vault = model.resources.find((r) => r.type === 'azurerm_key_vault');
  const acls = firstBlock(vault?.config.network_acls);
  const subnets = ((acls?.virtual_network_subnet_ids as unknown[]) ?? []).flatMap((id) =>
    vault ? model.resolveAll(vault.stack, id).filter((s) => s.type === 'azurerm_subnet') : [],
  );
  return [
    ...subnets.map((s) => `subnet ${String(s.config.name)} (${((s.config.address_prefixes as string[]) ?? []).join(', ')})`),
    ...((acls?.ip_rules as string[]) ?? []),
  ];
}

/** The prerequisites that apply to a synthesized app; quotas expanded per family from its VM inventory. */
export function prerequisiteChecklist(model: AppModel, inventory: VmInventory): ChecklistItem[] {
  const region = regionOf(model) ?? '<region>';
  const items: ChecklistItem[] = [];
  for (const p of PREREQUISITES.filter((x) => x.applies(model))) {
    const how = p.how.replace(/<region>/g, region);
    if (p.id === 'quota-vcpus') {
      for (const f of inventory.families) items.push({ id: p.id, kind: p.kind, what: `${f.family}: ${f.vcpus} vCPUs in ${region} (${f.vms} VMs)`, how });
      items.push({ id: p.id, kind: p.kind, what: `Total Regional vCPUs: ${inventory.totals.vcpus} in ${region}`, how });
    } else if (p.id === 'location-runner' || p.id === 'location-egress') {
      items.push({ id: p.id, kind: p.kind, what: `${p.what}; the vault admits: ${vaultAdmits(model).join(', ') || 'nothing'}`, how });
    } else items.push({ id: p.id, kind: p.kind, what: p.what, how });
  }
  return items;
}

/** The checklist as Markdown task items. */
export function renderPrerequisiteChecklist(items: readonly ChecklistItem[]): string[] {
  return items.map((i) => `- [ ] **${i.kind}** ${i.what} — \`${i.how}\``);
}

/** The README's reference table of every prerequisite (generated from {@link PREREQUISITES}; a test keeps them equal). */
export function renderPrerequisiteReference(): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  return [
    '| kind | what | when | how |',
    '| --- | --- | --- | --- |',
    ...PREREQUISITES.map((p) => `| ${p.kind} | ${cell(p.what)} | ${cell(p.when)} | \`${cell(p.how)}\` |`),
  ].join('\n');
}
