// Every schema version of every dataset, indexed by the fingerprint single-object messages carry.
import { datasetNames } from '../datasets/datasets.js';
import type { DatasetName } from '../datasets/datasets.js';
import { createAvscType } from './exact-long.js';
import { schemaFingerprint64 } from './rabin.js';
import type { AvroRecordSchema } from './schema.js';
import { schemaVersionsFor } from './schema.js';
import { parsingCanonicalForm } from './single-object.js';

export interface KnownSchema {
  readonly dataset: DatasetName;
  readonly schema: AvroRecordSchema;
  /** CRC-64-AVRO of the Parsing Canonical Form. */
  readonly fingerprint: bigint;
  /** The fingerprint's low and high 32 bits, for allocation-free comparison with message bytes. */
  readonly low: number;
  readonly high: number;
}

const cache = new Map<DatasetName, readonly KnownSchema[]>();

/** The dataset's schema versions, oldest first, with their fingerprints (computed once). */
export function knownSchemasFor(dataset: DatasetName): readonly KnownSchema[] {
  let known = cache.get(dataset);
  if (known === undefined) {
    known = schemaVersionsFor(dataset).map((schema) => {
      const fingerprint = schemaFingerprint64(parsingCanonicalForm(createAvscType(schema)));
      return {
        dataset,
        schema,
        fingerprint,
        low: Number(fingerprint & 0xffffffffn),
        high: Number(fingerprint >> 32n),
      };
    });
    cache.set(dataset, known);
  }
  return known;
}

/** The known schema of any dataset with this fingerprint; used to explain misrouted messages. */
export function findKnownSchema(fingerprint: bigint): KnownSchema | undefined {
  for (const dataset of datasetNames) {
    const found = knownSchemasFor(dataset).find((known) => known.fingerprint === fingerprint);
    if (found !== undefined) return found;
  }
  return undefined;
}
