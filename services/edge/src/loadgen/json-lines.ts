// Writes records as JSON text with 64-bit integers exact: `1700000000016478500`, not a rounded double.
import type { DatasetRecord } from '@sluice/schemas';

const BIG = '\u0000big:';

export function recordToJson(record: DatasetRecord): string {
  const text = JSON.stringify(record, (_key, value: unknown) => (typeof value === 'bigint' ? `${BIG}${value.toString()}` : value));
  return text.replace(/"\\u0000big:(-?\d+)"/g, '$1');
}
