// Fetch settings every Sluice consumer uses, chosen by measurement (npm run bench).

/**
 * kafkajs appends each socket chunk to the response buffer with Buffer.concat, so a fetch
 * response costs time quadratic in its size, and its garbage copies are memory until the next
 * garbage collection: 16 MB responses spent ~12% of the pusher's CPU on copying. 512 KB per
 * partition (~500 records of 1 KB) and 2 MB per fetch: with a pusher thread per core, against 1 MB
 * and 4 MB, the bench's peak RSS fell by ~27 MB with the same records/s (within run-to-run noise),
 * and the consume ceiling, measured with these settings too, did not fall.
 */
export const CONSUMER_FETCH_SETTINGS = {
  maxBytesPerPartition: 512 * 1024,
  maxBytes: 2 * 1024 * 1024,
  /** A fetch waits at most this long for new records; it also bounds how long stopping takes. */
  maxWaitTimeInMs: 1_000,
} as const;
