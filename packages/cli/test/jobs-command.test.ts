import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ACCOUNT, DEV_TOKEN, OTHER_ZONE, READER_TOKEN, ZONE, sluice, startApi } from './support/cli-against-api.js';
import type { ApiUnderTest, CliRun } from './support/cli-against-api.js';

const FILTER_5XX = '{"where":{"key":"EdgeResponseStatus","operator":"geq","value":500}}';
const FILTER_4XX = '{"where":{"key":"EdgeResponseStatus","operator":"geq","value":400}}';

function siem(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 7,
    name: 'siem',
    dataset: 'http_requests',
    zone_id: ZONE,
    enabled: true,
    destination_conf: 'https://logs.example.com/ingest?header_Authorization=Basic%20c2VjcmV0',
    filter: FILTER_5XX,
    output_options: { field_names: ['ClientIP', 'EdgeResponseStatus', 'RayID'], timestamp_format: 'rfc3339' },
    ...overrides,
  };
}

function archive(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { name: 'archive', dataset: 'http_requests', destination_conf: 'https://archive.example.com/in', output_options: { field_names: ['RayID'] }, ...overrides };
}

const dir = mkdtempSync(join(tmpdir(), 'sluice-jobs-apply-'));
let files = 0;
function jobsFile(document: unknown): string {
  const path = join(dir, `jobs-${++files}.json`);
  writeFileSync(path, typeof document === 'string' ? document : JSON.stringify(document));
  return path;
}

let api: ApiUnderTest;
const outputs: string[] = [];

/** `sluice jobs <args>` against the API under test, with the token in the environment. */
async function jobs(args: string[], env: Record<string, string | undefined> = {}): Promise<CliRun> {
  const run = await sluice(['jobs', ...args], { SLUICE_API_URL: api.url, SLUICE_API_TOKEN: DEV_TOKEN, ...env });
  outputs.push(run.stdout, run.stderr);
  return run;
}

function lines(text: string): string[] {
  return text.split('\n').filter((line) => line !== '');
}

function storedByName(name: string): Record<string, unknown> | undefined {
  return [...api.store.jobs().values()].find((job) => job.name === name);
}

// A fresh API per test, so that job ids start at 1.
beforeEach(async () => {
  api = await startApi();
});
afterEach(async () => {
  await api.close();
});

