import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cookieValue, forEachCookie } from '../../src/proxy/cookies.js';

test('cookies are read in order, trimmed, with quotes removed and malformed pairs skipped', () => {
  const seen: [string, string][] = [];
  forEachCookie(['a=1; b = "two" ;junk; c=x=y', 'd='], (name, value) => void seen.push([name, value]));
  assert.deepEqual(seen, [['a', '1'], ['b', 'two'], ['c', 'x=y'], ['d', '']]);
});

test('cookieValue finds the first cookie of a name, case-sensitively', () => {
  assert.equal(cookieValue('theme=dark; CF_Authorization=tok; CF_Authorization=second', 'CF_Authorization'), 'tok');
  assert.equal(cookieValue('cf_authorization=tok', 'CF_Authorization'), undefined);
  assert.equal(cookieValue(undefined, 'x'), undefined);
});
