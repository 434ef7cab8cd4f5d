// Logs › Access: authentication events newest first, filtered and paged; a row opens to its details, a denied one to why.
import type { ResultInfo } from '../api-client.js';
import { field, h, replace, show, toRfc3339 } from '../dom.js';
import type { View, ViewDeps } from '../view.js';

/** One event as GET /accounts/{id}/access/logs/access_requests returns it. */
interface AccessEvent {
  user_email?: string;
  ip_address?: string;
  app_uid?: string;
  app_domain?: string;
  app_type?: string;
  action?: string;
  allowed?: boolean;
  created_at?: string;
  connection?: string;
  country?: string;
  ray_id?: string;
  deny_reason_code?: string;
  deny_reason?: string;
}

const PER_PAGE = 25;

export function accessView({ api, session }: ViewDeps): View {
  const error = h('p', { class: 'error', role: 'alert' });
  const body = h('tbody', { id: 'access-rows' });
  const pageText = h('span', { class: 'muted', id: 'access-page' });
  const previous = h('button', { type: 'button', class: 'secondary', id: 'access-previous', onclick: () => void load(page - 1) }, 'Previous');
  const next = h('button', { type: 'button', class: 'secondary', id: 'access-next', onclick: () => void load(page + 1) }, 'Next');
  const form = h(
    'form',
    { class: 'filters', id: 'access-filters' },
    h('label', {}, 'Account ID', h('input', { name: 'account', value: session.accountId, class: 'mono', required: true, size: 34 })),
    h('label', {}, 'User', h('input', { name: 'email', placeholder: 'email or part of it' })),
    h('label', {}, 'App UID', h('input', { name: 'app_uid', placeholder: 'any app', class: 'mono' })),
    h('label', {}, 'Result', h('select', { name: 'allowed' }, h('option', { value: '' }, 'Allowed and denied'), h('option', { value: 'true' }, 'Allowed'), h('option', { value: 'false' }, 'Denied'))),
    h('label', {}, 'Since', h('input', { name: 'since', type: 'datetime-local', step: 1 })),
    h('label', {}, 'Until', h('input', { name: 'until', type: 'datetime-local', step: 1 })),
    h('button', { type: 'submit' }, 'Apply'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void load(1);
  });
  let page = 1;

  async function load(wanted: number): Promise<void> {
    const account = field(form, 'account');
    error.textContent = '';
    try {
      const { result, resultInfo } = await api.get<AccessEvent[]>(`/client/v4/accounts/${encodeURIComponent(account)}/access/logs/access_requests`, {
        direction: 'desc',
        page: String(wanted),
        per_page: String(PER_PAGE),
        email: field(form, 'email'),
        app_uid: field(form, 'app_uid'),
        allowed: field(form, 'allowed'),
        since: toRfc3339(field(form, 'since')),
        until: toRfc3339(field(form, 'until')),
      });
      page = wanted;
      replace(body, ...(result.length > 0 ? result.flatMap(rows) : [h('tr', {}, h('td', { colspan: 6, class: 'muted' }, 'No authentication events match.'))]));
      showPaging(result.length, resultInfo);
    } catch (failure) {
      error.textContent = (failure as Error).message;
    }
  }

  function showPaging(count: number, info: ResultInfo | undefined): void {
    const total = info?.total_count;
    pageText.textContent = total === undefined ? `Page ${page}` : `Page ${page} · ${total} events`;
    previous.disabled = page <= 1;
    next.disabled = total === undefined ? count < PER_PAGE : page * PER_PAGE >= total;
  }

  return {
    element: h(
      'section',
      { class: 'view', id: 'access-view' },
      h('h1', {}, 'Logs › Access'),
      form,
      error,
      h('table', {}, h('thead', {}, h('tr', {}, ...['Time', 'User', 'App', 'Action', 'Result', 'Country'].map((name) => h('th', {}, name)))), body),
      h('div', { class: 'pager' }, previous, pageText, next),
    ),
    start: () => void load(page),
    stop: () => undefined,
  };
}

/** The event's row, and its details row (hidden until the row is clicked). */
function rows(event: AccessEvent): HTMLTableRowElement[] {
  const denied = event.allowed === false;
  const details = h(
    'tr',
    { class: 'event-details', hidden: true },
    h(
      'td',
      { colspan: 6 },
      h(
        'dl',
        { class: 'details' },
        ...pair('Login method', event.connection),
        ...pair('IP address', event.ip_address),
        ...pair('Country', event.country),
        ...pair('Ray ID', event.ray_id),
        ...pair('App', event.app_domain),
        ...pair('App UID', event.app_uid),
        ...pair('App type', event.app_type),
        ...(denied ? [h('dt', {}, 'Denied because'), h('dd', { class: 'deny-reason' }, `${show(event.deny_reason)}${event.deny_reason_code ? ` (${event.deny_reason_code})` : ''}`)] : []),
      ),
    ),
  );
  const row = h(
    'tr',
    { class: 'event-row', tabindex: 0, 'aria-expanded': 'false', 'data-ray-id': event.ray_id ?? '' },
    h('td', { class: 'mono' }, show(event.created_at)),
    h('td', {}, show(event.user_email)),
    h('td', {}, show(event.app_domain)),
    h('td', {}, show(event.action)),
    h('td', { class: denied ? 'denied' : 'allowed' }, denied ? 'Denied' : 'Allowed'),
    h('td', {}, show(event.country)),
  );
  const toggle = (): void => {
    details.hidden = !details.hidden;
    row.setAttribute('aria-expanded', String(!details.hidden));
  };
  row.addEventListener('click', toggle);
  row.addEventListener('keydown', (key) => {
    if (key.key === 'Enter' || key.key === ' ') toggle();
  });
  return [row, details];
}

function pair(name: string, value: unknown): HTMLElement[] {
  return [h('dt', {}, name), h('dd', {}, show(value))];
}
