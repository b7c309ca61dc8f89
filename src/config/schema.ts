/**
 * The one typed environment configuration. Every field has a default equal to
 * the seed's reference deployment (design-notes §2), so `{}` is a valid file.
 * Shape checks live here (zod); cross-field checks (address plan, admin CIDRs)
 * are the pure validators in `src/net` and run in `./load`.
 */
import { z } from 'zod';
import { findRegion, locationIssues } from '../azure/regions';
import { DEFAULT_ADDRESS_PLAN } from '../net/address-plan';
import { NAME_PREFIX_PATTERN } from '../naming';
import { DEFAULT_TAGS } from '../tags';
import { WARNING_IDS } from '../warnings';
import { computeSchema } from './compute';
import { deploySchema } from './deploy';
import { domainSchema, secretsSchema } from './domain';
import { storageSchema } from './storage';

const ipv4 = z.string().regex(/^\d{1,3}(\.\d{1,3}){3}$/, { message: 'expected an IPv4 address such as "10.0.2.4"' });
const cidrText = z.string().regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, { message: 'expected an IPv4 CIDR such as "10.0.0.0/24"' });
const guid = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, { message: 'expected a GUID such as "00000000-0000-0000-0000-000000000000"' });

/** Address plan: CIDRs of both VNets and their subnets, and every static address. */
export const addressPlanSchema = z
  .strictObject({
    photoscanVnet: cidrText.default(DEFAULT_ADDRESS_PLAN.photoscanVnet),
    jumpboxSubnet: cidrText.default(DEFAULT_ADDRESS_PLAN.jumpboxSubnet),
    computeSubnet: cidrText.default(DEFAULT_ADDRESS_PLAN.computeSubnet),
    adSubnet: cidrText.default(DEFAULT_ADDRESS_PLAN.adSubnet),
    storageVnet: cidrText.default(DEFAULT_ADDRESS_PLAN.storageVnet),
    cacheSubnet: cidrText.default(DEFAULT_ADDRESS_PLAN.cacheSubnet),
    lustreSubnet: cidrText.default(DEFAULT_ADDRESS_PLAN.lustreSubnet),
    netappSubnet: cidrText.default(DEFAULT_ADDRESS_PLAN.netappSubnet),
    fileServerSubnet: cidrText.default(DEFAULT_ADDRESS_PLAN.fileServerSubnet),
    domainControllerIps: z.array(ipv4).default([...DEFAULT_ADDRESS_PLAN.domainControllerIps]),
    schedulerIp: ipv4.default(DEFAULT_ADDRESS_PLAN.schedulerIp),
    windowsJumpboxIp: ipv4.default(DEFAULT_ADDRESS_PLAN.windowsJumpboxIp),
    linuxJumpboxIp: ipv4.default(DEFAULT_ADDRESS_PLAN.linuxJumpboxIp),
    cacheVserverFirstIp: ipv4.default(DEFAULT_ADDRESS_PLAN.cacheVserverFirstIp),
    cacheVserverCount: z.number().int().default(DEFAULT_ADDRESS_PLAN.cacheVserverCount),
  })
  .prefault({});

/** Where Terraform keeps each stack's state (one state per stack). */
export const backendSchema = z
  .discriminatedUnion('type', [
    z.strictObject({
      /** Local state files `terraform.<stack>.tfstate` in `stateDirectory` (relative to the project root). */
      type: z.literal('local'),
      stateDirectory: z.string().min(1).default('.'),
    }),
    z.strictObject({
      /** Azure Blob state: one key per stack, `<keyPrefix>/<stack>.tfstate`. Use this in CI. */
      type: z.literal('azurerm'),
      resourceGroupName: z.string().regex(/^[-\w.()]{1,90}$/, { message: 'expected a resource group name (1–90 letters, digits, - _ . ( ))' }),
      storageAccountName: z.string().regex(/^[a-z0-9]{3,24}$/, { message: 'expected 3–24 lowercase letters or digits' }),
      containerName: z.string().regex(/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/, { message: 'expected 3–63 lowercase letters, digits or single hyphens' }),
      keyPrefix: z
        .string()
        .regex(/^[\w./-]{1,200}$/, { message: 'expected letters, digits, - _ . /' })
        .default('photogrammetry'),
      subscriptionId: guid.optional(),
      /** Authenticate with OpenID Connect (GitHub Actions federated credentials). */
      useOidc: z.boolean().default(false),
      /** Use Entra ID (not account keys) to reach the state container. */
      useAzureadAuth: z.boolean().default(true),
    }),
  ])
  .prefault({ type: 'local' });

