// What the supervisor should be running: a fixed list of jobs (file mode) or a JobStore kept live (API mode).
import { NO_CUSTOM_FIELDS, parseCustomFields, parseJob } from '@sluice/pipeline';
import type { CustomFieldSet, CustomFieldsByZone, CustomFieldsDocument, ParseJobOptions, ParseJobResult, PushJob } from '@sluice/pipeline';
import type { JobStore, StoredJob } from '@sluice/job-store';

/** An enabled job, ready to run: validated, with its zone's custom fields resolved. */
export interface DesiredJob {
  kind: 'run';
  job: PushJob;
  customFields: CustomFieldSet;
}

/** An enabled job that cannot run as configured (it failed this worker's validation). */
export interface RefusedJob {
  kind: 'refused';
  id: number;
  name: string;
  message: string;
}

export type JobWanted = DesiredJob | RefusedJob;

export interface JobSource {
  /** Resolves once the source holds everything written before the call. */
  ready(): Promise<void>;
  /** The ids of every enabled job. */
  enabledIds(): number[];
  /** What is wanted of one job now; undefined when it is disabled or deleted. */
  wanted(id: number): JobWanted | undefined;
  /** Called with the ids of jobs that may have changed; returns an unsubscribe. */
  subscribe(onChange: (ids: readonly number[]) => void): () => void;
}

function customFieldsOf(job: PushJob, byZone: CustomFieldsByZone | undefined): CustomFieldSet {
  return (job.scope.kind === 'zone' ? byZone?.get(job.scope.zoneId) : undefined) ?? NO_CUSTOM_FIELDS;
}

/** File mode: the jobs never change. */
export function fixedJobSource(jobs: readonly PushJob[], customFields?: CustomFieldsByZone): JobSource {
  const wanted = new Map<number, JobWanted>(
    jobs.filter((job) => job.enabled).map((job) => [job.id, { kind: 'run', job, customFields: customFieldsOf(job, customFields) }]),
  );
  return { ready: () => Promise.resolve(), enabledIds: () => [...wanted.keys()], wanted: (id) => wanted.get(id), subscribe: () => () => undefined };
}

/**
 * API mode. Stored jobs are validated again with this worker's own rules (its destination kinds, its
 * lowest upload interval): a job this worker cannot run is reported, not guessed at. Parses are
 * cached per stored document, which the store replaces, never mutates, when the job changes.
 */
export function storeJobSource(store: JobStore, parseOptions: ParseJobOptions): JobSource {
  const parsed = new WeakMap<StoredJob, ParseJobResult>();
  const fieldSets = new WeakMap<CustomFieldsDocument, CustomFieldSet | string>();

  const parseStored = (document: StoredJob): ParseJobResult => {
    let result = parsed.get(document);
    if (!result) {
      result = parseJob(document, parseOptions);
      parsed.set(document, result);
    }
    return result;
  };

  const fieldSetOf = (zoneId: string): CustomFieldSet | string => {
    const document = store.customFields().get(zoneId);
    if (!document) return NO_CUSTOM_FIELDS;
    let set = fieldSets.get(document);
    if (set === undefined) {
      const result = parseCustomFields(document);
      set = result.ok ? result.fields : `custom fields of zone ${zoneId}: ${result.issues.map((i) => `${i.path} ${i.message}`).join('; ')}`;
      fieldSets.set(document, set);
    }
    return set;
  };

  return {
    ready: () => store.ready(),
    enabledIds: () => [...store.jobs().values()].filter((document) => document.enabled === true).map((document) => document.id),
    wanted(id) {
      const document = store.jobs().get(id);
      if (document?.enabled !== true) return undefined;
      const result = parseStored(document);
      if (!result.ok) {
        const message = result.issues.map((i) => `${i.path || '(job)'}: ${i.message}`).join('; ');
        return { kind: 'refused', id, name: document.name ?? '', message };
      }
      const { job } = result;
      const fields = job.scope.kind === 'zone' ? fieldSetOf(job.scope.zoneId) : NO_CUSTOM_FIELDS;
      if (typeof fields === 'string') return { kind: 'refused', id, name: job.name, message: fields };
      return { kind: 'run', job, customFields: fields };
    },
    subscribe(onChange) {
      return store.subscribe((event) => {
        if (event.type === 'job') return onChange([event.id]);
        // New custom fields change what every job of the zone delivers.
        const ids = [...store.jobs().values()].filter((job) => job.zone_id === event.zoneId).map((job) => job.id);
        if (ids.length > 0) onChange(ids);
      });
    },
  };
}
