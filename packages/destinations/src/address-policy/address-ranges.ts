// The address ranges a destination may not point at unless the operator allows them: inside the server's network, not the internet.
import { embeddedIpv4, inBlock, parseCidr, parseIp } from './ip-address.js';
import type { CidrBlock, IpBytes } from './ip-address.js';

export type AddressRange = 'metadata' | 'unspecified' | 'loopback' | 'private' | 'cgnat' | 'link-local' | 'unique-local' | 'multicast' | 'reserved';

/** Words for messages: `a private address (RFC 1918)`. */
export const RANGE_LABELS: Readonly<Record<AddressRange, string>> = {
  metadata: 'a cloud metadata address',
  unspecified: 'an unspecified address',
  loopback: 'a loopback address',
  private: 'a private address (RFC 1918)',
  cgnat: 'a carrier-grade NAT address (100.64.0.0/10)',
  'link-local': 'a link-local address',
  'unique-local': 'a unique-local address (fc00::/7)',
  multicast: 'a multicast address',
  reserved: 'a reserved address',
};

/** First match wins, so the metadata addresses come before the link-local and unique-local blocks that hold them. */
const RULES: ReadonlyArray<readonly [AddressRange, readonly string[]]> = [
  // AWS, GCP, Azure, OpenStack (169.254.169.254), ECS task credentials (169.254.170.2), Alibaba (100.100.100.200), AWS over IPv6.
  ['metadata', ['169.254.169.254/32', '169.254.170.2/32', '100.100.100.200/32', 'fd00:ec2::254/128', 'fd00:ec2::23/128']],
  ['unspecified', ['0.0.0.0/8', '::/128']],
  ['loopback', ['127.0.0.0/8', '::1/128']],
  ['private', ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16']],
  ['cgnat', ['100.64.0.0/10']],
  ['link-local', ['169.254.0.0/16', 'fe80::/10']],
  ['unique-local', ['fc00::/7']],
  ['multicast', ['224.0.0.0/4', 'ff00::/8']],
  // IETF protocol assignments, benchmarking, documentation, the old class E and broadcast; IPv6 documentation and discard.
  ['reserved', ['192.0.0.0/24', '192.0.2.0/24', '198.18.0.0/15', '198.51.100.0/24', '203.0.113.0/24', '240.0.0.0/4', '2001:db8::/32', '100::/64']],
];

const BLOCKS: ReadonlyArray<readonly [AddressRange, CidrBlock]> = RULES.flatMap(([range, cidrs]) =>
  cidrs.map((cidr) => {
    const block = parseCidr(cidr);
    if (block === undefined) throw new Error(`address-ranges: bad built-in block ${cidr}`);
    return [range, block] as const;
  }),
);

/** Host names that always mean a cloud metadata service, whatever they resolve to here. */
export const METADATA_HOST_NAMES: ReadonlySet<string> = new Set(['metadata.google.internal', 'metadata.goog', 'metadata', 'instance-data', 'instance-data.ec2.internal']);

/**
 * The special range an address lies in, or undefined for an ordinary (public) address. IPv6 forms
 * that deliver to an IPv4 host (`::ffff:127.0.0.1`, NAT64, 6to4) are judged by that IPv4 address.
 */
export function addressRange(address: string | IpBytes): AddressRange | undefined {
  const bytes = typeof address === 'string' ? parseIp(address) : address;
  if (bytes === undefined) return undefined;
  const own = BLOCKS.find(([, block]) => inBlock(bytes, block))?.[0];
  if (own !== undefined) return own;
  const inner = embeddedIpv4(bytes);
  return inner === undefined ? undefined : addressRange(inner);
}
