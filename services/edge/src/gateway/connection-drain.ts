// Closing the gateway's server without waiting on clients. Node's server.close() closes the connections idle at that
// moment and keeps serving the others: a connection busy then would stay alive after its answer, hold the gateway open
// until the grace period cuts it, and that cut resets the request its client sends next. So once closing, every answer
// not yet begun says `Connection: close` and ends its connection; those already streaming close theirs once done.
import type { Server, ServerResponse } from 'node:http';

export interface ConnectionDrain {
  /** Called first for every request. */
  track(res: ServerResponse): void;
  /** Stops accepting and resolves once every connection has ended; connections still open after `graceMs` are cut. */
  close(server: Server, graceMs: number): Promise<void>;
}

export function createConnectionDrain(): ConnectionDrain {
  const inFlight = new Set<ServerResponse>();
  /** Set by close(): from then on every answer ends its connection. */
  let closed: Server | undefined;
  const untrack = (res: ServerResponse): void => {
    inFlight.delete(res);
    // An answer streaming since before the close could not carry Connection: close; its connection is idle now.
    if (closed !== undefined && res.getHeader('connection') !== 'close') closed.closeIdleConnections();
  };
  return {
    track(res) {
      if (closed !== undefined) res.setHeader('connection', 'close');
      inFlight.add(res);
      res.once('close', () => untrack(res));
    },
    async close(server, graceMs) {
      closed = server;
      for (const res of inFlight) if (!res.headersSent) res.setHeader('connection', 'close');
      const ended = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), graceMs);
      await ended;
      clearTimeout(timer);
    },
  };
}
