// Keeps configured header values (credentials) out of result messages, whatever a server echoes back.
import { redactText } from '@sluice/logging';

/** Shorter values are not worth hiding and would blank out ordinary words in messages. */
const MIN_SECRET_CHARS = 4;
/** Describes the body, not who sends it: never a credential. */
const NOT_SECRET = new Set(['content-type']);

/**
 * Every configured header value that could be a credential, plus the part after the scheme word
 * (`Basic <token>` → `<token>`), since servers often echo the token alone.
 */
export function headerSecrets(headers: ReadonlyArray<readonly [string, string]>): string[] {
  const secrets = new Set<string>();
  for (const [name, value] of headers) {
    if (NOT_SECRET.has(name.toLowerCase())) continue;
    secrets.add(value);
    const space = value.indexOf(' ');
    if (space !== -1) secrets.add(value.slice(space + 1).trim());
  }
  // Longest first, so that a whole value is replaced before the token inside it.
  return [...secrets].filter((secret) => secret.length >= MIN_SECRET_CHARS).sort((a, b) => b.length - a.length);
}

/**
 * `text` with every secret (and every URL credential or `Authorization: …` value) replaced by
 * REDACTED. A text cut short (a body excerpt) may end in the first part of a secret: that goes too.
 */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let scrubbed = text;
  for (const secret of secrets) {
    scrubbed = scrubbed.replaceAll(secret, 'REDACTED');
    for (let length = secret.length - 1; length >= MIN_SECRET_CHARS; length--) {
      if (scrubbed.endsWith(secret.slice(0, length))) {
        scrubbed = `${scrubbed.slice(0, -length)}REDACTED`;
        break;
      }
    }
  }
  return redactText(scrubbed);
}
