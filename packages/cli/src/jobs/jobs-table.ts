// `sluice jobs list` for people: one row per job, destinations with their credentials redacted.
import type { JobView } from '@sluice/api';
import { redactUrl } from '@sluice/logging';

const COLUMNS: readonly { title: string; cell: (job: JobView) => string }[] = [
  { title: 'ID', cell: (job) => String(job.id) },
  { title: 'NAME', cell: (job) => job.name ?? '' },
  { title: 'DATASET', cell: (job) => job.dataset },
  { title: 'ENABLED', cell: (job) => (job.enabled ? 'yes' : 'no') },
  { title: 'LAST COMPLETE', cell: (job) => job.last_complete ?? '-' },
  { title: 'LAST ERROR', cell: (job) => job.last_error ?? '-' },
  { title: 'DESTINATION', cell: (job) => redactUrl(job.destination_conf) },
];

/** Left-aligned columns two spaces apart; the last (the destination, the widest) is not padded. */
export function formatJobsTable(jobs: readonly JobView[]): string {
  const rows = [COLUMNS.map((column) => column.title), ...jobs.map((job) => COLUMNS.map((column) => column.cell(job)))];
  const widths = COLUMNS.map((_, index) => Math.max(...rows.map((row) => row[index]?.length ?? 0)));
  return rows.map((row) => row.map((cell, index) => (index === row.length - 1 ? cell : cell.padEnd(widths[index] ?? 0))).join('  ')).join('\n') + '\n';
}
