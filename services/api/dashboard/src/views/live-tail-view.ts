// Live tail (Instant Logs): a zone's requests as they happen, filtered by user or by any Logpush filter, sampled past the rate bound.
import { ApiFailure } from '../api-client.js';
import { field, h, replace, show } from '../dom.js';
import { createSseParser } from '../sse-parser.js';
import type { View, ViewDeps } from '../view.js';

const DEFAULT_FIELDS = 'EdgeStartTimestamp,ClientRequestMethod,ClientRequestHost,ClientRequestURI,EdgeResponseStatus,RequestHeaders.cf-access-user,RayID';
/** Rows kept on screen; older ones drop off the bottom. */
const MAX_ROWS = 300;

/** The filter the form describes: the user's condition and the free-form filter, both when both are given. */
export function tailFilter(user: string, custom: string): string {
  const conditions: unknown[] = [];
  if (user !== '') conditions.push({ key: 'RequestHeaders.cf-access-user', operator: 'eq', value: user });
  if (custom !== '') {
    const parsed = JSON.parse(custom) as { where?: unknown };
    conditions.push(parsed.where ?? parsed);
  }
  if (conditions.length === 0) return '';
  return JSON.stringify({ where: conditions.length === 1 ? conditions[0] : { and: conditions } });
}

export function liveTailView({ api, session }: ViewDeps): View {
  const error = h('p', { class: 'error', role: 'alert' });
  const state = h('span', { id: 'tail-state' }, 'Stopped');
  const sample = h('span', { id: 'tail-sample' }, 'Sample rate: 100%');
  const count = h('span', { id: 'tail-count' }, '0 requests');
  const head = h('tr', {});
  const body = h('tbody', { id: 'tail-rows' });
  const toggle = h('button', { type: 'submit', id: 'tail-toggle' }, 'Start');
  const form = h(
    'form',
    { class: 'filters', id: 'tail-form' },
    h('label', {}, 'Zone ID', h('input', { name: 'zone', value: session.zoneId, class: 'mono', required: true, size: 34 })),
    h('label', {}, 'User (cf-access-user)', h('input', { name: 'user', placeholder: 'everyone' })),
    h('label', {}, 'Filter (Logpush filter JSON)', h('textarea', { name: 'filter', placeholder: '{"where": {"key": "EdgeResponseStatus", "operator": "geq", "value": 400}}' })),
    h('label', {}, 'Fields', h('input', { name: 'fields', value: DEFAULT_FIELDS, size: 60, class: 'mono' })),
    h('label', {}, 'Max events/s', h('input', { name: 'rate', inputmode: 'numeric', size: 5, placeholder: 'server max' })),
    toggle,
  );
  let running: AbortController | undefined;
  let received = 0;

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (running) stop('Stopped');
    else void start();
  });

  function stop(text: string): void {
    running?.abort();
    running = undefined;
    state.textContent = text;
    toggle.textContent = 'Start';
  }

  async function start(): Promise<void> {
    error.textContent = '';
    let filter: string;
    try {
      filter = tailFilter(field(form, 'user'), field(form, 'filter'));
    } catch (problem) {
      error.textContent = `The filter is not JSON: ${(problem as Error).message}`;
      return;
    }
    const controller = new AbortController();
    running = controller;
    toggle.textContent = 'Stop';
    state.textContent = 'Connecting…';
    received = 0;
    count.textContent = '0 requests';
    replace(body);
    try {
      const stream = await api.stream(`/client/v4/zones/${encodeURIComponent(field(form, 'zone'))}/sluice/live-tail`, { fields: field(form, 'fields'), filter, max_events_per_second: field(form, 'rate') }, controller.signal);
      await read(stream, controller);
      if (running === controller) stop(state.textContent === 'Live' ? 'Ended' : state.textContent ?? 'Ended');
    } catch (problem) {
      if (controller.signal.aborted) return;
      error.textContent = problem instanceof ApiFailure ? problem.message : `The tail stopped: ${(problem as Error).message}`;
      stop('Stopped');
    }
  }

  async function read(stream: ReadableStream<Uint8Array>, controller: AbortController): Promise<void> {
    const reader = stream.getReader();
    const decoder = new TextDecoder();
    const parser = createSseParser();
    for (;;) {
      const { done, value } = await reader.read();
      if (done || controller.signal.aborted) return;
      for (const message of parser.push(decoder.decode(value, { stream: true }))) handle(message.event, JSON.parse(message.data) as Record<string, unknown>);
    }
  }

  function handle(event: string, data: Record<string, unknown>): void {
    if (event === 'ready') {
      state.textContent = 'Live';
      const fields = Array.isArray(data['fields']) ? (data['fields'] as string[]) : [];
      replace(head, ...fields.map((name) => h('th', {}, name)));
      const expires = typeof data['expires_at'] === 'string' ? new Date(data['expires_at']).toLocaleTimeString() : '';
      state.title = expires ? `Closes at ${expires}` : '';
    } else if (event === 'request') {
      received++;
      count.textContent = `${received} requests`;
      const cells = [...head.children].map((th) => h('td', { class: 'mono' }, show(data[th.textContent ?? ''])));
      body.insertBefore(h('tr', { class: 'tail-row' }, ...cells), body.firstChild);
      while (body.children.length > MAX_ROWS) body.lastElementChild?.remove();
    } else if (event === 'sample') {
      const rate = Number(data['sample_rate']);
      sample.textContent = `Sample rate: ${rate >= 1 ? '100%' : `${(rate * 100).toFixed(rate < 0.1 ? 1 : 0)}%`} (${show(data['matched_per_second'])} matching/s)`;
    } else if (event === 'end') {
      state.textContent = `Ended: ${show(data['message'])}`;
    }
  }

  return {
    element: h(
      'section',
      { class: 'view', id: 'tail-view' },
      h('h1', {}, 'Live tail'),
      form,
      error,
      h('div', { class: 'status-line' }, state, sample, count),
      h('table', {}, h('thead', {}, head), body),
    ),
    start: () => undefined,
    // Leaving the view ends the tail: it holds a Kafka consumer and one of the token's tails.
    stop: () => {
      if (running) stop('Stopped');
    },
  };
}
