// Who may use an app: listed emails, email domains or groups, compiled once into a predicate over a verified identity.
import type { VerifiedIdentity } from './verified-identity.js';

export interface AccessPolicy {
  readonly emails: readonly string[];
  /** Exact domains such as "example.com": "alice@sub.example.com" does not match it. */
  readonly emailDomains: readonly string[];
  readonly groups: readonly string[];
  /** Any verified user; an empty policy without it allows nobody. */
  readonly everyone?: boolean;
}

/** Compiled once per app: emails and domains compare case-insensitively, groups exactly. An empty policy without `everyone` allows nobody. */
export function compileAccessPolicy(policy: AccessPolicy): (identity: VerifiedIdentity) => boolean {
  if (policy.everyone === true) return () => true;
  const emails = new Set(policy.emails.map((email) => email.toLowerCase()));
  const domains = new Set(policy.emailDomains.map((domain) => domain.toLowerCase().replace(/^@/, '')));
  const groups = new Set(policy.groups);
  return (identity) => {
    if (emails.size > 0 || domains.size > 0) {
      const email = identity.email.toLowerCase();
      if (emails.has(email)) return true;
      // The last `@`: a quoted local part may itself hold one, the domain never does.
      if (domains.size > 0 && domains.has(email.slice(email.lastIndexOf('@') + 1))) return true;
    }
    if (groups.size > 0) {
      for (const group of identity.groups) if (groups.has(group)) return true;
    }
    return false;
  };
}
