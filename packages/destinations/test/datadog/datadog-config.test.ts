import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDatadogConf } from '../../src/datadog/datadog-config.js';

test('the published form becomes an HTTPS POST with the key as a header, other parameters kept', () => {
  const parsed = parseDatadogConf('datadog://http-intake.logs.datadoghq.com/api/v2/logs?header_DD-API-KEY=k123&ddsource=cloudflare&service=S&host=H&ddtags=T');
  assert.ok(parsed.ok);
  assert.equal(parsed.config.url, 'https://http-intake.logs.datadoghq.com/api/v2/logs?ddsource=cloudflare&service=S&host=H&ddtags=T');
  assert.deepEqual(parsed.config.headers, [['DD-API-KEY', 'k123'], ['Content-Type', 'application/json']]);
  assert.ok(!parsed.config.description.includes('k123'));
});

test('a conf without header_DD-API-KEY is refused, naming the parameter', () => {
  const parsed = parseDatadogConf('datadog://http-intake.logs.datadoghq.com/api/v2/logs?ddsource=cloudflare');
  assert.ok(!parsed.ok);
  assert.match(parsed.message, /header_DD-API-KEY parameter is required/);
});

test('errors from the URL check speak of datadog://, not https://', () => {
  const parsed = parseDatadogConf('datadog:///api/v2/logs?header_DD-API-KEY=k');
  assert.ok(!parsed.ok);
  assert.match(parsed.message, /a host is required/);
  assert.ok(!parsed.message.includes('https://'), parsed.message);
});
