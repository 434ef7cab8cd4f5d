// The shape every record layout compiles to: fixed text fragments around one encoded value per field.
import type { Dataset, DatasetRecord } from '@sluice/schemas';
import type { TimestampFormat, ValueEncoder, ValueEncoding } from './value-encoders.js';

/** Renders one whole record: record prefix, fields, record suffix (batch framing is the batch's job). */
export type RecordRenderer = (record: DatasetRecord) => string;

/**
 * One encoder per field, chosen once by the field's kind. A name the dataset does not have is a
 * programming error here: the job validator has already refused it with a proper message.
 */
export function encodersFor(dataset: Dataset, fieldNames: readonly string[], encoding: ValueEncoding, timestampFormat: TimestampFormat): ValueEncoder[] {
  return fieldNames.map((name) => {
    const spec = dataset.field(name);
    if (!spec) throw new Error(`renderer: ${name} is not a field of ${dataset.name}`);
    return encoding.encoderFor(spec.kind, timestampFormat);
  });
}

/**
 * The fragments of a delimited layout: fragment i precedes value i (the record prefix before the
 * first, the field delimiter before the rest, each followed by `label(name)`), and the suffix ends.
 */
export function delimitedFragments(fieldNames: readonly string[], recordPrefix: string, fieldDelimiter: string, recordSuffix: string, label: (name: string) => string): string[] {
  if (fieldNames.length === 0) return [recordPrefix + recordSuffix];
  return [...fieldNames.map((name, i) => `${i === 0 ? recordPrefix : fieldDelimiter}${label(name)}`), recordSuffix];
}

/**
 * `fragments[0] + value(0) + fragments[1] + … + value(n-1) + fragments[n]`.
 * Everything that does not depend on the record (prefixes, keys, delimiters, template text, the
 * suffix) is already folded into the fragments, so per record there is only a lookup, an encode
 * and two concatenations per field.
 */
export function rendererFromFragments(
  fragments: readonly string[],
  fieldNames: readonly string[],
  encoders: readonly ValueEncoder[],
  absent: string,
): RecordRenderer {
  if (fragments.length !== fieldNames.length + 1 || encoders.length !== fieldNames.length) {
    throw new Error('renderer: expected one more fragment than fields, and one encoder per field');
  }
  const count = fieldNames.length;
  const head = fragments[0];
  if (count === 0) return () => head;
  const names = [...fieldNames];
  const tails = fragments.slice(1);
  const encode = [...encoders];
  return (record) => {
    let text = head;
    for (let i = 0; i < count; i++) {
      const value = record[names[i]];
      text += value === undefined || value === null ? absent : encode[i](value);
      text += tails[i];
    }
    return text;
  };
}
