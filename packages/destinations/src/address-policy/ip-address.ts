// Reads IP addresses and CIDR blocks into bytes, so that ranges are compared exactly, IPv4 inside IPv6 included.
import { isIPv4, isIPv6 } from 'node:net';

/** 4 bytes for IPv4, 16 for IPv6. */
export type IpBytes = Uint8Array;

export interface CidrBlock {
  bytes: IpBytes;
  prefixBits: number;
}

/** The bytes of an IP address (IPv6 may be bracketed or carry a zone, `fe80::1%eth0`); undefined when it is not one. */
export function parseIp(text: string): IpBytes | undefined {
  const bare = text.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  if (isIPv4(bare)) return Uint8Array.from(bare.split('.').map(Number));
  if (!isIPv6(bare)) return undefined;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(bare)?.[1];
  const hex = dotted === undefined ? bare : bare.slice(0, -dotted.length) + v4AsGroups(dotted);
  const [head = '', tail] = hex.split('::');
  const groups = (part: string): number[] => (part === '' ? [] : part.split(':').map((group) => parseInt(group, 16)));
  const front = groups(head);
  const back = tail === undefined ? [] : groups(tail);
  const all = [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back];
  const bytes = new Uint8Array(16);
  all.forEach((group, i) => {
    bytes[i * 2] = group >> 8;
    bytes[i * 2 + 1] = group & 0xff;
  });
  return bytes;
}

/** `10.0.0.0/8`, `fc00::/7`, or a single address (a /32 or /128). */
export function parseCidr(text: string): CidrBlock | undefined {
  const [address = '', bits, extra] = text.split('/');
  if (extra !== undefined) return undefined;
  const bytes = parseIp(address);
  if (bytes === undefined) return undefined;
  const max = bytes.length * 8;
  if (bits === undefined) return { bytes, prefixBits: max };
  if (!/^\d{1,3}$/.test(bits) || Number(bits) > max) return undefined;
  return { bytes, prefixBits: Number(bits) };
}

export function inBlock(address: IpBytes, block: CidrBlock): boolean {
  if (address.length !== block.bytes.length) return false;
  for (let bit = 0; bit < block.prefixBits; bit += 8) {
    const take = Math.min(8, block.prefixBits - bit);
    const mask = (0xff << (8 - take)) & 0xff;
    const i = bit / 8;
    if (((address[i] ?? 0) & mask) !== ((block.bytes[i] ?? 0) & mask)) return false;
  }
  return true;
}

/**
 * The IPv4 address an IPv6 address carries, where the network delivers it to that IPv4 host:
 * IPv4-mapped (`::ffff:a.b.c.d`), IPv4-compatible (`::a.b.c.d`), NAT64 (`64:ff9b::/96`) and 6to4 (`2002::/16`).
 */
export function embeddedIpv4(address: IpBytes): IpBytes | undefined {
  if (address.length !== 16) return undefined;
  const zeros = (from: number, to: number): boolean => address.slice(from, to).every((byte) => byte === 0);
  const last = address.slice(12, 16);
  if (zeros(0, 10) && address[10] === 0xff && address[11] === 0xff) return last;
  if (zeros(0, 12) && !zeros(12, 14)) return last;
  if (address[0] === 0x00 && address[1] === 0x64 && address[2] === 0xff && address[3] === 0x9b && zeros(4, 12)) return last;
  if (address[0] === 0x20 && address[1] === 0x02) return address.slice(2, 6);
  return undefined;
}

function v4AsGroups(dotted: string): string {
  const [a = 0, b = 0, c = 0, d = 0] = dotted.split('.').map(Number);
  return `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
}
