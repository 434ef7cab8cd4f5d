// The audit command's times: an RFC 3339 time as is, or a duration back from now (`90m`, `12h`, `7d`) turned into one.

const UNIT_MS: Readonly<Record<string, number>> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

export type AuditTimeResult = { ok: true; time: string } | { ok: false; message: string };

/** `flag` names the option in messages; the API checks the time again (and the range). */
export function resolveAuditTime(flag: string, text: string, nowMs: number): AuditTimeResult {
  if (RFC3339.test(text)) return { ok: true, time: text };
  const match = /^(\d+)([smhd])$/.exec(text);
  if (match) return { ok: true, time: new Date(nowMs - Number(match[1]) * (UNIT_MS[match[2] ?? 's'] ?? 1_000)).toISOString() };
  return { ok: false, message: `${flag} "${text}" is neither an RFC 3339 time (2026-01-31T12:00:00Z) nor a duration back from now (90m, 12h, 7d)` };
}
