// Opens the read side of an s3:// or r2:// destination_conf, with a client whose every connection goes through the address guard.
import type { AddressGuard } from '../address-policy/address-guard.js';
import { guardedAgents } from '../address-policy/guarded-connect.js';
import { parseR2Conf } from '../r2/r2-config.js';
import { parseS3Conf } from '../s3/s3-config.js';
import { createS3Client } from '../s3/s3-destination.js';
import { createObjectStoreReader } from './object-store-reader.js';
import type { ObjectStoreReader } from './object-store-reader.js';

export type OpenObjectStoreResult = { ok: true; reader: ObjectStoreReader } | { ok: false; message: string };

export interface ObjectStoreOpener {
  /** A reader for the destination's bucket and path; refused (with a message naming no secret) for other kinds or an unusable conf. */
  open(destinationConf: string): OpenObjectStoreResult;
}

/** Object-store schemes whose objects can be read back. */
export const READABLE_SCHEMES: readonly string[] = ['s3', 'r2'];

/**
 * `guard`: the address policy (createAddressGuard); every connection is vetted as it is made, so a
 * name that re-resolves to a refused address gets nowhere. Without one the SDK connects as it likes
 * (for operators' own tools, never for the API).
 */
export function createObjectStoreOpener(guard: AddressGuard | undefined): ObjectStoreOpener {
  return {
    open(destinationConf) {
      const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(destinationConf)?.[1]?.toLowerCase() ?? '';
      if (!READABLE_SCHEMES.includes(scheme)) return { ok: false, message: `${scheme === '' ? 'this' : `a ${scheme}://`} destination cannot be read back; only ${READABLE_SCHEMES.map((s) => `${s}://`).join(' and ')} can` };
      const parsed = scheme === 'r2' ? parseR2Conf(destinationConf) : parseS3Conf(destinationConf);
      if (!parsed.ok) return { ok: false, message: parsed.message };
      const client = createS3Client(parsed.config, guard ? guardedAgents(guard) : undefined);
      return { ok: true, reader: createObjectStoreReader(parsed.config, client) };
    },
  };
}
