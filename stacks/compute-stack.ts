import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { TerraformLocal } from 'cdktf';
import { Construct } from 'constructs';
import { NetworkStack } from './network-stack';
import { PhotogrammetryStack, PhotogrammetryStackProps } from './photogrammetry-stack';
import { StorageStack } from './storage-stack';

/** Props of {@link ComputeStack}. */
export interface ComputeStackProps extends PhotogrammetryStackProps {
  readonly network: NetworkStack;
  readonly storage: StorageStack;
}

/** The compute stack: scheduler, GPU processing nodes and jump boxes. Deployed last. */
export class ComputeStack extends PhotogrammetryStack {
  readonly resourceGroupName: string;

  constructor(scope: Construct, id: string, props: ComputeStackProps) {
    super(scope, id, props);
    this.addDependency(props.network);
    this.addDependency(props.storage);
    const rg = new ResourceGroup(this, 'resource-group', {
      name: this.naming.name('resourceGroup', 'compute'),
      location: props.config.location,
      tags: this.tags,
    });
    this.resourceGroupName = rg.name;
    new TerraformLocal(this, 'compute_subnet_id', props.network.network.subnets.compute.id);
    new TerraformLocal(this, 'storage_resource_group_name', props.storage.resourceGroupName);
  }
}
