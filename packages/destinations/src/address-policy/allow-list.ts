// The operator's exceptions to the address policy (`--allow-destination-hosts`): host names, addresses and CIDR blocks.
import { inBlock, parseCidr, parseIp } from './ip-address.js';
import type { CidrBlock } from './ip-address.js';

export interface AllowList {
  /** A host name listed as written (case-insensitive): whatever it resolves to is allowed. */
  permitsHost(host: string): boolean;
  /** An address inside a listed address or CIDR block. */
  permitsAddress(address: string): boolean;
  /** The entries as given, for start-up messages. */
  readonly entries: readonly string[];
}

export type ParseAllowListResult = { ok: true; allow: AllowList } | { ok: false; message: string };

/** A DNS name: labels of letters, digits and hyphens (underscores too, as some internal names have). */
const HOST_NAME = /^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*$/;
const EXAMPLE = 'e.g. 127.0.0.1,localhost,10.1.0.0/16,[::1]';

/** No exceptions: only public addresses. */
export const EMPTY_ALLOW_LIST: AllowList = { permitsHost: () => false, permitsAddress: () => false, entries: [] };

/** Pure: `127.0.0.1, localhost,10.0.0.0/8` (commas, optional spaces; an empty text allows nothing). */
export function parseAllowList(text: string): ParseAllowListResult {
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  const hosts = new Set<string>();
  const blocks: CidrBlock[] = [];
  for (const entry of entries) {
    const block = parseCidr(entry.replace(/^\[([^\]]*)\](\/\d+)?$/, '$1$2'));
    if (block !== undefined) {
      blocks.push(block);
      continue;
    }
    const name = normalizeHost(entry);
    if (!HOST_NAME.test(name)) return { ok: false, message: `"${entry}" is not a host name, an IP address or a CIDR block, ${EXAMPLE}` };
    hosts.add(name);
  }
  return {
    ok: true,
    allow: {
      entries,
      permitsHost: (host) => hosts.has(normalizeHost(host)),
      permitsAddress(address) {
        const bytes = parseIp(address);
        return bytes !== undefined && blocks.some((block) => inBlock(bytes, block));
      },
    },
  };
}

/** `Example.COM.` → `example.com`; `[::1]` → `::1`. */
export function normalizeHost(host: string): string {
  return host
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '')
    .toLowerCase();
}
