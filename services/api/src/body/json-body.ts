// Reads every request body as JSON, whatever curl put in Content-Type, and refuses what cannot be JSON.
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../api-errors.js';

/** Default `bodyLimitBytes`: a job with every framing option at its 4096-character maximum fits many times over. */
export const DEFAULT_BODY_LIMIT_BYTES = 256 * 1024;

/**
 * Cloudflare parses bodies as JSON regardless of Content-Type, and its documentation's curl examples
 * use `--data` (which sends application/x-www-form-urlencoded) as often as an explicit JSON type.
 * Types that are plainly something else (multipart, XML, binary) are refused with 415.
 */
const READ_AS_JSON = /^(application\/json|application\/[\w.+-]*\+json|text\/plain|application\/x-www-form-urlencoded)$/;

export function registerJsonBody(app: FastifyInstance, bodyLimitBytes: number): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: bodyLimitBytes }, (request, text, done) => {
    const mediaType = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (mediaType !== '' && !READ_AS_JSON.test(mediaType)) {
      done(new ApiError('UNSUPPORTED_MEDIA_TYPE', `Content-Type ${mediaType} is not supported: send the body as JSON with Content-Type: application/json`), undefined);
      return;
    }
    const body = typeof text === 'string' ? text : text.toString('utf8');
    if (body.trim() === '') {
      done(null, undefined);
      return;
    }
    try {
      done(null, JSON.parse(body, refuseProto));
    } catch (error) {
      if (error instanceof ApiError) done(error, undefined);
      else done(new ApiError('MALFORMED_JSON', `Malformed JSON in request body: ${(error as Error).message}`), undefined);
    }
  });
}

/** `__proto__` as a key is never a Logpush field and only ever an attempt to reach Object.prototype. */
function refuseProto(key: string, value: unknown): unknown {
  if (key === '__proto__') throw new ApiError('MALFORMED_JSON', 'Malformed JSON in request body: the key "__proto__" is not allowed');
  return value;
}
