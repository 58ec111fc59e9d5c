import { DomainError, invalidField } from '../shared/domain-error.js';
import type { Tier } from '../shared/tier.js';

/**
 * A customer's standing instruction for one server (SPEC.md 7): which catalogue action Ballou may run,
 * by hand (an engineer's tap) and/or on its own (a matching alert), how often, whether the customer
 * wants to be told and whether the action lies within Ballou's responsibility (else it is billed).
 */
export interface Authorization {
  id: string;
  serverId: string;
  actionKey: string;
  manual: boolean;
  automatic: boolean;
  /** Alert names that trigger an automatic run; empty = any alert on the server. */
  alertNames: string[];
  /** At most this many runs in any 24 hours; null = no limit. */
  maxRunsPerDay: number | null;
  notifyCustomer: boolean;
  withinResponsibility: boolean;
  revokedAtMs: number | null;
}

/** The settings of an authorization as created or changed. */
export interface AuthorizationTerms {
  manual: boolean;
  automatic: boolean;
  alertNames: string[];
  maxRunsPerDay: number | null;
  notifyCustomer: boolean;
  withinResponsibility: boolean;
}

/** Largest daily limit accepted: beyond it the limit means nothing. */
export const MAX_RUNS_PER_DAY = 100;

/**
 * Checks authorization terms for a customer of `tier` (the tier valid today): automatic runs only for
 * tier `hog` (CONFLICT naming `/automatic`), at least one of manual/automatic, a daily limit from 1 to
 * 100, alert names that are non-empty and not repeated. Returns the terms with alert names trimmed.
 * @example validateAuthorizationTerms({ manual: true, automatic: true, alertNames: ['NginxDown'], maxRunsPerDay: 3, notifyCustomer: true, withinResponsibility: true }, 'hog')
 */
export function validateAuthorizationTerms(terms: AuthorizationTerms, tier: Tier | null): AuthorizationTerms {
  if (!terms.manual && !terms.automatic) {
    invalidField('/manual', 'an authorization must allow manual or automatic runs (or both)');
  }
  if (terms.automatic && tier !== 'hog') {
    throw new DomainError(
      'CONFLICT',
      `/automatic: only customers of tier hog may authorize automatic actions (this customer's tier is ${tier ?? 'none today'})`,
      [{ path: '/automatic', message: 'only customers of tier hog may authorize automatic actions' }],
    );
  }
  if (terms.maxRunsPerDay !== null) {
    if (
      !Number.isInteger(terms.maxRunsPerDay) ||
      terms.maxRunsPerDay < 1 ||
      terms.maxRunsPerDay > MAX_RUNS_PER_DAY
    ) {
      invalidField('/maxRunsPerDay', `must be a whole number from 1 to ${MAX_RUNS_PER_DAY}`);
    }
  }
  const alertNames = terms.alertNames.map((n) => n.trim());
  alertNames.forEach((name, i) => {
    if (name === '') invalidField(`/alertNames/${i}`, 'must not be empty');
    if (alertNames.indexOf(name) !== i) invalidField(`/alertNames/${i}`, `repeats ${name}`);
  });
  return { ...terms, alertNames };
}

/**
 * The active automatic authorizations an alert of `alertName` on the server sets off: not revoked,
 * automatic, and the alert's name listed (an empty list means any alert). Names compare exactly, as
 * monitoring systems spell them.
 * @example matchingAuthorizations([auth({ automatic: true, alertNames: ['NginxDown'] })], 'NginxDown').length // 1
 */
export function matchingAuthorizations(
  authorizations: readonly Authorization[],
  alertName: string,
): Authorization[] {
  return authorizations.filter(
    (a) =>
      a.revokedAtMs === null &&
      a.automatic &&
      (a.alertNames.length === 0 || a.alertNames.includes(alertName)),
  );
}
