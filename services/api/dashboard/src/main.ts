// The dashboard's entry point: sign-in, then a header with the views, switched by the URL's hash (which never holds the token).
import { createApiClient } from './api-client.js';
import { h, replace } from './dom.js';
import { clearSession, loadSession } from './session.js';
import type { Session } from './session.js';
import { signInForm } from './sign-in.js';
import type { View, ViewDeps } from './view.js';
import { accessView } from './views/access-view.js';
import { auditView } from './views/audit-view.js';
import { jobsView } from './views/jobs-view.js';
import { liveTailView } from './views/live-tail-view.js';

const ROUTES: readonly { hash: string; label: string; build: (deps: ViewDeps) => View }[] = [
  { hash: '#/access', label: 'Logs › Access', build: accessView },
  { hash: '#/jobs', label: 'Logpush jobs', build: jobsView },
  { hash: '#/tail', label: 'Live tail', build: liveTailView },
  { hash: '#/audit', label: 'Audit', build: auditView },
];

const root = document.getElementById('app') ?? document.body;

function showSignIn(notice = ''): void {
  clearSession();
  replace(root, signInForm(showShell, notice));
}

function showShell(session: Session): void {
  const api = createApiClient(session.token, () => leave('The API refused the token: sign in again'));
  const views = new Map<string, View>();
  const outlet = h('div', { id: 'view' });
  const links = ROUTES.map((route) => h('a', { href: route.hash }, route.label));
  const signOut = h('button', { type: 'button', class: 'secondary', id: 'sign-out', onclick: () => leave('') }, 'Sign out');
  let current: View | undefined;

  const route = (): void => {
    const chosen = ROUTES.find((r) => r.hash === location.hash) ?? ROUTES[0];
    if (chosen === undefined) return;
    current?.stop();
    let view = views.get(chosen.hash);
    if (view === undefined) {
      view = chosen.build({ api, session });
      views.set(chosen.hash, view);
    }
    current = view;
    links.forEach((link, i) => (ROUTES[i] === chosen ? link.setAttribute('aria-current', 'page') : link.removeAttribute('aria-current')));
    replace(outlet, view.element);
    view.start();
  };
  const leave = (notice: string): void => {
    window.removeEventListener('hashchange', route);
    current?.stop();
    current = undefined;
    showSignIn(notice);
  };

  replace(root, h('header', { class: 'top' }, h('span', { class: 'brand' }, 'Sluice'), h('nav', {}, ...links), signOut), outlet);
  window.addEventListener('hashchange', route);
  route();
}

const existing = loadSession();
if (existing) showShell(existing);
else showSignIn();
