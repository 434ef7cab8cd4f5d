// Tests that every address a destination may not reach unasked is named by its range, IPv4 hidden inside IPv6 included.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addressRange } from '../../src/address-policy/address-ranges.js';

test('loopback, private, link-local, unique-local, CGNAT, unspecified and metadata addresses are named by their range', () => {
  const cases: Array<[string, string]> = [
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.254', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.1.1', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456::1', 'unique-local'],
    ['100.64.0.1', 'cgnat'],
    ['100.127.255.255', 'cgnat'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['169.254.169.254', 'metadata'],
    ['fd00:ec2::254', 'metadata'],
    ['100.100.100.200', 'metadata'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'reserved'],
  ];
  for (const [address, range] of cases) assert.equal(addressRange(address), range, address);
});

test('IPv6 forms that deliver to an IPv4 host are judged by that host: mapped, compatible, NAT64 and 6to4', () => {
  assert.equal(addressRange('::ffff:127.0.0.1'), 'loopback');
  assert.equal(addressRange('::ffff:7f00:1'), 'loopback');
  assert.equal(addressRange('::ffff:169.254.169.254'), 'metadata');
  assert.equal(addressRange('::10.0.0.1'), 'private');
  assert.equal(addressRange('64:ff9b::10.0.0.1'), 'private');
  assert.equal(addressRange('2002:c0a8:0101::1'), 'private');
  assert.equal(addressRange('[::ffff:192.168.0.1]'), 'private');
});

test('public addresses and the neighbours of each blocked range are in no range', () => {
  for (const address of ['8.8.8.8', '172.15.255.255', '172.32.0.0', '100.63.255.255', '100.128.0.0', '169.253.255.255', '11.0.0.0', '2606:4700::1111', '::ffff:8.8.8.8', '2002:0808:0808::1', 'fbff::1', 'fec0::1']) {
    assert.equal(addressRange(address), undefined, address);
  }
});

test('something that is not an address is in no range', () => {
  assert.equal(addressRange('example.com'), undefined);
  assert.equal(addressRange('10.0.0'), undefined);
});
