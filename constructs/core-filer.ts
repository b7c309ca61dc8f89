import { StorageAccount, StorageAccountConfig } from '@cdktf/provider-azurerm/lib/storage-account';
import { StorageContainer } from '@cdktf/provider-azurerm/lib/storage-container';
import { Construct } from 'constructs';
import { InputIssue, throwIfIssues } from '../src/errors';
import { Naming } from '../src/naming';
import { storageAccountNameIssues } from '../src/storage/core-filer';
import { uniqueNameSuffix } from './providers';
import { withNormalizedLocation } from '../src/azure/regions';
import { applyAvmInterfaces, AvmInterfaceProps, AvmResources, avmIssues } from './avm';

/**
 * The settings every storage account of the library shares (core filer, Batch auto-storage, CycleCloud locker):
 * StorageV2, Standard LRS, Hot, HTTPS only with TLS 1.2, no public blobs, firewall default Deny admitting
 * `subnetIds` and trusted Azure services, blob versioning and `retentionDays` of soft delete for blobs and containers.
 */
export function hardenedStorageAccount(
  subnetIds: readonly string[],
  retentionDays = 7,
): Pick<
  StorageAccountConfig,
  | 'accountKind'
  | 'accountTier'
  | 'accountReplicationType'
  | 'accessTier'
  | 'httpsTrafficOnlyEnabled'
  | 'minTlsVersion'
  | 'allowNestedItemsToBePublic'
  | 'networkRules'
  | 'blobProperties'
> {
  return {
    accountKind: 'StorageV2',
    accountTier: 'Standard',
    accountReplicationType: 'LRS',
    accessTier: 'Hot',
    httpsTrafficOnlyEnabled: true,
    minTlsVersion: 'TLS1_2',
    allowNestedItemsToBePublic: false,
    networkRules: { defaultAction: 'Deny', bypass: ['AzureServices'], virtualNetworkSubnetIds: [...subnetIds] },
    blobProperties: {
      versioningEnabled: true,
      deleteRetentionPolicy: { days: retentionDays },
      containerDeleteRetentionPolicy: { days: retentionDays },
    },
  };
}

/** Props of {@link CoreFiler}. */
export interface CoreFilerProps extends AvmInterfaceProps {
  readonly naming: Naming;
  readonly location: string;
  readonly resourceGroupName: string;
  /** Account name (3–24 lowercase letters/digits). @default `st<prefix>filer` + a random 6-character suffix kept in state */
  readonly accountName?: string;
  /** Replication. @default "LRS" */
  readonly replication?: 'LRS' | 'ZRS' | 'GRS' | 'RAGRS' | 'GZRS' | 'RAGZRS';
  /** Private containers to create, by role: e.g. `{ data: "data", home: "home" }`. */
  readonly containers: Readonly<Record<string, string>>;
  /** Subnets allowed through the account firewall (they need the Microsoft.Storage service endpoint). @default [] */
  readonly allowedSubnetIds?: readonly string[];
  /** Days deleted blobs and containers are kept. @default 7 */
  readonly softDeleteDays?: number;
  /** `lifecycle.prevent_destroy` on the account and its containers. @default true */
  readonly preventDestroy?: boolean;
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * The Blob storage behind the shared file system (the "core filer"): GPv2,
 * hot tier, HTTPS only, TLS 1.2, no anonymous access, firewall default Deny
 * (trusted Azure services and the named subnets allowed), blob and container
 * soft delete and versioning, private containers. Protected from
 * `terraform destroy` by default: it holds the only copy of the data.
 */
export class CoreFiler extends Construct {
  readonly accountName: string;
  readonly accountId: string;
  /** Container name by role. */
  readonly containerNames: Readonly<Record<string, string>>;
  /** ARM resource id of each container (for role assignments and Lustre HSM). */
  readonly containerIds: Readonly<Record<string, string>>;
  readonly account: StorageAccount;
  /** The lock, role assignments and diagnostic setting of the `lock`, `roleAssignments`, `diagnosticSettings` props. */
  readonly avm: AvmResources;

  constructor(scope: Construct, id: string, props: CoreFilerProps) {
    super(scope, id);
    props = withNormalizedLocation(props, `CoreFiler props (${this.node.path})`);
    const days = props.softDeleteDays ?? 7;
    const issues: InputIssue[] = [...(props.accountName === undefined ? [] : storageAccountNameIssues('accountName', props.accountName))];
    if (!Number.isInteger(days) || days < 1 || days > 365) issues.push({ path: 'softDeleteDays', message: `${days} is not allowed; use 1–365 days` });
    const containers = Object.entries(props.containers);
    if (containers.length === 0) issues.push({ path: 'containers', message: 'at least one container is needed' });
    for (const [role, c] of containers) {
      if (!/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/.test(c))
        issues.push({ path: `containers.${role}`, message: `${JSON.stringify(c)} is not a container name (3–63 lowercase letters, digits, single hyphens)` });
    }
    if (new Set(containers.map(([, c]) => c)).size !== containers.length) issues.push({ path: 'containers', message: 'two roles share one container name' });
    issues.push(...avmIssues(props));
    throwIfIssues(`CoreFiler props (${this.node.path})`, issues);
    const preventDestroy = props.preventDestroy ?? true;
    const tags = props.tags ? { ...props.tags } : undefined;

    let name = props.accountName;
    if (name === undefined) {
      name = `${props.naming.compact('storageAccount', 'filer', '', 18)}${uniqueNameSuffix(this)}`;
    }
    this.account = new StorageAccount(this, 'account', {
      name,
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      ...hardenedStorageAccount(props.allowedSubnetIds ?? [], days),
      accountReplicationType: props.replication ?? 'LRS',
      // Avere's core filer and Lustre's HSM authenticate with account keys / SAS from the resource provider.
      sharedAccessKeyEnabled: true,
      lifecycle: { preventDestroy },
      tags,
    });
    // Lock and roles on the account, blob service logs (AVM interfaces), when asked for.
    this.avm = applyAvmInterfaces(this, props, {
      resourceId: this.account.id,
      purpose: 'filer',
      diagnosticsTargetId: `${this.account.id}/blobServices/default`,
      defaultLogs: ['StorageRead', 'StorageWrite', 'StorageDelete'],
    });
    this.accountName = this.account.name;
    this.accountId = this.account.id;
    const names: Record<string, string> = {};
    const ids: Record<string, string> = {};
    for (const [role, c] of Object.entries(props.containers)) {
      const container = new StorageContainer(this, `container-${role}`, {
        name: c,
        storageAccountId: this.account.id,
        containerAccessType: 'private',
        lifecycle: { preventDestroy },
      });
      names[role] = container.name;
      ids[role] = container.resourceManagerId;
    }
    this.containerNames = names;
    this.containerIds = ids;
  }
}
