import { AvailabilitySet } from '@cdktf/provider-azurerm/lib/availability-set';
import { ManagedDisk } from '@cdktf/provider-azurerm/lib/managed-disk';
import { NetworkInterface } from '@cdktf/provider-azurerm/lib/network-interface';
import { PrivateDnsARecord } from '@cdktf/provider-azurerm/lib/private-dns-a-record';
import { PrivateDnsZone } from '@cdktf/provider-azurerm/lib/private-dns-zone';
import { PrivateDnsZoneVirtualNetworkLink } from '@cdktf/provider-azurerm/lib/private-dns-zone-virtual-network-link';
import { VirtualMachineDataDiskAttachment } from '@cdktf/provider-azurerm/lib/virtual-machine-data-disk-attachment';
import { VirtualMachineRunCommand } from '@cdktf/provider-azurerm/lib/virtual-machine-run-command';
import { WindowsVirtualMachine } from '@cdktf/provider-azurerm/lib/windows-virtual-machine';
import { ITerraformDependable, TerraformStack, Token } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { regionHasZones } from '../src/azure/regions';
import { InputIssue, show, throwIfIssues } from '../src/errors';
import { DC_SCRIPT_SECRET_PARAMETERS, renderDcPromotionScript } from '../src/identity/dc-script';
import { controllerSizeIssues, domainNameIssues, isSameOrUnder, netbiosNameIssues } from '../src/identity/domain-name';
import { adminUsernameIssues } from '../src/identity/key-vault';
import { domainControllerIpIssues } from '../src/net/address-plan';
import { parseIpv4 } from '../src/net/cidr';
import { Naming } from '../src/naming';
import { DomainJoin } from './domain-join';
import { windowsVmBaseline } from './vm-defaults';
import type { IHpcNetwork } from './hpc-network';
import { withNormalizedLocation } from '../src/azure/regions';

/** Props of {@link DomainServices}. */
export interface DomainServicesProps {
  readonly naming: Naming;
  readonly location: string;
  /** Resource group of the DCs and the private DNS zone (usually the network's). */
  readonly resourceGroupName: string;
  /** The network: DCs go into its AD subnet; its VNets get the DCs as DNS servers and the private zone. */
  readonly network: IHpcNetwork;
  /** FQDN of the forest root domain. @default "photoscan.local" */
  readonly domainName?: string;
  /** NetBIOS name (≤ 15 characters). @default "PHOTOSCAN" */
  readonly netbiosName?: string;
  /** Admin account of the DCs; it becomes the domain administrator. @default "pgmadmin" */
  readonly adminUsername?: string;
  /** Its password: a Terraform reference (SecretsVault `password('domainAdmin').value`), never a literal. */
  readonly adminPassword: string;
  /** Directory Services Restore Mode password: a Terraform reference (`password('safeMode').value`). */
  readonly safeModePassword: string;
  /** Static addresses of DC-01 and DC-02 in the AD subnet. @default the network's address plan */
  readonly controllerIps?: readonly string[];
  /** VM size. @default "Standard_D2s_v5" */
  readonly controllerSize?: string;
  /** NTDS/SYSVOL data disk size (GiB). @default 32 */
  readonly dataDiskSizeGb?: number;
  /** Zones of DC-01 and DC-02. @default ["1", "2"] where the region has zones, else an availability set */
  readonly availabilityZones?: readonly string[];
  /** Azure Private DNS zone for Terraform-managed names; not the AD domain nor under it. @default "hpc.internal" */
  readonly privateDnsZoneName?: string;
  /** Point both VNets' DNS at the DCs once promoted. @default true */
  readonly useAsVnetDns?: boolean;
  /** Tags of every taggable resource. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/** What {@link DomainServices.joinDomain} takes. */
export interface JoinDomainOptions {
  readonly virtualMachineId: string;
  /** OU for the computer account. @default the Computers container */
  readonly ouPath?: string;
  /** Extra dependencies in the caller's stack. @default [] */
  readonly dependsOn?: ITerraformDependable[];
  readonly tags?: Readonly<Record<string, string>>;
}

/** What {@link IDomain.publishRoundRobin} takes. */
export interface RoundRobinOptions {
  /** DNS label in the private zone, e.g. "vfxt". */
  readonly name: string;
  /** The A records (any number; Terraform references allowed). */
  readonly addresses: readonly string[];
  /** @default 60 */
  readonly ttl?: number;
  readonly tags?: Readonly<Record<string, string>>;
}

/** What {@link IDomain.publishRoundRobin} returns. */
export interface RoundRobinRecord {
  readonly fqdn: string;
  readonly record: PrivateDnsARecord;
}

/**
 * An Active Directory domain with a private DNS zone, as other constructs use it: join a Windows VM, publish a
 * round-robin name. {@link DomainServices} creates one; {@link DomainServices.fromDomainAttributes} imports one.
 */
export interface IDomain extends IConstruct {
  readonly domainName: string;
  /** Account that joins machines (the domain administrator). */
  readonly adminUsername: string;
  readonly domainControllerIps: readonly string[];
  readonly privateDnsZoneName: string;
  /** Joins a Windows VM (in any stack) to the domain; depend on the returned extension for domain logons. */
  joinDomain(scope: Construct, id: string, options: JoinDomainOptions): DomainJoin;
  /** Publishes one name with many A records (round robin) in the private zone; the record lives in `scope`. */
  publishRoundRobin(scope: Construct, id: string, props: RoundRobinOptions): RoundRobinRecord;
}

/** A domain created elsewhere, for {@link DomainServices.fromDomainAttributes}. */
export interface DomainAttributes {
  readonly domainName: string;
  readonly adminUsername: string;
  /** The join account's password: a Terraform reference (e.g. a Key Vault secret data source), never a literal. */
  readonly adminPassword: string;
  readonly domainControllerIps: readonly string[];
  readonly privateDnsZoneName: string;
  readonly privateDnsZoneResourceGroupName: string;
}

abstract class DomainBase extends Construct implements IDomain {
  abstract readonly domainName: string;
  abstract readonly adminUsername: string;
  abstract readonly domainControllerIps: readonly string[];
  abstract readonly privateDnsZoneName: string;
  abstract readonly privateDnsZoneResourceGroupName: string;
  /** The promotions: depend on these for anything that needs the domain up (in this stack). */
  abstract readonly promoted: ITerraformDependable[];
  protected abstract readonly joinPassword: string;
  /** The zone name as records reference it (a reference to the zone resource where this app creates it). */
  protected get zoneNameReference(): string {
    return this.privateDnsZoneName;
  }

