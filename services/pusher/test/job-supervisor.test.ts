import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { createMemoryJobStore } from '@sluice/job-store';
import type { JobStore, StoredJob } from '@sluice/job-store';
import { createLogger } from '@sluice/logging';
import { parseJob } from '@sluice/pipeline';
import { createJobSupervisor } from '../src/job-supervisor.js';
import type { JobSupervisor, RunnerFactory } from '../src/job-supervisor.js';
import { fixedJobSource, storeJobSource } from '../src/job-source.js';
import type { DesiredJob, JobSource } from '../src/job-source.js';
import type { JobRunner, StopMode } from '../src/job-runner.js';
import { createJobStatus } from '../src/job-status.js';
import type { JobStatus, JobStatusTracker } from '../src/job-status.js';

const logger = createLogger({ name: 'test', level: 'silent' });
const ZONE_A = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const ZONE_B = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';

function stored(id: number, overrides: Partial<StoredJob> = {}): StoredJob {
  return {
    id,
    name: `job-${id}`,
    dataset: 'http_requests',
    zone_id: ZONE_A,
    enabled: true,
    destination_conf: `s3://logs/${id}?region=us-east-1`,
    output_options: { field_names: ['ClientIP', 'RayID', 'RequestHeaders'] },
    max_upload_interval_seconds: 1,
    ...overrides,
  };
}

interface FakeRunner extends JobRunner {
  readonly wanted: DesiredJob;
  readonly carried: JobStatus | undefined;
  readonly tracker: JobStatusTracker;
  started: boolean;
  stoppedWith: StopMode | undefined;
  /** The job disables itself, as a runner does after its destination failed for too long. */
  disableItself(): void;
}

/** Fake runners: they record what was asked of them; `holdStops` makes stop() wait until released. */
function fakeRunners(options: { failStarts?: number } = {}) {
  const made: FakeRunner[] = [];
  let failStarts = options.failStarts ?? 0;
  let release: (() => void) | undefined;
  let held: Promise<void> | undefined;
  const factory: RunnerFactory = (wanted, carried) => {
    const tracker = createJobStatus(wanted.job.id, wanted.job.name, wanted.job.destinationConf, carried);
    let markDisabled: () => void = () => undefined;
    const disabled = new Promise<void>((resolve) => (markDisabled = resolve));
    const runner: FakeRunner = {
      job: wanted.job,
      wanted,
      carried,
      tracker,
      started: false,
      stoppedWith: undefined,
      disabled,
      status: () => tracker.status,
      lastActivityMs: () => 0,
      start() {
        if (failStarts > 0) {
          failStarts--;
          return Promise.reject(new Error('broker unreachable'));
        }
        runner.started = true;
        return Promise.resolve();
      },
      async stop(_deadlineMs, mode = 'deliver') {
        runner.stoppedWith ??= mode;
        await held;
      },
      disableItself() {
        tracker.disabled('destination failing for 86400 s without a successful delivery');
        runner.stoppedWith = 'deliver';
        markDisabled();
      },
    };
    made.push(runner);
    return runner;
  };
  return {
    factory,
    made,
    live: () => made.filter((r) => r.started && r.stoppedWith === undefined),
    holdStops() {
      held = new Promise<void>((resolve) => (release = resolve));
    },
    releaseStops() {
      release?.();
      held = undefined;
    },
  };
}

/** Every supervisor a test made is stopped after it, passed or failed, so that no timer outlives it. */
const made: JobSupervisor[] = [];
afterEach(() => Promise.all(made.splice(0).map((s) => s.stop())));

function supervise(source: JobSource, factory: RunnerFactory, options: { reconcileMs?: number; startRetryMs?: number } = {}): JobSupervisor {
  const supervisor = createJobSupervisor({ source, createRunner: factory, logger, reconcileMs: options.reconcileMs ?? 60_000, startRetryMs: options.startRetryMs ?? 0 });
  made.push(supervisor);
  return supervisor;
}

const fromStore = (store: JobStore): JobSource => storeJobSource(store, { minUploadIntervalSeconds: 1, checkDestination: (conf) => (conf.startsWith('bad://') ? 'bad:// is not a destination kind here' : undefined) });

async function until(what: string, done: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.ok(done(), what);
}

void test('every enabled job in the store gets a runner at start, and a disabled one none', async () => {
  const store = createMemoryJobStore();
  await store.putJob(stored(1));
  await store.putJob(stored(2, { enabled: false }));
  await store.putJob(stored(3));
  const runners = fakeRunners();
  const supervisor = supervise(fromStore(store), runners.factory);
  await supervisor.start();
  assert.deepEqual(runners.live().map((r) => r.job.id), [1, 3]);
  assert.deepEqual(supervisor.statuses().map((s) => s.id), [1, 3]);
});

