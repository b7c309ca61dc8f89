import { Lb } from '@cdktf/provider-azurerm/lib/lb';
import { LbBackendAddressPool } from '@cdktf/provider-azurerm/lib/lb-backend-address-pool';
import { LbProbe } from '@cdktf/provider-azurerm/lib/lb-probe';
import { LbRule } from '@cdktf/provider-azurerm/lib/lb-rule';
import { NetworkInterfaceBackendAddressPoolAssociation } from '@cdktf/provider-azurerm/lib/network-interface-backend-address-pool-association';
import { NatGateway } from '@cdktf/provider-azurerm/lib/nat-gateway';
import { NatGatewayPublicIpAssociation } from '@cdktf/provider-azurerm/lib/nat-gateway-public-ip-association';
import { PublicIp } from '@cdktf/provider-azurerm/lib/public-ip';
import { SubnetNatGatewayAssociation } from '@cdktf/provider-azurerm/lib/subnet-nat-gateway-association';
import { Construct } from 'constructs';
import { POLICY_RULES } from '../src/policy/rule-ids';
import { suppressPolicy } from '../src/policy/suppressions';
import { InputIssue, show, throwIfIssues } from '../src/errors';
import { parseCidr } from '../src/net/cidr';
import { renderSambaGatewayCloudInit, SambaGatewayParams } from '../src/storage/boot';
import { fileServerAddresses, SMB_PORT } from '../src/storage/file-servers';
import type { IDomain } from './domain-services';
import { FileServerVm, FileServerVmCommon } from './file-server-vms';
import type { IHpcNetwork } from './hpc-network';
import type { ISecretsVault, StoredSecret } from './secrets-vault';

/** Props of {@link SambaGateways}. */
export interface SambaGatewaysProps extends FileServerVmCommon {
  /** The network: the gateways and the load balancer go into its file server subnet, whose NSG admits SMB from `clientCidrs`. */
  readonly network: IHpcNetwork;
  /** The domain the gateways join; its private zone gets the load balancer's name. */
  readonly domain: IDomain;
  /** The vault holding the join account's password, and that secret (the gateways' identities may read it). */
  readonly secrets: ISecretsVault;
  readonly joinPasswordSecret: StoredSecret;
  /** Gateways (1–8). @default 2 */
  readonly count?: number;
  /** @default "Standard_D4s_v5" */
  readonly vmSize?: string;
  /** Networks that may connect over SMB (445): the PhotoScan subnets that hold Windows machines. @default the compute subnet */
  readonly clientCidrs?: readonly string[];
  /** The backend's "mount the file system" shell part and the shares it offers (see src/storage/boot.ts). */
  readonly mount: SambaGatewayParams['mount'];
  /** The domain's NetBIOS name. */
  readonly netbiosName: string;
  /** Name of the load balancer's address in the private zone. @default "smb" */
  readonly dnsName?: string;
  /** Priority of the NSG rule admitting SMB. @default 300 */
  readonly smbRulePriority?: number;
  /**
   * A NAT gateway (with one static public IP, egress only) on the file server subnet. VMs in the backend pool of a
   * Standard internal load balancer have no default outbound access, and the gateways install Samba (and the file
   * system's client) from package repositories at boot. Turn it off only where the subnet has egress otherwise (a
   * firewall route, a NAT gateway of your own). @default true
   */
  readonly natGateway?: boolean;
}

/**
 * Samba gateways of a VM-based file system (GlusterFS, BeeGFS) for the Windows scheduler and workers: Linux VMs that
 * mount the file system and export /data and /home over SMB, joined to the domain with winbind (the join password
 * read from Key Vault with their identities), behind an internal Standard load balancer (health probe on 445) whose
 * static address gets a name in the private zone. The file server subnet admits SMB from the client networks only.
 */
export class SambaGateways extends Construct {
  static readonly DEFAULT_COUNT = 2;
  static readonly DEFAULT_VM_SIZE = 'Standard_D4s_v5';
  static readonly DEFAULT_DNS_NAME = 'smb';
  static readonly DEFAULT_SMB_RULE_PRIORITY = 300;

  readonly loadBalancer: Lb;
  readonly address: string;
  /** `<dnsName>.<zone>`: what Windows maps (`\\<fqdn>\data`). */
  readonly fqdn: string;
  readonly gateways: readonly FileServerVm[];
  /** The file server subnet's egress (unless `natGateway` is false). */
  readonly natGateway?: FileServerEgress;

