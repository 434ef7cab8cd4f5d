// Who may call the API: tokens and API keys from configuration, stored as SHA-256 digests, each with its scopes.
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { allowed } from '../body/allowed.js';
import { checkBody } from '../body/check-body.js';
import type { BodyIssue } from '../body/check-body.js';

export type Access = 'read' | 'write';

/**
 * `zones/<id>` or `accounts/<id>` grant one zone or account; `zones/*` and `accounts/*` every zone or
 * every account; `*` everything. Write access includes read.
 */
export type ScopePattern = string;

const SCOPE_PATTERN = '^(\\*|(zones|accounts)/(\\*|[0-9a-f]{32}))$';
const SHA256_HEX = '^[0-9a-f]{64}$';

const ScopesSchema = allowed(
  Type.Record(Type.String({ pattern: SCOPE_PATTERN }), Type.Union([Type.Literal('read'), Type.Literal('write')]), { additionalProperties: false }),
  '{"zones/<32-hex id>": "read" | "write", "accounts/*": "read", "*": "write", ...}',
);

const DigestSchema = allowed(Type.String({ pattern: SHA256_HEX }), 'the SHA-256 of the secret as 64 lowercase hex digits (printf %s "$SECRET" | sha256sum)');

export const AuthConfigSchema = Type.Object(
  {
    /** `Authorization: Bearer <token>`. */
    tokens: Type.Optional(
      Type.Array(
        Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }), sha256: DigestSchema, scopes: ScopesSchema }, { additionalProperties: false }),
      ),
    ),
    /** `X-Auth-Email` + `X-Auth-Key`, Cloudflare's legacy global API key. */
    keys: Type.Optional(
      Type.Array(
        Type.Object({ email: Type.String({ minLength: 3, maxLength: 320 }), sha256: DigestSchema, scopes: ScopesSchema }, { additionalProperties: false }),
      ),
    ),
  },
  { additionalProperties: false },
);

/** The configuration file as written, e.g. `{"tokens":[{"name":"ci","sha256":"…","scopes":{"zones/<id>":"write"}}]}`. */
export type AuthConfig = Static<typeof AuthConfigSchema>;

export type ParseAuthConfigResult = { ok: true; config: AuthConfig } | { ok: false; issues: BodyIssue[] };

/** Pure: checks the shape; the digests stay digests (the plain secrets never reach the server). */
export function parseAuthConfig(document: unknown): ParseAuthConfigResult {
  const issues = checkBody(AuthConfigSchema, document);
  if (issues.length > 0) return { ok: false, issues };
  const config = document as AuthConfig;
  const names = new Set<string>();
  const digests = new Set<string>();
  config.tokens?.forEach((token, i) => {
    if (names.has(token.name)) issues.push({ path: `/tokens/${i}/name`, message: `"${token.name}" names two tokens; names label log lines, so keep them unique` });
    if (digests.has(token.sha256)) issues.push({ path: `/tokens/${i}/sha256`, message: 'the same token is configured twice' });
    names.add(token.name);
    digests.add(token.sha256);
  });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, config };
}
