// A JobStore held in memory: for tests and for single-process use without Kafka.
import type { CustomFieldsDocument } from '@sluice/pipeline';
import type { HealthStore, JobHealth, JobStore, StoreEvent, StoreListener, StoredJob } from './job-store.js';

export function createMemoryJobStore(): JobStore {
  const jobs = new Map<number, StoredJob>();
  const fields = new Map<string, CustomFieldsDocument>();
  const listeners = new Set<StoreListener>();
  let lastId = 0;
  const emit = (event: StoreEvent): void => {
    for (const listener of listeners) listener(event);
  };
  return {
    ready: () => Promise.resolve(),
    jobs: () => jobs,
    customFields: () => fields,
    nextJobId: () => Promise.resolve(++lastId),
    putJob(job) {
      const copy = structuredClone(job);
      jobs.set(job.id, copy);
      if (job.id > lastId) lastId = job.id;
      emit({ type: 'job', id: job.id, job: copy });
      return Promise.resolve();
    },
    deleteJob(id) {
      if (jobs.delete(id)) emit({ type: 'job', id, job: null });
      return Promise.resolve();
    },
    putCustomFields(zoneId, document) {
      if (document === null) fields.delete(zoneId);
      else fields.set(zoneId, structuredClone(document));
      emit({ type: 'custom-fields', zoneId, fields: document === null ? null : structuredClone(document) });
      return Promise.resolve();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    close: () => Promise.resolve(),
  };
}

export function createMemoryHealthStore(): HealthStore {
  const latest = new Map<number, JobHealth>();
  return {
    publish(reports) {
      for (const report of reports) latest.set(report.id, { ...report });
      return Promise.resolve();
    },
    health: () => latest,
    close: () => Promise.resolve(),
  };
}
