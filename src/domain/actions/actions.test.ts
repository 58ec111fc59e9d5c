import { describe, expect, it } from 'vitest';
import { DomainError } from '../shared/domain-error.js';
import { matchingAuthorizations, validateAuthorizationTerms, type Authorization } from './authorization.js';
import { DEFAULT_ACTIONS, parseActionCatalogue } from './catalogue.js';
import { decideRun, incidentRefusesManualRun, runsInLastDay } from './decide-run.js';

const NOW = Date.parse('2026-12-02T02:00:00Z');
const HOUR = 3_600_000;

function auth(over: Partial<Authorization> = {}): Authorization {
  return {
    id: 'a1',
    serverId: 's1',
    actionKey: 'restart-web',
    manual: true,
    automatic: true,
    alertNames: [],
    maxRunsPerDay: null,
    notifyCustomer: true,
    withinResponsibility: true,
    revokedAtMs: null,
    ...over,
  };
}

function fieldErrors(fn: () => unknown): { code: string; paths: string[] } {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return { code: e.code, paths: e.errors.map((x) => x.path) };
    throw e;
  }
  throw new Error('did not throw');
}

describe('parseActionCatalogue', () => {
  const good = {
    key: 'restart-web',
    titleSv: 'Starta om webbservern',
    titleEn: 'Restart the web server',
    command: 'sudo systemctl restart nginx',
    checkCommand: 'systemctl is-active nginx',
    timeoutSeconds: 60,
  };
  it('accepts the built-in catalogue written as configuration', () => {
    const asJson = DEFAULT_ACTIONS.map((a) => ({ ...a }));
    expect(parseActionCatalogue(asJson)).toEqual(DEFAULT_ACTIONS);
  });
  it('makes a missing check command null', () => {
    const { checkCommand: _unused, ...noCheck } = good;
    expect(parseActionCatalogue([noCheck])[0]?.checkCommand).toBeNull();
  });
  it('names every bad field: multi-line commands, bad keys, timeouts, repeats and unknown fields', () => {
    const result = fieldErrors(() =>
      parseActionCatalogue([
        { ...good, command: 'systemctl restart nginx\nrm -rf /' },
        { ...good, key: 'Restart Web', timeoutSeconds: 0 },
        good,
        good,
        { ...good, key: 'x', shell: '/bin/sh' },
      ]),
    );
    expect(result.code).toBe('VALIDATION_FAILED');
    expect(result.paths).toEqual(['/0/command', '/1/key', '/1/timeoutSeconds', '/3/key', '/4/shell']);
  });
  it('refuses anything but an array', () => {
    expect(fieldErrors(() => parseActionCatalogue({ actions: [] })).code).toBe('VALIDATION_FAILED');
  });
});

describe('validateAuthorizationTerms', () => {
  const terms = {
    manual: true,
    automatic: true,
    alertNames: [' NginxDown '],
    maxRunsPerDay: 3,
    notifyCustomer: true,
    withinResponsibility: true,
  };
  it('allows automatic runs for tier hog and trims alert names', () => {
    expect(validateAuthorizationTerms(terms, 'hog').alertNames).toEqual(['NginxDown']);
  });
  it('refuses automatic runs below tier hog with a conflict naming /automatic', () => {
    expect(fieldErrors(() => validateAuthorizationTerms(terms, 'incident'))).toEqual({
      code: 'CONFLICT',
      paths: ['/automatic'],
    });
    expect(fieldErrors(() => validateAuthorizationTerms(terms, null)).code).toBe('CONFLICT');
    expect(validateAuthorizationTerms({ ...terms, automatic: false }, 'incident').manual).toBe(true);
  });
  it('refuses an authorization that allows nothing, a silly limit and repeated names', () => {
    expect(
      fieldErrors(() => validateAuthorizationTerms({ ...terms, manual: false, automatic: false }, 'hog'))
        .paths,
    ).toEqual(['/manual']);
    expect(
      fieldErrors(() => validateAuthorizationTerms({ ...terms, maxRunsPerDay: 0 }, 'hog')).paths,
    ).toEqual(['/maxRunsPerDay']);
    expect(
      fieldErrors(() => validateAuthorizationTerms({ ...terms, alertNames: ['A', 'A '] }, 'hog')).paths,
    ).toEqual(['/alertNames/1']);
  });
});

