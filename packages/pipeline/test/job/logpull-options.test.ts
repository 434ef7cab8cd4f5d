import { test } from 'node:test';
import assert from 'node:assert/strict';
import { convertLogpullOptions } from '../../src/job/logpull-options.js';

test("Logpush's migration example converts to the published output_options", () => {
  assert.deepEqual(convertLogpullOptions('fields=ClientIP,EdgeStartTimestamp,RayID&sample=0.1&timestamps=rfc3339&CVE-2021-44228=true'), {
    ok: true,
    outputOptions: { field_names: ['ClientIP', 'EdgeStartTimestamp', 'RayID'], sample_rate: 0.1, timestamp_format: 'rfc3339', 'CVE-2021-44228': true },
  });
});

test('a leading ? or & is accepted, as older jobs were written', () => {
  assert.deepEqual(convertLogpullOptions('?fields=RayID&timestamps=unix'), { ok: true, outputOptions: { field_names: ['RayID'], timestamp_format: 'unix' } });
});

test('bad values and unknown keys are each reported with what is allowed', () => {
  const result = convertLogpullOptions('fields=RayID&timestamps=iso&sample=2&CVE-2021-44228=yes&feilds=x');
  assert.equal(result.ok, false);
  assert.deepEqual(
    result.ok ? [] : result.issues.map((i) => `${i.path}: ${i.message}`),
    [
      '/logpull_options: timestamps="iso" is not allowed; expected unixnano, unix, rfc3339',
      '/logpull_options: sample="2" is not allowed; expected a number greater than 0 and at most 1',
      '/logpull_options: CVE-2021-44228="yes" is not allowed; expected true or false',
      '/logpull_options: "feilds" is not a logpull option (did you mean "fields"?); expected fields, timestamps, sample, CVE-2021-44228',
    ],
  );
});

test('fields are required', () => {
  const result = convertLogpullOptions('timestamps=rfc3339');
  assert.deepEqual(result.ok ? [] : result.issues.map((i) => i.message), ['has no fields=; expected e.g. fields=ClientIP,EdgeStartTimestamp,RayID']);
});
