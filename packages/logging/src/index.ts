// Public surface of @sluice/logging.
export { createLogger } from './logger.js';
export type { Logger, LoggerOptions } from './logger.js';
export { redactUrl, redactText, isSensitiveParam } from './redact.js';
