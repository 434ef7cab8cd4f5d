// Removes credentials from URLs and free text before they reach a log line, an error or a status API.

const SENSITIVE_PARAM = /(secret|password|passwd|token|key|signature|credential|authorization|^header_)/i;
const URL_WITH_USERINFO = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i;

/** Query parameters whose values are credentials; every other parameter is left readable. */
export function isSensitiveParam(name: string): boolean {
  return SENSITIVE_PARAM.test(name);
}

/**
 * Returns a destination URL with every credential replaced by `REDACTED`: userinfo, the values of
 * parameters such as `secret-access-key`, `access-key-id` and `header_Authorization`, and parameter
 * values that are URLs with userinfo.
 */
export function redactUrl(url: string): string {
  const queryAt = url.indexOf('?');
  const base = queryAt === -1 ? url : url.slice(0, queryAt);
  const withoutUserinfo = base.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/?#]*@/i, '$1REDACTED@');
  if (queryAt === -1) return withoutUserinfo;
  const query = url
    .slice(queryAt + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq === -1) return pair;
      const name = safeDecode(pair.slice(0, eq));
      // A value that is itself a URL with `user:password@` (an S3 `endpoint`, say) carries a credential too.
      const nestedUserinfo = URL_WITH_USERINFO.test(safeDecode(pair.slice(eq + 1)));
      return isSensitiveParam(name) || nestedUserinfo ? `${pair.slice(0, eq)}=REDACTED` : pair;
    })
    .join('&');
  return `${withoutUserinfo}?${query}`;
}

/** Redacts every URL found in a piece of text, plus `Authorization:`-style header values. */
export function redactText(text: string): string {
  return text
    .replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi, (url) => redactUrl(url))
    .replace(/\b(authorization|x-auth-key|dd-api-key)(["']?\s*[:=]\s*["']?)([^"',\s}]+(?:\s+[^"',\s}]+)?)/gi, '$1$2REDACTED');
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
