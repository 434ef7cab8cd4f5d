// Logpush jobs: each job of a zone or account with its health (last_complete, last_error, records delivered, consumer lag), enabled or disabled from here.
import { field, h, replace, show } from '../dom.js';
import type { View, ViewDeps } from '../view.js';

/** GET /{zones|accounts}/{id}/logpush/jobs/sluice/health, one entry per job. */
interface JobHealth {
  id: number;
  name: string | null;
  dataset: string;
  enabled: boolean;
  last_complete: string | null;
  last_error: string | null;
  error_message: string | null;
  records_delivered: number | null;
  consumer_lag: number | null;
  lag_error: string | null;
}

/** Health changes every few seconds (workers report every 5 s); refreshing more often shows nothing new. */
const REFRESH_MS = 10_000;

export function jobsView({ api, session }: ViewDeps): View {
  const error = h('p', { class: 'error', role: 'alert' });
  const body = h('tbody', { id: 'jobs-rows' });
  const updated = h('span', { class: 'muted', id: 'jobs-updated' });
  const form = h(
    'form',
    { class: 'filters', id: 'jobs-scope' },
    h('label', {}, 'Scope', h('select', { name: 'kind' }, h('option', { value: 'zones' }, 'Zone'), h('option', { value: 'accounts' }, 'Account'))),
    h('label', {}, 'ID', h('input', { name: 'id', value: session.zoneId || session.accountId, class: 'mono', required: true, size: 34 })),
    h('button', { type: 'submit' }, 'Show jobs'),
  );
  const kind = form.elements.namedItem('kind');
  if (kind instanceof HTMLSelectElement) kind.value = session.zoneId !== '' ? 'zones' : 'accounts';
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void load();
  });
  let timer: number | undefined;

  const base = (): string => `/client/v4/${field(form, 'kind')}/${encodeURIComponent(field(form, 'id'))}/logpush/jobs`;

  async function load(): Promise<void> {
    try {
      const { result } = await api.get<JobHealth[]>(`${base()}/sluice/health`);
      error.textContent = '';
      replace(body, ...(result.length > 0 ? result.map(row) : [h('tr', {}, h('td', { colspan: 10, class: 'muted' }, 'No jobs here.'))]));
      updated.textContent = `Updated ${new Date().toLocaleTimeString()}`;
    } catch (failure) {
      error.textContent = (failure as Error).message;
    }
  }

  async function setEnabled(job: JobHealth, enabled: boolean, button: HTMLButtonElement): Promise<void> {
    button.disabled = true;
    try {
      await api.put(`${base()}/${job.id}`, { enabled });
      await load();
    } catch (failure) {
      error.textContent = `Job ${job.id}: ${(failure as Error).message}`;
      button.disabled = false;
    }
  }

  function row(job: JobHealth): HTMLTableRowElement {
    const toggle = h('button', { type: 'button', class: 'secondary', 'data-job-toggle': job.id }, job.enabled ? 'Disable' : 'Enable');
    toggle.addEventListener('click', () => void setEnabled(job, !job.enabled, toggle));
    const lag = job.consumer_lag === null ? h('span', { class: 'muted', title: job.lag_error ?? '' }, '—') : String(job.consumer_lag);
    return h(
      'tr',
      { 'data-job-id': job.id },
      h('td', { class: 'mono' }, job.id),
      h('td', {}, show(job.name)),
      h('td', {}, job.dataset),
      h('td', { class: job.enabled ? 'allowed job-state' : 'muted job-state' }, job.enabled ? 'Enabled' : 'Disabled'),
      h('td', { class: 'mono' }, show(job.last_complete)),
      h('td', { class: 'mono' }, show(job.last_error)),
      h('td', { class: job.error_message ? 'denied' : '' }, show(job.error_message)),
      h('td', { class: 'records-delivered' }, show(job.records_delivered)),
      h('td', { class: 'consumer-lag' }, lag),
      h('td', {}, toggle),
    );
  }

  const headings = ['ID', 'Name', 'Dataset', 'State', 'Last complete', 'Last error', 'Error message', 'Records delivered', 'Consumer lag', ''];
  return {
    element: h(
      'section',
      { class: 'view', id: 'jobs-view' },
      h('h1', {}, 'Logpush jobs'),
      form,
      error,
      h('table', {}, h('thead', {}, h('tr', {}, ...headings.map((name) => h('th', {}, name)))), body),
      h('p', {}, updated),
    ),
    start() {
      void load();
      timer = window.setInterval(() => void load(), REFRESH_MS);
    },
    stop() {
      window.clearInterval(timer);
    },
  };
}
