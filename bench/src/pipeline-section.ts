// The pipeline section of `npm run bench`: Kafka → gzip NDJSON in S3, and over HTTP into ClickHouse, against its ceilings,
// and a healthy job's throughput beside a job whose destination is down, in one run on one machine.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { createKafkaClient, endOffsets, ensureTopics, parseBrokers, DEFAULT_DATASET_PARTITIONS } from '@sluice/kafka';
import { createLogger } from '@sluice/logging';
import { parseThreadCount } from '@sluice/pusher';
import { createS3Client } from '@sluice/destinations';
import { infraUp } from '@sluice/infra-local';
import type { InfraEnv } from '@sluice/infra-local';
import { runLoadgen, syntheticZone } from '@sluice/edge';
import { topicFor } from '@sluice/schemas';
import { BENCH_CUSTOM_FIELDS, BENCH_FIELDS, BENCH_FILTER } from './bench-job.js';
import { measureGzipCeiling } from './gzip-ceiling.js';
import { measureStageCost } from './stage-cost.js';
import { runChild } from './child-process.js';
import { openClickHouseTable } from './clickhouse-table.js';
import { measureIsolation } from './isolation.js';
import type { PipelineRun } from './pipeline-run.js';
import { publishJsonRecords } from './json-publisher.js';
import { baselineRates, scenarioFigures, scenarioRow, targetRow } from './scenario-figures.js';

export interface PipelineSectionOptions {
  /** Records published and run through every job. */
  readonly records: number;
  /** Alone/beside pairs of the failure-isolation measurement; their median ratio is reported. */
  readonly isolationRounds: number;
  readonly say: (line: string) => void;
}

async function resolveInfra(say: (line: string) => void): Promise<InfraEnv> {
  const env = process.env;
  if (env['KAFKA_BROKERS'] && env['S3_ENDPOINT']) {
    return {
      KAFKA_BROKERS: env['KAFKA_BROKERS'],
      S3_ENDPOINT: env['S3_ENDPOINT'],
      S3_REGION: env['S3_REGION'] ?? 'us-east-1',
      S3_ACCESS_KEY_ID: env['S3_ACCESS_KEY_ID'] ?? 'sluice-local',
      S3_SECRET_ACCESS_KEY: env['S3_SECRET_ACCESS_KEY'] ?? 'sluice-local-secret',
    };
  }
  return infraUp({ log: (line) => say(`  ${line}`) });
}

