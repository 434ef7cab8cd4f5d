// The job every pipeline measurement runs: a realistic field list of an audit-log job.
export const BENCH_FIELDS = [
  'ClientIP',
  'ClientRequestHost',
  'ClientRequestMethod',
  'ClientRequestURI',
  'ClientRequestUserAgent',
  'EdgeStartTimestamp',
  'EdgeEndTimestamp',
  'EdgeResponseStatus',
  'EdgeResponseBytes',
  'RayID',
  'RequestHeaders',
  'SecurityAction',
];
