// Approximate on-the-wire sizes of HTTP/1.1 message heads, for ClientRequestBytes and EdgeResponseBytes.
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { STATUS_CODES } from 'node:http';

/** Request line plus each header line as received (`name: value\r\n`), plus the blank line. */
export function requestHeadBytes(req: IncomingMessage): number {
  let bytes = req.method!.length + 1 + req.url!.length + 1 + 8 + 2 + 2;
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) bytes += raw[i].length + 2 + raw[i + 1].length + 2;
  return bytes;
}

/** Status line plus header lines as Node writes them, plus the blank line. */
export function responseHeadBytes(status: number, headers: OutgoingHttpHeaders): number {
  let bytes = 9 + 3 + 1 + (STATUS_CODES[status]?.length ?? 0) + 2 + 2;
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) bytes += name.length + 2 + v.length + 2;
    else bytes += name.length + 2 + String(value).length + 2;
  }
  return bytes;
}
