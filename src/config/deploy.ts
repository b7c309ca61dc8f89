/**
 * Where Terraform runs (the `deploy` section): the one location the vault firewall — and, with Avere, the
 * controller's SSH path — admits. Terraform writes the generated secrets into the Key Vault (data plane, behind a
 * default-Deny firewall) and the avere provider drives the cache over SSH to the controller's private address, so
 * the deploying machine must sit where both let it in.
 *
 * - `"from": "runner-subnet"` (default): a self-hosted runner in the `runner` subnet of the PhotoScan VNet
 *   (`runnerSubnetCidr`, default the last /27 of `addressPlan.photoscanVnet`). The network stack creates the subnet
 *   with the Microsoft.KeyVault service endpoint; the vault admits it; with Avere the cache subnet admits SSH from it.
 * - `"from": "egress-ips"`: Terraform runs elsewhere (a hosted runner with static egress IPs, a NAT gateway);
 *   `egressCidrs` go into the vault firewall. Not with Avere: its controller has no public address.
 */
import { z } from 'zod';
import { InputIssue, show } from '../errors';
import { keyVaultIpRangeIssues } from '../identity/key-vault';
import { formatIpv4, parseCidr, rangeContains, rangesOverlap } from '../net/cidr';

/** Prefix of the default runner subnet (room for a few runner VMs). */
export const RUNNER_SUBNET_DEFAULT_PREFIX = 27;
/** Smallest subnet Azure creates. */
const AZURE_MIN_SUBNET_PREFIX = 29;

export const deploySchema = z
  .strictObject({
    /** Where CI (and anyone else running Terraform) sits: "runner-subnet" (a self-hosted runner in the VNet) or "egress-ips". */
    from: z.enum(['runner-subnet', 'egress-ips'], { message: 'expected "runner-subnet" or "egress-ips"' }).default('runner-subnet'),
    /** The runner subnet in the PhotoScan VNet. Default: the last /27 of `addressPlan.photoscanVnet` (10.0.255.224/27). */
    runnerSubnetCidr: z
      .string()
      .regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, { message: 'expected an IPv4 CIDR such as "10.0.255.224/27"' })
      .optional(),
    /** Public egress IPs/CIDRs of the machines that run Terraform, with `from: "egress-ips"`. */
    egressCidrs: z
      .array(z.string().regex(/^\d{1,3}(\.\d{1,3}){3}(\/\d{1,2})?$/, { message: 'expected an IPv4 address or CIDR such as "203.0.113.7/32"' }))
      .default([]),
  })
  .prefault({});

export type DeployConfig = z.output<typeof deploySchema>;

/** Where Terraform runs, resolved against the address plan. */
export type DeployLocation = { readonly kind: 'runner-subnet'; readonly cidr: string } | { readonly kind: 'egress-ips'; readonly cidrs: readonly string[] };

/** The last /27 (or the VNet itself when smaller) of a VNet CIDR; undefined when the CIDR does not parse. */
export function defaultRunnerSubnetCidr(photoscanVnet: string): string | undefined {
  const vnet = parseCidr(photoscanVnet);
  if (!vnet) return undefined;
  const prefix = Math.max(vnet.prefix, RUNNER_SUBNET_DEFAULT_PREFIX);
  const size = 1n << BigInt(32 - prefix);
  return `${formatIpv4(vnet.last - size + 1n)}/${prefix}`;
}

/** The configuration's deploy location (the runner subnet's CIDR defaulted from the address plan). */
export function deployLocation(config: { deploy: DeployConfig; addressPlan: { photoscanVnet: string } }): DeployLocation {
  if (config.deploy.from === 'egress-ips') return { kind: 'egress-ips', cidrs: [...config.deploy.egressCidrs] };
  return { kind: 'runner-subnet', cidr: config.deploy.runnerSubnetCidr ?? defaultRunnerSubnetCidr(config.addressPlan.photoscanVnet) ?? '' };
}

