// Liveness and readiness of a pusher, as Kubernetes asks them: live unless wedged, ready once running and Kafka answers.
import type { Probes, ProbeResult } from '../status-server.js';
import type { ThreadInfo } from '../threads/threaded-pusher.js';

export interface PusherProbesOptions {
  /** True once the pusher's start() resolved (its jobs started, the job store's view caught up) and until it stops. */
  running: () => boolean;
  /** Resolves when Kafka answers, rejects (within its own limit) when it does not. */
  kafkaPing: () => Promise<void>;
  /** A threaded pusher's threads; a running one that has not reported for `wedgedAfterMs` is wedged. */
  threads?: () => ThreadInfo[];
  /** Default 30 s: a thread reports every 250 ms, and a long garbage collection is not a reason to restart. */
  wedgedAfterMs?: number;
  now?: () => number;
}

export function createPusherProbes(options: PusherProbesOptions): Probes {
  const now = options.now ?? Date.now;
  const wedgedAfterMs = options.wedgedAfterMs ?? 30_000;
  return {
    live(): Promise<ProbeResult> {
      // The answer itself shows the event loop turns; a restarting thread is being cured already.
      const silent = (options.threads?.() ?? []).filter((t) => t.state === 'running' && now() - t.lastReportAtMs > wedgedAfterMs);
      const wedged = silent.map((t) => ({ thread: t.index, silent_seconds: Math.round((now() - t.lastReportAtMs) / 1000) }));
      return Promise.resolve({ ok: wedged.length === 0, detail: wedged.length === 0 ? {} : { code: 'PUSHER_THREAD_WEDGED', wedged } });
    },
    async ready(): Promise<ProbeResult> {
      if (!options.running()) return { ok: false, detail: { code: 'PUSHER_NOT_RUNNING', message: 'the pusher is starting (jobs starting, the job store catching up) or stopping' } };
      try {
        await options.kafkaPing();
        return { ok: true, detail: {} };
      } catch (error) {
        return { ok: false, detail: { code: 'KAFKA_UNREACHABLE', message: (error as Error).message } };
      }
    },
  };
}
