// Tests for reading generic HTTP destination_conf URLs: headers out of the query, everything else kept, secrets never echoed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHttpConf } from '../../src/http/http-config.js';
import type { HttpConfig } from '../../src/http/http-config.js';
import { defaultDestinations } from '../../src/registry.js';

const SECRET = 'dXNlcjpTM0NSM1Q=';

function parsed(conf: string): HttpConfig {
  const result = parseHttpConf(conf);
  assert.ok(result.ok, result.ok ? '' : result.message);
  return result.config;
}

function refusal(conf: string): string {
  const result = parseHttpConf(conf);
  assert.equal(result.ok, false, `expected ${conf} to be refused`);
  return result.ok ? '' : result.message;
}

test('header_ parameters become headers and leave the URL; other parameters stay, as written and in order', () => {
  const config = parsed(`https://siem.example.com/ingest?b=2&header_Authorization=Basic%20${SECRET}&a=x+y%2Fz&header_X-Source=edge&empty=`);
  assert.equal(config.url, 'https://siem.example.com/ingest?b=2&a=x+y%2Fz&empty=');
  assert.deepEqual(config.headers, [
    ['Authorization', `Basic ${SECRET}`],
    ['X-Source', 'edge'],
  ]);
});

test('a literal + in a header value stays a + (base64 tokens hold them), while %2B decodes to + too', () => {
  const config = parsed('https://h.example/p?header_X-Token=ab+cd%2Bef');
  assert.deepEqual(config.headers, [['X-Token', 'ab+cd+ef']]);
});

test('the description spells out the port, names the headers and never shows their values', () => {
  const config = parsed(`https://siem.example.com/ingest?dataset=http&header_Authorization=Basic%20${SECRET}`);
  assert.equal(config.description, 'https://siem.example.com:443/ingest?dataset=http (headers: Authorization)');
  assert.equal(parsed('http://10.0.0.5/').description, 'http://10.0.0.5:80/');
  assert.equal(parsed('http://127.0.0.1:18123/?query=INSERT').description, 'http://127.0.0.1:18123/?query=INSERT');
});

test('credential-looking parameters kept on the URL are sent, but redacted in the description and the location', () => {
  const config = parsed('https://in.example.com/v1?api_key=K3YVALUE&password=PW123456&user=writer');
  assert.equal(config.url, 'https://in.example.com/v1?api_key=K3YVALUE&password=PW123456&user=writer');
  assert.equal(config.location, 'https://in.example.com/v1?api_key=REDACTED&password=REDACTED&user=writer');
  assert.ok(!config.description.includes('K3YVALUE') && !config.description.includes('PW123456'), config.description);
});

test('a URL without a path is sent to /, and header names are matched case-insensitively', () => {
  const config = parsed('http://127.0.0.1:8080?HEADER_X-Api-Key=abc123');
  assert.equal(config.url, 'http://127.0.0.1:8080/');
  assert.deepEqual(config.headers, [['X-Api-Key', 'abc123']]);
});

test('header_Content-Type may replace the default content type', () => {
  assert.deepEqual(parsed('https://h.example/?header_Content-Type=text%2Fcsv').headers, [['Content-Type', 'text/csv']]);
});

test('a mistyped header parameter is named only up to its first bad character, so the credential after it is not quoted', () => {
  const message = refusal(`https://h.example/?header_Authorization:Basic%20${SECRET}`);
  assert.match(message, /parameter "header_Authorization…" is not a valid header name: ":" may not appear/);
  assert.ok(!message.includes(SECRET), message);
  assert.match(refusal('https://h.example/?header_=x'), /no header name after "header_"/);
  assert.match(refusal('https://h.example/?header_X%20Key=v'), /"header_X…".*U\+0020/);
});

test('line breaks in a header value are refused, naming the parameter but not quoting the value', () => {
  const message = refusal(`https://h.example/?header_Authorization=Basic%20${SECRET}%0D%0AX-Evil:%201`);
  assert.match(message, /parameter "header_Authorization": its value holds a line break/);
  assert.ok(!message.includes(SECRET), message);
  assert.match(refusal('https://h.example/?header_X-A=a%0Ab'), /line break/);
  assert.match(refusal('https://h.example/?header_X-A=a%00b'), /NUL/);
});

test('a header value that is not valid percent-encoding is refused without quoting it', () => {
  const message = refusal(`https://h.example/?header_Authorization=${SECRET}%E0%A4%A`);
  assert.match(message, /parameter "header_Authorization": its value is not valid percent-encoding/);
  assert.ok(!message.includes(SECRET), message);
});

test('headers Sluice sets itself, and a header given twice, are refused', () => {
  for (const name of ['Content-Length', 'content-encoding', 'Host', 'Transfer-Encoding', 'Connection']) {
    assert.match(refusal(`https://h.example/?header_${name}=x`), /is set by Sluice itself/, name);
  }
  assert.match(refusal('https://h.example/?header_X-A=1&header_x-a=2'), /"header_x-a" is given twice/);
});

test('credentials in the URL authority are refused with the header_Authorization alternative, and not quoted', () => {
  const message = refusal('https://writer:PASSW0RD@h.example/ingest');
  assert.match(message, /header_Authorization=Basic/);
  assert.ok(!message.includes('PASSW0RD'), message);
});

test('a raw # would silently cut the URL short, so it is refused', () => {
  assert.match(refusal('https://h.example/?header_X-Token=ab#cd'), /percent-encode it as %23/);
});

test('other schemes, missing hosts and bad ports are refused with an example', () => {
  assert.match(refusal('ftp://h.example/x'), /expected http\(s\):\/\/host\[:port\]\/path/);
  assert.match(refusal('https:///path'), /a host is required|not a valid host/);
  assert.match(refusal('https://h.example:99999/'), /"h.example:99999" is not a valid host\[:port\]/);
});

test('the default registry serves https:// and http:// with this kind', () => {
  assert.equal(defaultDestinations.check('https://h.example/ingest?header_Authorization=Bearer%20t0k3n'), undefined);
  const destination = defaultDestinations.create('http://127.0.0.1:18123/?query=SELECT%201');
  assert.equal(destination.kind, 'http');
  assert.equal(destination.description, 'http://127.0.0.1:18123/?query=SELECT%201');
});

test('a configuration error thrown by the registry does not quote the secret', () => {
  assert.throws(
    () => defaultDestinations.create(`https://h.example/?header_Authorization=Basic%20${SECRET}%0A`),
    (error: Error) => /header_Authorization/.test(error.message) && !error.message.includes(SECRET) && !(error.stack ?? '').includes(SECRET),
  );
});