/** Runs the section; its figures (the flat --json object the bench has always written) and its printed rows. */
export async function measurePipelineSection(options: PipelineSectionOptions) {
  const { records, isolationRounds, say } = options;
  // Each pusher child reads the same variable (pusher-child.ts): a bad value stops the bench here, before anything runs.
  const threadCount = parseThreadCount(process.env['SLUICE_BENCH_PUSHER_THREADS'], 'SLUICE_BENCH_PUSHER_THREADS');
  if (!threadCount.ok) throw Object.assign(new Error(threadCount.message), { code: threadCount.code });
  const { threads } = threadCount;
  const onThreads = `${threads} thread${threads === 1 ? '' : 's'}`;
  const infra = await resolveInfra(say);
  process.env['KAFKA_BROKERS'] = infra.KAFKA_BROKERS;
  const tag = randomBytes(4).toString('hex');
  const zone = syntheticZone(`bench-${tag}.example`);
  const jsonZone = syntheticZone(`bench-json-${tag}.example`);
  const bucket = `bench-${tag}`;
  const seed = 99;
  const logger = createLogger({ name: 'bench', level: 'warn' });
  const kafka = createKafkaClient({ brokers: parseBrokers(infra.KAFKA_BROKERS), clientId: 'bench', logger });
  const topic = topicFor('http_requests');
  const s3Config = {
    bucket,
    path: '',
    region: infra.S3_REGION,
    endpoint: infra.S3_ENDPOINT,
    credentials: { accessKeyId: infra.S3_ACCESS_KEY_ID, secretAccessKey: infra.S3_SECRET_ACCESS_KEY },
    serverSideEncryption: undefined,
  };
  const s3 = createS3Client(s3Config);
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  s3.destroy();
  await ensureTopics(kafka, [{ topic, numPartitions: DEFAULT_DATASET_PARTITIONS }]);

  const admin = kafka.admin();
  await admin.connect();
  const starts = Object.fromEntries((await endOffsets(admin, topic)).map((p) => [p.partition, p.offset]));

  say(`bench: publishing ${records} records to ${topic} (zone ${zone.name})…`);
  const startTimeMs = Date.now();
  const produceStarted = performance.now();
  await runLoadgen({ kafka, records, zones: [zone.name], seed, startTimeMs });
  const produceSeconds = (performance.now() - produceStarted) / 1000;

  say(`bench: consume ceiling (kafkajs, same settings, ${threads} consumer${threads === 1 ? '' : 's'} as the pusher has threads, no processing)…`);
  const consume = await runChild<{ seconds: number; messages: number; bytes: number }>('./consume-child.js', [topic, JSON.stringify(starts), String(records), String(threads)]);

  say('bench: gzip ceiling (the same NDJSON bytes, same level, no Kafka)…');
  const gzip = await measureGzipCeiling(records, BENCH_FIELDS, [zone.name], seed);

  const dir = await mkdtemp(join(tmpdir(), 'sluice-bench-'));
  const destination = new URLSearchParams({ region: infra.S3_REGION, endpoint: infra.S3_ENDPOINT, 'access-key-id': infra.S3_ACCESS_KEY_ID, 'secret-access-key': infra.S3_SECRET_ACCESS_KEY });

  /** A job over the published records: the plain NDJSON job to S3 under `name/`, with `extra` fields replacing its own. */
  function benchJob(name: string, jobId: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      id: jobId,
      name: `bench-${name}`,
      dataset: 'http_requests',
      zone_id: zone.zoneId,
      enabled: true,
      destination_conf: `s3://${bucket}/${name}/{DATE}?${destination.toString()}`,
      output_options: { field_names: BENCH_FIELDS },
      ...extra,
    };
  }

  /**
   * Runs jobs in one pusher process (each its own consumer group) and measures the first. Each group
   * starts exactly at this run's first record: the load generator stamps records with their synthetic
   * times, which run minutes ahead of the clock, so a start_from would also take in an earlier run's records.
   */
  async function runJobs(
    name: string,
    jobs: readonly Record<string, unknown>[],
    customFields: Record<string, unknown> = {},
    from: Record<string, string> = starts,
    /** The job timed, or `all`: every job, until the last is done. */
    measured = String(jobs[0]?.['id']),
  ): Promise<PipelineRun> {
    const partitions = Object.entries(from).map(([partition, offset]) => ({ partition: Number(partition), offset }));
    await Promise.all(jobs.map((job) => admin.setOffsets({ groupId: `sluice-job-${String(job['id'])}`, topic, partitions })));
    const jobsFile = join(dir, `${name}.json`);
    await writeFile(jobsFile, JSON.stringify({ jobs, custom_fields: customFields }));
    return runChild<PipelineRun>('./pusher-child.js', [jobsFile, String(records), measured]);
  }

  /** Runs one job over the published records in its own pusher process (its own consumer group). */
  function runPipeline(name: string, jobId: number, extra: Record<string, unknown>, customFields: Record<string, unknown> = {}): Promise<PipelineRun> {
    return runJobs(name, [benchJob(name, jobId, extra)], customFields);
  }

  // Room for every job of one run (3 + 3 a failure-isolation round): a consumer group of an earlier run would resume where it stopped.
  const baseJobId = 10_000_000 + Number.parseInt(tag.slice(0, 4), 16) * 64;
  say('bench: pipeline (one pusher process, one job: Kafka → gzip NDJSON → S3)…');
  const pipeline = await runPipeline('ndjson', baseJobId, {});
  if (pipeline.records_delivered !== records) throw new Error(`the pipeline delivered ${pipeline.records_delivered} of ${records} records`);

  say('bench: ten jobs on one dataset (the same Avro records, ten plain NDJSON jobs in one pusher process)…');
  const tenJobs = await runJobs(
    'ten-jobs',
    Array.from({ length: 10 }, (_, k) => benchJob(`ten-${k}`, baseJobId + 50 + k)),
    {},
    starts,
    'all',
  );
  if (tenJobs.jobs_delivered !== records * 10) throw new Error(`ten jobs delivered ${tenJobs.jobs_delivered} of ${records * 10} records`);

  say('bench: compiled stages in process (decode → filter → project → render, no Kafka, no gzip)…');
  const stages = measureStageCost(Math.min(records, 200_000), [zone.name], seed);

  say('bench: pipeline with the stages (the same records: realistic filter + custom fields + CSV)…');
  const staged = await runPipeline(
    'staged',
    baseJobId + 1,
    { filter: JSON.stringify(BENCH_FILTER), output_options: { field_names: BENCH_FIELDS, output_type: 'csv', timestamp_format: 'rfc3339' } },
    { [zone.zoneId]: BENCH_CUSTOM_FIELDS },
  );
  if (staged.records_delivered === 0 || staged.records_delivered >= records) {
    throw new Error(`the filtered job delivered ${staged.records_delivered} of ${records} records; the bench filter should keep most, not all`);
  }

  say('bench: pipeline to HTTP (the same records, gzip NDJSON POSTed to ClickHouse as INSERT … FORMAT JSONEachRow)…');
  const clickhouse = await openClickHouseTable(tag, (line) => say(`  ${line}`));
  let http: PipelineRun;
  let httpRows: number;
  try {
    http = await runPipeline('clickhouse', baseJobId + 2, { destination_conf: clickhouse.destinationConf });
    httpRows = await clickhouse.rows();
  } finally {
    await clickhouse.close();
  }
  if (http.records_delivered !== records || httpRows !== records) {
    throw new Error(`the HTTP pipeline delivered ${http.records_delivered} of ${records} records and ClickHouse holds ${httpRows} rows`);
  }

  const isolation = await measureIsolation({
    records,
    rounds: isolationRounds,
    s3Endpoint: infra.S3_ENDPOINT,
    job(name, jobId, options = {}) {
      const conf = new URLSearchParams(destination);
      if (options.endpoint) conf.set('endpoint', options.endpoint);
      return benchJob(name, jobId, { destination_conf: `s3://${bucket}/${name}/{DATE}?${conf.toString()}`, ...options.extra });
    },
    run: (name, jobs) => runJobs(name, jobs),
    firstJobId: baseJobId + 3,
    say,
  });
  const lastRound = isolation.rounds.at(-1);

  // Plain JSON as a third-party producer writes it: ~2 KB, the zone only inside the record. Published last, in a zone of
  // its own, so that no job above reads it (they start before it and would otherwise find more records of their zone).
  const jsonStarts = Object.fromEntries((await endOffsets(admin, topic)).map((p) => [p.partition, p.offset]));
  say(`bench: publishing ${records} plain JSON records (no zone header)…`);
  const jsonPublished = await publishJsonRecords({ kafka, records, zones: [jsonZone.name], seed: seed + 1, startTimeMs: Date.now() });
  say('bench: consume ceiling of the JSON records…');
  const jsonConsume = await runChild<{ seconds: number; messages: number; bytes: number }>('./consume-child.js', [topic, JSON.stringify(jsonStarts), String(records), String(threads)]);
  say('bench: pipeline on JSON input (one pusher process, one job: Kafka → gzip NDJSON → S3)…');
  const jsonRun = await runJobs('json', [benchJob('json', baseJobId + 62, { zone_id: jsonZone.zoneId })], {}, jsonStarts);
  if (jsonRun.records_delivered !== records) throw new Error(`the JSON pipeline delivered ${jsonRun.records_delivered} of ${records} records`);

  const pipelineRate = records / pipeline.seconds;
  const httpRate = records / http.seconds;
  const recordBytes = consume.bytes / consume.messages;
  // Records consumed per second: the filtered job reads the same records and writes fewer.
  const stagedRate = records / staged.seconds;
  const consumeRate = consume.messages / consume.seconds;
  const ceiling = Math.min(consumeRate, gzip.recordsPerSecond);
  const jsonConsumeRate = jsonConsume.messages / jsonConsume.seconds;
  const jsonCeiling = Math.min(jsonConsumeRate, gzip.recordsPerSecond);
  const avroFigures = scenarioFigures(pipeline, records, 1, recordBytes, ceiling);
  const jsonFigures = scenarioFigures(jsonRun, records, 1, jsonPublished.bytes / records, jsonCeiling);
  const tenFigures = scenarioFigures(tenJobs, records, 10, recordBytes, ceiling);
  const baseline = baselineRates();
  const result = {
    records,
    avg_record_bytes: Math.round(consume.bytes / consume.messages),
    produce_records_per_s: Math.round(records / produceSeconds),
    pipeline_records_per_s: Math.round(pipelineRate),
    pipeline_mb_per_s: +((recordBytes * pipelineRate) / 1e6).toFixed(2),
    pipeline_output_mb_per_s: +(pipeline.bytes_uncompressed / pipeline.seconds / 1e6).toFixed(2),
    http_clickhouse_records_per_s: Math.round(httpRate),
    http_clickhouse_mb_per_s: +((recordBytes * httpRate) / 1e6).toFixed(2),
    http_clickhouse_output_mb_per_s: +(http.bytes_uncompressed / http.seconds / 1e6).toFixed(2),
    http_clickhouse_batches: http.batches,
    // The plain job beside a job whose S3 answers 503 to everything, against the plain job alone: per round, and the median ratio.
    isolation_rounds: isolation.rounds.map((r) => ({
      alone_records_per_s: Math.round(r.aloneRecordsPerSecond),
      beside_records_per_s: Math.round(r.besideRecordsPerSecond),
      ratio: +r.ratio.toFixed(3),
      beside_peak_rss_mb: Math.round(r.besidePeakRssMb),
      failing_job_records_held: r.failingRecordsHeld,
      failing_job_batches_in_flight: r.failingBatchesInFlight ?? null,
      failing_job_requests_failed: r.requestsFailed,
    })),
    isolated_ratio_to_alone: +isolation.medianRatio.toFixed(3),
    consume_ceiling_records_per_s: Math.round(consumeRate),
    gzip_ceiling_records_per_s: Math.round(gzip.recordsPerSecond),
    ratio_to_ceiling: +(pipelineRate / ceiling).toFixed(3),
    staged_records_per_s: Math.round(stagedRate),
    staged_records_delivered: staged.records_delivered,
    staged_ratio_to_ndjson: +(stagedRate / pipelineRate).toFixed(3),
    stage_ns_per_record: { plain_ndjson: Math.round(stages.plainNsPerRecord), filter_fields_csv: Math.round(stages.stagedNsPerRecord), filter_alone: Math.round(stages.filterNsPerRecord) },
    filter_kept_share: +stages.keptShare.toFixed(3),
    // Shares of the plain pipeline's time per record: what the filter itself costs, and the net
    // difference of the staged job (negative: rendering fewer, shorter records saves more than the stages cost).
    filter_cost_share_of_pipeline: +(stages.filterNsPerRecord / (1e9 / pipelineRate)).toFixed(3),
    staged_net_share_of_pipeline: +((stages.stagedNsPerRecord - stages.plainNsPerRecord) / (1e9 / pipelineRate)).toFixed(3),
    limiting_ceiling: consumeRate < gzip.recordsPerSecond ? 'consume' : 'gzip',
    pusher_peak_rss_mb: Math.round(pipeline.peak_rss_mb),
    pusher_threads: threads,
    avro_input: avroFigures,
    json_input: { ...jsonFigures, avg_record_bytes: Math.round(jsonPublished.bytes / records), consume_ceiling_records_per_s: Math.round(jsonConsumeRate) },
    ten_jobs: { total_records_per_s: tenFigures.records_per_s, peak_rss_mb: tenFigures.peak_rss_mb, cpu_seconds_per_100k: tenFigures.cpu_seconds_per_100k, cores_busy: tenFigures.cores_busy },
    baseline_records_per_s: baseline ?? null,
    batches: pipeline.batches,
    compression_ratio: +(pipeline.bytes_uncompressed / pipeline.bytes_compressed).toFixed(2),
    targets: { ratio_to_ceiling: 0.75, pusher_peak_rss_mb: 300, staged_ratio_to_ndjson: 0.85, filter_cost_share_of_pipeline: 0.15, isolated_ratio_to_alone: 0.9 },
  };

  const rows: [string, string][] = [
    ['records', `${records} (${result.avg_record_bytes} B each on Kafka)`],
    ['pusher threads', `${threads} (SLUICE_BENCH_PUSHER_THREADS; default one per core), each a member of every job's consumer group`],
    ['pipeline → S3', `${onThreads}: ${result.pipeline_records_per_s} records/s, ${result.pipeline_mb_per_s} MB/s in, ${result.pipeline_output_mb_per_s} MB/s NDJSON out`],
    [
      'pipeline → HTTP',
      `${result.http_clickhouse_records_per_s} records/s, ${result.http_clickhouse_mb_per_s} MB/s in, ${result.http_clickhouse_output_mb_per_s} MB/s NDJSON out (ClickHouse, ${result.http_clickhouse_batches} inserts)`,
    ],
    ['consume ceiling', `${result.consume_ceiling_records_per_s} records/s`],
    ['gzip ceiling', `${result.gzip_ceiling_records_per_s} records/s`],
    ['filter+fields+CSV', `${result.staged_records_per_s} records/s read, ${result.staged_records_delivered} delivered: ${result.staged_ratio_to_ndjson} of plain NDJSON (target ≥ 0.85)`],
    [
      'stage CPU',
      `${result.stage_ns_per_record.filter_fields_csv} ns/record filter+fields+CSV vs ${result.stage_ns_per_record.plain_ndjson} plain NDJSON (filter alone ${result.stage_ns_per_record.filter_alone} ns = ${(result.filter_cost_share_of_pipeline * 100).toFixed(1)}% of the pipeline's time per record; keeps ${(result.filter_kept_share * 100).toFixed(0)}%)`,
    ],
    ['ratio to ceiling', `${result.ratio_to_ceiling} (target ≥ 0.75; ${result.limiting_ceiling} is the lower ceiling)`],
    ['pusher peak RSS', `${result.pusher_peak_rss_mb} MB (target ≤ 300)`],
    ['Avro input', `${onThreads}: ${scenarioRow(avroFigures)}`],
    ['JSON input', `${onThreads}: ${scenarioRow(jsonFigures)} (${result.json_input.avg_record_bytes} B records, consume ceiling ${result.json_input.consume_ceiling_records_per_s} records/s)`],
    ['ten jobs', `${onThreads}: ${tenFigures.records_per_s} records/s in total, ${tenFigures.cpu_seconds_per_100k} CPU-s per 100k, ${tenFigures.cores_busy} cores busy, peak RSS ${tenFigures.peak_rss_mb} MB`],
    ['target: 2× Avro', baseline?.avro ? targetRow(+(avroFigures.records_per_s / baseline.avro).toFixed(2), 2, true) : 'no baseline (SLUICE_BENCH_BASELINE=<--json of an earlier run>)'],
    ['target: 2× JSON', baseline?.json ? targetRow(+(jsonFigures.records_per_s / baseline.json).toFixed(2), 2, true) : 'no baseline (SLUICE_BENCH_BASELINE=<--json of an earlier run>)'],
    ['target: ceiling', `Avro ${targetRow(avroFigures.ratio_to_ceiling, 0.75, true)}; JSON ${targetRow(jsonFigures.ratio_to_ceiling, 0.75, true)}`],
    ['target: RSS (MB)', `one job ${targetRow(avroFigures.peak_rss_mb, 300, false)}; ten jobs ${targetRow(tenFigures.peak_rss_mb, 600, false)}`],
    [
      'beside a failing job',
      `${result.isolated_ratio_to_alone} of the job alone, median of ${isolationRounds} (target ≥ 0.9): ${result.isolation_rounds.map((r) => `${r.beside_records_per_s} vs ${r.alone_records_per_s}`).join(', ')} records/s to S3`,
    ],
    [
      'the failing job',
      `read ${lastRound?.failingRecordsHeld ?? '?'} records of its zone and holds them all, ${lastRound?.failingBatchesInFlight ?? '?'} batches in delivery, ${lastRound?.requestsFailed ?? '?'} requests answered 503 (last round); peak RSS ${Math.round(lastRound?.besidePeakRssMb ?? 0)} MB`,
    ],
    ['batches', `${result.batches}, gzip ratio ${result.compression_ratio}`],
  ];
  await admin.disconnect();
  return { result, rows };
}
