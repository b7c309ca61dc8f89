/**
 * A small typed cdktf binding of provider `hashicorp/avere` (no prebuilt cdktf
 * package exists): `AvereProvider` and resource `avere_vfxt`. Typed camelCase
 * props in; snake_case attributes out, checked against the schema table in
 * ./schema (which also feeds the offline validator).
 */
import { TerraformProvider, TerraformResource, TerraformMetaArguments } from 'cdktf';
import { Construct } from 'constructs';
import { AVERE_PROVIDER_SOURCE, AVERE_PROVIDER_VERSION_CONSTRAINT, AVERE_STORAGE_FILER_ATTRIBUTES, AVERE_VFXT_ATTRIBUTES } from './schema';

export * from './schema';

/** `provider "avere" {}`: it has no arguments (it reaches Azure through the controller VM). */
export class AvereProvider extends TerraformProvider {
  constructor(scope: Construct, id: string, config: { readonly alias?: string } = {}) {
    super(scope, id, {
      terraformResourceType: 'avere',
      terraformGeneratorMetadata: { providerName: 'avere', providerVersionConstraint: AVERE_PROVIDER_VERSION_CONSTRAINT },
      terraformProviderSource: AVERE_PROVIDER_SOURCE,
    });
    this.alias = config.alias;
  }

  protected synthesizeAttributes(): { [name: string]: unknown } {
    return { alias: this.alias };
  }
}

/** A Blob container as core filer, with its junction. */
export interface AvereStorageFiler {
  readonly accountName: string;
  readonly containerName: string;
  /** Order in which filers are added. @default 0 */
  readonly ordinal?: number;
  readonly customSettings?: string[];
  /** Namespace path clients mount, e.g. "/data". */
  readonly junctionNamespacePath?: string;
}

/** Arguments of `avere_vfxt` (see the provider's documentation for each). */
export interface AvereVfxtConfig extends TerraformMetaArguments {
  /** Private address of the controller VM the provider drives the cluster through. */
  readonly controllerAddress?: string;
  readonly controllerAdminUsername?: string;
  /** Unset: the provider authenticates with the SSH key of the machine running Terraform. */
  readonly controllerAdminPassword?: string;
  readonly controllerSshPort?: number;
  readonly runLocal?: boolean;
  readonly location: string;
  readonly azureResourceGroup: string;
  readonly azureNetworkResourceGroup: string;
  readonly azureNetworkName: string;
  readonly azureSubnetName: string;
  /** Space-separated NTP servers. */
  readonly ntpServers?: string;
  readonly timezone?: string;
  /** Space-separated DNS servers. */
  readonly dnsServer?: string;
  readonly dnsDomain?: string;
  readonly dnsSearch?: string;
  readonly proxyUri?: string;
  readonly imageId?: string;
  readonly vfxtClusterName: string;
  readonly vfxtAdminPassword: string;
  readonly vfxtSshKeyData?: string;
  /** 3–16. */
  readonly vfxtNodeCount: number;
  /** "prod_sku" (default) or "unsupported_test_SKU". */
  readonly nodeSize?: string;
  /** GB of cache per node. */
  readonly nodeCacheSize?: number;
  readonly vserverFirstIp?: string;
  readonly vserverIpCount?: number;
  readonly globalCustomSettings?: string[];
  readonly userAssignedManagedIdentity?: string;
  readonly enableSupportUploads?: boolean;
  readonly azureStorageFiler?: AvereStorageFiler[];
}

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** Maps typed props to attributes; every key must be in the schema table (a typo fails at synth, not at apply). */
function toAttributes(props: Record<string, unknown>, table: Record<string, unknown>, where: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined) continue;
    const name = snake(key);
    if (!(name in table)) throw new Error(`${where}: ${key} (${name}) is not an argument of the avere provider's schema`);
    out[name] = value;
  }
  return out;
}

const META = new Set(['dependsOn', 'count', 'provider', 'lifecycle', 'forEach', 'provisioners', 'connection']);

/** Resource `avere_vfxt`: an Avere vFXT cluster created through its controller. */
export class AvereVfxt extends TerraformResource {
  static readonly tfResourceType = 'avere_vfxt';
  private readonly config: AvereVfxtConfig;

  constructor(scope: Construct, id: string, config: AvereVfxtConfig) {
    super(scope, id, {
      terraformResourceType: AvereVfxt.tfResourceType,
      terraformGeneratorMetadata: { providerName: 'avere', providerVersionConstraint: AVERE_PROVIDER_VERSION_CONSTRAINT },
      provider: config.provider,
      dependsOn: config.dependsOn,
      count: config.count,
      lifecycle: config.lifecycle,
      forEach: config.forEach,
    });
    this.config = config;
  }

  /** The vserver addresses clients mount (known after apply). */
  get vserverIpAddresses(): string[] {
    return this.getListAttribute('vserver_ip_addresses');
  }

  get managementIp(): string {
    return this.getStringAttribute('vfxt_management_ip');
  }

  get nodeNames(): string[] {
    return this.getListAttribute('node_names');
  }

  protected synthesizeAttributes(): { [name: string]: unknown } {
    const { azureStorageFiler, ...rest } = this.config;
    const plain = Object.fromEntries(Object.entries(rest).filter(([k]) => !META.has(k)));
    return {
      ...toAttributes(plain, AVERE_VFXT_ATTRIBUTES, 'avere_vfxt'),
      azure_storage_filer: azureStorageFiler?.map((f) => toAttributes({ ...f }, AVERE_STORAGE_FILER_ATTRIBUTES, 'avere_vfxt.azure_storage_filer')),
    };
  }
}
