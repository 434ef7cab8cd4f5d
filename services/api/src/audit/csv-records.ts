// A streaming RFC 4180 reader for the CSV Sluice writes: quoted strings with "" inside and line breaks kept, bare numbers, empty for absent.

/** One CSV field: its text, and whether it was quoted (a quoted empty string is "", an unquoted empty field is absent). */
export interface CsvField {
  text: string;
  quoted: boolean;
}

export interface CsvRecordReader {
  /** Feeds decoded text; returns the records it completed. */
  push(text: string): CsvField[][];
  /** The last record when the text did not end with a line break. */
  end(): CsvField[][];
  /** Characters held for an unfinished record: the caller bounds memory with it. */
  readonly pending: number;
}

export function createCsvRecordReader(delimiter = ','): CsvRecordReader {
  let fields: CsvField[] = [];
  let text = '';
  let quoted = false;
  let inQuotes = false;
  /** A quote seen inside quotes: either the closing one or the first of a doubled pair. */
  let quotePending = false;
  let started = false;

  const endField = (): void => {
    fields.push({ text, quoted });
    text = '';
    quoted = false;
  };
  const endRecord = (out: CsvField[][]): void => {
    endField();
    out.push(fields);
    fields = [];
    started = false;
  };

  return {
    push(chunk) {
      const out: CsvField[][] = [];
      for (const char of chunk) {
        if (inQuotes) {
          if (quotePending) {
            quotePending = false;
            if (char === '"') {
              text += '"';
              continue;
            }
            inQuotes = false;
            // Falls through: the character after a closing quote is read outside quotes.
          } else if (char === '"') {
            quotePending = true;
            continue;
          } else {
            text += char;
            continue;
          }
        }
        if (char === '"' && text === '' && !quoted) {
          inQuotes = true;
          quoted = true;
          started = true;
        } else if (char === delimiter) {
          endField();
          started = true;
        } else if (char === '\n') {
          if (text.endsWith('\r') && !quoted) text = text.slice(0, -1);
          endRecord(out);
        } else {
          text += char;
          started = true;
        }
      }
      return out;
    },
    end() {
      const out: CsvField[][] = [];
      if (quotePending) {
        quotePending = false;
        inQuotes = false;
      }
      if (started || text !== '' || fields.length > 0) endRecord(out);
      return out;
    },
    get pending() {
      return text.length + fields.reduce((sum, field) => sum + field.text.length, 0);
    },
  };
}
