/**
 * The inbound security rules of each subnet, as plain data. HpcNetwork renders
 * them as `azurerm_network_security_rule` resources; tests assert them directly.
 *
 * Model: admins reach the jump box subnet (RDP/SSH) from `adminSourceCidrs`
 * only; every other subnet takes management traffic from the jump box subnet
 * only; nothing takes inbound traffic from the Internet.
 */
import { InputIssue, show } from '../errors';

/** The subnets HpcNetwork creates ("cache" with the Avere backend, "fileserver" with GlusterFS and BeeGFS). */
export type SubnetRole = 'jumpbox' | 'compute' | 'ad' | 'cache' | 'fileserver';
export const SUBNET_ROLES: readonly SubnetRole[] = ['jumpbox', 'compute', 'ad', 'cache', 'fileserver'];

/** One inbound NSG rule. */
export interface InboundRule {
  /** Rule name, unique within its NSG (lowercase, digits, hyphens). */
  readonly name: string;
  /** 100 (first) to 4096 (last); unique within its NSG. */
  readonly priority: number;
  readonly access: 'Allow' | 'Deny';
  readonly protocol: 'Tcp' | 'Udp' | 'Icmp' | '*';
  /** Destination ports or ranges, e.g. ["3389"], ["5840-5841"], ["*"]. */
  readonly ports: readonly string[];
  /** Source CIDRs or service tags (e.g. "VirtualNetwork"). */
  readonly sources: readonly string[];
  /** Destination prefix. @default the subnet's own CIDR */
  readonly destination?: string;
  /** Shown in the portal. @default none */
  readonly description?: string;
}

export const RDP_PORT = '3389';
export const SSH_PORT = '22';
/** Ports that give a shell or desktop: SSH, RDP and WinRM (HTTP/HTTPS). */
export const MANAGEMENT_PORTS: readonly string[] = [SSH_PORT, RDP_PORT, '5985', '5986'];

/** Priority band reserved for this library's baseline rules; callers of `allowInbound` use 200–3999. */
export const CUSTOM_PRIORITY_RANGE = { min: 200, max: 3999 } as const;

/** Inputs of the rule plan. */
export interface SecurityRulePlanInput {
  /** Normalized admin CIDRs (may be empty: then no admin rule exists). */
  readonly adminSourceCidrs: readonly string[];
  /** The jump box subnet's CIDR, the only management source for the other subnets. */
  readonly jumpboxSubnet: string;
}

/** The baseline inbound rules of one subnet. */
export function baselineInboundRules(role: SubnetRole, input: SecurityRulePlanInput): InboundRule[] {
  const denyInternet: InboundRule = {
    name: 'deny-internet-inbound',
    priority: 4096,
    access: 'Deny',
    protocol: '*',
    ports: ['*'],
    sources: ['Internet'],
    description: 'No inbound traffic from the Internet.',
  };
  const denyOtherManagement: InboundRule = {
    name: 'deny-management-from-others',
    priority: 4000,
    access: 'Deny',
    protocol: 'Tcp',
    ports: MANAGEMENT_PORTS,
    sources: ['*'],
    description: 'SSH, RDP and WinRM from any other source are refused.',
  };
  if (role === 'jumpbox') {
    const admin: InboundRule[] =
      input.adminSourceCidrs.length === 0
        ? []
        : [
            {
              name: 'allow-rdp-from-admins',
              priority: 100,
              access: 'Allow',
              protocol: 'Tcp',
              ports: [RDP_PORT],
              sources: input.adminSourceCidrs,
              description: 'RDP to the jump boxes from the admin networks only.',
            },
            {
              name: 'allow-ssh-from-admins',
              priority: 110,
              access: 'Allow',
              protocol: 'Tcp',
              ports: [SSH_PORT],
              sources: input.adminSourceCidrs,
              description: 'SSH to the jump boxes from the admin networks only.',
            },
          ];
    return [...admin, denyOtherManagement, denyInternet];
  }
  // The file servers' subnet admits only what its backend opens (allowInbound rules): Azure's AllowVnetInBound would
  // otherwise admit every port from both VNets.
  const denyOtherVnet: InboundRule[] =
    role === 'fileserver'
      ? [
          {
            name: 'deny-other-vnet-inbound',
            priority: 4050,
            access: 'Deny',
            protocol: '*',
            ports: ['*'],
            sources: ['VirtualNetwork'],
            description: 'Only the file system and SMB ports the backend opens; nothing else from the VNets.',
          },
        ]
      : [];
  return [
    {
      name: 'allow-management-from-jumpbox',
      priority: 100,
      access: 'Allow',
      protocol: 'Tcp',
      ports: MANAGEMENT_PORTS,
      sources: [input.jumpboxSubnet],
      description: 'SSH, RDP and WinRM from the jump box subnet only.',
    },
    denyOtherManagement,
    ...denyOtherVnet,
    denyInternet,
  ];
}

/** Issues of a rule that a caller adds next to `existing` rules of the same NSG. */
export function validateCustomRule(rule: InboundRule, existing: readonly InboundRule[], path = 'rule'): InputIssue[] {
  const issues: InputIssue[] = [];
  if (!/^[a-z0-9][a-z0-9-]{0,78}$/.test(rule.name)) {
    issues.push({ path: `${path}.name`, message: `${show(rule.name)} must be 1–79 lowercase letters, digits or hyphens` });
  } else if (existing.some((r) => r.name === rule.name)) {
    issues.push({ path: `${path}.name`, message: `${show(rule.name)} is already used in this NSG` });
  }
  if (!Number.isInteger(rule.priority) || rule.priority < CUSTOM_PRIORITY_RANGE.min || rule.priority > CUSTOM_PRIORITY_RANGE.max) {
    issues.push({
      path: `${path}.priority`,
      message: `${show(rule.priority)} is not allowed; custom rules use ${CUSTOM_PRIORITY_RANGE.min}–${CUSTOM_PRIORITY_RANGE.max} (100–199 and 4000–4096 hold the baseline)`,
    });
  } else if (existing.some((r) => r.priority === rule.priority)) {
    issues.push({ path: `${path}.priority`, message: `${rule.priority} is already used in this NSG` });
  }
  const world = rule.sources.find((s) => ['*', 'any', 'internet', '0.0.0.0/0'].includes(s.toLowerCase()) || s.endsWith('/0'));
  if (rule.access === 'Allow' && world !== undefined) {
    issues.push({ path: `${path}.sources`, message: `${show(world)} would allow inbound traffic from the Internet; name the source networks` });
  }
  if (rule.ports.length === 0 || rule.sources.length === 0) {
    issues.push({ path, message: 'needs at least one port and one source' });
  }
  return issues;
}

/**
 * The last inbound rule of every NSG a backend or the runner subnet creates inline: nothing from the Internet (Azure's
 * own default rules would already deny it; this one makes the intent visible and is what the policy pack checks).
 * In the shape of an inline `security_rule` of `azurerm_network_security_group`.
 */
export function denyInternetInbound(name = 'deny-internet') {
  return {
    name,
    priority: 4096,
    direction: 'Inbound',
    access: 'Deny',
    protocol: '*',
    sourcePortRange: '*',
    destinationPortRange: '*',
    sourceAddressPrefix: 'Internet',
    destinationAddressPrefix: '*',
  };
}
