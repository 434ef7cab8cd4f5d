// Parses a Logpush record_template once: the subset of Go text/template Logpush allows, as text and field parts.
//
// Accepted, with Go's meaning: literal text; `{{ .Field }}` / `{{.Field}}`; string constants
// `{{ "text" }}` (Go escapes) and `{{ `text` }}` (raw; Logpush's way to write literal braces is
// {{`{{`}}); comments `{{/* … */}}`; trim markers `{{- ` and ` -}}`, which drop the whitespace
// (space, tab, CR, LF) of the neighbouring literal text. A stray `}}` is literal text, as in Go.
// Everything else Go would run (functions, pipelines, if/range/with, variables, `.`, `.A.B`,
// number and bool constants) is refused here, so a job fails validation instead of printing
// something Logpush would not.
import { readGoString } from './go-string-literal.js';

export type TemplatePart = { kind: 'text'; text: string } | { kind: 'field'; name: string };

export type RecordTemplateResult =
  | { ok: true; parts: TemplatePart[]; /** Each field the template names, once, in order of first use. */ fieldNames: string[] }
  | { ok: false; message: string; /** Offset (UTF-16 code units from 0) of the `{{` of the bad action. */ offset: number };

type Action =
  | { ok: true; kind: 'comment'; trimLeft: boolean; trimRight: boolean; end: number }
  | { ok: true; kind: 'text'; text: string; trimLeft: boolean; trimRight: boolean; end: number }
  | { ok: true; kind: 'field'; name: string; trimLeft: boolean; trimRight: boolean; end: number }
  | { ok: false; message: string; offset: number };

type Token = { kind: 'string'; value: string } | { kind: 'word'; text: string };

const HINT = 'a record template may use text, {{ .Field }}, {{ "text" }}, {{ `text` }} and {{/* comment */}}';
const FIELD = /^\.[\p{L}_][\p{L}\p{Nd}_]*$/u;
const NESTED_FIELD = /^\.[\p{L}_][\p{L}\p{Nd}_]*\./u;
const IDENTIFIER = /^[\p{L}_][\p{L}\p{Nd}_]*$/u;
const KEYWORDS = new Set(['if', 'else', 'end', 'range', 'with', 'define', 'template', 'block', 'break', 'continue']);
const LEADING_SPACE = /^[ \t\r\n]+/;
const TRAILING_SPACE = /[ \t\r\n]+$/;
const QUOTED_ACTION_CHARS = 60;

export function parseRecordTemplate(text: string): RecordTemplateResult {
  const parts: TemplatePart[] = [];
  const fieldNames: string[] = [];
  // Literal text and string constants between two fields become one text part.
  let pendingText = '';
  let trimNext = false;
  let pos = 0;
  for (;;) {
    const open = text.indexOf('{{', pos);
    let literal = open === -1 ? text.slice(pos) : text.slice(pos, open);
    if (trimNext) literal = literal.replace(LEADING_SPACE, '');
    if (open === -1) {
      pendingText += literal;
      break;
    }
    const action = readAction(text, open);
    if (!action.ok) return action;
    // Only the literal text next to the marker is trimmed, never a string constant's own spaces.
    if (action.trimLeft) literal = literal.replace(TRAILING_SPACE, '');
    pendingText += literal;
    if (action.kind === 'text') pendingText += action.text;
    else if (action.kind === 'field') {
      if (pendingText !== '') parts.push({ kind: 'text', text: pendingText });
      pendingText = '';
      parts.push({ kind: 'field', name: action.name });
      if (!fieldNames.includes(action.name)) fieldNames.push(action.name);
    }
    trimNext = action.trimRight;
    pos = action.end;
  }
  if (pendingText !== '') parts.push({ kind: 'text', text: pendingText });
  return { ok: true, parts, fieldNames };
}

function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\n';
}

/** Go's `}}` or ` -}}` at `at` (the trim marker needs the whitespace before its `-`). */
function closingAt(text: string, at: number): { trim: boolean; end: number } | undefined {
  if (isSpace(text[at]) && text[at + 1] === '-' && text.startsWith('}}', at + 2)) return { trim: true, end: at + 4 };
  if (text.startsWith('}}', at)) return { trim: false, end: at + 2 };
  return undefined;
}

function quoteAction(text: string, open: number, end: number): string {
  const action = text.slice(open, end);
  return action.length > QUOTED_ACTION_CHARS ? `"${action.slice(0, QUOTED_ACTION_CHARS)}…"` : `"${action}"`;
}

function refuse(text: string, open: number, end: number, reason: string): Action {
  return { ok: false, message: `${quoteAction(text, open, end)} at offset ${open}: ${reason}`, offset: open };
}

