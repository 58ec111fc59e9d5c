import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('defaults to SQLite under ./data and the escalation timings of API.md', () => {
    const c = loadConfig({}, '/srv/ballou');
    expect(c.databaseUrl).toBe('sqlite:/srv/ballou/data/ballou.sqlite');
    expect(c.databaseKind).toBe('sqlite');
    expect([c.escalateSecondaryAfterSeconds, c.escalateManagerAfterSeconds]).toEqual([300, 600]);
    expect(c.port).toBe(3000);
  });
  it('recognises PostgreSQL and refuses other URLs without echoing a password', () => {
    expect(loadConfig({ BALLOU_DATABASE_URL: 'postgres://u:p@db/x' }).databaseKind).toBe('postgres');
    expect(() => loadConfig({ BALLOU_DATABASE_URL: 'mysql://u:secret@db/x' })).toThrow(ConfigError);
    expect(() => loadConfig({ BALLOU_DATABASE_URL: 'mysql://u:secret@db/x' })).not.toThrow(/secret/);
  });
  it('refuses malformed numbers, flags and an escalation order that pages the manager first', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT must be a whole number/);
    expect(() => loadConfig({ BALLOU_DEMO_DATA: 'maybe' })).toThrow(/BALLOU_DEMO_DATA/);
    // A metrics token short enough to guess is refused; none turns the endpoint off.
    expect(() => loadConfig({ BALLOU_METRICS_TOKEN: 'prometheus' })).toThrow(/at least 32 characters/);
    expect(loadConfig({}).metricsToken).toBe('');
    expect(() =>
      loadConfig({ BALLOU_ESCALATE_SECONDARY_AFTER: '600', BALLOU_ESCALATE_MANAGER_AFTER: '300' }),
    ).toThrow(/must be later than/);
  });
  it('bounds a request to the telephony providers: 10 s by default, settable, never below 100 ms', () => {
    expect(loadConfig({}).providerTimeoutMs).toBe(10_000);
    expect(loadConfig({ BALLOU_PROVIDER_TIMEOUT_MS: '2500' }).providerTimeoutMs).toBe(2500);
    expect(() => loadConfig({ BALLOU_PROVIDER_TIMEOUT_MS: '0' })).toThrow(/BALLOU_PROVIDER_TIMEOUT_MS/);
  });
  it('skips a hanging 46elks for 30 s by default; 0 turns that off; a negative time is refused', () => {
    expect(loadConfig({}).providerHangSkipSeconds).toBe(30);
    expect(loadConfig({ BALLOU_PROVIDER_HANG_SKIP_SECONDS: '0' }).providerHangSkipSeconds).toBe(0);
    expect(() => loadConfig({ BALLOU_PROVIDER_HANG_SKIP_SECONDS: '-5' })).toThrow(
      /BALLOU_PROVIDER_HANG_SKIP_SECONDS/,
    );
  });
});
