/** PGM-SEC-1: variables and outputs named like a secret are sensitive. */
import { POLICY_RULES } from '../rule-ids';
import { fail, notApplicable, pass, PolicyValueRule } from './types';

/** Variable and output names that hold secrets. */
export const SECRET_NAME = /password|secret|token|activation|(?<!public_)key$|_code$|^code$/i;

/** The SENSITIVE_VALUES rule, over the stack's variables and outputs (not resources). */
export const SENSITIVE_VALUES_RULE: PolicyValueRule = {
  id: POLICY_RULES.SENSITIVE_VALUES,
  description: 'Variables and outputs named like a password, secret, key, token or code are sensitive',
  severity: 'error',
  checkov: [],
  trivy: [],
  check(kind, name, block) {
    if (!SECRET_NAME.test(name)) return notApplicable(`${kind} ${name} is not named like a secret`);
    return block.sensitive === true ? pass() : fail(`${kind} ${name} looks like a secret but is not sensitive`);
  },
};
