// A destination that throws (a bug, a reply it cannot parse) fails retryably with a code; one that ignores an abort is left behind.
import type { DeliveryResult, Destination } from '@sluice/destinations';

export const DESTINATION_THREW = 'DESTINATION_THREW';
export const DESTINATION_ABORTED = 'DESTINATION_ABORTED';

/** Settles when `signal` aborts, never otherwise; its listener goes with the race. */
function aborted(signal: AbortSignal, cleanup: { done?: () => void }): Promise<DeliveryResult> {
  return new Promise((resolve) => {
    const result: DeliveryResult = { status: 'retryable', code: DESTINATION_ABORTED, message: 'the delivery was cut short' };
    if (signal.aborted) return resolve(result);
    const onAbort = (): void => resolve(result);
    signal.addEventListener('abort', onAbort, { once: true });
    cleanup.done = () => signal.removeEventListener('abort', onAbort);
  });
}

async function guarded(work: () => Promise<DeliveryResult>, signal: AbortSignal): Promise<DeliveryResult> {
  const cleanup: { done?: () => void } = {};
  try {
    // A stop or rebalance must not wait on a destination that does not honour its signal.
    return await Promise.race([work(), aborted(signal, cleanup)]);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { status: 'retryable', code: DESTINATION_THREW, message: `the destination failed unexpectedly: ${message}` };
  } finally {
    cleanup.done?.();
  }
}

/** Every method of the destination, each turned from throwing or hanging past its signal into a retryable result. */
export function throwSafe(destination: Destination): Destination {
  const safe: Destination = {
    kind: destination.kind,
    description: destination.description,
    deliver: (batch, signal) => guarded(() => destination.deliver(batch, signal), signal),
    close: () => destination.close(),
  };
  if (destination.validate) safe.validate = (body, signal) => guarded(() => destination.validate?.(body, signal) ?? Promise.reject(new Error('no validate')), signal);
  if (destination.writeChallenge) safe.writeChallenge = (key, content, signal) => guarded(() => destination.writeChallenge?.(key, content, signal) ?? Promise.reject(new Error('no writeChallenge')), signal);
  return safe;
}
