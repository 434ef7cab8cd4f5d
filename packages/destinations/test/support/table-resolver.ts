// A resolver from a table, injected into the address guard so that no test resolves a real name.
import type { Resolve } from '../../src/address-policy/address-guard.js';

/** A name missing from the table fails as getaddrinfo does (ENOTFOUND); `asked` records every name asked for. */
export function tableResolver(table: Record<string, readonly string[]>, asked: string[] = []): Resolve {
  return (host) => {
    asked.push(host);
    const addresses = table[host];
    if (addresses === undefined) return Promise.reject(Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' }));
    return Promise.resolve(addresses);
  };
}
