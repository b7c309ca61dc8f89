/** PGM-NET-1: no NSG rule opens admin/infra ports (or any port) to the Internet. */
import { POLICY_RULES } from '../rule-ids';
import { describePorts, isInternetSource, list } from './helpers';
import { defineRule, fail, notApplicable, pass, Verdict } from './types';
import type { TfAttributes } from '../../tf-json';

/** One NSG rule, standalone or inline: not applicable unless it allows inbound traffic. */
function nsgRuleVerdict(rule: TfAttributes): Verdict {
  if (String(rule.direction).toLowerCase() !== 'inbound' || String(rule.access).toLowerCase() !== 'allow') {
    return notApplicable(`rule ${rule.name ?? ''} is not an inbound Allow rule`);
  }
  const sources = [...list(rule.source_address_prefix), ...list(rule.source_address_prefixes)].map(String);
  const open = sources.filter(isInternetSource);
  if (open.length === 0) return pass();
  const ports = [...list(rule.destination_port_range), ...list(rule.destination_port_ranges)].map(String);
  return fail(`rule ${rule.name ?? ''} allows ${describePorts(ports.length ? ports : ['*'])} from ${open.join(', ')} (the Internet)`);
}

export const NSG_INTERNET_INGRESS_RULE = defineRule({
  id: POLICY_RULES.NSG_INTERNET_INGRESS,
  description: 'No NSG rule allows inbound traffic (RDP, SSH, WinRM, DNS, LDAP, SMB or any port) from the Internet',
  severity: 'error',
  checkov: ['CKV_AZURE_9', 'CKV_AZURE_10', 'CKV_AZURE_77', 'CKV_AZURE_160'],
  trivy: ['AVD-AZU-0047', 'AVD-AZU-0048', 'AVD-AZU-0050'],
  appliesTo: ['azurerm_network_security_rule', 'azurerm_network_security_group'],
  body: (r) => {
    if (r.type === 'azurerm_network_security_rule') return nsgRuleVerdict(r.config);
    const verdicts = list(r.config.security_rule).map(nsgRuleVerdict);
    const failed = verdicts.find((v) => v.result === 'fail');
    if (failed) return failed;
    if (verdicts.some((v) => v.result === 'pass')) return pass();
    return notApplicable(verdicts.length === 0 ? 'no inline security rules (standalone rules are checked on their own)' : 'no inline inbound Allow rule');
  },
});
