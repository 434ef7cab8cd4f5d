// Connects only to addresses the guard vetted at that moment, so a name that re-resolves elsewhere (DNS rebinding) gets nowhere.
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { RequestOptions } from 'node:https';
import { isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import type { buildConnector } from 'undici';
import type { AddressGuard, AddressRefusalCode } from './address-guard.js';

/** The connection error: its code reaches the destination's failure (`ADDRESS_NOT_ALLOWED`), its message names the host. */
export class AddressRefusedError extends Error {
  constructor(
    readonly code: AddressRefusalCode,
    message: string,
  ) {
    super(message);
    this.name = 'AddressRefusedError';
  }
}

/**
 * Wraps undici's connector: resolves and vets the host, then connects to the first vetted address,
 * keeping the name for TLS (SNI and certificate checks) and the Host header.
 */
export function guardConnector(guard: AddressGuard, connect: buildConnector.connector): buildConnector.connector {
  return (options, callback) => {
    void vetted(guard, options.hostname).then(
      ({ address, servername }) => connect({ ...options, hostname: address, ...(options.servername === undefined && servername !== undefined ? { servername } : {}) }, callback),
      (error: Error) => callback(error, null),
    );
  };
}

/** http and https Agents (for the AWS SDK's request handler) whose every connection goes through the guard. */
export function guardedAgents(guard: AddressGuard): { httpAgent: HttpAgent; httpsAgent: HttpsAgent } {
  return {
    httpAgent: new (guardedAgentClass(HttpAgent, guard))({ keepAlive: true }),
    httpsAgent: new (guardedAgentClass(HttpsAgent, guard))({ keepAlive: true }),
  };
}

function guardedAgentClass<A extends typeof HttpAgent | typeof HttpsAgent>(Base: A, guard: AddressGuard): A {
  // A subclass that answers through the callback once the guard has vetted the host (Node's Agent supports that form).
  const Guarded = class extends (Base as typeof HttpsAgent) {
    override createConnection(options: RequestOptions, callback?: (error: Error | null, socket: Duplex) => void): Duplex | null | undefined {
      const host = options.hostname ?? options.host ?? '';
      void vetted(guard, host).then(
        ({ address, servername }) => {
          const keepName = options.servername !== undefined && options.servername !== '' ? {} : servername !== undefined ? { servername } : {};
          // Without a callback: net.createConnection would take one as its 'connect' listener.
          const socket = super.createConnection({ ...options, host: address, hostname: address, ...keepName });
          if (socket) callback?.(null, socket);
        },
        (error: Error) => callback?.(error, undefined as unknown as Duplex),
      );
      return undefined;
    }
  };
  return Guarded as unknown as A;
}

async function vetted(guard: AddressGuard, host: string): Promise<{ address: string; servername: string | undefined }> {
  const verdict = await guard.vetHost(host);
  if (!verdict.ok) throw new AddressRefusedError(verdict.code, verdict.message);
  const address = verdict.addresses[0] ?? '';
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  return { address, servername: isIP(bare) === 0 ? bare : undefined };
}
