import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { TerraformLocal } from 'cdktf';
import { Construct } from 'constructs';
import { NetworkStack } from './network-stack';
import { PhotogrammetryStack, PhotogrammetryStackProps } from './photogrammetry-stack';

/** Props of {@link StorageStack}. */
export interface StorageStackProps extends PhotogrammetryStackProps {
  /** The network it attaches the shared file system to. */
  readonly network: NetworkStack;
}

/** The storage stack: the shared file system and its core filer. Deployed after the network. */
export class StorageStack extends PhotogrammetryStack {
  readonly resourceGroupName: string;

  constructor(scope: Construct, id: string, props: StorageStackProps) {
    super(scope, id, props);
    this.addDependency(props.network);
    const rg = new ResourceGroup(this, 'resource-group', {
      name: this.naming.name('resourceGroup', 'storage'),
      location: props.config.location,
      tags: this.tags,
    });
    this.resourceGroupName = rg.name;
    // The cache attaches to the network stack's cache subnet (read through its remote state).
    new TerraformLocal(this, 'cache_subnet_id', props.network.network.subnets.cache.id);
  }
}
