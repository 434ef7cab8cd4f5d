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

/**
 * A realistic audit filter: drop health checks, CORS preflights and static assets, keep the rest
 * (about nine in ten of the synthetic records pass).
 */
export const BENCH_FILTER = {
  where: {
    and: [
      { key: 'ClientRequestMethod', operator: '!eq', value: 'OPTIONS' },
      { key: 'ClientRequestPath', operator: '!startsWith', value: '/static' },
      { key: 'EdgeResponseStatus', operator: '!in', value: [304] },
      { or: [{ key: 'ClientRequestHost', operator: 'endsWith', value: '.example' }, { key: 'SecurityAction', operator: 'eq', value: 'block' }] },
    ],
  },
};

/** The zone's custom fields: the identity header only, as a Sluice audit deployment lists it. */
export const BENCH_CUSTOM_FIELDS = { request_fields: [{ name: 'cf-access-user' }] };