interface DeployCheckInput {
  readonly deploy: DeployConfig;
  readonly addressPlan: { readonly photoscanVnet: string; readonly jumpboxSubnet: string; readonly computeSubnet: string; readonly adSubnet: string };
  readonly secrets: { readonly allowedIpRanges: readonly string[] };
  readonly storage: { readonly backend: string };
  readonly compute?: { readonly bastion?: { readonly enabled: boolean; readonly subnetCidr: string } };
}

/**
 * Checks of the deploy location: the runner subnet lies in the PhotoScan VNet and overlaps no other subnet; the
 * vault is writable from somewhere (a runner subnet, or at least one allowed IP); Avere only with a runner subnet.
 */
export function deployIssues(config: DeployCheckInput): InputIssue[] {
  const { deploy, addressPlan } = config;
  const issues: InputIssue[] = [];
  const location = deployLocation(config);
  if (location.kind === 'runner-subnet') {
    const field = 'deploy.runnerSubnetCidr';
    if (deploy.egressCidrs.length > 0) {
      issues.push({
        path: 'deploy.egressCidrs',
        message:
          'is only used with deploy.from "egress-ips"; with a runner subnet the vault admits the subnet, not IPs (extra IPs go in secrets.allowedIpRanges)',
      });
    }
    const runner = parseCidr(location.cidr);
    const vnet = parseCidr(addressPlan.photoscanVnet);
    if (!runner) issues.push({ path: field, message: `${show(location.cidr)} is not an IPv4 CIDR` });
    else if (!runner.aligned) issues.push({ path: field, message: `${show(location.cidr)} is not aligned; use ${show(runner.cidr)}` });
    else if (runner.prefix > AZURE_MIN_SUBNET_PREFIX) issues.push({ path: field, message: `${show(location.cidr)} is smaller than the /29 Azure requires` });
    else if (vnet && !rangeContains(vnet, runner)) {
      issues.push({
        path: field,
        message: `${show(location.cidr)} is outside addressPlan.photoscanVnet ${show(addressPlan.photoscanVnet)}; the runner subnet lives in the PhotoScan VNet (set deploy.runnerSubnetCidr to a free range of it)`,
      });
    } else {
      const others: [string, string | undefined][] = [
        ['addressPlan.jumpboxSubnet', addressPlan.jumpboxSubnet],
        ['addressPlan.computeSubnet', addressPlan.computeSubnet],
        ['addressPlan.adSubnet', addressPlan.adSubnet],
        ['compute.bastion.subnetCidr', config.compute?.bastion?.enabled ? config.compute.bastion.subnetCidr : undefined],
      ];
      for (const [name, cidr] of others) {
        const other = cidr === undefined ? undefined : parseCidr(cidr);
        if (other && rangesOverlap(runner, other))
          issues.push({ path: field, message: `${show(location.cidr)} overlaps ${name} ${show(cidr)}; pick a free range of the PhotoScan VNet` });
      }
    }
  } else {
    issues.push(...keyVaultIpRangeIssues('deploy.egressCidrs', deploy.egressCidrs));
    if (deploy.runnerSubnetCidr !== undefined)
      issues.push({ path: 'deploy.runnerSubnetCidr', message: 'is only used with deploy.from "runner-subnet" (it is "egress-ips")' });
    if (deploy.egressCidrs.length === 0 && config.secrets.allowedIpRanges.length === 0) {
      issues.push({
        path: 'deploy.egressCidrs',
        message:
          'is empty and so is secrets.allowedIpRanges: no place Terraform runs can write the Key Vault (firewall default Deny; SecretsVault props runnerSubnetIds and allowedIpRanges would both be empty). ' +
          'List the egress IPs of your runners, e.g. ["203.0.113.7/32"], or use deploy.from "runner-subnet"',
      });
    }
    if (config.storage.backend === 'avere') {
      issues.push({
        path: 'deploy.from',
        message:
          '"egress-ips" cannot deploy storage.backend "avere": the avere provider reaches the vFXT controller over SSH at its private address (AvereCache prop deployerSourceCidrs), so Terraform must run inside the VNets; use "runner-subnet"',
      });
    }
  }
  return issues;
}
