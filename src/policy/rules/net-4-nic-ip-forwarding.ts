/** PGM-NET-4: no IP forwarding on network interfaces. */
import { POLICY_RULES } from '../rule-ids';
import { defineRule, fail, pass } from './types';

export const NIC_IP_FORWARDING_RULE = defineRule({
  id: POLICY_RULES.NIC_IP_FORWARDING,
  description: 'No IP forwarding on network interfaces',
  severity: 'error',
  checkov: ['CKV_AZURE_118'],
  trivy: [],
  appliesTo: ['azurerm_network_interface'],
  body: (r) => (r.config.ip_forwarding_enabled === true || r.config.enable_ip_forwarding === true ? fail('IP forwarding is enabled') : pass()),
});
