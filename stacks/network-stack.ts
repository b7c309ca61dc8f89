import { Construct } from 'constructs';
import { HpcNetwork } from '../constructs/hpc-network';
import { PhotogrammetryStack, PhotogrammetryStackProps } from './photogrammetry-stack';

/** The network stack: HpcNetwork (later also the vault and the domain controllers). Deployed first. */
export class NetworkStack extends PhotogrammetryStack {
  readonly network: HpcNetwork;

  constructor(scope: Construct, id: string, props: PhotogrammetryStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.network = new HpcNetwork(this, 'hpc-network', {
      naming: this.naming,
      location: config.location,
      addressPlan: config.addressPlan,
      adminSourceCidrs: config.network.adminSourceCidrs,
      dnsServers: config.network.dnsServers,
      cacheNodeCount: config.storage.avere.nodeCount,
      tags: this.tags,
    });
  }
}
