import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../src/config/schema';
import { Naming } from '../src/naming';
import { configureBackend } from './backend';

/** Props every stack of the environment takes. */
export interface PhotogrammetryStackProps {
  /** The validated environment configuration. */
  readonly config: EnvironmentConfig;
}

/**
 * Base of the network, storage and compute stacks: backend, azurerm provider,
 * naming and tags from the one configuration.
 */
export class PhotogrammetryStack extends TerraformStack {
  readonly config: EnvironmentConfig;
  readonly naming: Naming;
  /** Tags for every taggable resource of the stack (config tags + `stack`). */
  readonly tags: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: PhotogrammetryStackProps) {
    super(scope, id);
    this.config = props.config;
    this.naming = new Naming(props.config.namePrefix);
    this.tags = { ...props.config.tags, stack: id };
    configureBackend(this, props.config.backend);
    new AzurermProvider(this, 'azurerm', {
      features: [{}],
      subscriptionId: props.config.subscriptionId,
    });
  }
}
