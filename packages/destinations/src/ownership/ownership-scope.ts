// The zone or account a challenge is issued for, in the API's path form: `zones/<id>` or `accounts/<id>`.

export type OwnershipScope = `zones/${string}` | `accounts/${string}`;

const HEX_ID = /^[0-9a-f]{32}$/;

export type OwnershipScopeResult = { ok: true; scope: OwnershipScope } | { ok: false; message: string };

/** `zones/<id>` for a zone, `accounts/<id>` for an account; ids are 32 lowercase hex characters. */
export function ownershipScope(kind: 'zone' | 'account', id: string): OwnershipScopeResult {
  if (!HEX_ID.test(id)) return { ok: false, message: `${kind} id "${id}" is not a 32-character lowercase hex id` };
  return { ok: true, scope: kind === 'zone' ? `zones/${id}` : `accounts/${id}` };
}

export function isOwnershipScope(text: string): text is OwnershipScope {
  const [kind, id, ...rest] = text.split('/');
  return rest.length === 0 && (kind === 'zones' || kind === 'accounts') && HEX_ID.test(id ?? '');
}
