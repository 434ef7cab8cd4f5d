// Reads cookies out of Cookie headers (RFC 6265 `name=value; name2=value2`), without a parser dependency.

/**
 * Calls `visit` for each cookie in order; stops early when it returns true. Surrounding quotes are
 * removed from values; malformed pairs (no `=`) are skipped.
 */
export function forEachCookie(header: string | readonly string[] | undefined, visit: (name: string, value: string) => boolean | void): void {
  if (header === undefined) return;
  const headers = typeof header === 'string' ? [header] : header;
  for (const line of headers) {
    let start = 0;
    while (start < line.length) {
      let end = line.indexOf(';', start);
      if (end === -1) end = line.length;
      const eq = line.indexOf('=', start);
      if (eq !== -1 && eq < end) {
        const name = line.slice(start, eq).trim();
        let value = line.slice(eq + 1, end).trim();
        if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
        if (name !== '' && visit(name, value) === true) return;
      }
      start = end + 1;
    }
  }
}

/** The first value of cookie `name`, or undefined. */
export function cookieValue(header: string | readonly string[] | undefined, name: string): string | undefined {
  let found: string | undefined;
  forEachCookie(header, (n, v) => {
    if (n !== name) return false;
    found = v;
    return true;
  });
  return found;
}
