/**
 * The attributes of one block of synthesized Terraform JSON (a resource, a nested block, a variable): untyped data
 * whose shape only the provider schema knows. Code that reads `cdk.tf.json` (the policy pack, the report, the
 * testing helpers) uses this one alias instead of scattering `any`.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- synthesized Terraform JSON is untyped data
export type TfAttributes = Record<string, any>;
