// What to do with a running job when what is wanted of it changes: the supervisor's decisions, kept pure.
import { isDeepStrictEqual } from 'node:util';
import type { PushJob } from '@sluice/pipeline';
import type { DesiredJob } from './job-source.js';
import type { StopMode } from './job-runner.js';

export type Transition =
  | { kind: 'none' }
  | { kind: 'start' }
  /** Disabled, deleted, or no longer valid: open batches are delivered within the deadline, then it stops. */
  | { kind: 'stop' }
  /** Stop (delivering or abandoning open batches), then start again with the same consumer group. */
  | { kind: 'restart'; mode: StopMode; change: 'configuration' | 'destination' };

/** Where the job's records come from and go to: change one and the open batches belong to neither side. */
function samePlace(a: PushJob, b: PushJob): boolean {
  return a.destinationConf === b.destinationConf && a.dataset === b.dataset && isDeepStrictEqual(a.scope, b.scope);
}

export function sameJob(a: DesiredJob, b: DesiredJob): boolean {
  return isDeepStrictEqual(a.job, b.job) && isDeepStrictEqual(a.customFields, b.customFields);
}

/**
 * - A new destination (or dataset or scope) starts a clean batch: open batches are abandoned
 *   uncommitted, so the records not yet taken by the old destination go to the new one.
 * - Any other change (filter, fields, output, sampling, limits, custom fields, name) applies from the
 *   next batch: open batches are delivered as they were built, then the job restarts.
 */
export function decideTransition(running: DesiredJob | undefined, wanted: DesiredJob | undefined): Transition {
  if (!running) return wanted ? { kind: 'start' } : { kind: 'none' };
  if (!wanted) return { kind: 'stop' };
  if (!samePlace(running.job, wanted.job)) return { kind: 'restart', mode: 'abandon', change: 'destination' };
  if (!sameJob(running, wanted)) return { kind: 'restart', mode: 'deliver', change: 'configuration' };
  return { kind: 'none' };
}
