// The compiled stages alone, in process: per-record CPU of decode → filter → sample → project → render
// for a plain NDJSON job and for a filter + custom fields + CSV job, on the same encoded records.
import { createRecordEncoder } from '@sluice/schemas';
import { compileJob, parseJob } from '@sluice/pipeline';
import type { CompiledJob, CustomFieldSet } from '@sluice/pipeline';
import { syntheticTraffic } from '@sluice/edge';
import { BENCH_FIELDS, BENCH_FILTER } from './bench-job.js';

export interface StageCost {
  /** Decode + project + render NDJSON, per record. */
  plainNsPerRecord: number;
  /** Decode + filter + project + render CSV (rendering only what passes), per record. */
  stagedNsPerRecord: number;
  /** The filter alone, per record. */
  filterNsPerRecord: number;
  /** Share of records the filter keeps. */
  keptShare: number;
}

const ZONE = '0123456789abcdef0123456789abcdef';
const ACCESS_USER: CustomFieldSet = { requestHeaders: ['cf-access-user'], responseHeaders: [], cookies: [] };

function compile(document: Record<string, unknown>, customFields: CustomFieldSet | undefined): CompiledJob {
  const parsed = parseJob({ id: 1, dataset: 'http_requests', zone_id: ZONE, destination_conf: 's3://bench?region=us-east-1', ...document });
  if (!parsed.ok) throw new Error(`bench job: ${JSON.stringify(parsed.issues)}`);
  return compileJob(parsed.job, customFields ? { customFields } : {});
}

/** Best of three passes over every record, in ns per record (the first pass also warms the JIT). */
function time(messages: readonly Buffer[], pass: (bytes: Buffer) => number): { nsPerRecord: number; sink: number } {
  let best = Infinity;
  let sink = 0;
  for (let round = 0; round < 3; round++) {
    const started = process.hrtime.bigint();
    for (const bytes of messages) sink += pass(bytes);
    best = Math.min(best, Number(process.hrtime.bigint() - started) / messages.length);
  }
  return { nsPerRecord: best, sink };
}

export function measureStageCost(records: number, zones: readonly string[], seed: number): StageCost {
  const encode = createRecordEncoder('http_requests');
  const traffic = syntheticTraffic({ zones, seed, startTimeMs: Date.now() });
  const messages = Array.from({ length: records }, () => encode({ ...traffic.next().value.record, _zone_id: ZONE }));
  const plain = compile({ output_options: { field_names: BENCH_FIELDS } }, undefined);
  const staged = compile(
    { filter: JSON.stringify(BENCH_FILTER), output_options: { field_names: BENCH_FIELDS, output_type: 'csv', timestamp_format: 'rfc3339' } },
    ACCESS_USER,
  );
  const run = (job: CompiledJob, bytes: Buffer): number => {
    const decoded = job.decode(bytes);
    if (!decoded.ok || (job.filter && !job.filter(decoded.record))) return 0;
    job.project?.(decoded.record);
    return job.render(decoded.record).length;
  };
  const plainTime = time(messages, (bytes) => run(plain, bytes));
  const stagedTime = time(messages, (bytes) => run(staged, bytes));
  const decodedForFilter = messages.map((bytes) => {
    const decoded = staged.decode(bytes);
    if (!decoded.ok) throw new Error(decoded.message);
    return decoded.record;
  });
  const filter = staged.filter ?? (() => true);
  let kept = 0;
  let filterNs = Infinity;
  for (let round = 0; round < 3; round++) {
    kept = 0;
    const started = process.hrtime.bigint();
    for (const record of decodedForFilter) if (filter(record)) kept++;
    filterNs = Math.min(filterNs, Number(process.hrtime.bigint() - started) / records);
  }
  if (plainTime.sink === 0 || stagedTime.sink === 0) throw new Error('stage cost: nothing was rendered');
  return { plainNsPerRecord: plainTime.nsPerRecord, stagedNsPerRecord: stagedTime.nsPerRecord, filterNsPerRecord: filterNs, keptShare: kept / records };
}
