// Loads the jobs of file mode — `{"jobs":[...], "custom_fields":{...}}` — validated in full before anything starts.
import { readFile } from 'node:fs/promises';
import { parseJobsFile } from '@sluice/pipeline';
import type { JobsConfig } from '@sluice/pipeline';
import type { DestinationRegistry } from '@sluice/destinations';

/**
 * `SLUICE_MIN_UPLOAD_INTERVAL_SECONDS` lowers Logpush's 30-second minimum of
 * `max_upload_interval_seconds`, for demos and tests that should not wait half a minute.
 */
export function minUploadIntervalFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const text = env['SLUICE_MIN_UPLOAD_INTERVAL_SECONDS'];
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > 300) {
    throw new Error(`SLUICE_MIN_UPLOAD_INTERVAL_SECONDS: "${text}" is not an integer from 1 to 300`);
  }
  return value;
}

export async function loadJobsFile(path: string, registry: DestinationRegistry): Promise<JobsConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read jobs file ${path}: ${(error as Error).message}`);
  }
  const minUploadIntervalSeconds = minUploadIntervalFromEnv();
  return parseJobsFile(text, path, {
    checkDestination: (conf) => registry.check(conf),
    ...(minUploadIntervalSeconds !== undefined ? { minUploadIntervalSeconds } : {}),
  });
}
