// Renders key=value pairs as a Java .properties file.

/** Backslashes are the one character our values need escaped (Windows paths); `=` and `:` after the key are literal. */
export function renderProperties(settings: ReadonlyArray<readonly [string, string]>, header: string): string {
  const lines = settings.map(([key, value]) => `${key}=${value.replaceAll('\\', '\\\\')}`);
  return `# ${header}\n${lines.join('\n')}\n`;
}

/** Parses the simple `key=value` lines `renderProperties` writes (no continuations), for checks and tests. */
export function parseProperties(text: string): Map<string, string> {
  const settings = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const at = line.indexOf('=');
    settings.set(line.slice(0, at).trim(), line.slice(at + 1).replaceAll('\\\\', '\\'));
  }
  return settings;
}
