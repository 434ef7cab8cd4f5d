// Splits HEC's event batch format — JSON objects one after another, whitespace between — into single objects.

export type SplitResult = { ok: true; objects: unknown[] } | { ok: false; invalidEventNumber: number };

/**
 * JSON.parse alone cannot read `{…}{…}`: this finds where each top-level object ends (tracking
 * depth outside strings), then parses each on its own, so a bad one is reported by its position
 * as HEC reports it (`invalid-event-number`, counting from 0).
 */
export function splitConcatenatedJson(text: string): SplitResult {
  const objects: unknown[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text.charAt(i))) i++;
    if (i === text.length) break;
    const end = text.charAt(i) === '{' ? endOfObject(text, i) : -1;
    if (end === -1) return { ok: false, invalidEventNumber: objects.length };
    try {
      objects.push(JSON.parse(text.slice(i, end)));
    } catch {
      return { ok: false, invalidEventNumber: objects.length };
    }
    i = end;
  }
  return { ok: true, objects };
}

/** Index just past the object starting at `start`, or -1 when the text ends first. */
function endOfObject(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text.charAt(i);
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}
