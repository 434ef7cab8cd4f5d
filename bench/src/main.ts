// `npm run bench`: the pipeline against its ceilings (pipeline-section.ts), then the edge gateway against the origin it
// fronts (gateway-section.ts), in one run on one machine. `--only gateway` (or `--only pipeline`) runs one section.
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { gatewayReport } from './gateway-report.js';
import { measureGatewaySection } from './gateway-section.js';
import { measurePipelineSection } from './pipeline-section.js';
import { measureAccessIndexSection } from './access-index-section.js';

/** The sections, in the order they run; `--only a,b` runs those alone. */
const SECTIONS = ['pipeline', 'gateway', 'access-index'] as const;
type Section = (typeof SECTIONS)[number];
/** Warm-up before each of the gateway section's measured runs, seconds: keep-alive pools, the token cache and the JIT warm, as in production. */
const GATEWAY_WARMUP_SECONDS = 3;

const { values } = parseArgs({ options: { records: { type: 'string', default: '500000' }, json: { type: 'string' }, only: { type: 'string' } } });
const records = Number(values.records);
if (!Number.isInteger(records) || records < 1000) throw new Error(`--records must be an integer ≥ 1000, got ${values.records}`);
/** Alone/beside pairs of the failure-isolation measurement; their median ratio is reported. */
const isolationRounds = Number(process.env['SLUICE_BENCH_ISOLATION_ROUNDS'] ?? '3');
if (!Number.isInteger(isolationRounds) || isolationRounds < 1 || isolationRounds > 20) {
  throw new Error(`SLUICE_BENCH_ISOLATION_ROUNDS must be an integer from 1 to 20, got ${process.env['SLUICE_BENCH_ISOLATION_ROUNDS']}`);
}
/** Length of each of the gateway section's nine measured runs, seconds (default 10). */
const gatewaySeconds = Number(process.env['SLUICE_BENCH_GATEWAY_SECONDS'] ?? '10');
if (!Number.isInteger(gatewaySeconds) || gatewaySeconds < 1 || gatewaySeconds > 120) {
  throw new Error(`SLUICE_BENCH_GATEWAY_SECONDS must be an integer from 1 to 120, got ${process.env['SLUICE_BENCH_GATEWAY_SECONDS']}`);
}
const selected = parseSections(values.only);

function parseSections(only: string | undefined): ReadonlySet<Section> {
  if (only === undefined) return new Set(SECTIONS);
  const names = only.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !(SECTIONS as readonly string[]).includes(name));
  if (unknown.length > 0 || names.length === 0) throw new Error(`--only takes sections separated by commas, from: ${SECTIONS.join(', ')}; got ${JSON.stringify(only)} (example: --only gateway)`);
  return new Set(names as Section[]);
}

const say = (line: string): void => void process.stderr.write(`${line}\n`);

// The pipeline's figures stay at the top level of --json, as before sections existed; the gateway's go under `gateway`.
let result: Record<string, unknown> = {};
const rows: [string, string][] = [];
if (selected.has('pipeline')) {
  const pipeline = await measurePipelineSection({ records, isolationRounds, say });
  result = { ...pipeline.result };
  rows.push(...pipeline.rows);
}
if (selected.has('gateway')) {
  const gateway = gatewayReport(await measureGatewaySection({ seconds: gatewaySeconds, warmupSeconds: GATEWAY_WARMUP_SECONDS, say }));
  result['gateway'] = gateway.json;
  rows.push(...gateway.rows);
}

if (selected.has('access-index')) {
  const accessEvents = Number(process.env['SLUICE_BENCH_ACCESS_EVENTS'] ?? '1000000');
  if (!Number.isInteger(accessEvents) || accessEvents < 10_000) throw new Error(`SLUICE_BENCH_ACCESS_EVENTS must be an integer ≥ 10000, got ${process.env['SLUICE_BENCH_ACCESS_EVENTS']}`);
  const access = measureAccessIndexSection({ events: accessEvents, repeats: 30, say });
  result['access_index'] = access.result;
  rows.push(...access.rows);
}
process.stdout.write(`${rows.map(([k, v]) => `${k.padEnd(20)} ${v}`).join('\n')}\n`);
if (values.json) await writeFile(values.json, `${JSON.stringify(result, null, 2)}\n`);
process.exit(0);
