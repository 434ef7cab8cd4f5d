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
  const jobs = parseJobsFile(JSON.stringify({ jobs: [good, { ...good, id: 2 }] }), 'jobs.json');
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
