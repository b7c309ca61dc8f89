/**
 * The schema of resource `avere_vfxt` of provider `hashicorp/avere` (Microsoft's
 * Avere vFXT provider), as far as this library writes it: one table that drives
 * both the typed binding (camelCase props → snake_case attributes) and the
 * offline validator's schema index for the provider, which ships no cdktf
 * package. Source: the provider's resource_vfxt.go schema.
 */
import type { BlockSchema, SchemaIndex, TypeSpec } from '../schema-types';

export const AVERE_PROVIDER_SOURCE = 'hashicorp/avere';
/** Provider versions the binding was written against. */
export const AVERE_PROVIDER_VERSION_CONSTRAINT = '~> 1.3';

type Attr = { readonly type: TypeSpec; readonly required?: boolean; readonly sensitive?: boolean };

/** Arguments of `avere_vfxt`. */
export const AVERE_VFXT_ATTRIBUTES = {
  controller_address: { type: 'string' },
  controller_admin_username: { type: 'string' },
  controller_admin_password: { type: 'string', sensitive: true },
  controller_ssh_port: { type: 'number' },
  run_local: { type: 'bool' },
  location: { type: 'string', required: true },
  azure_resource_group: { type: 'string', required: true },
  azure_network_resource_group: { type: 'string', required: true },
  azure_network_name: { type: 'string', required: true },
  azure_subnet_name: { type: 'string', required: true },
  ntp_servers: { type: 'string' },
  timezone: { type: 'string' },
  dns_server: { type: 'string' },
  dns_domain: { type: 'string' },
  dns_search: { type: 'string' },
  proxy_uri: { type: 'string' },
  image_id: { type: 'string' },
  vfxt_cluster_name: { type: 'string', required: true },
  vfxt_admin_password: { type: 'string', required: true, sensitive: true },
  vfxt_ssh_key_data: { type: 'string' },
  vfxt_node_count: { type: 'number', required: true },
  node_size: { type: 'string' },
  node_cache_size: { type: 'number' },
  vserver_first_ip: { type: 'string' },
  vserver_ip_count: { type: 'number' },
  global_custom_settings: { type: { list: 'string' } },
  user_assigned_managed_identity: { type: 'string' },
  enable_support_uploads: { type: 'bool' },
} as const satisfies Record<string, Attr>;

/** Arguments of an `azure_storage_filer` block (a Blob container as core filer). */
export const AVERE_STORAGE_FILER_ATTRIBUTES = {
  account_name: { type: 'string', required: true },
  container_name: { type: 'string', required: true },
  ordinal: { type: 'number' },
  custom_settings: { type: { list: 'string' } },
  junction_namespace_path: { type: 'string' },
} as const satisfies Record<string, Attr>;

/** Attributes the provider computes. */
export const AVERE_VFXT_COMPUTED = [
  'id',
  'vfxt_management_ip',
  'vserver_ip_addresses',
  'node_names',
  'mass_filer_mappings',
  'primary_cluster_ips',
  'licensing_id',
] as const;

function block(attributes: Record<string, Attr>): BlockSchema {
  return { attributes: Object.fromEntries(Object.entries(attributes).map(([k, a]) => [k, { type: a.type, required: a.required ?? false }])), blocks: {} };
}

/** The avere provider's schema, for the offline validator (`loadSchemaIndexes` includes it). */
export const AVERE_SCHEMA_INDEX: SchemaIndex = {
  formatVersion: 1,
  provider: `registry.terraform.io/${AVERE_PROVIDER_SOURCE}`,
  providerConfig: { attributes: {}, blocks: {} },
  resources: {
    avere_vfxt: {
      ...block(AVERE_VFXT_ATTRIBUTES),
      blocks: { azure_storage_filer: { block: block(AVERE_STORAGE_FILER_ATTRIBUTES), required: false, list: true } },
      computed: [...AVERE_VFXT_COMPUTED],
    },
  },
  dataSources: {},
};
