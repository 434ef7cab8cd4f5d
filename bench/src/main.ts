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
import { BENCH_FIELDS } from './bench-job.js';
import { measureGzipCeiling } from './gzip-ceiling.js';
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

say('bench: pipeline (one pusher process, one job: Kafka → gzip NDJSON → S3)…');
const dir = await mkdtemp(join(tmpdir(), 'sluice-bench-'));
const jobsFile = join(dir, 'jobs.json');
const destination = new URLSearchParams({ region: infra.S3_REGION, endpoint: infra.S3_ENDPOINT, 'access-key-id': infra.S3_ACCESS_KEY_ID, 'secret-access-key': infra.S3_SECRET_ACCESS_KEY });
const job = {
  id: 900_000 + Number.parseInt(tag.slice(0, 4), 16),
  name: 'bench',
  dataset: 'http_requests',
  zone_id: zone.zoneId,
  enabled: true,
  destination_conf: `s3://${bucket}/http/{DATE}?${destination.toString()}`,
  output_options: { field_names: BENCH_FIELDS },
  start_from: new Date(startTimeMs - 1000).toISOString(),
};
await writeFile(jobsFile, JSON.stringify({ jobs: [job] }));
const pipeline = await runChild<{ seconds: number; records_delivered: number; batches: number; bytes_uncompressed: number; bytes_compressed: number; peak_rss_mb: number }>(
  './pusher-child.js',
  [jobsFile, String(records)],
);
if (pipeline.records_delivered !== records) throw new Error(`the pipeline delivered ${pipeline.records_delivered} of ${records} records`);

const pipelineRate = records / pipeline.seconds;
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
  limiting_ceiling: consumeRate < gzip.recordsPerSecond ? 'consume' : 'gzip',
  pusher_peak_rss_mb: Math.round(pipeline.peak_rss_mb),
  batches: pipeline.batches,
  compression_ratio: +(pipeline.bytes_uncompressed / pipeline.bytes_compressed).toFixed(2),
  targets: { ratio_to_ceiling: 0.75, pusher_peak_rss_mb: 300 },
};

const rows: [string, string][] = [
  ['records', `${records} (${result.avg_record_bytes} B each on Kafka)`],
  ['pipeline', `${result.pipeline_records_per_s} records/s, ${result.pipeline_mb_per_s} MB/s in, ${result.pipeline_output_mb_per_s} MB/s NDJSON out`],
  ['consume ceiling', `${result.consume_ceiling_records_per_s} records/s`],
  ['gzip ceiling', `${result.gzip_ceiling_records_per_s} records/s`],
  ['ratio to ceiling', `${result.ratio_to_ceiling} (target ≥ 0.75; ${result.limiting_ceiling} is the lower ceiling)`],
  ['pusher peak RSS', `${result.pusher_peak_rss_mb} MB (target ≤ 300)`],
  ['batches', `${result.batches}, gzip ratio ${result.compression_ratio}`],
];
process.stdout.write(`${rows.map(([k, v]) => `${k.padEnd(18)} ${v}`).join('\n')}\n`);
if (values.json) await writeFile(values.json, `${JSON.stringify(result, null, 2)}\n`);
process.exit(0);
