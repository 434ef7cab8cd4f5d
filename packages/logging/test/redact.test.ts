import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactText, redactUrl } from '../src/redact.js';

test('redactUrl hides S3 keys but keeps the bucket, region and endpoint readable', () => {
  const url =
    's3://logs/http/{DATE}?region=us-east-1&endpoint=http://127.0.0.1:9000&access-key-id=AKIA123&secret-access-key=s3cr3t';
  const redacted = redactUrl(url);
  assert.equal(
    redacted,
    's3://logs/http/{DATE}?region=us-east-1&endpoint=http://127.0.0.1:9000&access-key-id=REDACTED&secret-access-key=REDACTED',
  );
});

test('redactUrl hides every header_ parameter and userinfo', () => {
  const redacted = redactUrl('https://user:pw@siem.example/ingest?header_Authorization=Basic%20abc&header_X-Team=sec&keep=1');
  assert.equal(redacted, 'https://REDACTED@siem.example/ingest?header_Authorization=REDACTED&header_X-Team=REDACTED&keep=1');
});

test('redactText finds URLs and authorization values inside free text', () => {
  const text = 'PUT failed for s3://b/p?secret-access-key=TOPSECRET: Authorization: Splunk 1234-abcd rejected';
  const redacted = redactText(text);
  assert.ok(!redacted.includes('TOPSECRET'), redacted);
  assert.ok(!redacted.includes('1234-abcd'), redacted);
  assert.ok(redacted.includes('s3://b/p?secret-access-key=REDACTED'), redacted);
});

test('a parameter whose value is a URL with userinfo is redacted, whatever its name', () => {
  assert.equal(redactUrl('s3://logs/x?region=auto&endpoint=https%3A%2F%2Fuser%3Apass%40minio.example.com'), 's3://logs/x?region=auto&endpoint=REDACTED');
  assert.equal(redactUrl('https://a.example.com/in?next=https://b.example.com/ok'), 'https://a.example.com/in?next=https://b.example.com/ok');
});
