import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseEdgeConfig } from '../../src/config/parse-edge-config.js';

const ZONE = 'fc2a592da4d8156b183887d43211950a';
const ACCOUNT = '0123456789abcdef0123456789abcdef';

function valid(): Record<string, unknown> {
  return {
    account_id: ACCOUNT,
    identity: { issuer: 'https://team.example.com', jwks_file: 'keys/jwks.json' },
    apps: [
      {
        name: 'wiki',
        hostnames: ['wiki.example.com'],
        origin: 'http://127.0.0.1:3000',
        zone: { id: ZONE, name: 'example.com' },
        aud: 'aud-wiki',
        allow: { email_domains: ['example.com'] },
      },
    ],
    custom_fields: { [ZONE]: { request_fields: [{ name: 'cf-access-user' }] } },
  };
}

function issuesOf(document: unknown): string[] {
  const result = parseEdgeConfig(document, { baseDir: '/etc/sluice' });
  assert.equal(result.ok, false, 'expected the document to be refused');
  return result.ok ? [] : result.issues.map((i) => `${i.path}: ${i.message}`);
}

test('a minimal configuration gets the documented defaults and resolves paths against the config folder', () => {
  const result = parseEdgeConfig(valid(), { baseDir: '/etc/sluice' });
  assert.ok(result.ok, JSON.stringify(!result.ok && result.issues));
  const { config } = result;
  assert.deepEqual(config.listen, { host: '127.0.0.1', port: 8080 });
  assert.equal(config.admin, undefined);
  assert.deepEqual(config.identity.jwks, { file: '/etc/sluice/keys/jwks.json' });
  assert.equal(config.identity.leewaySeconds, 30);
  assert.equal(config.identity.userClaim, 'email');
  assert.equal(config.spool.dir, '/etc/sluice/.sluice/edge-spool');
  assert.equal(config.apps[0]?.origin.href, 'http://127.0.0.1:3000/');
  assert.match(config.apps[0]?.appUuid ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  assert.deepEqual(config.customFields.get(ZONE)?.requestHeaders, ['cf-access-user']);
});

test('every problem is reported at once, each naming its path and the bad value', () => {
  const doc = valid();
  doc['account_id'] = 'nope';
  (doc['apps'] as Record<string, unknown>[])[0]['origin'] = 'ftp://files.example.com';
  (doc['apps'] as Record<string, unknown>[])[0]['hostnames'] = ['Wiki.Example.com'];
  const issues = issuesOf(doc);
  assert.ok(issues.some((i) => i.startsWith('/account_id: "nope"')), issues.join('\n'));
  assert.ok(issues.some((i) => i.startsWith('/apps/0/origin: "ftp://files.example.com"')), issues.join('\n'));
  assert.ok(issues.some((i) => i.startsWith('/apps/0/hostnames/0: "Wiki.Example.com"')), issues.join('\n'));
});

test('an app that allows nobody is refused rather than silently locking everyone out', () => {
  const doc = valid();
  (doc['apps'] as Record<string, unknown>[])[0]['allow'] = {};
  assert.ok(issuesOf(doc).some((i) => i.startsWith('/apps/0/allow: allows nobody')));
});

test('jwks_url and jwks_file are exclusive, and one of them is required', () => {
  const both = valid();
  both['identity'] = { issuer: 'https://i', jwks_url: 'https://i/certs', jwks_file: 'k.json' };
  assert.ok(issuesOf(both).some((i) => i.startsWith('/identity/jwks_file: cannot be set together')));
  const neither = valid();
  neither['identity'] = { issuer: 'https://i' };
  assert.ok(issuesOf(neither).some((i) => i.startsWith('/identity: needs one of jwks_url')));
});

test('a host name served by two apps is refused, naming the first owner', () => {
  const doc = valid();
  const apps = doc['apps'] as Record<string, unknown>[];
  apps.push({ ...apps[0], name: 'wiki2' });
  assert.ok(issuesOf(doc).some((i) => i.includes('"wiki.example.com" is already served by app wiki')));
});

test('unknown settings are named, so a typo never passes as a default', () => {
  const doc = valid();
  doc['listen'] = { host: '0.0.0.0', prot: 8080 };
  assert.ok(issuesOf(doc).some((i) => i.startsWith('/listen/prot: "prot" is not a setting here')));
});

test('custom fields use the pusher\'s format and must belong to a configured zone', () => {
  const doc = valid();
  doc['custom_fields'] = { [ZONE]: { request_fields: [{ name: 'CF-Access-User' }] } };
  const issues = issuesOf(doc);
  assert.ok(issues.some((i) => i.startsWith(`/custom_fields/${ZONE}/request_fields/0/name: "CF-Access-User" is not a valid header name`)), issues.join('\n'));
  doc['custom_fields'] = { ['f'.repeat(32)]: { request_fields: [{ name: 'x' }] } };
  const stray = issuesOf(doc);
  assert.ok(stray.some((i) => i.startsWith(`/custom_fields/${'f'.repeat(32)}: names a zone no app belongs to`)), stray.join('\n'));
});

test('user_claim is email or sub, nothing else', () => {
  const doc = valid();
  doc['identity'] = { issuer: 'https://i', jwks_file: 'k.json', user_claim: 'name' };
  assert.ok(issuesOf(doc).some((i) => i.startsWith('/identity/user_claim: "name" is not "email" or "sub"')));
});

test('a JWKS over plain http:// is refused, naming the field and the URL, unless allowed for a loopback host', () => {
  const doc = valid();
  const identity = (extra: Record<string, unknown>) => (doc['identity'] = { issuer: 'https://i', ...extra });
  identity({ jwks_url: 'http://idp.example.com/certs' });
  assert.ok(issuesOf(doc).some((i) => i.startsWith('/identity/jwks_url: "http://idp.example.com/certs" is plain http://') && i.includes('"allow_insecure_jwks": true')), issuesOf(doc).join('\n'));
  identity({ jwks_url: 'http://idp.example.com/certs', allow_insecure_jwks: true });
  assert.ok(issuesOf(doc).some((i) => i.startsWith('/identity/jwks_url: "http://idp.example.com/certs" is plain http:// to a host that is not loopback')));
  identity({ jwks_url: 'http://127.0.0.1:9000/certs' });
  assert.ok(issuesOf(doc).some((i) => i.startsWith('/identity/jwks_url: "http://127.0.0.1:9000/certs" is plain http://')));
  identity({ jwks_url: 'http://127.0.0.1:9000/certs', allow_insecure_jwks: 'yes' });
  assert.ok(issuesOf(doc).some((i) => i.startsWith('/identity/allow_insecure_jwks: "yes" is not allowed')));
  for (const url of ['http://127.0.0.1:9000/certs', 'http://localhost/certs', 'http://[::1]:9000/certs']) {
    identity({ jwks_url: url, allow_insecure_jwks: true });
    assert.ok(parseEdgeConfig(doc, { baseDir: '/etc' }).ok, url);
  }
  identity({ jwks_url: 'https://idp.example.com/certs' });
  assert.ok(parseEdgeConfig(doc, { baseDir: '/etc' }).ok);
});

test('malformed_request_zone defaults to the first app\'s zone and must be an app\'s zone', () => {
  const doc = valid();
  const result = parseEdgeConfig(doc, { baseDir: '/etc' });
  assert.equal(result.ok && result.config.malformedRequestZone, ZONE);
  doc['malformed_request_zone'] = 'f'.repeat(32);
  assert.ok(issuesOf(doc).some((i) => i.startsWith(`/malformed_request_zone: "${'f'.repeat(32)}" is not the zone.id of any app; expected one of "${ZONE}"`)));
});

test('durability_timeout_ms defaults to 5 s and must be an integer of milliseconds', () => {
  const doc = valid();
  const result = parseEdgeConfig(doc, { baseDir: '/etc' });
  assert.equal(result.ok && result.config.durabilityTimeoutMs, 5_000);
  doc['durability_timeout_ms'] = 2_500;
  const set = parseEdgeConfig(doc, { baseDir: '/etc' });
  assert.equal(set.ok && set.config.durabilityTimeoutMs, 2_500);
  doc['durability_timeout_ms'] = '5s';
  assert.ok(issuesOf(doc).some((i) => i.startsWith('/durability_timeout_ms: "5s" is not allowed')));
});

test('workers is a whole number of listener processes; absent, the gateway decides from the cores at start', () => {
  const absent = parseEdgeConfig(valid(), { baseDir: '/etc/sluice' });
  assert.ok(absent.ok);
  assert.equal(absent.config.workers, undefined);
  const two = parseEdgeConfig({ ...valid(), workers: 2 }, { baseDir: '/etc/sluice' });
  assert.ok(two.ok);
  assert.equal(two.config.workers, 2);
  assert.deepEqual(issuesOf({ ...valid(), workers: 0 }), ['/workers: 0 is not allowed; expected an integer from 1 to 64']);
  assert.deepEqual(issuesOf({ ...valid(), workers: 'auto' }), ['/workers: "auto" is not allowed; expected an integer from 1 to 64']);
});
