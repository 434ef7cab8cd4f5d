// Puts the demo's jobs file into an in-memory job store, so that the pusher follows it and the dashboard can enable and disable its jobs.
import { readFile } from 'node:fs/promises';
import type { JobStore, StoredJob } from '@sluice/job-store';
import type { CustomFieldsDocument } from '@sluice/pipeline';

/** The file was validated by loadJobsFile first; here it is only copied, jobs with their ids, custom fields by zone. */
export async function seedJobStore(store: JobStore, jobsFile: string): Promise<void> {
  const document = JSON.parse(await readFile(jobsFile, 'utf8')) as { jobs?: StoredJob[]; custom_fields?: Record<string, CustomFieldsDocument> };
  for (const [zoneId, fields] of Object.entries(document.custom_fields ?? {})) await store.putCustomFields(zoneId, fields);
  for (const job of document.jobs ?? []) await store.putJob(job);
}
