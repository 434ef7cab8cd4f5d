// Writes records as JSON text with 64-bit integers exact: `1700000000016478500`, not a rounded double.
import { stringifyExact } from '@sluice/schemas';
import type { DatasetRecord } from '@sluice/schemas';

export function recordToJson(record: DatasetRecord): string {
  return stringifyExact(record);
}