void test('a job created in the store starts, and enabling a disabled one starts it', async () => {
  const store = createMemoryJobStore();
  await store.putJob(stored(2, { enabled: false }));
  const runners = fakeRunners();
  const supervisor = supervise(fromStore(store), runners.factory);
  await supervisor.start();
  await store.putJob(stored(1));
  await supervisor.settled();
  assert.deepEqual(runners.live().map((r) => r.job.id), [1]);
  await store.putJob(stored(2));
  await supervisor.settled();
  assert.deepEqual(runners.live().map((r) => r.job.id).sort(), [1, 2]);
});

void test('disabling or deleting a job stops its runner delivering open batches, and its status goes', async () => {
  const store = createMemoryJobStore();
  await store.putJob(stored(1));
  await store.putJob(stored(2));
  const runners = fakeRunners();
  const supervisor = supervise(fromStore(store), runners.factory);
  await supervisor.start();
  await store.putJob(stored(1, { enabled: false }));
  await store.deleteJob(2);
  await supervisor.settled();
  assert.deepEqual(runners.made.map((r) => [r.job.id, r.stoppedWith]), [[1, 'deliver'], [2, 'deliver']]);
  assert.deepEqual(supervisor.statuses(), []);
});

void test('a new filter restarts the job after delivering its open batches, and the new runner carries the counters on', async () => {
  const store = createMemoryJobStore();
  await store.putJob(stored(1));
  const runners = fakeRunners();
  const supervisor = supervise(fromStore(store), runners.factory);
  await supervisor.start();
  runners.made[0]?.tracker.delivered('s3://logs/1/x.log.gz', 10, 100, 20, Date.UTC(2026, 0, 1));
  await store.putJob(stored(1, { filter: '{"where":{"key":"ClientIP","operator":"eq","value":"1.1.1.1"}}' }));
  await supervisor.settled();
  const [old, fresh] = runners.made;
  assert.equal(old?.stoppedWith, 'deliver');
  assert.deepEqual(fresh?.job.filter?.where, { key: 'ClientIP', operator: 'eq', value: '1.1.1.1' });
  assert.equal(fresh?.started, true);
  assert.equal(fresh?.status().records_delivered, 10);
  assert.equal(fresh?.status().last_complete, '2026-01-01T00:00:00.000Z');
});

void test('a disabled job enabled again carries on from its totals and last_complete', async () => {
  const store = createMemoryJobStore();
  await store.putJob(stored(1));
  const runners = fakeRunners();
  const supervisor = supervise(fromStore(store), runners.factory);
  await supervisor.start();
  runners.made[0]?.tracker.delivered('s3://logs/1/x.log.gz', 7, 100, 20, Date.UTC(2026, 0, 2));
  await store.putJob(stored(1, { enabled: false }));
  await supervisor.settled();
  await store.putJob(stored(1));
  await supervisor.settled();
  assert.equal(runners.made.length, 2);
  assert.equal(runners.made[1]?.status().records_delivered, 7);
  assert.equal(runners.made[1]?.status().last_complete, '2026-01-02T00:00:00.000Z');
});

void test('a new destination restarts the job abandoning its open batches', async () => {
  const store = createMemoryJobStore();
  await store.putJob(stored(1));
  const runners = fakeRunners();
  const supervisor = supervise(fromStore(store), runners.factory);
  await supervisor.start();
  await store.putJob(stored(1, { destination_conf: 's3://other/1?region=us-east-1' }));
  await supervisor.settled();
  assert.deepEqual(runners.made.map((r) => [r.job.destinationConf, r.stoppedWith]), [
    ['s3://logs/1?region=us-east-1', 'abandon'],
    ['s3://other/1?region=us-east-1', undefined],
  ]);
});

void test('writing a job unchanged restarts nothing', async () => {
  const store = createMemoryJobStore();
  await store.putJob(stored(1));
  const runners = fakeRunners();
  const supervisor = supervise(fromStore(store), runners.factory);
  await supervisor.start();
  await store.putJob(stored(1));
  await supervisor.settled();
  assert.equal(runners.made.length, 1);
});

void test("new custom fields for a zone restart that zone's jobs only, which then run with them", async () => {
  const store = createMemoryJobStore();
  await store.putJob(stored(1));
  await store.putJob(stored(2, { zone_id: ZONE_B }));
  const runners = fakeRunners();
  const supervisor = supervise(fromStore(store), runners.factory);
  await supervisor.start();
  await store.putCustomFields(ZONE_A, { request_fields: [{ name: 'cf-access-user' }] });
  await supervisor.settled();
  assert.deepEqual(runners.made.map((r) => [r.job.id, r.stoppedWith]), [[1, 'deliver'], [2, undefined], [1, undefined]]);
  assert.deepEqual(runners.made[2]?.wanted.customFields.requestHeaders, ['cf-access-user']);
});

