// The onRequest hook of every scoped route: authenticate, check the ids in the path, then check access.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../api-errors.js';
import { hasAccess } from './authenticator.js';
import type { Authenticator, Principal } from './authenticator.js';

export type ScopeKind = 'zones' | 'accounts';

/** The zone or account a request acts on, from its path. */
export interface RouteScope {
  kind: ScopeKind;
  id: string;
  /** `zones/<id>` or `accounts/<id>`: Logpush's path form, also the ownership-token scope. */
  path: `zones/${string}` | `accounts/${string}`;
  /** The caller's access to this scope: with only `read`, secrets in what is shown are redacted. */
  access: 'read' | 'write';
}

const HEX_ID = /^[0-9a-f]{32}$/;
/** RFC 9110: a 401 names the scheme the client should use. */
const CHALLENGE = { 'www-authenticate': 'Bearer realm="sluice"' };

export interface ScopeGuard {
  /** The hook for routes under `/{kind}/{id}/…`; runs before the body is read. */
  hook(kind: ScopeKind): (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  /** Set by the hook; only routes guarded by it may ask. */
  scopeOf(request: FastifyRequest): RouteScope;
  /** Set by the hook, for the access log. */
  principalOf(request: FastifyRequest): Principal | undefined;
}

export function createScopeGuard(auth: Authenticator): ScopeGuard {
  const scopes = new WeakMap<FastifyRequest, RouteScope>();
  const principals = new WeakMap<FastifyRequest, Principal>();
  return {
    hook(kind) {
      return (request) => {
        const principal = authenticate(auth, request);
        principals.set(request, principal);
        const params = request.params as Record<string, string | undefined>;
        const id = (kind === 'zones' ? params['zone_id'] : params['account_id']) ?? '';
        if (!HEX_ID.test(id)) {
          const noun = kind === 'zones' ? 'zone' : 'account';
          throw new ApiError('INVALID_IDENTIFIER', `Could not route to ${request.url.split('?')[0] ?? ''}, perhaps your object identifier is invalid? The ${noun} id "${id.slice(0, 64)}" is not 32 lowercase hex characters`);
        }
        const path = `${kind}/${id}` as const;
        const need = request.method === 'GET' || request.method === 'HEAD' ? 'read' : 'write';
        if (!hasAccess(principal, path, need)) {
          throw new ApiError('FORBIDDEN', `Authentication error: ${principal.name} has no ${need} access to ${path}`);
        }
        scopes.set(request, { kind, id, path, access: hasAccess(principal, path, 'write') ? 'write' : 'read' });
        return Promise.resolve();
      };
    },
    scopeOf(request) {
      const scope = scopes.get(request);
      if (scope === undefined) throw new Error(`route ${request.routeOptions.url ?? request.url} is not guarded by the scope hook`);
      return scope;
    },
    principalOf: (request) => principals.get(request),
  };
}

function authenticate(auth: Authenticator, request: FastifyRequest): Principal {
  const result = auth.authenticate(request.headers);
  if (result.ok) return result.principal;
  switch (result.reason) {
    case 'missing':
      throw new ApiError('MISSING_CREDENTIALS', 'Missing X-Auth-Key, X-Auth-Email or Authorization headers', CHALLENGE);
    case 'malformed_authorization':
      throw new ApiError('MALFORMED_AUTHORIZATION', 'Invalid format for Authorization header: expected "Bearer <token>"', CHALLENGE);
    case 'unknown_token':
      throw new ApiError('INVALID_TOKEN', 'Invalid access token', CHALLENGE);
    case 'unknown_key':
      throw new ApiError('UNKNOWN_API_KEY', 'Unknown X-Auth-Key or X-Auth-Email', CHALLENGE);
  }
}
