// Tests that a destination_conf shown to a read-scope caller keeps its shape and loses every credential.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactDestinationConf } from '../src/redact-conf.js';

test('each kind\'s credentials are replaced by REDACTED; the rest reads as written', () => {
  const cases: Array<[string, string]> = [
    ['s3://logs/http?region=us-east-1&access-key-id=AKIAEXAMPLE&secret-access-key=wJalrXUtnFEMI', 's3://logs/http?region=us-east-1&access-key-id=REDACTED&secret-access-key=REDACTED'],
    ['r2://logs/x?account-id=0123456789abcdef0123456789abcdef&access-key-id=ak&secret-access-key=sk', 'r2://logs/x?account-id=0123456789abcdef0123456789abcdef&access-key-id=REDACTED&secret-access-key=REDACTED'],
    ['https://siem.example.com/in?header_Authorization=Basic%20c2VjcmV0&tag=edge', 'https://siem.example.com/in?header_Authorization=REDACTED&tag=edge'],
    ['datadog://http-intake.logs.datadoghq.com/api/v2/logs?header_DD-API-KEY=0123abcd&ddsource=cloudflare', 'datadog://http-intake.logs.datadoghq.com/api/v2/logs?header_DD-API-KEY=REDACTED&ddsource=cloudflare'],
    ['splunk://hec.example.com:8088/services/collector/raw?channel=abc&header_Authorization=Splunk%20tok', 'splunk://hec.example.com:8088/services/collector/raw?channel=abc&header_Authorization=REDACTED'],
    ['elasticsearch://elastic:changeme@es.example.com:9200/logs', 'elasticsearch://REDACTED@es.example.com:9200/logs'],
    ['sumo://endpoint1.collection.us2.sumologic.com/receiver/v1/http/ZaVnC4dhaV3uTKlva?header_X-Sumo-Category=cf', 'sumo://endpoint1.collection.us2.sumologic.com/receiver/v1/http/REDACTED?header_X-Sumo-Category=REDACTED'],
    ['s3://logs/x?region=auto&endpoint=https%3A%2F%2Fuser%3Apass%40minio.example.com', 's3://logs/x?region=auto&endpoint=REDACTED'],
    ['https://logs.example.com/in?password=hunter2&api_key=k&sig=x', 'https://logs.example.com/in?password=REDACTED&api_key=REDACTED&sig=x'],
  ];
  for (const [conf, shown] of cases) assert.equal(redactDestinationConf(conf), shown, conf);
});

test('a conf without credentials is shown unchanged', () => {
  assert.equal(redactDestinationConf('s3://logs/http/{DATE}?region=us-east-1'), 's3://logs/http/{DATE}?region=us-east-1');
  assert.equal(redactDestinationConf('https://logs.example.com/in'), 'https://logs.example.com/in');
});
