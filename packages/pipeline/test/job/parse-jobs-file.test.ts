import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseJobsFile } from '../../src/job/parse-jobs-file.js';
import { JobConfigError } from '../../src/job/job-issue.js';

const ZONE = '0123456789abcdef0123456789abcdef';
const good = { id: 1, name: 'one', dataset: 'http_requests', zone_id: ZONE, destination_conf: 's3://b?region=r', output_options: { field_names: ['RayID'] } };

function issuesOf(text: string): string[] {
  try {
    parseJobsFile(text, 'jobs.json');
  } catch (error) {
    assert.ok(error instanceof JobConfigError);
    assert.equal(error.code, 'JOB_INVALID');
    return error.issues.map((i) => `${i.path}: ${i.message}`);
  }
  return [];
}

test('every job of a valid file is returned', () => {
  const { jobs } = parseJobsFile(JSON.stringify({ jobs: [good, { ...good, id: 2 }] }), 'jobs.json');
  assert.deepEqual(jobs.map((j) => j.id), [1, 2]);
});

test('each problem names the job by position, id and name, and the field', () => {
  const issues = issuesOf(JSON.stringify({ jobs: [good, { ...good, id: 2, name: 'two', output_options: { field_names: ['Rayid'] } }] }));
  assert.deepEqual(issues, ['/jobs/1/output_options/field_names/0: job #1 id 2 "two": "Rayid" is not a field of http_requests (did you mean "RayID"?)']);
});

test('duplicate job ids are refused', () => {
  assert.deepEqual(issuesOf(JSON.stringify({ jobs: [good, good] })), ['/jobs/1/id: job id 1 is used twice (also /jobs/0)']);
});

test('a file that is not JSON or not {"jobs":[...]} says so', () => {
  assert.match(issuesOf('{"jobs": [')[0] ?? '', /^: not valid JSON/);
  assert.deepEqual(issuesOf('[]'), ['/jobs: expected {"jobs":[...]}, got []']);
});

const zone = 'fc2a592da4d8156b183887d43211950a';

test('custom fields are read per zone in the ruleset action_parameters shape', () => {
  const { customFields } = parseJobsFile(
    JSON.stringify({
      jobs: [good],
      custom_fields: {
        [zone]: {
          request_fields: [{ name: 'cf-access-user' }],
          transformed_request_fields: [{ name: 'host' }],
          response_fields: [{ name: 'server' }],
          raw_response_fields: [{ name: 'allow', preserve_duplicates: true }],
          cookie_fields: [{ name: 'accountNumber' }],
        },
      },
    }),
    'jobs.json',
  );
  assert.deepEqual(customFields.get(zone), { requestHeaders: ['cf-access-user', 'host'], responseHeaders: ['server', 'allow'], cookies: ['accountNumber'] });
});

test('bad custom fields are refused with the zone, the list and the name', () => {
  const issues = issuesOf(
    JSON.stringify({
      jobs: [good],
      custom_fields: { [zone]: { request_fields: [{ name: 'CF-Access-User' }], response_fields: [{ name: 'server' }], raw_response_fields: [{ name: 'server' }] }, 'example.com': {} },
    }),
  );
  assert.deepEqual(issues, [
    `/custom_fields/${zone}/request_fields/0/name: custom fields: "CF-Access-User" is not a valid header name (header names are written in lower case: "cf-access-user")`,
    `/custom_fields/${zone}/raw_response_fields/0/name: custom fields: "server" is in both response_fields and raw_response_fields; a header is logged raw or transformed, not both`,
    '/custom_fields/example.com: custom fields: "example.com" is not a zone id; expected a 32-character lowercase hex id',
  ]);
});

test('an unknown top-level key of the jobs file is refused with a suggestion', () => {
  assert.deepEqual(issuesOf(JSON.stringify({ jobs: [good], customfields: {} })), [
    '/customfields: "customfields" is not a jobs-file key (did you mean "custom_fields"?); expected "jobs" and optionally "custom_fields"',
  ]);
});
