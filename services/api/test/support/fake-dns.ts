// The API's resolver in tests: names from a table, every other name a public address; no test resolves a real name.
import type { Resolve } from '@sluice/destinations';

/** A public address (example.com's) that nothing in the tests ever connects to. */
export const PUBLIC_ADDRESS = '93.184.216.34';

/** `asked` records every name looked up; names missing from the table resolve to PUBLIC_ADDRESS. */
export function fakeResolver(table: Record<string, readonly string[]> = {}, asked: string[] = []): Resolve {
  return (host) => {
    asked.push(host);
    return Promise.resolve(table[host] ?? [PUBLIC_ADDRESS]);
  };
}