describe('sluice jobs apply', () => {
  test('creates the jobs of the file, and a second apply of the same file reports every job unchanged', async () => {
    const file = jobsFile({ jobs: [siem(), archive()] });
    const first = await jobs(['apply', '-f', file, '--zone', ZONE]);
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(lines(first.stdout), ['created siem (id 1)', 'created archive (id 2)']);
    const stored = storedByName('siem');
    assert.equal(stored?.['zone_id'], ZONE);
    assert.equal(stored?.['enabled'], true);
    assert.equal(stored?.['filter'], FILTER_5XX);
    assert.equal(storedByName('archive')?.['enabled'], false);

    const second = await jobs(['apply', '-f', file, '--zone', ZONE]);
    assert.equal(second.code, 0, second.stderr);
    assert.deepEqual(lines(second.stdout), ['unchanged siem (id 1)', 'unchanged archive (id 2)']);
    assert.equal(api.store.jobs().size, 2);
  });

  test('a changed filter is the only field sent, and the line names it', async () => {
    await jobs(['apply', '-f', jobsFile({ jobs: [siem(), archive()] }), '--zone', ZONE]);
    const run = await jobs(['apply', '-f', jobsFile({ jobs: [siem({ filter: FILTER_4XX }), archive()] }), '--zone', ZONE]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(lines(run.stdout), ['updated siem (id 1): filter', 'unchanged archive (id 2)']);
    assert.equal(storedByName('siem')?.['filter'], FILTER_4XX);
  });

  test('the file describes each job whole: a field left out of it is cleared, and enabled falls back to false', async () => {
    await jobs(['apply', '-f', jobsFile({ jobs: [siem()] }), '--zone', ZONE]);
    const { filter: _filter, enabled: _enabled, ...bare } = siem();
    const run = await jobs(['apply', '-f', jobsFile({ jobs: [bare] }), '--zone', ZONE]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(lines(run.stdout), ['updated siem (id 1): enabled, filter']);
    assert.equal(storedByName('siem')?.['filter'], undefined);
    assert.equal(storedByName('siem')?.['enabled'], false);
  });

  test('jobs of the zone that the file does not name are left alone and said so; --prune deletes them after the rest', async () => {
    await jobs(['apply', '-f', jobsFile({ jobs: [siem(), archive()] }), '--zone', ZONE]);
    const onlySiem = jobsFile({ jobs: [siem()] });
    const kept = await jobs(['apply', '-f', onlySiem, '--zone', ZONE]);
    assert.equal(kept.code, 0, kept.stderr);
    assert.deepEqual(lines(kept.stdout), ['unchanged siem (id 1)']);
    assert.match(kept.stderr, /left alone: archive \(id 2\) is in zones\/0123456789abcdef0123456789abcdef but not in the file \(--prune deletes such jobs\)/);
    assert.ok(storedByName('archive'));

    const pruned = await jobs(['apply', '-f', onlySiem, '--zone', ZONE, '--prune']);
    assert.equal(pruned.code, 0, pruned.stderr);
    assert.deepEqual(lines(pruned.stdout), ['unchanged siem (id 1)', 'deleted archive (id 2)']);
    assert.equal(storedByName('archive'), undefined);
    assert.deepEqual([...api.store.jobs().keys()], [1]);
  });

  test('--dry-run prints what would change and changes nothing', async () => {
    await jobs(['apply', '-f', jobsFile({ jobs: [siem(), archive()] }), '--zone', ZONE]);
    const before = structuredClone([...api.store.jobs().entries()]);
    const file = jobsFile({ jobs: [siem({ filter: FILTER_4XX, max_upload_interval_seconds: 60 }), archive({ name: 'cold-archive' })] });
    const run = await jobs(['apply', '-f', file, '--zone', ZONE, '--prune', '--dry-run']);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(lines(run.stdout), ['would update siem (id 1): filter, max_upload_interval_seconds', 'would create cold-archive', 'would delete archive (id 2)']);
    assert.match(run.stderr, /dry run: nothing was changed/);
    assert.deepEqual([...api.store.jobs().entries()], before);
  });

  test('custom fields in the file are PUT to the zone\'s ruleset when they differ, and unchanged the next time', async () => {
    const file = jobsFile({ jobs: [siem()], custom_fields: { [ZONE]: { request_fields: [{ name: 'cf-access-user' }] } } });
    const first = await jobs(['apply', '-f', file, '--zone', ZONE]);
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(lines(first.stdout), [`updated custom fields of zones/${ZONE}`, 'created siem (id 1)']);
    assert.deepEqual(api.store.customFields().get(ZONE), { request_fields: [{ name: 'cf-access-user' }] });
    const second = await jobs(['apply', '-f', file, '--zone', ZONE]);
    assert.deepEqual(lines(second.stdout), [`unchanged custom fields of zones/${ZONE}`, 'unchanged siem (id 1)']);
  });

  test('a field the API refuses stops the apply with exit 1 and the field named, after printing what was already applied', async () => {
    const file = jobsFile({ jobs: [archive(), siem({ max_upload_records: 5 }), archive({ name: 'never-reached' })] });
    const run = await jobs(['apply', '-f', file, '--zone', ZONE]);
    assert.equal(run.code, 1);
    assert.deepEqual(lines(run.stdout), ['created archive (id 1)']);
    assert.match(run.stderr, /^sluice jobs apply: creating siem failed; stopped here:\n1001: max_upload_records: 5 is not allowed; expected an integer from 1,000 to 1,000,000/m);
    assert.equal(storedByName('never-reached'), undefined);
  });

  test('a dataset change is refused before anything is written', async () => {
    await jobs(['apply', '-f', jobsFile({ jobs: [siem(), archive()] }), '--zone', ZONE]);
    const file = jobsFile({ jobs: [siem({ filter: FILTER_4XX }), archive({ dataset: 'dns_logs', output_options: { field_names: ['QueryName'] } })] });
    const run = await jobs(['apply', '-f', file, '--zone', ZONE]);
    assert.equal(run.code, 1);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /archive \(id 2\): dataset cannot change \(the job has "http_requests", the file says "dns_logs"\)/);
    assert.match(run.stderr, /nothing was applied/);
    assert.equal(storedByName('siem')?.['filter'], FILTER_5XX);
  });

  test('a file that apply cannot use exits 2 naming the problem, before calling the API', async () => {
    const cases: [unknown, RegExp][] = [
      ['{"jobs": [', /not valid JSON/],
      [{ jobs: [{ dataset: 'http_requests', destination_conf: 'https://x.example.com' }] }, /\/jobs\/0\/name: every job needs a name/],
      [{ jobs: [siem(), siem()] }, /\/jobs\/1\/name: "siem" is also the name of \/jobs\/0/],
      [{ jobs: [siem({ zone_id: OTHER_ZONE })] }, /\/jobs\/0\/zone_id: job "siem" is for "fedcba9876543210fedcba9876543210", not 0123456789abcdef0123456789abcdef/],
      [{ jobz: [] }, /expected \{"jobs":\[\.\.\.\]\}/],
      [{ jobs: [], custom_fields: { [OTHER_ZONE]: {} } }, /\/custom_fields\/fedcba9876543210fedcba9876543210: not the zone being applied/],
    ];
    for (const [document, message] of cases) {
      const run = await jobs(['apply', '-f', jobsFile(document), '--zone', ZONE]);
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, message);
    }
    assert.equal(api.store.jobs().size, 0);
  });
});

