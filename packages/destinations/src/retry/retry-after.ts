// Reads an HTTP `Retry-After` value, shared by every destination that talks HTTP (S3, generic HTTP, Splunk HEC).

const HTTP_DATE_START = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,? /i;

/**
 * Milliseconds to wait, from `Retry-After` as delay-seconds (`120`) or an HTTP-date
 * (`Wed, 21 Oct 2015 07:28:00 GMT`); undefined when the value is neither. A date in the past means
 * "now" (0). Only plain digits count as seconds: `1e3` or `0x10` are not RFC 9110 delay-seconds.
 */
export function parseRetryAfter(value: string, nowMs = Date.now()): number | undefined {
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // All three HTTP-date forms start with the day's name; without that check, V8 reads `1.5` or `-3` as dates.
  if (!HTTP_DATE_START.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}
