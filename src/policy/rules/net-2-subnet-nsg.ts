/** PGM-NET-2: every subnet has a network security group. */
import { POLICY_RULES } from '../rule-ids';
import { defineRule, fail, notApplicable, pass } from './types';

/** Subnets Azure refuses (or does not support) an NSG on. */
export const SUBNETS_WITHOUT_NSG = ['GatewaySubnet', 'AzureFirewallSubnet', 'AzureFirewallManagementSubnet', 'RouteServerSubnet'];

export const SUBNET_NSG_RULE = defineRule({
  id: POLICY_RULES.SUBNET_NSG,
  description: 'Every subnet has a network security group',
  severity: 'error',
  checkov: ['CKV2_AZURE_31'],
  trivy: [],
  appliesTo: ['azurerm_subnet'],
  body: (r, ctx) => {
    if (SUBNETS_WITHOUT_NSG.includes(String(r.config.name))) return notApplicable(`Azure does not support an NSG on ${String(r.config.name)}`);
    const associations = Object.values((ctx.stack.resource?.azurerm_subnet_network_security_group_association ?? {}) as Record<string, { subnet_id?: string }>);
    return associations.some((a) => String(a.subnet_id).includes(`azurerm_subnet.${r.name}.id`))
      ? pass()
      : fail(`subnet ${r.config.name ?? r.name} has no azurerm_subnet_network_security_group_association in its stack`);
  },
});
