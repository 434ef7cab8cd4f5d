// `npm run bench`: the pipeline (Kafka → gzip NDJSON in S3) against its ceilings, in one run on one machine.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { createKafkaClient, endOffsets, ensureTopics, parseBrokers, DEFAULT_DATASET_PARTITIONS } from '@sluice/kafka';
import { createLogger } from '@sluice/logging';
import { createS3Client } from '@sluice/destinations';
import { infraUp } from '@sluice/infra-local';
import type { InfraEnv } from '@sluice/infra-local';
import { runLoadgen, syntheticZone } from '@sluice/edge';
import { topicFor } from '@sluice/schemas';
import { BENCH_CUSTOM_FIELDS, BENCH_FIELDS, BENCH_FILTER } from './bench-job.js';
import { measureGzipCeiling } from './gzip-ceiling.js';
import { measureStageCost } from './stage-cost.js';
import { runChild } from './child-process.js';

const { values } = parseArgs({ options: { records: { type: 'string', default: '500000' }, json: { type: 'string' } } });
const records = Number(values.records);
if (!Number.isInteger(records) || records < 1000) throw new Error(`--records must be an integer ≥ 1000, got ${values.records}`);

const say = (line: string): void => void process.stderr.write(`${line}\n`);

async function resolveInfra(): Promise<InfraEnv> {
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

const infra = await resolveInfra();
process.env['KAFKA_BROKERS'] = infra.KAFKA_BROKERS;
const tag = randomBytes(4).toString('hex');
const zone = syntheticZone(`bench-${tag}.example`);
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
await admin.disconnect();

say(`bench: publishing ${records} records to ${topic} (zone ${zone.name})…`);
const startTimeMs = Date.now();
const produceStarted = performance.now();
await runLoadgen({ kafka, records, zones: [zone.name], seed, startTimeMs });
const produceSeconds = (performance.now() - produceStarted) / 1000;

say('bench: consume ceiling (kafkajs, same settings, no processing)…');
const consume = await runChild<{ seconds: number; messages: number; bytes: number }>('./consume-child.js', [topic, JSON.stringify(starts), String(records)]);

say('bench: gzip ceiling (the same NDJSON bytes, same level, no Kafka)…');
const gzip = await measureGzipCeiling(records, BENCH_FIELDS, [zone.name], seed);

const dir = await mkdtemp(join(tmpdir(), 'sluice-bench-'));
const destination = new URLSearchParams({ region: infra.S3_REGION, endpoint: infra.S3_ENDPOINT, 'access-key-id': infra.S3_ACCESS_KEY_ID, 'secret-access-key': infra.S3_SECRET_ACCESS_KEY });

interface PipelineRun {
  seconds: number;
  records_in_scope: number;
  records_delivered: number;
  batches: number;
  bytes_uncompressed: number;
  bytes_compressed: number;
  peak_rss_mb: number;
}

/** Runs one job over the published records in its own pusher process (its own consumer group). */
async function runPipeline(name: string, jobId: number, extra: Record<string, unknown>, customFields: Record<string, unknown> = {}): Promise<PipelineRun> {
  const jobsFile = join(dir, `${name}.json`);
  const job = {
    id: jobId,
    name: `bench-${name}`,
    dataset: 'http_requests',
    zone_id: zone.zoneId,
    enabled: true,
    destination_conf: `s3://${bucket}/${name}/{DATE}?${destination.toString()}`,
    output_options: { field_names: BENCH_FIELDS },
    start_from: new Date(startTimeMs - 1000).toISOString(),
    ...extra,
  };
  await writeFile(jobsFile, JSON.stringify({ jobs: [job], custom_fields: customFields }));
  return runChild<PipelineRun>('./pusher-child.js', [jobsFile, String(records)]);
}

const baseJobId = 900_000 + Number.parseInt(tag.slice(0, 4), 16) * 2;
say('bench: pipeline (one pusher process, one job: Kafka → gzip NDJSON → S3)…');
const pipeline = await runPipeline('ndjson', baseJobId, {});
if (pipeline.records_delivered !== records) throw new Error(`the pipeline delivered ${pipeline.records_delivered} of ${records} records`);

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

const pipelineRate = records / pipeline.seconds;
// Records consumed per second: the filtered job reads the same records and writes fewer.
const stagedRate = records / staged.seconds;
const consumeRate = consume.messages / consume.seconds;
const ceiling = Math.min(consumeRate, gzip.recordsPerSecond);
const result = {
  records,
  avg_record_bytes: Math.round(consume.bytes / consume.messages),
  produce_records_per_s: Math.round(records / produceSeconds),
  pipeline_records_per_s: Math.round(pipelineRate),
  pipeline_mb_per_s: +(consume.bytes / consume.messages * pipelineRate / 1e6).toFixed(2),
  pipeline_output_mb_per_s: +(pipeline.bytes_uncompressed / pipeline.seconds / 1e6).toFixed(2),
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
  batches: pipeline.batches,
  compression_ratio: +(pipeline.bytes_uncompressed / pipeline.bytes_compressed).toFixed(2),
  targets: { ratio_to_ceiling: 0.75, pusher_peak_rss_mb: 300, staged_ratio_to_ndjson: 0.85, filter_cost_share_of_pipeline: 0.15 },
};

const rows: [string, string][] = [
  ['records', `${records} (${result.avg_record_bytes} B each on Kafka)`],
  ['pipeline', `${result.pipeline_records_per_s} records/s, ${result.pipeline_mb_per_s} MB/s in, ${result.pipeline_output_mb_per_s} MB/s NDJSON out`],
  ['consume ceiling', `${result.consume_ceiling_records_per_s} records/s`],
  ['gzip ceiling', `${result.gzip_ceiling_records_per_s} records/s`],
  ['filter+fields+CSV', `${result.staged_records_per_s} records/s read, ${result.staged_records_delivered} delivered: ${result.staged_ratio_to_ndjson} of plain NDJSON (target ≥ 0.85)`],
  [
    'stage CPU',
    `${result.stage_ns_per_record.filter_fields_csv} ns/record filter+fields+CSV vs ${result.stage_ns_per_record.plain_ndjson} plain NDJSON (filter alone ${result.stage_ns_per_record.filter_alone} ns = ${(result.filter_cost_share_of_pipeline * 100).toFixed(1)}% of the pipeline's time per record; keeps ${(result.filter_kept_share * 100).toFixed(0)}%)`,
  ],
  ['ratio to ceiling', `${result.ratio_to_ceiling} (target ≥ 0.75; ${result.limiting_ceiling} is the lower ceiling)`],
  ['pusher peak RSS', `${result.pusher_peak_rss_mb} MB (target ≤ 300)`],
  ['batches', `${result.batches}, gzip ratio ${result.compression_ratio}`],
];
process.stdout.write(`${rows.map(([k, v]) => `${k.padEnd(18)} ${v}`).join('\n')}\n`);
if (values.json) await writeFile(values.json, `${JSON.stringify(result, null, 2)}\n`);
process.exit(0);
