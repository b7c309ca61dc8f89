/** Azure Bastion's subnet: `AzureBastionSubnet`, /26 or larger, inside the PhotoScan VNet, overlapping nothing. */
import { InputIssue, show } from '../errors';
import type { AddressPlan } from './address-plan';
import { parseCidr, rangeContains, rangesOverlap } from './cidr';

/** Azure requires /26 or larger for AzureBastionSubnet. */
export const BASTION_MAX_PREFIX = 26;

export function bastionSubnetIssues(field: string, cidr: string, plan: AddressPlan, options: { includeLustreSubnet?: boolean } = {}): InputIssue[] {
  const range = parseCidr(cidr);
  if (!range) return [{ path: field, message: `${show(cidr)} is not an IPv4 CIDR; expected e.g. "10.0.3.0/26"` }];
  if (!range.aligned) return [{ path: field, message: `${show(cidr)} is not a network address; use "${range.cidr}"` }];
  if (range.prefix > BASTION_MAX_PREFIX)
    return [{ path: field, message: `${show(cidr)} is too small: Azure Bastion needs a /${BASTION_MAX_PREFIX} or larger` }];
  const vnet = parseCidr(plan.photoscanVnet);
  if (vnet && !rangeContains(vnet, range)) return [{ path: field, message: `${show(cidr)} is not inside photoscanVnet ${show(plan.photoscanVnet)}` }];
  const others: Array<[string, string]> = [
    ['jumpboxSubnet', plan.jumpboxSubnet],
    ['computeSubnet', plan.computeSubnet],
    ['adSubnet', plan.adSubnet],
    ...(options.includeLustreSubnet && plan.lustreSubnet !== undefined ? ([['lustreSubnet', plan.lustreSubnet]] as Array<[string, string]>) : []),
  ];
  for (const [name, value] of others) {
    const other = parseCidr(value);
    if (other && rangesOverlap(other, range)) return [{ path: field, message: `${show(cidr)} overlaps ${name} ${show(value)}` }];
  }
  return [];
}
