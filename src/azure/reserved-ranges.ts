/**
 * IPv4 ranges Azure refuses in a virtual network's address space or a subnet (Microsoft Learn, "Azure Virtual
 * Network FAQ": "What address ranges can I use in my virtual networks?").
 */
export interface ReservedRange {
  readonly cidr: string;
  readonly purpose: string;
}

/** The platform-reserved ranges, as data. */
export const AZURE_VNET_RESERVED_RANGES: readonly ReservedRange[] = [
  { cidr: '224.0.0.0/4', purpose: 'multicast' },
  { cidr: '255.255.255.255/32', purpose: 'broadcast' },
  { cidr: '127.0.0.0/8', purpose: 'loopback' },
  { cidr: '169.254.0.0/16', purpose: 'link-local' },
  { cidr: '168.63.129.16/32', purpose: 'Azure internal DNS and host services' },
];

/** Ranges that are not on the public Internet (for "how much of the Internet does this cover"): RFC 1918, RFC 6598 shared space, loopback, link-local, multicast and reserved (240/4), 0/8. */
export const NON_INTERNET_RANGES: readonly string[] = [
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '224.0.0.0/4',
  '240.0.0.0/4',
];
