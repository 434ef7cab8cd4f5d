// Tests the address policy with an injected resolver: no test here sends a packet or a DNS query anywhere.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createAddressGuard } from '../../src/address-policy/address-guard.js';
import { parseAllowList } from '../../src/address-policy/allow-list.js';
import { tableResolver } from '../support/table-resolver.js';

function allow(text: string) {
  const parsed = parseAllowList(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.allow;
}

const DNS = tableResolver({
  'public.example': ['93.184.216.34', '2606:2800:220:1::'],
  'intranet.example': ['10.20.30.40'],
  'imds.example': ['169.254.169.254'],
  'mixed.example': ['93.184.216.34', '192.168.0.10'],
  'v6-metadata.example': ['fd00:ec2::254'],
  'mapped.example': ['::ffff:127.0.0.1'],
  'cgnat.example': ['100.64.1.1'],
  localhost: ['127.0.0.1', '::1'],
});

test('a host that resolves only to public addresses passes, with the addresses to connect to', async () => {
  assert.deepEqual(await createAddressGuard({ resolve: DNS }).vetHost('Public.Example.'), { ok: true, addresses: ['93.184.216.34', '2606:2800:220:1::'] });
});

test('a name resolving to a private, metadata, unique-local, CGNAT or mapped loopback address is refused without showing the address', async () => {
  const guard = createAddressGuard({ resolve: DNS });
  const cases: Array<[string, RegExp]> = [
    ['intranet.example', /^host "intranet\.example" resolves to a private address \(RFC 1918\), which destinations may not use unless the operator allows it/],
    ['imds.example', /resolves to a cloud metadata address/],
    ['v6-metadata.example', /resolves to a cloud metadata address/],
    ['mixed.example', /resolves to a private address/],
    ['mapped.example', /resolves to a loopback address/],
    ['cgnat.example', /resolves to a carrier-grade NAT address/],
    ['localhost', /resolves to a loopback address/],
  ];
  for (const [host, message] of cases) {
    const verdict = await guard.vetHost(host);
    assert.equal(verdict.ok, false, host);
    if (verdict.ok) continue;
    assert.equal(verdict.code, 'ADDRESS_NOT_ALLOWED');
    assert.match(verdict.message, message);
    assert.doesNotMatch(verdict.message, /10\.20|169\.254|192\.168|fd00|127\.0/);
  }
});

test('an address written as the host is refused by its range without asking the resolver', async () => {
  const asked: string[] = [];
  const guard = createAddressGuard({ resolve: tableResolver({}, asked) });
  for (const [host, range] of [['169.254.169.254', 'cloud metadata'], ['[fe80::1]', 'link-local'], ['0.0.0.0', 'unspecified'], ['172.20.0.1', 'private']]) {
    const verdict = await guard.vetHost(host ?? '');
    assert.equal(verdict.ok, false);
    assert.match(verdict.ok ? '' : verdict.message, new RegExp(`is an? ${range ?? ''}`));
  }
  assert.deepEqual(asked, []);
});

test('metadata service names are refused before resolving, whatever they would resolve to', async () => {
  const asked: string[] = [];
  const verdict = await createAddressGuard({ resolve: tableResolver({ 'metadata.google.internal': ['93.184.216.34'] }, asked) }).vetHost('metadata.google.internal');
  assert.deepEqual(verdict, { ok: false, code: 'ADDRESS_NOT_ALLOWED', message: 'host "metadata.google.internal" is a cloud metadata service, which destinations may not use unless the operator allows it (sluice api --allow-destination-hosts)' });
  assert.deepEqual(asked, []);
});

test('the allow-list admits a listed name whatever it resolves to, and listed addresses or blocks for any name', async () => {
  const guard = createAddressGuard({ resolve: DNS, allow: allow('localhost,10.20.0.0/16') });
  assert.deepEqual(await guard.vetHost('localhost'), { ok: true, addresses: ['127.0.0.1', '::1'] });
  assert.equal((await guard.vetHost('intranet.example')).ok, true);
  assert.equal((await guard.vetHost('10.20.1.1')).ok, true);
  assert.equal((await guard.vetHost('127.0.0.1')).ok, false, 'the name localhost is listed, not the address');
  assert.equal((await guard.vetHost('imds.example')).ok, false);
});

test('a host that does not resolve is refused as unresolved, with the resolver code', async () => {
  assert.deepEqual(await createAddressGuard({ resolve: DNS }).vetHost('nowhere.example'), { ok: false, code: 'HOST_UNRESOLVED', message: 'host "nowhere.example" does not resolve (ENOTFOUND)' });
  assert.deepEqual(await createAddressGuard({ resolve: () => Promise.resolve([]) }).vetHost('empty.example'), { ok: false, code: 'HOST_UNRESOLVED', message: 'host "empty.example" does not resolve' });
});
