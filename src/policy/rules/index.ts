/**
 * The policy pack's rules, one per file in this folder (cdk-nag style): each a
 * small pure function over one synthesized resource (its Terraform type and
 * JSON configuration, with the whole stack for context) that answers pass,
 * fail (with the problem) or not-applicable (with why), and carries its id,
 * description and the matching checkov/trivy checks. They catch at synth what
 * checkov and trivy would report on the Terraform, and explain it.
 */
import { NSG_INTERNET_INGRESS_RULE } from './net-1-nsg-internet-ingress';
import { SUBNET_NSG_RULE } from './net-2-subnet-nsg';
import { PUBLIC_IP_RULE } from './net-3-public-ip';
import { NIC_IP_FORWARDING_RULE } from './net-4-nic-ip-forwarding';
import { VM_SSH_KEY_ONLY_RULE } from './vm-1-ssh-key-only';
import { VM_ENCRYPTION_AT_HOST_RULE } from './vm-2-encryption-at-host';
import { VM_BOOT_DIAGNOSTICS_RULE } from './vm-3-boot-diagnostics';
import { VM_MANAGED_DISKS_RULE } from './vm-4-managed-disks';
import { KV_PURGE_PROTECTION_RULE } from './kv-1-purge-protection';
import { KV_RBAC_RULE } from './kv-2-rbac';
import { KV_NETWORK_DENY_RULE } from './kv-3-network-deny';
import { KV_SOFT_DELETE_RULE } from './kv-4-soft-delete';
import { KV_SECRET_HYGIENE_RULE } from './kv-5-secret-hygiene';
import { ST_HTTPS_ONLY_RULE } from './st-1-https-only';
import { ST_TLS_RULE } from './st-2-tls';
import { ST_PUBLIC_NESTED_RULE } from './st-3-public-nested';
import { ST_NETWORK_DENY_RULE } from './st-4-network-deny';
import { ST_BLOB_SOFT_DELETE_RULE } from './st-5-blob-soft-delete';
import { PREVENT_DESTROY_RULE } from './data-1-prevent-destroy';
import { TAGS_RULE } from './tag-1-tags';
import { SENSITIVE_VALUES_RULE } from './sec-1-sensitive-values';
import type { PolicyRule, PolicyRuleInfo } from './types';

export type { PolicyContext, PolicyResource, PolicyRule, PolicyRuleInfo, PolicyValueRule, Verdict } from './types';
export { describePorts, isInternetSource } from './helpers';
export { SECRET_NAME, SENSITIVE_VALUES_RULE } from './sec-1-sensitive-values';
// The rule objects one by one (NSG_INTERNET_INGRESS_RULE, …), `defineRule` and the verdict helpers are imported from
// their files (`src/policy/rules/<id>-….ts`, `./types`); the package entry exports the lists below.

/** The rules over resources, in report order. */
export const RULES: readonly PolicyRule[] = [
  NSG_INTERNET_INGRESS_RULE,
  SUBNET_NSG_RULE,
  PUBLIC_IP_RULE,
  NIC_IP_FORWARDING_RULE,
  VM_SSH_KEY_ONLY_RULE,
  VM_ENCRYPTION_AT_HOST_RULE,
  VM_BOOT_DIAGNOSTICS_RULE,
  VM_MANAGED_DISKS_RULE,
  KV_PURGE_PROTECTION_RULE,
  KV_RBAC_RULE,
  KV_NETWORK_DENY_RULE,
  KV_SOFT_DELETE_RULE,
  KV_SECRET_HYGIENE_RULE,
  ST_HTTPS_ONLY_RULE,
  ST_TLS_RULE,
  ST_PUBLIC_NESTED_RULE,
  ST_NETWORK_DENY_RULE,
  ST_BLOB_SOFT_DELETE_RULE,
  PREVENT_DESTROY_RULE,
  TAGS_RULE,
];

/** Every rule (resources, then variables and outputs). */
export const ALL_RULES: readonly PolicyRuleInfo[] = [...RULES, SENSITIVE_VALUES_RULE];
