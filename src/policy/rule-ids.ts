/**
 * Ids of the policy pack's rules (src/policy). Constructs that need an
 * exception (e.g. the jump boxes' public IPs) suppress a rule by id with a
 * reason: `suppressPolicy(this, POLICY_RULES.PUBLIC_IP, 'why')`.
 */
export const POLICY_RULES = {
  /** No NSG rule opens admin/infra ports (RDP, SSH, WinRM, DNS, LDAP, SMB) or any port to the Internet. */
  NSG_INTERNET_INGRESS: 'PGM-NET-1',
  /** Every subnet has a network security group. */
  SUBNET_NSG: 'PGM-NET-2',
  /** Public IP addresses only on jump boxes (or Bastion). */
  PUBLIC_IP: 'PGM-NET-3',
  /** No IP forwarding on network interfaces. */
  NIC_IP_FORWARDING: 'PGM-NET-4',
  /** Linux VMs and scale sets: SSH keys only, password authentication explicitly off. */
  VM_SSH_KEY_ONLY: 'PGM-VM-1',
  /** Encryption at host on VMs and scale sets. */
  VM_ENCRYPTION_AT_HOST: 'PGM-VM-2',
  /** Boot diagnostics on VMs and scale sets. */
  VM_BOOT_DIAGNOSTICS: 'PGM-VM-3',
  /** Managed disks only. */
  VM_MANAGED_DISKS: 'PGM-VM-4',
  /** Key Vault purge protection. */
  KV_PURGE_PROTECTION: 'PGM-KV-1',
  /** Key Vault RBAC authorization. */
  KV_RBAC: 'PGM-KV-2',
  /** Key Vault network ACL default Deny. */
  KV_NETWORK_DENY: 'PGM-KV-3',
  /** Key Vault soft-delete retention 7–90 days. */
  KV_SOFT_DELETE: 'PGM-KV-4',
  /** Key Vault secrets have a content type and an expiry date. */
  KV_SECRET_HYGIENE: 'PGM-KV-5',
  /** Storage: HTTPS only. */
  ST_HTTPS_ONLY: 'PGM-ST-1',
  /** Storage: TLS 1.2 or later. */
  ST_TLS: 'PGM-ST-2',
  /** Storage: no public nested items (anonymous blob access). */
  ST_PUBLIC_NESTED: 'PGM-ST-3',
  /** Storage: network rules default Deny. */
  ST_NETWORK_DENY: 'PGM-ST-4',
  /** Storage: blob soft delete. */
  ST_BLOB_SOFT_DELETE: 'PGM-ST-5',
  /** `lifecycle.prevent_destroy` on the core filer (storage account, container) and the Key Vault. */
  PREVENT_DESTROY: 'PGM-DATA-1',
  /** Variables and outputs named like a password, secret, key or code are sensitive. */
  SENSITIVE_VALUES: 'PGM-SEC-1',
  /** Tags on every taggable resource. */
  TAGS: 'PGM-TAG-1',
} as const;

export type PolicyRuleId = (typeof POLICY_RULES)[keyof typeof POLICY_RULES];
