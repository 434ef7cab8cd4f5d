// Reads `sumo://<endpoint>/receiver/v1/http/<code>`: a Sumo Logic HTTP source, whose URL code is its credential.
import type { ParseResult } from '../destination.js';
import { parseHttpConf } from '../http/http-config.js';
import type { HttpConfig } from '../http/http-config.js';

export type SumoConfig = HttpConfig;

const EXAMPLE = 'e.g. sumo://endpoint1.collection.us2.sumologic.com/receiver/v1/http/<code>';
const SOURCE_PATH = /^\/receiver\/v1\/http\/([A-Za-z0-9_=+-]+)$/;

/**
 * The collector code in the path is as good as a password: descriptions and locations show
 * `/receiver/v1/http/***` instead. `header_X-Sumo-Category` (and Name, Host) parameters pass on as headers.
 */
export function parseSumoConf(conf: string): ParseResult<SumoConfig> {
  const match = /^sumo:\/\/([^/?#]*)([^?#]*)(\?[^#]*)?$/i.exec(conf);
  if (!match) return { ok: false, message: `expected sumo://<endpoint>/receiver/v1/http/<code>, ${EXAMPLE}` };
  const [, host = '', path = '', query = ''] = match;
  const code = SOURCE_PATH.exec(path)?.[1];
  if (code === undefined) return { ok: false, message: `the path must be /receiver/v1/http/<code> (an HTTP source's URL), ${EXAMPLE}` };
  const parsed = parseHttpConf(`https://${host}${path}${query}`);
  if (!parsed.ok) return { ok: false, message: parsed.message.replace(/https?:\/\//g, 'sumo://') };
  const hide = (text: string): string => text.replace(/\/receiver\/v1\/http\/[A-Za-z0-9_=+-]+/, '/receiver/v1/http/***');
  return { ok: true, config: { ...parsed.config, description: `sumo: ${hide(parsed.config.description)}`, location: hide(parsed.config.location), secrets: [code] } };
}
