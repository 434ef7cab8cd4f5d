// Finds adjacent free loopback ports for a scratch broker, below the range the OS hands out to outgoing connections.
import { createServer } from 'node:net';
import { InfraError } from './infra-error.js';

/**
 * Linux hands out 32768–60999 to outgoing connections and macOS 49152–65535. A scratch broker's
 * ports lie below both, so while it is stopped no client socket of this machine can take them.
 */
export const SCRATCH_PORT_RANGE = { first: 20_000, last: 32_000 } as const;

/** Whether a server could listen on host:port right now (it listens and closes again at once). */
export async function canListen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** A port `p` such that `p` and `p + 1` are both free, drawn at random from SCRATCH_PORT_RANGE. */
export async function findFreePortPair(host: string, random: () => number = Math.random, attempts = 50): Promise<number> {
  return findFreePorts(host, 2, random, attempts);
}

/** A port `p` such that `p` … `p + count - 1` are all free, drawn at random from SCRATCH_PORT_RANGE. */
export async function findFreePorts(host: string, count: number, random: () => number = Math.random, attempts = 50): Promise<number> {
  const { first, last } = SCRATCH_PORT_RANGE;
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    const port = first + Math.floor(random() * (last - first));
    if (await allFree(host, port, count)) return port;
  }
  throw new InfraError('INFRA_NO_FREE_PORT', `found no ${count} adjacent free ports on ${host} between ${first} and ${last} in ${attempts} tries; pass \`port\` explicitly`);
}

async function allFree(host: string, port: number, count: number): Promise<boolean> {
  for (let offset = 0; offset < count; offset += 1) {
    if (!(await canListen(host, port + offset))) return false;
  }
  return true;
}
