// Reads `datadog://http-intake.logs.datadoghq.com/api/v2/logs?header_DD-API-KEY=K&ddsource=…&service=…&host=…&ddtags=…`.
import type { ParseResult } from '../destination.js';
import { parseHttpConf } from '../http/http-config.js';
import type { HttpConfig } from '../http/http-config.js';

/** Datadog's published intake limits (logs API v2). */
export const DATADOG_LIMITS: { readonly maxRequestBytes: number; readonly maxLogBytes: number; readonly maxEntries: number } = {
  /** Uncompressed payload of one request. */
  maxRequestBytes: 5 * 1024 * 1024,
  /** One log entry. */
  maxLogBytes: 1024 * 1024,
  /** Entries in one request's array. */
  maxEntries: 1_000,
};

/** The same POST as generic HTTP(S), over HTTPS, with the API key as a header and a JSON array body. */
export type DatadogConfig = HttpConfig;

const EXAMPLE = 'e.g. datadog://http-intake.logs.datadoghq.com/api/v2/logs?header_DD-API-KEY=<key>&ddsource=cloudflare';

export function parseDatadogConf(conf: string): ParseResult<DatadogConfig> {
  const match = /^datadog:\/\/(.*)$/i.exec(conf);
  if (!match) return { ok: false, message: `expected datadog://host/path?header_DD-API-KEY=…, ${EXAMPLE}` };
  const parsed = parseHttpConf(`https://${match[1] ?? ''}`);
  if (!parsed.ok) return { ok: false, message: parsed.message.replace(/https?:\/\//g, 'datadog://') };
  const { headers } = parsed.config;
  if (!headers.some(([name]) => name.toLowerCase() === 'dd-api-key')) {
    return { ok: false, message: `the header_DD-API-KEY parameter is required, ${EXAMPLE}` };
  }
  const hasContentType = headers.some(([name]) => name.toLowerCase() === 'content-type');
  return {
    ok: true,
    config: {
      ...parsed.config,
      // The body is a JSON array of log objects, which Datadog's intake wants labelled as JSON.
      headers: hasContentType ? headers : [...headers, ['Content-Type', 'application/json']],
      description: `datadog: ${parsed.config.description}`,
    },
  };
}
