/** PGM-NET-3: public IP addresses only where a construct suppresses the rule with its reason (jump boxes, Bastion). */
import { POLICY_RULES } from '../rule-ids';
import { first, list } from './helpers';
import { defineRule, fail, pass } from './types';

export const PUBLIC_IP_RULE = defineRule({
  id: POLICY_RULES.PUBLIC_IP,
  description: 'Public IP addresses (and NICs or scale sets that attach one) only on the jump boxes or Azure Bastion, each suppressed with its reason',
  severity: 'error',
  checkov: ['CKV_AZURE_119'],
  trivy: [],
  appliesTo: [
    'azurerm_public_ip',
    'azurerm_public_ip_prefix',
    'azurerm_network_interface',
    'azurerm_linux_virtual_machine_scale_set',
    'azurerm_windows_virtual_machine_scale_set',
  ],
  body: (r) => {
    const suppress = `only jump boxes and Bastion may have one (suppress ${POLICY_RULES.PUBLIC_IP} there with the reason)`;
    switch (r.type) {
      case 'azurerm_public_ip':
      case 'azurerm_public_ip_prefix':
        return fail(`public IP ${r.config.name ?? r.name}: ${suppress}`);
      case 'azurerm_network_interface':
        return list(r.config.ip_configuration).some((c) => c.public_ip_address_id !== undefined)
          ? fail(`NIC ${r.config.name ?? r.name} attaches a public IP: ${suppress}`)
          : pass();
      default: {
        const withPublic = list(r.config.network_interface).some((nic) => list(nic.ip_configuration).some((c) => first(c.public_ip_address) !== undefined));
        return withPublic ? fail(`scale set ${r.config.name ?? r.name} gives its instances public IPs: ${suppress}`) : pass();
      }
    }
  },
});