/** Network settings beyond the address plan. */
export const networkSchema = z
  .strictObject({
    /**
     * Admin networks allowed to reach the jump box subnet by RDP and SSH.
     * Empty (the default) means no admin rule exists at all.
     */
    adminSourceCidrs: z.array(z.string()).default([]),
    /** DNS servers of both VNets. Empty means Azure DNS until the domain controllers take over. */
    dnsServers: z.array(ipv4).default([]),
  })
  .prefault({});

/** The ids of the library's own warnings. */
type WarningIdOfLibrary = (typeof WARNING_IDS)[keyof typeof WARNING_IDS];

/** The whole environment configuration file. */
export const environmentConfigSchema = z.strictObject({
  /** Short prefix of every resource name (2–10 lowercase letters/digits). */
  namePrefix: z.string().regex(NAME_PREFIX_PATTERN, { message: 'expected 2–10 lowercase letters or digits starting with a letter, e.g. "pgm"' }).default('pgm'),
  /**
   * Azure region: the CLI name (`westeurope`) or the display name (`West Europe`), normalized to the CLI name;
   * unknown regions are refused with the closest names (`az account list-locations -o table`).
   */
  location: z
    .string()
    .default('eastus')
    .transform((location, ctx) => {
      const issue = locationIssues('location', location)[0];
      if (issue) ctx.addIssue({ code: 'custom', message: issue.message });
      return findRegion(location)?.name ?? location;
    }),
  /** Subscription to deploy into; when unset the azurerm provider reads ARM_SUBSCRIPTION_ID. */
  subscriptionId: guid.optional(),
  /**
   * OpenSSH public key of the Linux machines' admin account (cache controller, processing nodes, Linux jump box).
   * When unset, the stacks that need it declare the Terraform variable `admin_ssh_public_key` (set
   * `TF_VAR_admin_ssh_public_key` in CI), so synth never needs it.
   */
  adminSshPublicKey: z.string().optional(),
  /** Tags merged over the defaults and put on every taggable resource. */
  tags: z
    .record(z.string(), z.string())
    .default({})
    .transform((tags) => ({ ...DEFAULT_TAGS, ...tags })),
  backend: backendSchema,
  network: networkSchema,
  addressPlan: addressPlanSchema,
  /** Active Directory domain (src/config/domain.ts). */
  domain: domainSchema,
  /** Key Vault and secrets (src/config/domain.ts). */
  secrets: secretsSchema,
  /** Shared file system (src/config/storage.ts). */
  storage: storageSchema,
  /** Scheduler, processing nodes, jump boxes (src/config/compute.ts). */
  compute: computeSchema,
  /** Where Terraform runs: the location the vault firewall (and Avere's SSH path) admits (src/config/deploy.ts). */
  deploy: deploySchema,
  /**
   * Synth warnings this environment accepts, each with its reason: they are no longer printed (the acknowledgement is
   * kept in the stacks' metadata). Ids are the library's warning ids (README "Warnings"), e.g.
   * `[{ "id": "pgm:secrets-vault:unlicensed", "reason": "evaluation environment, no licence" }]`.
   */
  acknowledgedWarnings: z
    .array(
      z.strictObject({
        id: z.enum(Object.values(WARNING_IDS) as [WarningIdOfLibrary, ...WarningIdOfLibrary[]]),
        reason: z.string().trim().min(1, { message: 'give the reason this warning does not apply (it is kept in the stack metadata)' }),
      }),
    )
    .default([])
    .superRefine((acks, ctx) => {
      acks.forEach((a, i) => {
        if (acks.findIndex((b) => b.id === a.id) !== i) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `${JSON.stringify(a.id)} is listed twice` });
      });
    }),
});

/** A fully defaulted, validated configuration. */
export type EnvironmentConfig = z.output<typeof environmentConfigSchema>;
/** What a user may write in the JSON file: every field optional. */
export type EnvironmentConfigInput = z.input<typeof environmentConfigSchema>;
export type BackendConfig = EnvironmentConfig['backend'];
