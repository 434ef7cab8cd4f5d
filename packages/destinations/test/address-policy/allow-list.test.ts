// Tests the operator's allow-list: host names match as written, addresses and CIDR blocks by value, bad entries are named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAllowList } from '../../src/address-policy/allow-list.js';

function allowOf(text: string) {
  const parsed = parseAllowList(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.allow;
}

test('names match case-insensitively and without a trailing dot; addresses and blocks match by value', () => {
  const allow = allowOf(' 127.0.0.1, LocalHost ,10.1.0.0/16,[::1],fd00::/8');
  assert.deepEqual(allow.entries, ['127.0.0.1', 'LocalHost', '10.1.0.0/16', '[::1]', 'fd00::/8']);
  assert.equal(allow.permitsHost('localhost.'), true);
  assert.equal(allow.permitsHost('LOCALHOST'), true);
  assert.equal(allow.permitsHost('127.0.0.2'), false);
  assert.equal(allow.permitsAddress('127.0.0.1'), true);
  assert.equal(allow.permitsAddress('127.0.0.2'), false);
  assert.equal(allow.permitsAddress('10.1.200.3'), true);
  assert.equal(allow.permitsAddress('10.2.0.1'), false);
  assert.equal(allow.permitsAddress('::1'), true);
  assert.equal(allow.permitsAddress('fd00:ec2::254'), true);
});

test('an empty list allows nothing', () => {
  const allow = allowOf('');
  assert.deepEqual(allow.entries, []);
  assert.equal(allow.permitsAddress('127.0.0.1'), false);
  assert.equal(allow.permitsHost('localhost'), false);
});

test('an entry that is neither a name, an address nor a block is refused by value, with an example', () => {
  for (const bad of ['10.0.0.0/33', 'http://localhost', 'a b', '1.2.3.4/8/9']) {
    const parsed = parseAllowList(`localhost,${bad}`);
    assert.equal(parsed.ok, false, bad);
    assert.match(parsed.ok ? '' : parsed.message, new RegExp(`^"${bad.replace(/[./]/g, '\\$&')}" is not a host name.*e\\.g\\. 127\\.0\\.0\\.1`));
  }
});
