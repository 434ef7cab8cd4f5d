// A strict little RFC 4180 reader for tests: if it reads our CSV back, any CSV parser can.

export interface CsvField {
  text: string;
  /** Whether the field was written in quotes: `""` (an empty string) is quoted, an absent value is not. */
  quoted: boolean;
}

/** Rows of fields; each row ends with `\n` (or the end of the text). Throws on anything RFC 4180 does not allow. */
export function parseCsv(text: string, delimiter = ','): CsvField[][] {
  const rows: CsvField[][] = [];
  if (text === '') return rows;
  let row: CsvField[] = [];
  let i = 0;
  for (;;) {
    if (text[i] === '"') {
      let value = '';
      let from = i + 1;
      for (;;) {
        const quote = text.indexOf('"', from);
        if (quote === -1) throw new Error(`CSV: unterminated quoted field at ${i}`);
        value += text.slice(from, quote);
        if (text[quote + 1] !== '"') {
          i = quote + 1;
          break;
        }
        value += '"';
        from = quote + 2;
      }
      row.push({ text: value, quoted: true });
    } else {
      let end = i;
      while (end < text.length && !text.startsWith(delimiter, end) && text[end] !== '\n') {
        if (text[end] === '"' || text[end] === '\r') throw new Error(`CSV: ${JSON.stringify(text[end])} in an unquoted field at ${end}`);
        end++;
      }
      row.push({ text: text.slice(i, end), quoted: false });
      i = end;
    }
    if (text.startsWith(delimiter, i)) {
      i += delimiter.length;
    } else if (text[i] === '\n' || i === text.length) {
      rows.push(row);
      row = [];
      i++;
      if (i >= text.length) return rows;
    } else {
      throw new Error(`CSV: ${JSON.stringify(text[i])} after a quoted field at ${i}`);
    }
  }
}