  publishRoundRobin(scope: Construct, id: string, props: RoundRobinOptions): RoundRobinRecord {
    const issues: InputIssue[] = [];
    if (!/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i.test(props.name))
      issues.push({ path: 'name', message: `${show(props.name)} is not a DNS label (letters, digits, inner hyphens, ≤ 63)` });
    if (props.addresses.length === 0) issues.push({ path: 'addresses', message: 'at least one address is needed' });
    props.addresses.forEach((a, i) => {
      if (!Token.isUnresolved(a) && parseIpv4(a) === undefined) issues.push({ path: `addresses[${i}]`, message: `${show(a)} is not an IPv4 address` });
    });
    throwIfIssues(`DomainServices.publishRoundRobin(${props.name})`, issues);
    const record = new PrivateDnsARecord(scope, id, {
      name: props.name,
      zoneName: this.zoneNameReference,
      resourceGroupName: this.privateDnsZoneResourceGroupName,
      ttl: props.ttl ?? 60,
      records: [...props.addresses],
      tags: props.tags ? { ...props.tags } : undefined,
    });
    return { fqdn: `${props.name}.${this.privateDnsZoneName}`, record };
  }

  joinDomain(scope: Construct, id: string, options: JoinDomainOptions): DomainJoin {
    const sameStack = TerraformStack.of(scope) === TerraformStack.of(this);
    return new DomainJoin(scope, id, {
      virtualMachineId: options.virtualMachineId,
      domainName: this.domainName,
      joinUser: this.adminUsername,
      joinPassword: this.joinPassword,
      ouPath: options.ouPath,
      // Across stacks, the deploy order (network first) already guarantees the promotion.
      dependsOn: [...(sameStack ? this.promoted : []), ...(options.dependsOn ?? [])],
      tags: options.tags,
    });
  }
}

/**
 * Active Directory for the environment: two Windows Server 2022 domain
 * controllers with static addresses (zones 1/2, or an availability set), NTDS
 * and SYSVOL on an uncached data disk, promoted by a run command (DC-01
 * creates the forest, DC-02 replicates it), DNS forwarding to Azure DNS; the
 * VNets then use the DCs as DNS servers. Also an Azure Private DNS zone linked
 * to both VNets for names Terraform manages (the cache's round-robin name).
 */
export class DomainServices extends DomainBase {
  /** Domain unless the `domainName` prop says otherwise. */
  static readonly DEFAULT_DOMAIN_NAME = 'photoscan.local';
  static readonly DEFAULT_NETBIOS_NAME = 'PHOTOSCAN';
  static readonly DEFAULT_ADMIN_USERNAME = 'pgmadmin';
  static readonly DEFAULT_CONTROLLER_SIZE = 'Standard_D2s_v5';
  static readonly DEFAULT_DATA_DISK_SIZE_GB = 32;
  static readonly DEFAULT_PRIVATE_DNS_ZONE_NAME = 'hpc.internal';
  /** Sizes the NTDS/SYSVOL data disk may have (GiB). */
  static readonly DATA_DISK_SIZE_GB_RANGE = { min: 8, max: 1024 } as const;

