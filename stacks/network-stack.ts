import { Construct } from 'constructs';
import { DomainServices } from '../constructs/domain-services';
import { HpcNetwork } from '../constructs/hpc-network';
import { RunnerSubnet } from '../constructs/runner-subnet';
import { SecretsVault } from '../constructs/secrets-vault';
import { deployLocation } from '../src/config/deploy';
import { PhotogrammetryStack, PhotogrammetryStackProps } from './photogrammetry-stack';

/** The network stack: HpcNetwork, the Key Vault with every generated secret, and the domain controllers. Deployed first. */
export class NetworkStack extends PhotogrammetryStack {
  readonly network: HpcNetwork;
  readonly secrets: SecretsVault;
  readonly domain: DomainServices;
  /** The subnet where Terraform runs (`deploy.from: "runner-subnet"`, the default). */
  readonly runner?: RunnerSubnet;

  constructor(scope: Construct, id: string, props: PhotogrammetryStackProps) {
    super(scope, id, props);
    const { config } = props;
    const vmBackend = config.storage.backend === 'glusterfs' || config.storage.backend === 'beegfs';
    this.network = new HpcNetwork(this, 'hpc-network', {
      naming: this.naming,
      location: config.location,
      addressPlan: config.addressPlan,
      adminSourceCidrs: config.network.adminSourceCidrs,
      dnsServers: config.network.dnsServers,
      // Only the Avere backend has a cache subnet; Managed Lustre adds its own subnet from the storage stack.
      cacheSubnet: config.storage.backend === 'avere',
      cacheNodeCount: config.storage.avere.nodeCount,
      // GlusterFS and BeeGFS: the file servers' and Samba gateways' subnet in the storage VNet.
      fileServerSubnet: vmBackend,
      // The vault firewall admits subnets only through their Microsoft.KeyVault service endpoint. The compute subnet
      // has it by default; the other allowed subnets (HpcNetwork default: no endpoints) get it here.
      serviceEndpoints: Object.fromEntries(config.secrets.allowedSubnets.filter((role) => role !== 'compute').map((role) => [role, ['Microsoft.KeyVault']])),
      tags: this.tags,
    });
    // Where Terraform runs: the vault admits exactly that (the runner subnet, or the listed egress IPs).
    const deploy = deployLocation(config);
    if (deploy.kind === 'runner-subnet') {
      this.runner = new RunnerSubnet(this, 'runner', {
        naming: this.naming,
        location: config.location,
        network: this.network,
        cidr: deploy.cidr,
        tags: this.tags,
      });
    }
    this.secrets = new SecretsVault(this, 'secrets', {
      naming: this.naming,
      location: config.location,
      resourceGroupName: this.network.resourceGroupName,
      vaultName: config.secrets.keyVaultName,
      softDeleteRetentionDays: config.secrets.softDeleteRetentionDays,
      // Default: the compute subnet (scheduler and nodes read the activation code at boot) and the AD subnet.
      // With GlusterFS or BeeGFS also the file server subnet: the gateways read the domain join password, BeeGFS's
      // servers the connection authentication secret.
      allowedSubnetIds: [...config.secrets.allowedSubnets, ...(vmBackend ? (['fileserver'] as const) : [])].map((role) => this.network.subnet(role).id),
      allowedIpRanges: [...config.secrets.allowedIpRanges, ...(deploy.kind === 'egress-ips' ? deploy.cidrs : [])],
      runnerSubnetIds: this.runner ? [this.runner.subnetId] : [],
      secretValidityDays: config.secrets.secretValidityDays,
      preventDestroy: config.secrets.preventDestroy,
      // The Avere cluster's admin password only with the Avere backend.
      // BeeGFS's connection authentication secret only with BeeGFS.
      passwords: [
        ...SecretsVault.DEFAULT_PASSWORDS,
        ...(config.storage.backend === 'avere' ? (['vfxtAdmin'] as const) : []),
        ...(config.storage.backend === 'beegfs' ? (['beegfsConnAuth'] as const) : []),
      ],
      licensing:
        config.secrets.licensing === 'license-server' ? { kind: 'license-server', address: config.secrets.licenseServer! } : { kind: config.secrets.licensing },
      tags: this.tags,
    });
    this.domain = new DomainServices(this, 'domain', {
      naming: this.naming,
      location: config.location,
      resourceGroupName: this.network.resourceGroupName,
      network: this.network,
      domainName: config.domain.name,
      netbiosName: config.domain.netbiosName,
      adminUsername: config.domain.adminUsername,
      adminPassword: this.secrets.password('domainAdmin').value,
      safeModePassword: this.secrets.password('safeMode').value,
      controllerIps: config.addressPlan.domainControllerIps,
      controllerSize: config.domain.controllerSize,
      dataDiskSizeGb: config.domain.dataDiskSizeGb,
      availabilityZones: config.domain.availabilityZones,
      privateDnsZoneName: config.domain.privateDnsZoneName,
      // Explicit DNS servers in the configuration win over the domain controllers.
      useAsVnetDns: config.network.dnsServers.length === 0,
      tags: this.tags,
    });
  }
}