  constructor(scope: Construct, id: string, props: SambaGatewaysProps) {
    super(scope, id);
    const count = props.count ?? SambaGateways.DEFAULT_COUNT;
    const subnet = props.network.subnet('fileserver');
    const clientCidrs = props.clientCidrs ?? [props.network.subnet('compute').cidr];
    throwIfIssues(`SambaGateways props (${this.node.path})`, validate(count, clientCidrs, props.mount.shares.length));
    const tags = props.tags ? { ...props.tags } : undefined;
    const [lbAddress] = fileServerAddresses(subnet.cidr, 'loadBalancer', 1);
    const addresses = fileServerAddresses(subnet.cidr, 'gateways', count);
    this.address = lbAddress;

    props.network.allowInbound(
      'fileserver',
      {
        name: 'allow-smb-from-photoscan',
        priority: props.smbRulePriority ?? SambaGateways.DEFAULT_SMB_RULE_PRIORITY,
        access: 'Allow',
        protocol: 'Tcp',
        ports: [SMB_PORT],
        sources: clientCidrs,
        destination: subnet.cidr,
        description: 'SMB to the Samba gateways (behind their internal load balancer) from the Windows machines\u2019 subnets only',
      },
      { scope: this, id: 'smb-rule' },
    );

    if (props.natGateway ?? true) this.natGateway = new FileServerEgress(this, 'egress', { ...props, subnetId: subnet.id });
    const zonal = props.placement.zones.length > 0;
    this.loadBalancer = new Lb(this, 'load-balancer', {
      name: props.naming.name('loadBalancer', 'smb'),
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      sku: 'Standard',
      frontendIpConfiguration: [
        {
          name: 'smb',
          subnetId: subnet.id,
          privateIpAddressAllocation: 'Static',
          privateIpAddress: lbAddress,
          zones: zonal ? ['1', '2', '3'] : undefined,
        },
      ],
      tags,
    });
    const pool = new LbBackendAddressPool(this, 'backend-pool', { name: 'gateways', loadbalancerId: this.loadBalancer.id });
    const probe = new LbProbe(this, 'probe', {
      name: 'smb',
      loadbalancerId: this.loadBalancer.id,
      protocol: 'Tcp',
      port: Number(SMB_PORT),
      intervalInSeconds: 5,
    });
    new LbRule(this, 'rule', {
      name: 'smb',
      loadbalancerId: this.loadBalancer.id,
      protocol: 'Tcp',
      frontendPort: Number(SMB_PORT),
      backendPort: Number(SMB_PORT),
      frontendIpConfigurationName: 'smb',
      backendAddressPoolIds: [pool.id],
      probeId: probe.id,
      // SMB sessions are long-lived and stateful: a client stays on its gateway.
      loadDistribution: 'SourceIP',
      idleTimeoutInMinutes: 30,
      tcpResetEnabled: true,
    });

    const cloudInit = renderSambaGatewayCloudInit({
      domainName: props.domain.domainName,
      netbiosName: props.netbiosName,
      joinUser: props.domain.adminUsername,
      keyVaultUri: props.secrets.vaultUri,
      joinSecretName: props.joinPasswordSecret.secretName,
      clientCidrs,
      mount: props.mount,
    });
    this.gateways = addresses.map((ip, i) => {
      const gw = new FileServerVm(this, `gateway-${i + 1}`, props, {
        purpose: `smb${i + 1}`,
        size: props.vmSize ?? SambaGateways.DEFAULT_VM_SIZE,
        subnetId: subnet.id,
        privateIp: ip,
        cloudInit,
        index: i,
      });
      new NetworkInterfaceBackendAddressPoolAssociation(this, `gateway-${i + 1}-pool`, {
        networkInterfaceId: gw.nic.id,
        ipConfigurationName: 'ipconfig',
        backendAddressPoolId: pool.id,
      });
      props.secrets.grantSecretsRead(
        { principalId: gw.principalId },
        { scope: this, id: `gateway-${i + 1}-reads-join-password`, secret: props.joinPasswordSecret },
      );
      return gw;
    });
    const dnsName = props.dnsName ?? SambaGateways.DEFAULT_DNS_NAME;
    this.fqdn = props.domain.publishRoundRobin(this, 'dns', { name: dnsName, addresses: [lbAddress], tags }).fqdn;
  }
}

function validate(count: number, clientCidrs: readonly string[], shares: number): InputIssue[] {
  const issues: InputIssue[] = [];
  if (!Number.isInteger(count) || count < 1 || count > 8) issues.push({ path: 'count', message: `${show(count)} is not allowed: use 1–8 gateways` });
  if (clientCidrs.length === 0) issues.push({ path: 'clientCidrs', message: 'at least one client network (the compute subnet) is needed' });
  clientCidrs.forEach((c, i) => {
    const r = parseCidr(c);
    if (!r || r.prefix === 0) issues.push({ path: `clientCidrs[${i}]`, message: `${show(c)} is not allowed: name the client subnets (an IPv4 CIDR, no /0)` });
  });
  if (shares === 0) issues.push({ path: 'mount.shares', message: 'at least one share (data) is needed' });
  return issues;
}

/**
 * Egress of the file server subnet: a NAT gateway with one static Standard public IP (outbound only: a NAT gateway
 * accepts no inbound connection), associated with the subnet.
 */
export class FileServerEgress extends Construct {
  readonly natGateway: NatGateway;
  readonly publicIp: PublicIp;

  constructor(scope: Construct, id: string, props: Pick<SambaGatewaysProps, 'naming' | 'location' | 'resourceGroupName' | 'tags'> & { subnetId: string }) {
    super(scope, id);
    const tags = props.tags ? { ...props.tags } : undefined;
    suppressPolicy(
      this,
      POLICY_RULES.PUBLIC_IP,
      'Egress only: the NAT gateway of the file server subnet (package installs at boot); a NAT gateway accepts no inbound connection.',
    );
    this.publicIp = new PublicIp(this, 'public-ip', {
      name: props.naming.name('publicIp', 'fileserver-egress'),
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      allocationMethod: 'Static',
      sku: 'Standard',
      tags,
    });
    this.natGateway = new NatGateway(this, 'nat-gateway', {
      name: props.naming.name('natGateway', 'fileserver'),
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      skuName: 'Standard',
      idleTimeoutInMinutes: 10,
      tags,
    });
    new NatGatewayPublicIpAssociation(this, 'public-ip-association', { natGatewayId: this.natGateway.id, publicIpAddressId: this.publicIp.id });
    new SubnetNatGatewayAssociation(this, 'subnet-association', { subnetId: props.subnetId, natGatewayId: this.natGateway.id });
  }
}
