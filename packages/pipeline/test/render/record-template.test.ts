// The record_template parser: Logpush's subset of Go text/template, parsed once, and every refusal's message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRecordTemplate } from '../../src/render/record-template.js';
import type { RecordTemplateResult, TemplatePart } from '../../src/render/record-template.js';

function parts(text: string): TemplatePart[] {
  const result = parseRecordTemplate(text);
  assert.ok(result.ok, result.ok ? '' : result.message);
  return result.parts;
}

function refusal(text: string): { message: string; offset: number } {
  const result: RecordTemplateResult = parseRecordTemplate(text);
  assert.equal(result.ok, false, `expected ${JSON.stringify(text)} to be refused`);
  if (result.ok) throw new Error('unreachable');
  return result;
}

const field = (name: string): TemplatePart => ({ kind: 'field', name });
const text = (value: string): TemplatePart => ({ kind: 'text', text: value });

test('parses the published template into text and fields, and lists the fields once in order of use', () => {
  const result = parseRecordTemplate('"client-ip":{{.ClientIP}},"timestamp":{{.EdgeStartTimestamp}},"ray-id":{{.RayID}},"again":{{ .ClientIP }}');
  assert.deepEqual(result, {
    ok: true,
    parts: [
      text('"client-ip":'),
      field('ClientIP'),
      text(',"timestamp":'),
      field('EdgeStartTimestamp'),
      text(',"ray-id":'),
      field('RayID'),
      text(',"again":'),
      field('ClientIP'),
    ],
    fieldNames: ['ClientIP', 'EdgeStartTimestamp', 'RayID'],
  });
});

test('spaces, tabs and newlines inside an action are allowed, as in Go', () => {
  assert.deepEqual(parts('{{.A}}{{ .B }}{{\t.C\n}}'), [field('A'), field('B'), field('C')]);
});

test('text without actions, an empty template and a stray }} are literal text', () => {
  assert.deepEqual(parts('plain'), [text('plain')]);
  assert.deepEqual(parts(''), []);
  assert.deepEqual(parts('a}}b{{.X}}}}'), [text('a}}b'), field('X'), text('}}')]);
});

test('raw string constants write literal braces, Logpush\'s documented way', () => {
  assert.deepEqual(parts('{{`{{`}}.ClientIP{{`}}`}}={{.ClientIP}}'), [text('{{.ClientIP}}='), field('ClientIP')]);
  assert.deepEqual(parts('{{ `a\\n"b"\nc` }}'), [text('a\\n"b"\nc')], 'a raw string keeps backslashes, quotes and newlines');
});

test('interpreted string constants decode Go escapes, and a }} inside one does not end the action', () => {
  assert.deepEqual(parts('{{ "\\"q\\" \\\\ \\n\\t\\r \\u00e9\\U0001F600 \\x41\\101 \\a\\b\\f\\v" }}'), [text('"q" \\ \n\t\r é😀 AA \x07\b\f\v')]);
  assert.deepEqual(parts('{{"}}"}}{{.A}}'), [text('}}'), field('A')]);
});

test('text and string constants between two fields become one text part', () => {
  assert.deepEqual(parts('a{{"b"}}{{/* c */}}d{{.X}}'), [text('abd'), field('X')]);
});

test('comments render nothing, may hold braces and newlines, and may take trim markers', () => {
  assert.deepEqual(parts('a{{/* {{ .Nope }} \n */}}b'), [text('ab')]);
  assert.deepEqual(parts('a \n {{- /* c */ -}} \t b'), [text('ab')]);
});

test('trim markers drop the whitespace of the neighbouring literal text only', () => {
  assert.deepEqual(parts('"ip": \n\t {{- .ClientIP -}} \r\n , "ray": {{.RayID}}'), [text('"ip":'), field('ClientIP'), text(', "ray": '), field('RayID')]);
  assert.deepEqual(parts('x {{- " a " -}} y'), [text('x a y')], "a string constant's own spaces are kept");
  assert.match(refusal('x {{-.A}}').message, /number and character constants/, 'without its space `-` is no marker, as in Go');
});

