// Prints a user's session as a table in time order: the columns the job stores, widths from the rows.
import type { SessionRow } from '@sluice/api';

interface Column {
  title: string;
  value: (row: SessionRow) => string | number | null;
}

const COLUMNS: readonly Column[] = [
  { title: 'TIME', value: (row) => row.time },
  { title: 'RAY ID', value: (row) => row.ray_id },
  { title: 'METHOD', value: (row) => row.method },
  { title: 'HOST', value: (row) => row.host },
  { title: 'PATH', value: (row) => row.path },
  { title: 'STATUS', value: (row) => row.status },
  { title: 'CLIENT IP', value: (row) => row.client_ip },
  { title: 'ACTION', value: (row) => row.security_action },
];

/** Columns that are null in every row (fields the job does not store) are left out. */
export function formatSessionTable(rows: readonly SessionRow[]): string {
  const columns = COLUMNS.filter((column) => rows.some((row) => column.value(row) !== null));
  const cells = rows.map((row) => columns.map((column) => printable(column.value(row))));
  const widths = columns.map((column, index) => Math.max(column.title.length, ...cells.map((line) => (line[index] ?? '').length)));
  const line = (values: readonly string[]): string => values.map((value, index) => (index === values.length - 1 ? value : value.padEnd(widths[index] ?? 0))).join('  ').trimEnd();
  return [line(columns.map((column) => column.title)), ...cells.map(line)].join('\n') + '\n';
}

/** Control characters from a request (a path, a user agent) are shown escaped, so a row cannot rewrite the terminal. */
function printable(value: string | number | null): string {
  if (value === null) return '-';
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is escaped
  return String(value).replace(/[\u0000-\u001f\u007f-\u009f]/g, (char) => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
