// Requests per caller and window on every route (@fastify/rate-limit), refused with 429 in the v4 envelope.
import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from './api-errors.js';
import type { Authenticator } from './auth/authenticator.js';

export interface RateLimitOptions {
  /** Requests one caller may make per window. */
  max: number;
  /** The window, in milliseconds. */
  windowMs: number;
}

/** Cloudflare's own API limit: 1,200 requests per five minutes per user. */
export const DEFAULT_RATE_LIMIT: RateLimitOptions = { max: 1200, windowMs: 5 * 60_000 };

/**
 * Callers are counted by who they are: a known token or key by its name, so that one caller cannot
 * spread over addresses; anything else (no or unknown credentials) by its IP address, so that
 * guessing tokens is counted too.
 */
export function callerKey(auth: Authenticator, request: FastifyRequest): string {
  const result = auth.authenticate(request.headers);
  return result.ok ? `caller:${result.principal.name}` : `ip:${request.ip}`;
}

/** Registers the plugin; `onRequest` of every route of `scope` then counts first, before authentication and the body. */
export function registerRateLimit(app: FastifyInstance, auth: Authenticator, options: RateLimitOptions): void {
  void app.register(fastifyRateLimit, {
    global: false,
    max: options.max,
    timeWindow: options.windowMs,
    keyGenerator: (request) => callerKey(auth, request),
    errorResponseBuilder: (_request, context) => {
      const seconds = Math.max(1, Math.ceil(context.ttl / 1000));
      return new ApiError('RATE_LIMITED', `Please wait and consider throttling your request speed: more than ${context.max} requests in ${Math.round(options.windowMs / 1000)} s; try again in ${seconds} s`, {
        'retry-after': String(seconds),
      });
    },
  });
}