describe('sluice jobs list, get, enable, disable, delete', () => {
  beforeEach(async () => {
    await jobs(['apply', '-f', jobsFile({ jobs: [siem(), archive()] }), '--zone', ZONE]);
  });

  test('list prints a table with redacted destinations, or the API result with --json', async () => {
    const table = await jobs(['list', '--zone', ZONE]);
    assert.equal(table.code, 0, table.stderr);
    const rows = lines(table.stdout);
    assert.match(rows[0] ?? '', /^ID +NAME +DATASET +ENABLED +LAST COMPLETE +LAST ERROR +DESTINATION$/);
    assert.match(rows[1] ?? '', /^1 +siem +http_requests +yes +- +- +https:\/\/logs\.example\.com\/ingest\?header_Authorization=REDACTED$/);
    assert.match(rows[2] ?? '', /^2 +archive +http_requests +no /);
    const json = await jobs(['list', '--zone', ZONE, '--json']);
    const listed = JSON.parse(json.stdout) as { id: number; name: string }[];
    assert.deepEqual(listed.map((job) => [job.id, job.name]), [[1, 'siem'], [2, 'archive']]);
  });

  test('get prints the job as JSON', async () => {
    const run = await jobs(['get', '1', '--zone', ZONE]);
    assert.equal(run.code, 0, run.stderr);
    const job = JSON.parse(run.stdout) as Record<string, unknown>;
    assert.equal(job['name'], 'siem');
    assert.equal(job['filter'], FILTER_5XX);
  });

  test('disable and enable PUT enabled, and delete removes the job', async () => {
    const disabled = await jobs(['disable', '1', '--zone', ZONE]);
    assert.equal(disabled.code, 0, disabled.stderr);
    assert.equal(disabled.stdout, 'disabled siem (id 1)\n');
    assert.equal(api.store.jobs().get(1)?.enabled, false);
    const enabled = await jobs(['enable', '2', '--zone', ZONE]);
    assert.equal(enabled.stdout, 'enabled archive (id 2)\n');
    assert.equal(api.store.jobs().get(2)?.enabled, true);
    const deleted = await jobs(['delete', '2', '--zone', ZONE]);
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.equal(deleted.stdout, 'deleted job 2\n');
    assert.equal(api.store.jobs().has(2), false);
  });

  test('a job of another zone is not found: exit 1 with code 1002', async () => {
    const run = await jobs(['get', '1', '--zone', OTHER_ZONE]);
    assert.equal(run.code, 1);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /^1002: job 1 not found in zones\/fedcba9876543210fedcba9876543210$/m);
  });

  test('a token with read access can list but not disable: exit 1 with code 10000', async () => {
    const listed = await jobs(['list', '--zone', ZONE, '--api-token', READER_TOKEN]);
    assert.equal(listed.code, 0, listed.stderr);
    const refused = await jobs(['disable', '1', '--zone', ZONE, '--api-token', READER_TOKEN]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /^10000: Authentication error: token:reader has no write access/m);
    assert.equal(api.store.jobs().get(1)?.enabled, true);
  });
});

