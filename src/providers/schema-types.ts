/**
 * The shape of a Terraform provider schema as this library describes it: what
 * the offline validator (src/validation/schema-index.ts) derives from the
 * provider packages and what the hand-written bindings (src/providers/avere)
 * declare. Types only, plus the format version; imports nothing, so both sides
 * depend on it instead of on each other.
 */

/**
 * Version of the cached index format. Bump it whenever {@link SchemaIndex} or
 * the derivation changes: it is part of the cache file name, so old caches are
 * ignored (and rebuilt) instead of being misread.
 */
export const SCHEMA_INDEX_FORMAT_VERSION = 1;

/**
 * The type of an attribute value. `set` and `tuple` types are validated as
 * `list`, objects and dynamic values as `any` (Terraform checks those itself).
 */
export type TypeSpec = 'string' | 'number' | 'bool' | 'any' | { readonly list: TypeSpec } | { readonly map: TypeSpec };

/** One argument of a block. */
export interface AttributeSchema {
  readonly type: TypeSpec;
  /** The argument must be set (to something other than null). */
  readonly required: boolean;
}

/** A nested block (or a nested attribute of object type) inside a block. */
export interface NestedBlockSchema {
  readonly block: BlockSchema;
  /** At least one block must be given. */
  readonly required: boolean;
  /** Any number of blocks may be given; `false` = at most one. */
  readonly list: boolean;
  /**
   * An attribute of object type written like a block (`ConfigModeAttr` in the
   * SDK, e.g. `azurerm_virtual_network.subnet`): unlike a real block, its value
   * may also be a whole expression such as `"${var.subnets}"`.
   */
  readonly attribute?: boolean;
}

/** The arguments and nested blocks a block accepts. */
export interface BlockSchema {
  readonly attributes: Readonly<Record<string, AttributeSchema>>;
  readonly blocks: Readonly<Record<string, NestedBlockSchema>>;
  /**
   * Names of attributes that can be read but not set (e.g. `guid` of
   * `azurerm_virtual_network`). Only on resource and data source roots; names
   * are derived from camelCase getters, so compare them with {@link normalizeAttributeName}.
   */
  readonly computed?: readonly string[];
}

/** The schemas of one provider. */
export interface SchemaIndex {
  /** Always {@link SCHEMA_INDEX_FORMAT_VERSION} for indexes built here. */
  readonly formatVersion: number;
  /** Fully qualified provider source address, e.g. `registry.terraform.io/hashicorp/azurerm`. */
  readonly provider: string;
  /** Provider version the schema describes, e.g. `4.55.0` (absent when unknown). */
  readonly providerVersion?: string;
  /** npm package the index was derived from, when it was. */
  readonly packageName?: string;
  readonly packageVersion?: string;
  /** Schema of the `provider "<name>" {}` configuration block. */
  readonly providerConfig?: BlockSchema;
  /** Managed resources by Terraform type (`azurerm_virtual_network`). */
  readonly resources: Readonly<Record<string, BlockSchema>>;
  /** Data sources by Terraform type without the `data.` prefix (`azurerm_client_config`). */
  readonly dataSources: Readonly<Record<string, BlockSchema>>;
}
