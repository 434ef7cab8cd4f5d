// Resolves a destination host and says whether every address it names may be reached; the one place the address policy is applied.
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { METADATA_HOST_NAMES, RANGE_LABELS, addressRange } from './address-ranges.js';
import { EMPTY_ALLOW_LIST, normalizeHost } from './allow-list.js';
import type { AllowList } from './allow-list.js';

/** Every address of a host name, as the system resolver (getaddrinfo, /etc/hosts) gives them. */
export type Resolve = (host: string) => Promise<readonly string[]>;

export type AddressRefusalCode = 'ADDRESS_NOT_ALLOWED' | 'HOST_UNRESOLVED';

export type HostVerdict =
  /** `addresses`: what the host resolved to, all permitted; connect to these and nothing else. */
  | { ok: true; addresses: readonly string[] }
  /** `message` names the host and the kind of address, never the resolved address of a name. */
  | { ok: false; code: AddressRefusalCode; message: string };

export interface AddressGuard {
  /** Never rejects: a resolver failure is a `HOST_UNRESOLVED` verdict. */
  vetHost(host: string): Promise<HostVerdict>;
}

export interface AddressGuardOptions {
  /** The operator's exceptions; default none. */
  allow?: AllowList;
  /** Default: the system resolver, every address (`dns.lookup` with `all`). Tests inject their own. */
  resolve?: Resolve;
}

/** What the refusal suggests to an operator who does mean a private destination. */
export const ALLOW_HINT = 'unless the operator allows it (sluice api --allow-destination-hosts)';

export const systemResolve: Resolve = async (host) => (await lookup(host, { all: true, verbatim: true })).map((entry) => entry.address);

export function createAddressGuard(options: AddressGuardOptions = {}): AddressGuard {
  const allow = options.allow ?? EMPTY_ALLOW_LIST;
  const resolve = options.resolve ?? systemResolve;
  return {
    async vetHost(rawHost) {
      const host = normalizeHost(rawHost);
      if (host === '') return refuse('HOST_UNRESOLVED', 'the destination names no host');
      const named = allow.permitsHost(host);
      if (!named && METADATA_HOST_NAMES.has(host)) return refuse('ADDRESS_NOT_ALLOWED', `host "${host}" is a cloud metadata service, which destinations may not use ${ALLOW_HINT}`);
      const literal = isIP(host) !== 0;
      let addresses: readonly string[];
      try {
        addresses = literal ? [host] : await resolve(host);
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        return refuse('HOST_UNRESOLVED', `host "${host}" does not resolve${typeof code === 'string' ? ` (${code})` : ''}`);
      }
      if (addresses.length === 0) return refuse('HOST_UNRESOLVED', `host "${host}" does not resolve`);
      if (named) return { ok: true, addresses };
      for (const address of addresses) {
        const range = addressRange(address);
        if (range === undefined || allow.permitsAddress(address)) continue;
        const what = literal ? `${host} is ${RANGE_LABELS[range]}` : `host "${host}" resolves to ${RANGE_LABELS[range]}`;
        return refuse('ADDRESS_NOT_ALLOWED', `${what}, which destinations may not use ${ALLOW_HINT}`);
      }
      return { ok: true, addresses };
    },
  };
}

function refuse(code: AddressRefusalCode, message: string): HostVerdict {
  return { ok: false, code, message };
}
