// The sign-in form: an API token and the account and zone to look at; the token is checked against the API before it is kept.
import { ApiFailure, createApiClient } from './api-client.js';
import { field, h } from './dom.js';
import { HEX_ID, saveSession } from './session.js';
import type { Session } from './session.js';

export function signInForm(onSignedIn: (session: Session) => void, notice = ''): HTMLElement {
  const error = h('p', { class: 'error', role: 'alert', id: 'sign-in-error' }, notice);
  const form = h(
    'form',
    { class: 'sign-in', id: 'sign-in', autocomplete: 'off' },
    h('h1', {}, 'Sign in to Sluice'),
    h('label', {}, 'API token', h('input', { name: 'token', type: 'password', required: true, autocomplete: 'off', spellcheck: 'false' })),
    h('label', {}, 'Account ID', h('input', { name: 'account', placeholder: '32 hex digits', class: 'mono', spellcheck: 'false' })),
    h('label', {}, 'Zone ID', h('input', { name: 'zone', placeholder: '32 hex digits', class: 'mono', spellcheck: 'false' })),
    h('p', { class: 'muted' }, 'The token stays in this tab (sessionStorage) and is sent only in the Authorization header.'),
    error,
    h('button', { type: 'submit' }, 'Sign in'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const session: Session = { token: field(form, 'token'), accountId: field(form, 'account').toLowerCase(), zoneId: field(form, 'zone').toLowerCase() };
    void verify(session).then((problem) => {
      if (problem !== undefined) {
        error.textContent = problem;
        return;
      }
      saveSession(session);
      onSignedIn(session);
    });
  });
  return form;
}

/** Undefined when the token can read the zone (or else the account), else what to tell the user. */
async function verify(session: Session): Promise<string | undefined> {
  for (const [name, id] of [['Account ID', session.accountId], ['Zone ID', session.zoneId]] as const) {
    if (id !== '' && !HEX_ID.test(id)) return `${name} must be 32 lowercase hex digits, got "${id.slice(0, 40)}"`;
  }
  const scope = session.zoneId !== '' ? `zones/${session.zoneId}` : session.accountId !== '' ? `accounts/${session.accountId}` : '';
  if (scope === '') return 'Give a zone ID, an account ID or both';
  try {
    await createApiClient(session.token, () => undefined).get(`/client/v4/${scope}/logpush/jobs`);
    return undefined;
  } catch (error) {
    if (error instanceof ApiFailure && error.status === 401) return 'The API does not accept this token';
    if (error instanceof ApiFailure && error.status === 403) return `This token cannot read ${scope}`;
    return `Could not reach the API: ${(error as Error).message}`;
  }
}
