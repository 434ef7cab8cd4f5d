// The signed-in state: the API token in sessionStorage (gone when the tab closes), never in a URL, a cookie or localStorage.

const TOKEN_KEY = 'sluice.token';
const ACCOUNT_KEY = 'sluice.account';
const ZONE_KEY = 'sluice.zone';

export interface Session {
  token: string;
  /** 32 hex digits, or empty when not given at sign-in. */
  accountId: string;
  zoneId: string;
}

export function loadSession(): Session | undefined {
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token === null || token === '') return undefined;
  return { token, accountId: sessionStorage.getItem(ACCOUNT_KEY) ?? '', zoneId: sessionStorage.getItem(ZONE_KEY) ?? '' };
}

export function saveSession(session: Session): void {
  sessionStorage.setItem(TOKEN_KEY, session.token);
  sessionStorage.setItem(ACCOUNT_KEY, session.accountId);
  sessionStorage.setItem(ZONE_KEY, session.zoneId);
}

export function clearSession(): void {
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(ACCOUNT_KEY);
  sessionStorage.removeItem(ZONE_KEY);
}

export const HEX_ID = /^[0-9a-f]{32}$/;