void test('rapid updates while a restart is under way end with one runner on the latest version, never two at once', async () => {
  const store = createMemoryJobStore();
  await store.putJob(stored(1));
  const runners = fakeRunners();
  const supervisor = supervise(fromStore(store), runners.factory);
  await supervisor.start();
  runners.holdStops();
  await store.putJob(stored(1, { name: 'v2' }));
  await store.putJob(stored(1, { name: 'v3' }));
  await store.putJob(stored(1, { name: 'v4' }));
  assert.equal(runners.made.length, 1, 'nothing new starts while the old runner is still stopping');
  runners.releaseStops();
  await supervisor.settled();
  assert.deepEqual(runners.made.map((r) => r.job.name), ['job-1', 'v4']);
  assert.deepEqual(runners.live().map((r) => r.job.name), ['v4']);
});

void test('a job that disabled itself stays stopped and reported until it is written again', async () => {
  const store = createMemoryJobStore();
  await store.putJob(stored(1));
  const runners = fakeRunners();
  const supervisor = supervise(fromStore(store), runners.factory, { reconcileMs: 5 });
  await supervisor.start();
  runners.made[0]?.disableItself();
  await until('the supervisor notices the job disabled itself', () => supervisor.runners().length === 0);
  // Several safety-net checks pass: none restarts it.
  await new Promise((resolve) => setTimeout(resolve, 50));
  await supervisor.settled();
  assert.equal(runners.made.length, 1);
  assert.deepEqual(supervisor.statuses().map((s) => [s.id, s.enabled]), [[1, false]]);
  await store.putJob(stored(1));
  await supervisor.settled();
  assert.equal(runners.made.length, 2, 'saving the job again re-enables it');
  assert.deepEqual(runners.live().map((r) => r.job.id), [1]);
});

void test('an enabled job this worker cannot run is reported as disabled with the reason, and runs once fixed', async () => {
  const store = createMemoryJobStore();
  await store.putJob(stored(1, { destination_conf: 'bad://somewhere' }));
  const runners = fakeRunners();
  const supervisor = supervise(fromStore(store), runners.factory);
  await supervisor.start();
  assert.equal(runners.made.length, 0);
  const [status] = supervisor.statuses();
  assert.equal(status?.enabled, false);
  assert.match(status?.disabled_reason ?? '', /invalid job: \/destination_conf: bad:\/\/ is not a destination kind here/);
  await store.putJob(stored(1));
  await supervisor.settled();
  assert.deepEqual(runners.live().map((r) => r.job.id), [1]);
  assert.equal(supervisor.statuses()[0]?.enabled, true);
});

void test('a runner that fails to start is reported with the error and retried until it starts', async () => {
  const store = createMemoryJobStore();
  await store.putJob(stored(1));
  const runners = fakeRunners({ failStarts: 2 });
  const supervisor = supervise(fromStore(store), runners.factory, { reconcileMs: 5, startRetryMs: 1 });
  await supervisor.start();
  assert.match(supervisor.statuses()[0]?.error_message ?? '', /JOB_START_FAILED: broker unreachable/);
  await until('the job starts on a later attempt', () => runners.live().length === 1);
  assert.equal(runners.made.length, 3);
  assert.equal(supervisor.statuses()[0]?.error_message, null);
});

void test('without store events the periodic check still follows the store', async () => {
  const store = createMemoryJobStore();
  const deaf: JobStore = { ...store, subscribe: () => () => undefined };
  const runners = fakeRunners();
  const supervisor = supervise(storeJobSource(deaf, { minUploadIntervalSeconds: 1 }), runners.factory, { reconcileMs: 5 });
  await supervisor.start();
  await store.putJob(stored(1));
  await until('the periodic check starts the job', () => runners.live().length === 1);
});

void test('stopping delivers every open batch, and the statuses stay readable in file order', async () => {
  const jobs = [stored(9), stored(4), stored(6, { enabled: false })].map((doc) => {
    const parsed = parseJob(doc, { minUploadIntervalSeconds: 1 });
    if (!parsed.ok) throw new Error('test job invalid');
    return parsed.job;
  });
  const runners = fakeRunners();
  const supervisor = supervise(fixedJobSource(jobs), runners.factory);
  await supervisor.start();
  await supervisor.stop();
  assert.deepEqual(runners.made.map((r) => [r.job.id, r.stoppedWith]), [[9, 'deliver'], [4, 'deliver']]);
  assert.deepEqual(supervisor.statuses().map((s) => s.id), [9, 4]);
});
