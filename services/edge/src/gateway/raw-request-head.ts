// Reads what it can of a request head Node's parser refused (its request line, Host, User-Agent), for that request's record.
import type { RequestHead } from './request-exchange.js';

/** Logged URIs of refused heads are cut to this many characters: a flood of 15 KB URIs must not become a flood of 15 KB records. */
export const MAX_REFUSED_URI_CHARS = 2048;
const MAX_HOST_CHARS = 255;
const MAX_AGENT_CHARS = 512;
/** How far into the refused bytes headers are looked for. */
const MAX_SCAN_BYTES = 64 * 1024;
const REQUEST_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]{1,32}) +(\S+)(?: +(HTTP\/\d\.\d))?/;
/** Control characters are replaced: a record is read in terminals and dashboards. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/g;

export interface RawRequestHead extends RequestHead {
  /** Characters of the request line (to its end or to the end of the bytes seen): tells a URI too long from headers too large. */
  readonly requestLineChars: number;
}

/**
 * `raw` is the chunk Node was parsing when it gave up (`error.rawPacket`): normally the whole head,
 * but a head spread over several reads may show only its last part, and then little is known.
 */
export function readRawRequestHead(raw: Buffer | undefined): RawRequestHead {
  const bytes = raw?.length ?? 0;
  const unknown: RawRequestHead = { protocol: '', method: '', host: '', uri: '', userAgent: '', referer: '', xRequestedWith: '', bytes, requestLineChars: 0 };
  if (raw === undefined || bytes === 0) return unknown;
  const text = raw.toString('latin1', 0, Math.min(bytes, MAX_SCAN_BYTES));
  const lineEnd = text.indexOf('\n');
  const line = lineEnd === -1 ? text : text.slice(0, lineEnd);
  const match = REQUEST_LINE.exec(line);
  if (match === null) return { ...unknown, requestLineChars: lineEnd === -1 ? bytes : lineEnd };
  const headers = lineEnd === -1 ? '' : text.slice(lineEnd + 1, endOfHead(text, lineEnd));
  return {
    protocol: match[3] ?? '',
    method: match[1],
    host: clip(headerValue(headers, 'host'), MAX_HOST_CHARS).toLowerCase(),
    uri: clip(match[2], MAX_REFUSED_URI_CHARS),
    userAgent: clip(headerValue(headers, 'user-agent'), MAX_AGENT_CHARS),
    referer: '',
    xRequestedWith: '',
    bytes,
    requestLineChars: lineEnd === -1 ? bytes : lineEnd,
  };
}

function endOfHead(text: string, from: number): number {
  const end = text.indexOf('\r\n\r\n', from);
  return end === -1 ? text.length : end;
}

/** The first value of header `name` in the head's header lines, '' when absent. */
function headerValue(headers: string, name: string): string {
  const match = new RegExp(`(?:^|\\n)${name}[ \\t]*:[ \\t]*([^\\r\\n]*)`, 'i').exec(headers);
  return match === null ? '' : match[1].trim();
}

function clip(text: string, max: number): string {
  return (text.length > max ? text.slice(0, max) : text).replace(CONTROL, '\ufffd');
}
