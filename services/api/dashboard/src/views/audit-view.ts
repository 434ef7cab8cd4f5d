// Audit: every request one user made in a zone during a time range, in order, read back from what a job stored.
import { field, h, replace, show, toRfc3339 } from '../dom.js';
import type { View, ViewDeps } from '../view.js';

/** One row of GET /zones/{zone_id}/sluice/audit. */
interface SessionRow {
  time: string;
  ray_id: string | null;
  method: string | null;
  host: string | null;
  path: string | null;
  status: number | null;
  client_ip?: string | null;
}

export function auditView({ api, session }: ViewDeps): View {
  const error = h('p', { class: 'error', role: 'alert' });
  const summary = h('p', { class: 'muted', id: 'audit-summary' });
  const body = h('tbody', { id: 'audit-rows' });
  const form = h(
    'form',
    { class: 'filters', id: 'audit-form' },
    h('label', {}, 'User email', h('input', { name: 'email', type: 'email', required: true })),
    h('label', {}, 'Zone ID', h('input', { name: 'zone', value: session.zoneId, class: 'mono', required: true, size: 34 })),
    h('label', {}, 'Since', h('input', { name: 'since', type: 'datetime-local', step: 1, required: true })),
    h('label', {}, 'Until', h('input', { name: 'until', type: 'datetime-local', step: 1 })),
    h('label', {}, 'Job ID', h('input', { name: 'job_id', inputmode: 'numeric', placeholder: 'any suitable job', size: 10 })),
    h('button', { type: 'submit' }, 'Show requests'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void load();
  });

  async function load(): Promise<void> {
    error.textContent = '';
    summary.textContent = 'Reading the stored objects…';
    try {
      const { result, resultInfo } = await api.get<SessionRow[]>(`/client/v4/zones/${encodeURIComponent(field(form, 'zone'))}/sluice/audit`, {
        email: field(form, 'email'),
        since: toRfc3339(field(form, 'since')),
        until: toRfc3339(field(form, 'until')),
        job_id: field(form, 'job_id'),
      });
      const info = resultInfo as unknown as { truncated?: boolean; job_id?: number } | undefined;
      summary.textContent = `${result.length} requests${info?.job_id !== undefined ? ` from job ${info.job_id}` : ''}${info?.truncated ? ' (truncated: narrow the time range)' : ''}`;
      replace(
        body,
        ...result.map((r) =>
          h('tr', {}, h('td', { class: 'mono' }, r.time), h('td', {}, show(r.method)), h('td', {}, show(r.host)), h('td', { class: 'mono' }, show(r.path)), h('td', {}, show(r.status)), h('td', { class: 'mono' }, show(r.ray_id))),
        ),
      );
    } catch (failure) {
      summary.textContent = '';
      error.textContent = (failure as Error).message;
    }
  }

  return {
    element: h(
      'section',
      { class: 'view', id: 'audit-view' },
      h('h1', {}, 'Audit: a user’s requests'),
      form,
      error,
      summary,
      h('table', {}, h('thead', {}, h('tr', {}, ...['Time', 'Method', 'Host', 'Path', 'Status', 'Ray ID'].map((name) => h('th', {}, name)))), body),
    ),
    start: () => undefined,
    stop: () => undefined,
  };
}
