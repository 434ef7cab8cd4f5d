// `sluice access-logs` for people: one row per authentication event, with why a denied one was refused.
import type { AccessLogView } from '@sluice/api';

const COLUMNS: readonly { title: string; cell: (event: AccessLogView) => string }[] = [
  { title: 'TIME', cell: (event) => event.created_at ?? '' },
  { title: 'USER', cell: (event) => event.user_email || '-' },
  { title: 'RESULT', cell: (event) => (event.allowed === true ? 'allowed' : event.allowed === false ? 'denied' : '') },
  { title: 'APP', cell: (event) => event.app_domain ?? '' },
  { title: 'IP', cell: (event) => event.ip_address ?? '' },
  { title: 'COUNTRY', cell: (event) => event.country || '-' },
  { title: 'IDP', cell: (event) => event.connection || '-' },
  { title: 'RAY ID', cell: (event) => event.ray_id ?? '' },
  { title: 'REASON', cell: (event) => (event.deny_reason_code ? `${event.deny_reason_code}: ${event.deny_reason ?? ''}` : '-') },
];

/** Left-aligned columns two spaces apart; the last (the reason, the widest) is not padded. */
export function formatAccessLogsTable(events: readonly AccessLogView[]): string {
  const rows = [COLUMNS.map((column) => column.title), ...events.map((event) => COLUMNS.map((column) => column.cell(event)))];
  const widths = COLUMNS.map((_, index) => Math.max(...rows.map((row) => row[index]?.length ?? 0)));
  return rows.map((row) => row.map((cell, index) => (index === row.length - 1 ? cell : cell.padEnd(widths[index] ?? 0))).join('  ')).join('\n') + '\n';
}