describe('sluice jobs: where the API is, who calls it', () => {
  test('without a token the API answers 9106: exit 1, and the command says how to give one', async () => {
    const run = await jobs(['list', '--zone', ZONE], { SLUICE_API_TOKEN: undefined });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^9106: Missing X-Auth-Key, X-Auth-Email or Authorization headers$/m);
    assert.match(run.stderr, /no API token was sent: set SLUICE_API_TOKEN or pass --api-token <token>/);
  });

  test('an unknown token is 9109, exit 1', async () => {
    const run = await jobs(['list', '--zone', ZONE], { SLUICE_API_TOKEN: 'not-a-known-token' });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^9109: Invalid access token$/m);
  });

  test('--api-url and --api-token win over the environment', async () => {
    const run = await sluice(['jobs', 'list', '--zone', ZONE, '--json', '--api-url', api.url, '--api-token', DEV_TOKEN], {
      SLUICE_API_URL: 'http://127.0.0.1:1/client/v4',
      SLUICE_API_TOKEN: 'not-a-known-token',
    });
    outputs.push(run.stdout, run.stderr);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), []);
  });

  test('an API that cannot be reached exits 1 saying where and why', async () => {
    const gone = await startApi();
    await gone.close();
    const run = await jobs(['list', '--zone', ZONE], { SLUICE_API_URL: gone.url });
    assert.equal(run.code, 1);
    assert.match(run.stderr, new RegExp(`^sluice: GET ${gone.url.replaceAll('.', '\\.')}/zones/${ZONE}/logpush/jobs: cannot reach the API: .*ECONNREFUSED`, 'm'));
  });

  test('usage errors exit 2: the scope, the job id, a missing -f', async () => {
    const cases: [string[], RegExp][] = [
      [['list'], /give exactly one of --zone <id> or --account <id>/],
      [['list', '--zone', ZONE, '--account', ACCOUNT], /give exactly one of --zone <id> or --account <id>/],
      [['list', '--zone', 'acme'], /zone id "acme" is not a 32-character lowercase hex id/],
      [['get', 'x1', '--zone', ZONE], /the job id must be an integer ≥ 1, got "x1"/],
      [['apply', '--zone', ZONE], /required option '-f, --file <file>' not specified/],
      [['list', '--zone', ZONE, '--api-url', 'ftp://example.com'], /the API URL "ftp:\/\/example\.com" is not http or https/],
    ];
    for (const [args, message] of cases) {
      const run = await jobs(args);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, message);
    }
  });

  test('account jobs are applied under /accounts', async () => {
    const file = jobsFile({ jobs: [{ name: 'access', dataset: 'access_requests', account_id: ACCOUNT, destination_conf: 'https://audit.example.com/in', output_options: { field_names: ['CreatedAt', 'Email'] } }] });
    const run = await jobs(['apply', '-f', file, '--account', ACCOUNT]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(lines(run.stdout), ['created access (id 1)']);
    assert.equal(storedByName('access')?.['account_id'], ACCOUNT);
  });
});

test('no output of any command above contains an API token', () => {
  assert.ok(outputs.length > 20);
  for (const output of outputs) {
    assert.ok(!output.includes(DEV_TOKEN), output);
    assert.ok(!output.includes(READER_TOKEN), output);
  }
});
