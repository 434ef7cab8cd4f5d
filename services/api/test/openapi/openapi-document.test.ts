import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JobSchema } from '@sluice/pipeline';
import { OPENAPI_PATH } from '../../src/index.js';
import { testApi } from '../support/api-fixture.js';

interface Document {
  openapi: string;
  paths: Record<string, Record<string, { operationId: string; requestBody?: unknown; responses: Record<string, { description: string }> }>>;
  components: { schemas: Record<string, { properties: Record<string, { description?: string; pattern?: string }>; required?: string[] }> };
}

async function document(): Promise<{ doc: Document; text: string }> {
  const api = testApi();
  const reply = await api.app.inject({ method: 'GET', url: OPENAPI_PATH });
  assert.equal(reply.statusCode, 200);
  assert.match(String(reply.headers['content-type']), /^application\/json/);
  return { doc: JSON.parse(reply.body) as Document, text: reply.body };
}

test('is served without credentials and lists every route under both scopes', async () => {
  const { doc } = await document();
  assert.equal(doc.openapi, '3.1.0');
  const operations = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`));
  const logpush = ['GET jobs', 'POST jobs', 'GET jobs/{job_id}', 'PUT jobs/{job_id}', 'DELETE jobs/{job_id}', 'GET datasets/{dataset}/fields', 'GET datasets/{dataset}/jobs', 'POST ownership', 'POST ownership/validate', 'POST validate/destination', 'POST validate/destination/exists', 'POST validate/origin'];
  for (const scope of ['/zones/{zone_id}', '/accounts/{account_id}']) {
    for (const entry of logpush) {
      const [method, path] = entry.split(' ');
      assert.ok(operations.includes(`${method} ${scope}/logpush/${path}`), `${method} ${scope}/logpush/${path}`);
    }
  }
  assert.ok(operations.includes('PUT /zones/{zone_id}/rulesets/phases/http_log_custom_fields/entrypoint'));
  assert.ok(operations.includes('GET /zones/{zone_id}/rulesets/phases/http_log_custom_fields/entrypoint'));
  for (const scope of ['/zones/{zone_id}', '/accounts/{account_id}']) {
    assert.ok(operations.includes(`GET ${scope}/logpush/jobs/sluice/health`), `job health list under ${scope}`);
    assert.ok(operations.includes(`GET ${scope}/logpush/jobs/{job_id}/sluice/health`), `job health under ${scope}`);
  }
  // Logpush's 12 under both scopes, custom fields' 2, Sluice's job health 2 under both scopes, the audit and access-log routes.
  assert.equal(operations.length, 12 * 2 + 2 + 2 * 2 + 1 + 1);
  const ids = Object.values(doc.paths).flatMap((methods) => Object.values(methods).map((op) => op.operationId));
  assert.equal(new Set(ids).size, ids.length, 'operation ids are unique');
});

test('the job schemas are the pipeline\'s JobSchema, with its "allowed" texts as descriptions', async () => {
  const { doc, text } = await document();
  const create = doc.components.schemas['JobCreate'];
  assert.ok(create);
  const expected = Object.keys(JobSchema.properties).filter((key) => !['id', 'zone_id', 'account_id'].includes(key));
  assert.deepEqual(Object.keys(create.properties).sort(), expected.sort());
  assert.deepEqual(create.required?.sort(), ['dataset', 'destination_conf']);
  assert.equal(create.properties['max_upload_records']?.description, JobSchema.properties.max_upload_records.allowed);
  // The keyword holds a text; `allowed` as a name (the access_requests field and filter) is fine.
  assert.ok(!/"allowed":"/.test(text), 'no TypeBox-only keyword is left');
  assert.ok(doc.components.schemas['Job']?.properties['last_error'], 'the job view has the health fields');
  assert.equal(doc.components.schemas['JobUpdate']?.required, undefined, 'every update field is optional');
});

test('each operation lists its error codes by status', async () => {
  const { doc } = await document();
  const create = doc.paths['/zones/{zone_id}/logpush/jobs']?.['post'];
  assert.ok(create?.requestBody);
  assert.match(create.responses['400']?.description ?? '', /1001 \(INVALID_FIELD\).*1003 \(MAX_JOBS_EXCEEDED\).*6007 \(MALFORMED_JSON\)/);
  assert.match(create.responses['401']?.description ?? '', /9106/);
  assert.match(create.responses['403']?.description ?? '', /10000/);
  assert.match(create.responses['413']?.description ?? '', /6008/);
  const list = doc.paths['/zones/{zone_id}/logpush/jobs']?.['get'];
  assert.equal(list?.responses['413'], undefined, 'routes without a body have no body errors');
});
