// Closing the record publisher: what is still in memory goes to the spool within the grace period, then the spool and the link close.
import { settleWaiters, stopLinger, unackedOf } from './publisher-state.js';
import type { PublisherState } from './publisher-state.js';
import type { Spooling } from './spooling.js';

export async function shutDownPublisher(state: PublisherState, spooling: Spooling, graceMs: number): Promise<void> {
  const { logger, spool, settings, queue } = state;
  state.closed = true;
  stopLinger(state);
  state.pauses.wakeAll();
  const timers: NodeJS.Timeout[] = [];
  const after = (ms: number): Promise<'late'> => new Promise((resolve) => timers.push(setTimeout(() => resolve('late'), ms)));
  const graceOver = after(graceMs);
  try {
    // The queue exists only in memory: onto the disk first. A batch in flight that fails later goes ahead of it.
    if (state.mode === 'direct' && queue.length > 0) spooling.enter('closing', []);
    // Part of the grace for a send in flight (it gives up by itself after sendTimeoutMs): if Kafka
    // acknowledges it, a restart need not send it again.
    await Promise.race([Promise.all([state.inFlight?.settled, state.replayer]), after(Math.min(graceMs / 2, settings.sendTimeoutMs))]);
    const batch = state.inFlight;
    if (batch !== undefined && batch.owner === 'kafka') {
      batch.owner = 'spool';
      state.inFlight = undefined;
      if (state.mode === 'direct') spooling.enter('closing', unackedOf(batch));
      else await Promise.race([spooling.spoolAhead(unackedOf(batch)), graceOver]);
      batch.settle();
    } else if (batch !== undefined) {
      await Promise.race([batch.settled, graceOver]);
    }
    if ((await Promise.race([spool.close(), graceOver])) === 'late') {
      logger.error({ graceMs }, 'closing: the spool was not flushed within the grace period; records still in memory are lost if the process exits now');
    }
    await Promise.race([Promise.all([state.link.close(), state.quarantine.flush()]), graceOver]);
    state.drops.flush('records were dropped while the spool was full');
    const left = spool.stats();
    logger.info({ spoolRecords: left.records, spoolBytes: left.bytes, published: state.published, dropped: state.drops.total }, 'record publisher closed');
  } finally {
    for (const timer of timers) clearTimeout(timer);
    settleWaiters(state);
  }
}
