/** What the offline validator reports. */

/** The kinds of problem the offline validator finds; stable, for tests and tooling. */
export type ProblemCode =
  /** The stack file is missing, is not JSON, or is not a JSON object. */
  | 'invalid-stack'
  /** A top-level key Terraform does not know (`resources` instead of `resource`). */
  | 'unknown-top-level-key'
  /** A resource type no loaded provider schema has. */
  | 'unknown-resource-type'
  /** A data source type no loaded provider schema has. */
  | 'unknown-data-source'
  /** An argument or block the schema does not have (also in nested blocks, meta-arguments, outputs, variables). */
  | 'unsupported-argument'
  /** A required argument is absent or null. */
  | 'missing-required-argument'
  /** A required nested block is absent or empty. */
  | 'missing-required-block'
  /** A value of the wrong type (an object where a string is expected, `"abc"` for a number, ...). */
  | 'invalid-value-type'
  /** A block given as something other than an object or an array of objects. */
  | 'invalid-block-shape'
  /** Several blocks where the schema allows at most one. */
  | 'too-many-blocks'
  /** A malformed `${...}` template or expression, or an unresolved cdktf token. */
  | 'invalid-expression'
  /** A reference to a resource not declared in the stack. */
  | 'undeclared-resource'
  /** A reference to a data source not declared in the stack. */
  | 'undeclared-data-source'
  /** A reference to a `terraform_remote_state` data source not declared in the stack. */
  | 'undeclared-remote-state'
  /** `var.x` without `variable.x`. */
  | 'undeclared-variable'
  /** `local.x` without `locals.x`. */
  | 'undeclared-local'
  /** `module.x` without `module.x`. */
  | 'undeclared-module'
  /** A `provider = "name.alias"` meta-argument without a matching provider block. */
  | 'undeclared-provider-config'
  /** A reference to an attribute the resource or data source does not have. */
  | 'unsupported-attribute-reference'
  /** `azurerm_x.y.id` where `azurerm_x.y` has `count` or `for_each` (an instance key is needed). */
  | 'missing-instance-key'
  /** A reference that is not valid where it is (`each` without `for_each`, `path.x`, a resource referring to itself, ...). */
  | 'invalid-reference'
  /** A meta-argument with a bad value (`count` and `for_each` together, `depends_on` not a list of references, ...). */
  | 'invalid-meta-argument'
  /** A provider used by a resource, data source or provider block but absent from `terraform.required_providers`. */
  | 'missing-required-provider'
  /** `required_providers` names a different source than the one the loaded schema describes. */
  | 'provider-source-mismatch'
  /** `required_providers` asks for a version the loaded schema does not describe. */
  | 'provider-version-mismatch';

/** One problem in one synthesized stack. */
export interface ValidationProblem {
  /** Stack name (`network`). */
  readonly stack: string;
  /** Where: `resource.azurerm_virtual_network.photoscan.subnet[0].name`, `output.vnet_id.value`. */
  readonly path: string;
  readonly code: ProblemCode;
  /** What is wrong, with a suggestion when there is one. */
  readonly message: string;
}

/** `network resource.azurerm_subnet.jumpbox: unsupported argument "adress_prefixes" (did you mean "address_prefixes"?)` */
export function formatProblem(problem: ValidationProblem): string {
  return `${problem.stack} ${problem.path}: ${problem.message}`;
}
