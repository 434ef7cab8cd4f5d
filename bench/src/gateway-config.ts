// The gateway the bench measures: one app in front of the demo origin, the audit deployment's custom fields, Kafka on a scratch broker.
import { DEV_ISSUER } from '@sluice/edge';
import { BENCH_CUSTOM_FIELDS } from './bench-job.js';

/** The Host the load generator sends: the app's only host name. */
export const GATEWAY_HOST = 'wiki.bench.example';
/** The app's AUD tag: the bench's token names it. */
export const GATEWAY_AUD = 'sluice-bench-wiki';
/** The user the bench's token is minted for; the app allows the whole domain. */
export const GATEWAY_USER = 'bench@bench.example';
const ZONE_ID = 'be4c0ffee0000000000000000000bec4';
const ACCOUNT_ID = 'be4c0ffee0000000000000000000acc7';

/**
 * The configuration document, as a `sluice edge --config` file in the bench's temporary folder
 * (which holds `jwks.json`; the spool goes to `spool/` there, 1 GiB at most, the default).
 */
export function gatewayConfig(originUrl: string, brokers: string): Record<string, unknown> {
  return {
    listen: { host: '127.0.0.1', port: 0 },
    account_id: ACCOUNT_ID,
    identity: { issuer: DEV_ISSUER, jwks_file: 'jwks.json' },
    apps: [
      {
        name: 'wiki',
        hostnames: [GATEWAY_HOST],
        origin: originUrl,
        zone: { id: ZONE_ID, name: 'bench.example' },
        aud: GATEWAY_AUD,
        allow: { email_domains: ['bench.example'] },
      },
    ],
    custom_fields: { [ZONE_ID]: BENCH_CUSTOM_FIELDS },
    kafka: { brokers },
    spool: { dir: 'spool' },
  };
}