describe('matchingAuthorizations', () => {
  it('matches listed alert names exactly, an empty list matches any alert, revoked and manual-only never', () => {
    const listed = auth({ id: 'listed', alertNames: ['NginxDown'] });
    const any = auth({ id: 'any' });
    const revoked = auth({ id: 'revoked', revokedAtMs: NOW - HOUR });
    const manualOnly = auth({ id: 'manual', automatic: false });
    const all = [listed, any, revoked, manualOnly];
    expect(matchingAuthorizations(all, 'NginxDown').map((a) => a.id)).toEqual(['listed', 'any']);
    expect(matchingAuthorizations(all, 'nginxdown').map((a) => a.id)).toEqual(['any']);
  });
});

describe('runsInLastDay', () => {
  it('counts a rolling 24 hours of runs that were let through', () => {
    const runs = [
      { status: 'succeeded' as const, createdAtMs: NOW - 23 * HOUR },
      { status: 'failed' as const, createdAtMs: NOW - HOUR },
      { status: 'refused' as const, createdAtMs: NOW - HOUR },
      { status: 'host_key_mismatch' as const, createdAtMs: NOW - HOUR },
      { status: 'succeeded' as const, createdAtMs: NOW - 24 * HOUR },
    ];
    expect(runsInLastDay(runs, NOW)).toBe(2);
  });
});

describe('decideRun', () => {
  it('allows an authorized manual run on any tier and an automatic one on tier hog', () => {
    expect(decideRun({ trigger: 'manual', authorization: auth(), tier: 'none', runsInLastDay: 0 })).toEqual({
      allowed: true,
    });
    expect(decideRun({ trigger: 'automatic', authorization: auth(), tier: 'hog', runsInLastDay: 0 })).toEqual(
      {
        allowed: true,
      },
    );
  });
  it('refuses without an authorization, when revoked, or when it does not allow this trigger', () => {
    const reasons = [
      decideRun({ trigger: 'manual', authorization: undefined, tier: 'hog', runsInLastDay: 0 }),
      decideRun({
        trigger: 'manual',
        authorization: auth({ revokedAtMs: NOW }),
        tier: 'hog',
        runsInLastDay: 0,
      }),
      decideRun({ trigger: 'manual', authorization: auth({ manual: false }), tier: 'hog', runsInLastDay: 0 }),
      decideRun({
        trigger: 'automatic',
        authorization: auth({ automatic: false }),
        tier: 'hog',
        runsInLastDay: 0,
      }),
    ].map((d) => (d.allowed ? 'allowed' : `${d.reason}:${d.status}`));
    expect(reasons).toEqual(Array(4).fill('not_authorized:403'));
  });
  it('refuses automatic runs below tier hog (the tier changed after the authorization)', () => {
    const d = decideRun({ trigger: 'automatic', authorization: auth(), tier: 'incident', runsInLastDay: 0 });
    expect(d).toMatchObject({ allowed: false, reason: 'tier_not_hog', status: 403 });
  });
  it('refuses the run past the daily limit, and only then', () => {
    const limited = auth({ maxRunsPerDay: 2 });
    expect(
      decideRun({ trigger: 'automatic', authorization: limited, tier: 'hog', runsInLastDay: 1 }).allowed,
    ).toBe(true);
    expect(
      decideRun({ trigger: 'manual', authorization: limited, tier: 'hog', runsInLastDay: 2 }),
    ).toMatchObject({
      allowed: false,
      reason: 'daily_limit_reached',
      status: 409,
    });
  });
});

describe('incidentRefusesManualRun', () => {
  it('needs a taken, unresolved incident, and consent for billable work below tier hog', () => {
    const taken = { state: 'acknowledged' as const, tier: 'hog' as const, consentGranted: null };
    expect(incidentRefusesManualRun(taken, false)).toBeNull();
    expect(incidentRefusesManualRun({ ...taken, state: 'open' }, true)).toMatch(/acknowledge/);
    expect(incidentRefusesManualRun({ ...taken, state: 'resolved' }, true)).toMatch(/resolved/);
    expect(incidentRefusesManualRun({ ...taken, tier: 'incident' }, false)).toMatch(/consent/);
    expect(incidentRefusesManualRun({ ...taken, tier: 'incident' }, true)).toBeNull();
    expect(incidentRefusesManualRun({ ...taken, tier: 'none', consentGranted: true }, false)).toBeNull();
  });
});