test('refuses an action that is not closed, quoting it with its offset', () => {
  const { message, offset } = refusal('ab{{ .ClientIP');
  assert.equal(offset, 2);
  assert.match(message, /^"\{\{ \.ClientIP" at offset 2: unclosed action/);
  assert.match(refusal('{{ .A {{ .B }}').message, /^"\{\{ \.A " at offset 0: unclosed action: a new \{\{ starts/);
});

test('refuses comments that are not closed or not closed at once', () => {
  assert.match(refusal('x{{/* never').message, /^"\{\{\/\* never" at offset 1: unclosed comment/);
  assert.match(refusal('{{/* c */ }}').message, /^"\{\{\/\* c \*\/ \}\}" at offset 0: comment ends before the closing \}\}/);
  assert.match(refusal('{{ /* c */ }}').message, /at offset 0: unexpected "\/\*"/);
});

test('refuses what Go would run: pipelines, functions, arguments, conditionals, loops, variables', () => {
  const cases: Array<[string, RegExp]> = [
    ['{{ .A | printf "%q" }}', /^"\{\{ \.A \| printf "%q" \}\}" at offset 0: pipelines \(\|\) are not supported; a record template may use/],
    ['{{.A|upper}}', /pipelines \(\|\) are not supported/],
    ['{{ printf "%s" .A }}', /^"\{\{ printf "%s" \.A \}\}" at offset 0: functions such as "printf" are not supported/],
    ['{{ len .A }}', /functions such as "len" are not supported/],
    ['{{ .A .B }}', /an action holds one field or one string constant, with no arguments/],
    ['{{ "a" "b" }}', /an action holds one field or one string constant/],
    ['x{{ if .A }}y{{ end }}', /^"\{\{ if \.A \}\}" at offset 1: "if" is not supported: a record template has no conditionals, loops or nested templates/],
    ['{{ range .A }}{{ end }}', /"range" is not supported/],
    ['{{ $x := .A }}', /variables are not supported/],
    ['{{ (.A) }}', /parentheses are not supported/],
    ['{{ . }}', /\{\{ \. \}\} would print the whole record/],
    ['{{ .RequestHeaders.host }}', /nested fields \(\.A\.B\) are not supported/],
    ['{{ .A- }}', /\.A- is not a field reference/],
    ['{{ 42 }}', /number and character constants are not supported/],
    ['{{ true }}', /the constant true is not supported/],
    ['{{ }}', /^"\{\{ \}\}" at offset 0: empty action/],
    ['{{-\n -}}', /empty action/],
  ];
  for (const [template, expected] of cases) assert.match(refusal(template).message, expected, template);
});

test('refuses bad string constants with what is wrong in them', () => {
  assert.match(refusal('{{ "a\\qb" }}').message, /^"\{\{ "a\\qb" \}\}" at offset 0: unknown escape \\q in string constant/);
  assert.match(refusal('{{ "abc }}').message, /unterminated string constant/);
  assert.match(refusal('{{ "a\nb" }}').message, /unterminated string constant/, 'an interpreted string may not span lines');
  assert.match(refusal('{{ `abc }}').message, /unterminated raw string constant/);
  assert.match(refusal('{{ "\\u12" }}').message, /malformed escape \\u12 in string constant: \\u takes 4 hex digits/);
  assert.match(refusal('{{ "\\xff" }}').message, /escape \\xff is a single byte, not a character; write the character or \\u00ff/);
  assert.match(refusal('{{ "\\ud800" }}').message, /escape \\ud800 is not a valid Unicode character/);
});

test('a long bad action is quoted in part', () => {
  const { message } = refusal(`{{ if ${'.A '.repeat(50)}}}`);
  assert.match(message, /^"\{\{ if (\.A ){18}…" at offset 0:/);
});
