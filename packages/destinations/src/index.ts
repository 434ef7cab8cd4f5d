// Public surface of @sluice/destinations.
export type { Destination, DeliveryBatch, DeliveryResult, DestinationPlugin, ParseResult } from './destination.js';
export { createDestinationRegistry, defaultDestinations } from './registry.js';
export type { DestinationRegistry } from './registry.js';
export { objectKey, compactTime, expandDatePath, testObjectKey } from './object-key.js';
export type { ObjectKeyParts } from './object-key.js';
export { withRetry, abortableSleep } from './retry/with-retry.js';
export type { RetryOptions, RetryEvent } from './retry/with-retry.js';
export { DEFAULT_RETRY_POLICY, backoffDelayMs, nextDelayMs } from './retry/retry-policy.js';
export type { RetryPolicy } from './retry/retry-policy.js';
export { parseS3Conf } from './s3/s3-config.js';
export type { S3Config } from './s3/s3-config.js';
export { createS3Client, createS3Destination } from './s3/s3-destination.js';
export { classifyS3Error, parseRetryAfter } from './s3/classify-s3-error.js';
export { parseR2Conf } from './r2/r2-config.js';
export { validateDestination, VALIDATION_PAYLOAD } from './validate-destination.js';
export type { ValidationResult } from './validate-destination.js';