/** Reads the action whose `{{` is at `open`. */
function readAction(text: string, open: number): Action {
  let i = open + 2;
  // Go's left trim marker is `-` followed by whitespace; `{{-3}}` would be the number -3.
  const trimLeft = text[i] === '-' && isSpace(text[i + 1]);
  if (trimLeft) i += 2;
  if (text.startsWith('/*', i)) return readComment(text, open, i, trimLeft);
  const tokens: Token[] = [];
  let closing = closingAt(text, i);
  while (closing === undefined) {
    const c = text[i];
    if (c === undefined) return refuse(text, open, text.length, 'unclosed action: every {{ needs a matching }} (literal braces are written {{`{{`}})');
    if (isSpace(c)) i++;
    else if (c === '"') {
      const literal = readGoString(text, i);
      if (!literal.ok) return refuse(text, open, literal.reason.startsWith('unterminated') ? text.length : closingEnd(text, i), literal.reason);
      tokens.push({ kind: 'string', value: literal.value });
      i = literal.end;
    } else if (c === '`') {
      const close = text.indexOf('`', i + 1);
      if (close === -1) return refuse(text, open, text.length, 'unterminated raw string constant');
      tokens.push({ kind: 'string', value: text.slice(i + 1, close) });
      i = close + 1;
    } else {
      // Anything else is one bare word, up to whitespace, a quote or the closing braces.
      let j = i + 1;
      while (j < text.length && !isSpace(text[j]) && text[j] !== '"' && text[j] !== '`' && !text.startsWith('}}', j)) j++;
      const word = text.slice(i, j);
      if (word.startsWith('{{')) return refuse(text, open, i, 'unclosed action: a new {{ starts before this one ends with }}');
      tokens.push({ kind: 'word', text: word });
      i = j;
    }
    closing = closingAt(text, i);
  }
  const { trim: trimRight, end } = closing;
  const [first, second] = tokens;
  if (first === undefined) return refuse(text, open, end, `empty action; ${HINT}`);
  const problem = first.kind === 'word' ? wordProblem(first.text) : undefined;
  if (problem !== undefined) return refuse(text, open, end, `${problem}; ${HINT}`);
  if (second !== undefined) {
    const reason = second.kind === 'word' && second.text.startsWith('|') ? 'pipelines (|) are not supported' : 'an action holds one field or one string constant, with no arguments';
    return refuse(text, open, end, `${reason}; ${HINT}`);
  }
  if (first.kind === 'string') return { ok: true, kind: 'text', text: first.value, trimLeft, trimRight, end };
  return { ok: true, kind: 'field', name: first.text.slice(1), trimLeft, trimRight, end };
}

function readComment(text: string, open: number, from: number, trimLeft: boolean): Action {
  const close = text.indexOf('*/', from + 2);
  if (close === -1) return refuse(text, open, text.length, 'unclosed comment: a comment is written {{/* … */}}');
  // As in Go, the closing braces must follow `*/` directly (or as ` -}}`).
  const closing = closingAt(text, close + 2);
  if (closing === undefined) return refuse(text, open, closingEnd(text, close), 'comment ends before the closing }}: a comment is written {{/* … */}}');
  return { ok: true, kind: 'comment', trimLeft, trimRight: closing.trim, end: closing.end };
}

/** Where to stop quoting an action that went wrong at `from`: after its next `}}`, or at the end. */
function closingEnd(text: string, from: number): number {
  const close = text.indexOf('}}', from);
  return close === -1 ? text.length : close + 2;
}

/** Why a bare word cannot be an action on its own, or undefined for `.Field`. */
function wordProblem(word: string): string | undefined {
  if (FIELD.test(word)) return undefined;
  if (word === '.') return '{{ . }} would print the whole record; name a field such as {{ .ClientIP }}';
  if (NESTED_FIELD.test(word)) return 'nested fields (.A.B) are not supported; name a dataset field such as {{ .ClientIP }}';
  if (word.includes('|')) return 'pipelines (|) are not supported';
  if (word.startsWith('(') || word.startsWith(')')) return 'parentheses are not supported';
  if (/^\.[\p{L}_]/u.test(word)) return `${word} is not a field reference; fields are written {{ .ClientIP }}`;
  if (word.startsWith('$')) return 'variables are not supported';
  if (KEYWORDS.has(word)) return `"${word}" is not supported: a record template has no conditionals, loops or nested templates`;
  if (word === 'true' || word === 'false' || word === 'nil') return `the constant ${word} is not supported; write it as text or as {{ "${word}" }}`;
  if (IDENTIFIER.test(word)) return `functions such as "${word}" are not supported`;
  if (/^[-+.\d']/.test(word)) return 'number and character constants are not supported; write them as text or as a string constant';
  return `unexpected "${word}"`;
}
