import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compactTime, objectKey, testObjectKey } from '../src/object-key.js';

test('object keys follow Logpush: dir with the UTC date, start and end times, suffix, .log.gz', () => {
  const start = Date.UTC(2026, 0, 31, 23, 59, 58);
  const end = Date.UTC(2026, 1, 1, 0, 0, 3);
  assert.equal(
    objectKey({ path: 'http/{DATE}', startTimeMs: start, endTimeMs: end, suffix: 'job1-p0-o42' }),
    'http/20260131/20260131T235958Z_20260201T000003Z_job1-p0-o42.log.gz',
  );
});

test('an empty path puts objects at the bucket root', () => {
  assert.equal(objectKey({ path: '', startTimeMs: 0, endTimeMs: 1000, suffix: 's' }), '19700101T000000Z_19700101T000001Z_s.log.gz');
});

test('compactTime drops separators and milliseconds', () => {
  assert.equal(compactTime(Date.UTC(2019, 10, 10, 9, 51, 7, 999)), '20191110T095107Z');
});

test('the validation object goes to <dir>/<YYYYMMDD>/test.txt.gz, or into the expanded {DATE} folder', () => {
  const ms = Date.UTC(2026, 0, 31, 12);
  assert.equal(testObjectKey('logs/http', ms), 'logs/http/20260131/test.txt.gz');
  assert.equal(testObjectKey('logs/{DATE}', ms), 'logs/20260131/test.txt.gz');
  assert.equal(testObjectKey('', ms), '20260131/test.txt.gz');
});
