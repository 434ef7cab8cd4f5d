// An object store that keeps challenge files in memory, behind the real s3/r2/http/splunk parsing and ownership rules.
import type { DeliveryResult, Destination } from '../../src/destination.js';
import { createDestinationRegistry } from '../../src/registry.js';
import type { DestinationRegistry } from '../../src/registry.js';
import { s3Plugin } from '../../src/s3/s3-plugin.js';
import { r2Plugin } from '../../src/r2/r2-plugin.js';
import { httpPlugin } from '../../src/http/http-plugin.js';
import { splunkPlugin } from '../../src/splunk-hec/splunk-plugin.js';
import type { S3Config } from '../../src/s3/s3-config.js';
import { parseOwnershipKey } from '../../src/ownership/ownership-key.js';
import type { OwnershipKey } from '../../src/ownership/ownership-key.js';

export const ZONE = '0123456789abcdef0123456789abcdef';
export const OTHER_ZONE = 'fedcba9876543210fedcba9876543210';
export const SECRET = 'wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY';
export const KEY_TEXT = 'current-signing-key-0123456789abcdef';
/** 2026-01-31T12:00:00Z */
export const T0 = Date.UTC(2026, 0, 31, 12);
export const DAY_MS = 24 * 60 * 60 * 1000;

export function conf(bucket = 'logs', path = 'http/{DATE}', extra = ''): string {
  return `s3://${bucket}/${path}?region=us-east-1&endpoint=http://127.0.0.1:9000&access-key-id=AKID&secret-access-key=${SECRET}${extra}`;
}

export function key(text = KEY_TEXT): OwnershipKey {
  const parsed = parseOwnershipKey(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.key;
}

export interface FakeStore {
  /** `bucket/key` → file contents. */
  files: Map<string, string>;
  closed: number;
  /** When set, every write answers this instead of storing. */
  failWith?: DeliveryResult;
}

export function fakeStore(): FakeStore {
  return { files: new Map(), closed: 0 };
}

export function registryOver(store: FakeStore): DestinationRegistry {
  const create =
    (kind: string) =>
    (config: S3Config): Destination => ({
      kind,
      description: `${kind}://${config.bucket}`,
      deliver: () => Promise.reject(new Error('batches are not part of these tests')),
      writeChallenge(objectKey, content) {
        if (store.failWith) return Promise.resolve(store.failWith);
        store.files.set(`${config.bucket}/${objectKey}`, content);
        return Promise.resolve({ status: 'delivered', location: `${kind}://${config.bucket}/${objectKey}` });
      },
      close() {
        store.closed += 1;
        return Promise.resolve();
      },
    });
  return createDestinationRegistry([{ ...s3Plugin, create: create('s3') }, { ...r2Plugin, create: create('r2') }, httpPlugin, splunkPlugin]);
}

/** The only file in the store: its key and the token in it. */
export function onlyFile(store: FakeStore): { path: string; token: string } {
  const entries = [...store.files];
  if (entries.length !== 1) throw new Error(`expected one challenge file, found ${entries.length}`);
  const [path, token] = entries[0] ?? ['', ''];
  return { path, token };
}
