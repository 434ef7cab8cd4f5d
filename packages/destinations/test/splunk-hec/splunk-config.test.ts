import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeSplunkConfig, parseSplunkConf } from '../../src/splunk-hec/splunk-config.js';
import type { SplunkHecConfig } from '../../src/splunk-hec/splunk-config.js';
import { defaultDestinations } from '../../src/registry.js';

const TOKEN = '7d0f3b1e-5c2a-4e8b-9a61-c0ffee5ec2e7';
const CHANNEL = '0aeeac95-ac74-4aa9-b30d-6c4c0ac581ba';
const GOOD = `splunk://splunk.example.com:8088/services/collector/raw?channel=${CHANNEL}&insecure-skip-verify=false&sourcetype=cloudflare:json&header_Authorization=Splunk%20${TOKEN}`;

function config(conf: string): SplunkHecConfig {
  const result = parseSplunkConf(conf);
  assert.ok(result.ok, result.ok ? '' : result.message);
  return result.config;
}

function refusal(conf: string): string {
  const result = parseSplunkConf(conf);
  assert.equal(result.ok, false, 'expected the destination_conf to be refused');
  return result.ok ? '' : result.message;
}

test("Logpush's documented Splunk URI is read in full", () => {
  assert.deepEqual(config(GOOD), {
    host: 'splunk.example.com',
    port: 8088,
    path: '/services/collector/raw',
    endpoint: 'raw',
    channel: CHANNEL,
    rejectUnauthorized: true,
    metadata: { sourcetype: 'cloudflare:json', source: undefined, host: undefined, index: undefined },
    headers: { authorization: `Splunk ${TOKEN}` },
  });
});

test('the event endpoint, its /services/collector alias and the /1.0 forms are accepted; the port defaults to 443', () => {
  const auth = `header_Authorization=Splunk%20${TOKEN}`;
  assert.equal(config(`splunk://h:8088/services/collector/event?${auth}`).endpoint, 'event');
  assert.equal(config(`splunk://h:8088/services/collector?${auth}`).endpoint, 'event');
  assert.equal(config(`splunk://h:8088/services/collector/raw/1.0?${auth}`).endpoint, 'raw');
  const cloud = config(`splunk://http-inputs-acme.splunkcloud.com/services/collector/event?${auth}&index=edge&source=logpush&host=zone-a`);
  assert.equal(cloud.port, 443);
  assert.deepEqual(cloud.metadata, { sourcetype: undefined, source: 'logpush', host: 'zone-a', index: 'edge' });
  assert.equal(cloud.channel, undefined);
});

test('a missing Authorization header is refused with an example', () => {
  assert.match(refusal(`splunk://h:8088/services/collector/raw?channel=${CHANNEL}`), /header_Authorization is required, e\.g\. splunk:\/\//);
});

test('an Authorization that is not "Splunk <token>" is refused without quoting it', () => {
  for (const value of [`Bearer%20${TOKEN}`, TOKEN, 'Splunk%20', `Splunk%20${TOKEN}%20extra`]) {
    const message = refusal(`splunk://h:8088/services/collector/raw?header_Authorization=${value}`);
    assert.match(message, /must be "Splunk <token>"/);
    assert.ok(!message.includes(TOKEN), message);
  }
});

test('a channel that is not a GUID is refused without quoting it (it may be a pasted token)', () => {
  const message = refusal(`splunk://h:8088/services/collector/raw?channel=Splunk%20${TOKEN}x&header_Authorization=Splunk%20${TOKEN}`);
  assert.match(message, /channel must be a GUID/);
  assert.ok(!message.includes(TOKEN), message);
});

test('a path that is no HEC endpoint is refused, naming the accepted ones', () => {
  const message = refusal(`splunk://h:8088/services/collector/raw/?header_Authorization=Splunk%20${TOKEN}`);
  assert.match(message, /path "\/services\/collector\/raw\/" is not a HEC endpoint; use one of \/services\/collector\/raw, /);
  assert.match(refusal(`splunk://h:8088?header_Authorization=Splunk%20${TOKEN}`), /path "" is not a HEC endpoint/);
});

test('insecure-skip-verify=true turns verification off; anything but true or false is refused', () => {
  assert.equal(config(GOOD.replace('insecure-skip-verify=false', 'insecure-skip-verify=true')).rejectUnauthorized, false);
  assert.equal(config(GOOD.replace('&insecure-skip-verify=false', '')).rejectUnauthorized, true);
  assert.match(refusal(GOOD.replace('insecure-skip-verify=false', 'insecure-skip-verify=yes')), /insecure-skip-verify must be true or false, not "yes"/);
});

test('every header_<Name> becomes a request header; reserved, malformed and injected headers are refused', () => {
  const withExtra = config(`${GOOD}&header_X-Forwarded-Tenant=acme`);
  assert.deepEqual(withExtra.headers, { authorization: `Splunk ${TOKEN}`, 'x-forwarded-tenant': 'acme' });
  assert.match(refusal(`${GOOD}&header_Content-Encoding=br`), /header_Content-Encoding is set by the destination itself/);
  assert.match(refusal(`${GOOD}&header_X-Splunk-Request-Channel=${CHANNEL}`), /use the channel parameter/);
  assert.match(refusal(`${GOOD}&header_Bad%20Name=1`), /does not name a valid HTTP header/);
  const injected = refusal(`splunk://h:1/services/collector/raw?header_Authorization=Splunk%20${TOKEN}%0D%0AX-Evil:%201`);
  assert.ok(!injected.includes(TOKEN), injected);
  const split = refusal(`${GOOD}&header_X-Note=a%0D%0AX-Evil:%201`);
  assert.match(split, /header_X-Note may not contain line breaks/);
});

test('unknown, repeated and empty parameters and credentials in the host part are refused', () => {
  assert.match(refusal(`${GOOD}&token=${TOKEN}`), /unknown parameter "token"; known: channel, /);
  assert.ok(!refusal(`${GOOD}&token=${TOKEN}`).includes(TOKEN));
  assert.match(refusal(`${GOOD}&sourcetype=again`), /parameter "sourcetype" is given more than once/);
  assert.match(refusal(`${GOOD}&index=`), /index may not be empty/);
  const userinfo = refusal(`splunk://x:${TOKEN}@h:8088/services/collector/raw?header_Authorization=Splunk%20${TOKEN}`);
  assert.match(userinfo, /credentials go in header_Authorization/);
  assert.ok(!userinfo.includes(TOKEN));
  assert.match(refusal('splunk://h:99999/services/collector/raw'), /"h:99999" is not a host\[:port\]/);
});

test('the description shows where batches go and never the token', () => {
  const description = describeSplunkConfig(config(`${GOOD}&header_X-Tenant=acme-secret-tenant`));
  assert.equal(
    description,
    `splunk://splunk.example.com:8088/services/collector/raw?channel=${CHANNEL}&sourcetype=cloudflare%3Ajson&header_authorization=REDACTED&header_x-tenant=REDACTED`,
  );
  assert.ok(!description.includes(TOKEN));
});

test('the default registry knows splunk:// and builds a destination whose description hides the token', async () => {
  assert.equal(defaultDestinations.check(GOOD), undefined);
  assert.match(defaultDestinations.check(GOOD.replace(/&header_Authorization=.*$/, '')) ?? '', /header_Authorization is required/);
  const destination = defaultDestinations.create(GOOD);
  try {
    assert.equal(destination.kind, 'splunk');
    assert.ok(destination.description.startsWith('splunk://splunk.example.com:8088/services/collector/raw?'));
    assert.ok(!destination.description.includes(TOKEN));
  } finally {
    await destination.close();
  }
});
