import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tokenFromRequest } from '../../src/identity/token-from-request.js';
import { cookieValue } from '../../src/proxy/cookies.js';

test('the Cf-Access-Jwt-Assertion header is preferred over the CF_Authorization cookie', () => {
  assert.equal(tokenFromRequest({ 'cf-access-jwt-assertion': 'from.the.header', cookie: 'CF_Authorization=from.the.cookie' }), 'from.the.header');
});

test('without the header the token comes from the cookie, among others and with spaces', () => {
  assert.equal(tokenFromRequest({ cookie: 'theme=dark; CF_Authorization=a.b.c;session=xyz' }), 'a.b.c');
  assert.equal(tokenFromRequest({ cookie: '  CF_Authorization =  a.b.c  ; theme=dark' }), 'a.b.c');
  assert.equal(tokenFromRequest({ 'cf-access-jwt-assertion': '', cookie: 'CF_Authorization=a.b.c' }), 'a.b.c');
});

test('a quoted cookie value is unquoted', () => {
  assert.equal(tokenFromRequest({ cookie: 'a=1; CF_Authorization="a.b.c"' }), 'a.b.c');
});

test('cookies whose names merely contain the name, or differ in case, are not taken', () => {
  assert.equal(tokenFromRequest({ cookie: 'XCF_Authorization=nope; cf_authorization=nope; CF_Authorization_old=nope' }), undefined);
  assert.equal(tokenFromRequest({ cookie: 'CF_AuthorizationX=nope; CF_Authorization=yes' }), 'yes');
});

test('no header and no cookie, or an empty cookie, give undefined', () => {
  assert.equal(tokenFromRequest({}), undefined);
  assert.equal(tokenFromRequest({ cookie: 'theme=dark' }), undefined);
  assert.equal(tokenFromRequest({ cookie: 'CF_Authorization=; theme=dark' }), undefined);
  assert.equal(tokenFromRequest({ cookie: '' }), undefined);
});

test('cookie values may hold = and segments without = are skipped', () => {
  assert.equal(cookieValue('flag; a=b=c; CF_Authorization=t', 'a'), 'b=c');
  assert.equal(cookieValue('flag; a=b=c; CF_Authorization=t', 'CF_Authorization'), 't');
  assert.equal(cookieValue('flag', 'flag'), undefined);
});
