import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DatasetRecord } from '@sluice/schemas';
import { createCustomFieldProjector } from '../../src/custom-fields/project-custom-fields.js';
import { NO_CUSTOM_FIELDS } from '../../src/custom-fields/custom-field-set.js';
import type { CustomFieldSet } from '../../src/custom-fields/custom-field-set.js';

const accessUser: CustomFieldSet = { requestHeaders: ['cf-access-user'], responseHeaders: [], cookies: [] };

function project(fields: CustomFieldSet, fieldNames: string[], record: DatasetRecord): DatasetRecord {
  const projector = createCustomFieldProjector(fields, fieldNames);
  assert.ok(projector, 'a projector is built when the job delivers a header or cookie map');
  projector(record);
  return record;
}

test('only cf-access-user survives in RequestHeaders when it is the only listed header', () => {
  const record = project(accessUser, ['RayID', 'RequestHeaders'], {
    RayID: '5y1250bcjd621y99',
    RequestHeaders: { authorization: 'Bearer secret', 'cf-access-user': 'srhea', cookie: 'session=1', 'user-agent': 'curl/8' },
  });
  assert.deepEqual(record, { RayID: '5y1250bcjd621y99', RequestHeaders: { 'cf-access-user': 'srhea' } });
});

test('a zone without custom fields delivers empty header and cookie maps', () => {
  const record = project(NO_CUSTOM_FIELDS, ['RequestHeaders', 'ResponseHeaders', 'Cookies'], {
    RequestHeaders: { 'cf-access-user': 'srhea' },
    ResponseHeaders: { server: 'nginx' },
    Cookies: { session: 'abc' },
  });
  assert.deepEqual(record, { RequestHeaders: {}, ResponseHeaders: {}, Cookies: {} });
});

test('header names match whatever their case in the record; cookie names match exactly', () => {
  const fields = { requestHeaders: ['cf-access-user', 'x-forwarded-for'], responseHeaders: ['server'], cookies: ['accountNumber'] };
  const record = project(fields, ['RequestHeaders', 'ResponseHeaders', 'Cookies'], {
    RequestHeaders: { 'CF-Access-User': 'srhea', 'X-Forwarded-For': '198.51.100.206', Authorization: 'Basic x' },
    ResponseHeaders: { Server: 'nginx', 'Set-Cookie': 'a=b' },
    Cookies: { accountnumber: 'lower', accountNumber: '42' },
  });
  assert.deepEqual(record, {
    RequestHeaders: { 'cf-access-user': 'srhea', 'x-forwarded-for': '198.51.100.206' },
    ResponseHeaders: { server: 'nginx' },
    Cookies: { accountNumber: '42' },
  });
});

test('kept names come out in configuration order whatever the record order', () => {
  const fields = { requestHeaders: ['b', 'a'], responseHeaders: [], cookies: [] };
  const record = project(fields, ['RequestHeaders'], { RequestHeaders: { a: '1', c: '3', b: '2' } });
  assert.deepEqual(Object.keys(record['RequestHeaders'] as object), ['b', 'a']);
});

test('absent maps stay absent, and a value that is not a map delivers nothing of itself', () => {
  const record = project(accessUser, ['RequestHeaders', 'Cookies'], { Cookies: 'session=1' });
  assert.deepEqual(record, { Cookies: {} });
});

test('no projector is built for a job that delivers none of the maps', () => {
  assert.equal(createCustomFieldProjector(accessUser, ['RayID', 'ClientIP']), undefined);
});
