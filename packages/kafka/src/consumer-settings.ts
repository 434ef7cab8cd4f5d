// Fetch settings every Sluice consumer uses, chosen by measurement (npm run bench).

/**
 * kafkajs appends each socket chunk to the response buffer with Buffer.concat, so a fetch
 * response costs time quadratic in its size: 16 MB responses spent ~12% of the pusher's CPU on
 * copying. 1 MB per partition keeps that small while a fetch still carries ~1,300 records
 * per partition; `maxBytes` (4 MB: 2 MB cost 12% throughput, 6 MB ~50 MB of RSS) bounds one fetch.
 */
export const CONSUMER_FETCH_SETTINGS = {
  maxBytesPerPartition: 1024 * 1024,
  maxBytes: 4 * 1024 * 1024,
  /** A fetch waits at most this long for new records; it also bounds how long stopping takes. */
  maxWaitTimeInMs: 1_000,
} as const;
