// Reads the gateway's configuration file (and the jobs file its custom fields may point at), then validates it in full.
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { JobIssue } from '@sluice/pipeline';
import type { EdgeConfig } from './edge-config.js';
import { parseEdgeConfig } from './parse-edge-config.js';

export class EdgeConfigError extends Error {
  readonly code = 'EDGE_CONFIG_INVALID';
  constructor(
    readonly file: string,
    readonly issues: readonly JobIssue[],
  ) {
    super(`${file} is not a valid edge configuration:\n${issues.map((i) => `  ${i.path || '(top level)'}: ${i.message}`).join('\n')}`);
    this.name = 'EdgeConfigError';
  }
}

export async function loadEdgeConfig(file: string): Promise<EdgeConfig> {
  const document = await readJson(file, '');
  const baseDir = dirname(resolve(file));
  // `"custom_fields": "jobs.json"` shares the pusher's jobs file, so the two can never disagree.
  if (typeof document === 'object' && document !== null && typeof (document as Record<string, unknown>)['custom_fields'] === 'string') {
    const doc = document as Record<string, unknown>;
    const jobsPath = doc['custom_fields'] as string;
    const jobsFile = isAbsolute(jobsPath) ? jobsPath : resolve(baseDir, jobsPath);
    const jobs = await readJson(jobsFile, '/custom_fields');
    const shared = typeof jobs === 'object' && jobs !== null ? (jobs as Record<string, unknown>)['custom_fields'] : undefined;
    if (shared === undefined) throw new EdgeConfigError(file, [{ path: '/custom_fields', message: `${jobsFile} has no "custom_fields" object` }]);
    doc['custom_fields'] = shared;
  }
  const result = parseEdgeConfig(document, { baseDir });
  if (!result.ok) throw new EdgeConfigError(file, result.issues);
  return result.config;
}

async function readJson(file: string, path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new EdgeConfigError(file, [{ path, message: `cannot read ${file}: ${(error as Error).message}` }]);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new EdgeConfigError(file, [{ path, message: `${file} is not JSON: ${(error as Error).message}` }]);
  }
}
