// Public surface of @sluice/api.
export { createApiServer, DEFAULT_DESTINATION_TIMEOUT_MS, DEFAULT_MAX_JOBS_PER_ZONE } from './api-server.js';
export { OPENAPI_PATH } from './routes/openapi-route.js';
export type { ApiServerOptions } from './api-server.js';
export { API_ERRORS, ApiError } from './api-errors.js';
export type { ApiErrorItem, ApiErrorName } from './api-errors.js';
export { AuthConfigSchema, parseAuthConfig } from './auth/auth-config.js';
export type { Access, AuthConfig, ParseAuthConfigResult } from './auth/auth-config.js';
export { createAuthenticator, DEV_TOKEN_NAME, hasAccess, sha256Hex } from './auth/authenticator.js';
export type { AuthenticationResult, Authenticator, AuthenticatorOptions, Principal } from './auth/authenticator.js';
export { DEFAULT_BODY_LIMIT_BYTES } from './body/json-body.js';
export { MAX_JOBS_MESSAGE } from './routes/jobs-routes.js';
export type { JobView } from './job-view.js';
export { buildOpenApiDocument } from './openapi/openapi-document.js';
export { DEFAULT_RATE_LIMIT } from './rate-limit.js';
export type { RateLimitOptions } from './rate-limit.js';
export { redactDestinationConf } from './redact-conf.js';
