// Reads the host[:port] of a destination URI the same way for every kind that builds its own request URL.

export type HostResult = { ok: true; url: URL } | { ok: false; message: string };

/** `example` completes the message when the host is missing (e.g. `splunk://hec.example.com:8088/…`). */
export function parseHostAuthority(authority: string, example: string): HostResult {
  let url: URL;
  try {
    url = new URL(`https://${authority}`);
  } catch {
    return { ok: false, message: `"${authority}" is not a host[:port]` };
  }
  if (url.hostname === '') return { ok: false, message: `a host is required, e.g. ${example}` };
  return { ok: true, url };
}