  /** A domain created elsewhere: join VMs to it and publish names in its private zone. */
  static fromDomainAttributes(scope: Construct, id: string, attrs: DomainAttributes): IDomain {
    return new ImportedDomain(scope, id, attrs);
  }

  readonly domainName: string;
  readonly netbiosName: string;
  readonly adminUsername: string;
  readonly domainControllerIps: readonly string[];
  readonly domainControllerIds: readonly string[];
  readonly privateDnsZoneName: string;
  readonly privateDnsZoneResourceGroupName: string;
  readonly privateDnsZoneId: string;
  /** The promotions: depend on these for anything that needs the domain up (in this stack). */
  readonly promoted: ITerraformDependable[];
  /** The domain controllers (`defaultChild` is DC-01), for escape hatches. */
  readonly domainControllers: readonly WindowsVirtualMachine[];

  protected readonly joinPassword: string;
  private readonly zone: PrivateDnsZone;

  constructor(scope: Construct, id: string, props: DomainServicesProps) {
    super(scope, id);
    props = withNormalizedLocation(props, `DomainServices props (${this.node.path})`);
    const network = props.network;
    this.domainName = props.domainName ?? DomainServices.DEFAULT_DOMAIN_NAME;
    this.netbiosName = props.netbiosName ?? DomainServices.DEFAULT_NETBIOS_NAME;
    this.adminUsername = props.adminUsername ?? DomainServices.DEFAULT_ADMIN_USERNAME;
    this.domainControllerIps = [...(props.controllerIps ?? network.addressPlan.domainControllerIps)];
    this.privateDnsZoneName = props.privateDnsZoneName ?? DomainServices.DEFAULT_PRIVATE_DNS_ZONE_NAME;
    const zones = props.availabilityZones ?? (regionHasZones(props.location) ? ['1', '2'] : undefined);
    throwIfIssues(
      `DomainServices props (${this.node.path})`,
      domainServicesIssues({ ...props, controllerIps: this.domainControllerIps, adSubnetCidr: network.addressPlan.adSubnet }),
    );
    this.joinPassword = props.adminPassword;
    const tags = props.tags ? { ...props.tags } : undefined;
    const size = props.controllerSize ?? DomainServices.DEFAULT_CONTROLLER_SIZE;

    const availabilitySet = zones
      ? undefined
      : new AvailabilitySet(this, 'availability-set', {
          name: props.naming.name('availabilitySet', 'dc'),
          location: props.location,
          resourceGroupName: props.resourceGroupName,
          platformFaultDomainCount: 2,
          platformUpdateDomainCount: 5,
          managed: true,
          tags,
        });

    const promotions: VirtualMachineRunCommand[] = [];
    const ids: string[] = [];
    const vms: WindowsVirtualMachine[] = [];
    this.domainControllerIps.forEach((ip, i) => {
      const n = `dc${String(i + 1).padStart(2, '0')}`;
      const zone = zones?.[i];
      const nic = new NetworkInterface(this, `${n}-nic`, {
        name: props.naming.name('networkInterface', n),
        location: props.location,
        resourceGroupName: props.resourceGroupName,
        // DC-02 must find the domain on DC-01 before the VNet switches its DNS to the DCs.
        dnsServers: i === 0 ? undefined : [this.domainControllerIps[0]],
        ipConfiguration: [{ name: 'ipconfig', subnetId: network.subnet('ad').id, privateIpAddressAllocation: 'Static', privateIpAddress: ip }],
        tags,
      });
      const vm = new WindowsVirtualMachine(this, n, {
        name: props.naming.name('virtualMachine', n),
        computerName: props.naming.computerName(n),
        location: props.location,
        resourceGroupName: props.resourceGroupName,
        size,
        zone,
        availabilitySetId: availabilitySet?.id,
        adminUsername: this.adminUsername,
        adminPassword: props.adminPassword,
        networkInterfaceIds: [nic.id],
        ...windowsVmBaseline(),
        provisionVmAgent: true,
        tags,
      });
      ids.push(vm.id);
      vms.push(vm);
      const disk = new ManagedDisk(this, `${n}-data-disk`, {
        name: props.naming.name('managedDisk', n, 'adds'),
        location: props.location,
        resourceGroupName: props.resourceGroupName,
        storageAccountType: 'Premium_LRS',
        createOption: 'Empty',
        diskSizeGb: props.dataDiskSizeGb ?? DomainServices.DEFAULT_DATA_DISK_SIZE_GB,
        zone,
        tags,
      });
      const attachment = new VirtualMachineDataDiskAttachment(this, `${n}-data-disk-attachment`, {
        managedDiskId: disk.id,
        virtualMachineId: vm.id,
        lun: 0,
        caching: 'None', // Microsoft's guidance for NTDS/SYSVOL: no host write caching
      });
      const mode = i === 0 ? 'forest' : 'replica';
      promotions.push(
        new VirtualMachineRunCommand(this, `${n}-promote`, {
          name: `promote-${mode}`,
          location: props.location,
          virtualMachineId: vm.id,
          source: {
            script: renderDcPromotionScript({
              mode,
              domainName: this.domainName,
              netbiosName: this.netbiosName,
              adminUsername: this.adminUsername,
              firstDcIp: this.domainControllerIps[0],
            }),
          },
          // Secrets only as protected parameters: encrypted, never returned by the API, never in the script text.
          protectedParameter: [
            { name: DC_SCRIPT_SECRET_PARAMETERS.safeMode, value: props.safeModePassword },
            ...(mode === 'replica' ? [{ name: DC_SCRIPT_SECRET_PARAMETERS.admin, value: props.adminPassword }] : []),
          ],
          timeouts: { create: '90m', update: '90m' },
          dependsOn: [attachment, ...promotions],
          tags,
        }),
      );
    });
    this.domainControllerIds = ids;
    this.domainControllers = vms;
    this.node.defaultChild = vms[0];
    this.promoted = promotions;

    this.zone = new PrivateDnsZone(this, 'private-zone', { name: this.privateDnsZoneName, resourceGroupName: props.resourceGroupName, tags });
    this.privateDnsZoneId = this.zone.id;
    this.privateDnsZoneResourceGroupName = props.resourceGroupName;
    for (const [key, vnetId] of [
      ['photoscan', network.photoscanVnetId],
      ['storage', network.storageVnetId],
    ] as const) {
      new PrivateDnsZoneVirtualNetworkLink(this, `private-zone-link-${key}`, {
        name: props.naming.name('privateDnsZoneLink', key),
        resourceGroupName: props.resourceGroupName,
        privateDnsZoneName: this.zone.name,
        virtualNetworkId: vnetId,
        registrationEnabled: false,
        tags,
      });
    }

    if (props.useAsVnetDns ?? true) network.useDnsServers(this.domainControllerIps, promotions);
  }

