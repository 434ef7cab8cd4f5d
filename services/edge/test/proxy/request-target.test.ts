import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkRequestTarget } from '../../src/proxy/request-target.js';

test('origin-form targets pass unchanged, dot segments included while they stay inside the base path', () => {
  for (const target of ['/', '/a/b?c=../..', '/a/../b', '/a/./b/', '/%2e%2e-not-a-segment', '/a//b', '/x?next=http://other/']) {
    assert.deepEqual(checkRequestTarget(target, 'wiki.example.com'), { ok: true, path: target }, target);
  }
});

test('targets that climb above the base path are refused however their dots and slashes are spelled', () => {
  for (const target of ['/..', '/../x', '/a/../..', '/%2E%2E/x', '/%2e./x', '/..%2Fx', '/..%5cx', '/..\\x', '/a\\..\\..\\x', '/%252e%252e/x', '//../x']) {
    assert.deepEqual(checkRequestTarget(target, 'wiki.example.com'), { ok: false, code: 'EDGE_TARGET_ESCAPES_BASE_PATH' }, target);
  }
});

test('an absolute-form target is taken in origin form only when it names the Host\'s own host', () => {
  assert.deepEqual(checkRequestTarget('http://Wiki.Example.com:8080/a?b=1', 'wiki.example.com'), { ok: true, path: '/a?b=1' });
  assert.deepEqual(checkRequestTarget('https://wiki.example.com?b=1', 'wiki.example.com'), { ok: true, path: '/?b=1' });
  assert.deepEqual(checkRequestTarget('http://[::1]/x', '[::1]'), { ok: true, path: '/x' });
  for (const target of ['http://other.example.com/a', 'http://wiki.example.com@other/a', 'http://other\\@wiki.example.com/', 'http://wiki.example.com.evil/']) {
    assert.deepEqual(checkRequestTarget(target, 'wiki.example.com'), { ok: false, code: 'EDGE_TARGET_HOST_MISMATCH' }, target);
  }
  assert.deepEqual(checkRequestTarget('http://wiki.example.com/../x', 'wiki.example.com'), { ok: false, code: 'EDGE_TARGET_ESCAPES_BASE_PATH' });
  for (const target of ['*', 'wiki.example.com:443', 'ftp://wiki.example.com/', 'a/b']) {
    assert.deepEqual(checkRequestTarget(target, 'wiki.example.com'), { ok: false, code: 'EDGE_TARGET_NOT_ORIGIN_FORM' }, target);
  }
});
