// An in-memory object store behind the ObjectStoreReader port: lists like S3 (prefix, delimiter "/", StartAfter, pages) and records every call.
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import type { ListObjectsRequest, ObjectStoreOpener, ObjectStoreReader } from '@sluice/destinations';

export interface FakeObjectStore extends ObjectStoreReader {
  /** Stores text gzipped under the key. */
  put(key: string, text: string): void;
  /** Stores raw bytes (e.g. something that is not gzip). */
  putRaw(key: string, body: Buffer): void;
  readonly lists: ListObjectsRequest[];
  /** Keys read, in order. */
  readonly gets: string[];
  closed: number;
  /** Makes every call fail with this error. */
  failWith: Error | undefined;
  /** An opener answering this store for any conf, recording the confs opened. */
  opener(opened?: string[]): ObjectStoreOpener;
}

export function fakeObjectStore(options: { bucket?: string; path: string; pageSize?: number }): FakeObjectStore {
  const objects = new Map<string, Buffer>();
  const pageSize = options.pageSize ?? 1_000;
  const store: FakeObjectStore = {
    bucket: options.bucket ?? 'audit-bucket',
    path: options.path,
    lists: [],
    gets: [],
    closed: 0,
    failWith: undefined,
    put(key, text) {
      objects.set(key, gzipSync(Buffer.from(text, 'utf8')));
    },
    putRaw(key, body) {
      objects.set(key, body);
    },
    list(request) {
      store.lists.push(request);
      if (store.failWith !== undefined) return Promise.reject(store.failWith);
      const keys = [...objects.keys()]
        .filter((key) => key.startsWith(request.prefix) && !key.slice(request.prefix.length).includes('/'))
        .filter((key) => request.startAfter === undefined || key > request.startAfter)
        .sort();
      const from = request.continuationToken === undefined ? 0 : Number(request.continuationToken);
      const page = keys.slice(from, from + pageSize);
      return Promise.resolve({ keys: page, nextToken: from + pageSize < keys.length ? String(from + pageSize) : undefined });
    },
    read(key) {
      store.gets.push(key);
      if (store.failWith !== undefined) return Promise.reject(store.failWith);
      const body = objects.get(key);
      if (body === undefined) return Promise.reject(Object.assign(new Error('NoSuchKey'), { name: 'NoSuchKey', $metadata: { httpStatusCode: 404 } }));
      // Two chunks, so that readers see a body that arrives in pieces.
      const half = Math.floor(body.length / 2);
      return Promise.resolve(Readable.from([body.subarray(0, half), body.subarray(half)]));
    },
    close() {
      store.closed++;
    },
    opener(opened = []) {
      return {
        open(conf) {
          opened.push(conf);
          return { ok: true, reader: store };
        },
      };
    },
  };
  return store;
}