  protected get zoneNameReference(): string {
    return this.zone.name;
  }
}

/** Zones a domain controller may run in. */
export const DOMAIN_CONTROLLER_ZONES = ['1', '2', '3'] as const;

/**
 * What {@link domainServicesIssues} checks: the plain values of {@link DomainServicesProps}. `adSubnetCidr` is the
 * network's AD subnet (the controller addresses are checked against it when given).
 */
export type DomainServicesRuleProps = Partial<
  Pick<
    DomainServicesProps,
    | 'domainName'
    | 'netbiosName'
    | 'adminUsername'
    | 'adminPassword'
    | 'safeModePassword'
    | 'controllerIps'
    | 'controllerSize'
    | 'dataDiskSizeGb'
    | 'availabilityZones'
    | 'privateDnsZoneName'
  >
> & { readonly adSubnetCidr?: string };

/**
 * The rules of {@link DomainServices}' props, in one place: the construct throws with them (paths are prop names) and
 * the configuration file checks its `domain` section with them (`domainName` → `domain.name`, …). Defaults are
 * DomainServices' static DEFAULT_* constants; passwords and controller addresses are checked only when given.
 */
export function domainServicesIssues(props: DomainServicesRuleProps): InputIssue[] {
  const domainName = props.domainName ?? DomainServices.DEFAULT_DOMAIN_NAME;
  const zoneName = props.privateDnsZoneName ?? DomainServices.DEFAULT_PRIVATE_DNS_ZONE_NAME;
  const issues: InputIssue[] = [
    ...domainNameIssues('domainName', domainName),
    ...netbiosNameIssues('netbiosName', props.netbiosName ?? DomainServices.DEFAULT_NETBIOS_NAME),
    ...adminUsernameIssues('adminUsername', props.adminUsername ?? DomainServices.DEFAULT_ADMIN_USERNAME),
    ...domainNameIssues('privateDnsZoneName', zoneName),
  ];
  if (isSameOrUnder(zoneName, domainName)) {
    issues.push({
      path: 'privateDnsZoneName',
      message: `${show(zoneName)} is the AD domain or under it (${show(domainName)}): the domain controllers answer for that namespace and would never ask Azure DNS; use a separate zone such as "hpc.internal"`,
    });
  }
  for (const [field, value] of [
    ['adminPassword', props.adminPassword],
    ['safeModePassword', props.safeModePassword],
  ] as const) {
    if (value !== undefined && !Token.isUnresolved(value))
      issues.push({ path: field, message: 'must be a Terraform reference (a random_password result or a Key Vault secret), never a literal password' });
  }
  if (props.controllerIps !== undefined) issues.push(...domainControllerIpIssues('controllerIps', props.controllerIps, props.adSubnetCidr, 'the AD subnet'));
  const zones = props.availabilityZones;
  if (zones !== undefined) {
    if (zones.length !== 2)
      issues.push({ path: 'availabilityZones', message: `${show(zones)} has ${zones.length} zones; give one zone per domain controller, e.g. ["1", "2"]` });
    zones.forEach((z, i) => {
      if (!(DOMAIN_CONTROLLER_ZONES as readonly string[]).includes(z))
        issues.push({ path: `availabilityZones[${i}]`, message: `${show(z)} is not a zone; use "1", "2" or "3"` });
    });
    if (zones.length === 2 && zones[0] === zones[1])
      issues.push({ path: 'availabilityZones', message: `both domain controllers in zone ${zones[0]}: use two different zones` });
  }
  issues.push(...controllerSizeIssues('controllerSize', props.controllerSize ?? DomainServices.DEFAULT_CONTROLLER_SIZE));
  const size = props.dataDiskSizeGb ?? DomainServices.DEFAULT_DATA_DISK_SIZE_GB;
  const { min, max } = DomainServices.DATA_DISK_SIZE_GB_RANGE;
  if (!Number.isInteger(size) || size < min || size > max)
    issues.push({ path: 'dataDiskSizeGb', message: `${show(size)} is not allowed; use ${min}–${max} GiB` });
  return issues;
}

/** A domain created elsewhere. */
class ImportedDomain extends DomainBase {
  readonly domainName: string;
  readonly adminUsername: string;
  readonly domainControllerIps: readonly string[];
  readonly privateDnsZoneName: string;
  readonly privateDnsZoneResourceGroupName: string;
  readonly promoted: ITerraformDependable[] = [];
  protected readonly joinPassword: string;

  constructor(scope: Construct, id: string, attrs: DomainAttributes) {
    super(scope, id);
    const issues = [...domainNameIssues('domainName', attrs.domainName), ...adminUsernameIssues('adminUsername', attrs.adminUsername)];
    if (!Token.isUnresolved(attrs.adminPassword)) issues.push({ path: 'adminPassword', message: 'must be a Terraform reference, never a literal password' });
    throwIfIssues(`DomainServices.fromDomainAttributes (${this.node.path})`, issues);
    this.domainName = attrs.domainName;
    this.adminUsername = attrs.adminUsername;
    this.domainControllerIps = [...attrs.domainControllerIps];
    this.privateDnsZoneName = attrs.privateDnsZoneName;
    this.privateDnsZoneResourceGroupName = attrs.privateDnsZoneResourceGroupName;
    this.joinPassword = attrs.adminPassword;
  }
}
