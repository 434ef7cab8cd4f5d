// Tests that destination_conf is shown whole to callers with write access and with its credentials redacted to read-only callers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JobView } from '../../src/index.js';
import { ZONE, ZONE_READER, ZONE_WRITER, testApi, zonePath } from '../support/api-fixture.js';

const SECRETS = ['c2VjcmV0LWJhc2lj', 'AKIAWRITEONLY', 'wJalrXUtnFEMIsecret', 'dd-key-0123456789', 'ZaVnC4dhaV3uTKlvaCode', 'es-password'];
const CONFS = [
  `https://siem.example.com/in?header_Authorization=Basic%20${SECRETS[0]}`,
  `s3://logs/http?region=us-east-1&access-key-id=${SECRETS[1]}&secret-access-key=${SECRETS[2]}`,
  `datadog://http-intake.logs.datadoghq.com/api/v2/logs?header_DD-API-KEY=${SECRETS[3]}`,
  `sumo://endpoint1.collection.us2.sumologic.com/receiver/v1/http/${SECRETS[4]}`,
  `elasticsearch://elastic:${SECRETS[5]}@es.example.com:9200/logs`,
];

/** The jobs go straight into the store: the routes under test only read them. */
async function apiWithJobs() {
  const api = testApi();
  for (const [i, destination_conf] of CONFS.entries()) {
    await api.store.putJob({ id: i + 1, zone_id: ZONE, dataset: 'http_requests', name: `job-${i}`, destination_conf, enabled: false });
  }
  return api;
}

test('a read-only token sees every destination_conf with its credentials redacted, in lists, single jobs and dataset lists', async () => {
  const api = await apiWithJobs();
  const list = await api.call<JobView[]>('GET', zonePath('/logpush/jobs'), { token: ZONE_READER });
  assert.equal(list.status, 200);
  assert.equal(list.body.result.length, CONFS.length);
  const one = await api.call<JobView>('GET', zonePath(`/logpush/jobs/${list.body.result[0]?.id ?? 0}`), { token: ZONE_READER });
  const byDataset = await api.call<JobView[]>('GET', zonePath('/logpush/datasets/http_requests/jobs'), { token: ZONE_READER });
  for (const reply of [list, one, byDataset]) {
    for (const secret of SECRETS) assert.ok(!reply.text.includes(secret), `${secret} shown to a reader`);
  }
  assert.ok(list.body.result.every((job) => job.destination_conf.includes('REDACTED')));
  assert.equal(one.body.result.destination_conf, 'https://siem.example.com/in?header_Authorization=REDACTED');
});

test('a token with write access sees destination_conf whole', async () => {
  const api = await apiWithJobs();
  const list = await api.call<JobView[]>('GET', zonePath('/logpush/jobs'), { token: ZONE_WRITER });
  for (const secret of SECRETS) assert.ok(list.text.includes(secret), `${secret} hidden from a writer`);
});
