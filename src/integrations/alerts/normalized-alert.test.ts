import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  compactKey,
  groupAlerts,
  hostOfInstance,
  incidentKeyOf,
  instantOrNull,
  MAX_KEY_LENGTH,
  normaliseHostname,
  parseDateTime,
  type NormalizedAlert,
} from './normalized-alert.js';

describe('hostOfInstance', () => {
  it.each([
    ['web1.acme.se:9100', 'web1.acme.se'],
    ['Web1.Acme.SE:9100', 'web1.acme.se'],
    ['web1.acme.se', 'web1.acme.se'],
    ['web1.acme.se.:9100', 'web1.acme.se'],
    ['10.0.0.7', '10.0.0.7'],
    ['10.0.0.7:9100', '10.0.0.7'],
    ['[::1]:9100', '::1'],
    ['[2001:db8::1]', '2001:db8::1'],
    ['2001:db8::1', '2001:db8::1'],
    ['https://shop.acme.se/health', 'shop.acme.se'],
    ['http://user:pw@shop.acme.se:8080/x?y#z', 'shop.acme.se'],
    ['tcp://db1.acme.se:5432', 'db1.acme.se'],
  ])('%s → %s', (instance, host) => {
    expect(hostOfInstance(instance)).toBe(host);
  });

  it.each([[''], ['   '], [':9100'], ['[::1'], ['bad host:1'], ['https://']])('%j → null', (instance) => {
    expect(hostOfInstance(instance)).toBeNull();
  });

  it('is null for non-strings', () => {
    expect(hostOfInstance(undefined)).toBeNull();
    expect(hostOfInstance(9100)).toBeNull();
  });

  it('normaliseHostname trims, lowercases and refuses controls', () => {
    expect(normaliseHostname(' Web1.Acme.SE. ')).toBe('web1.acme.se');
    expect(normaliseHostname('web1\r\n')).toBe('web1');
    expect(normaliseHostname('we b1')).toBeNull();
    expect(normaliseHostname('x'.repeat(300))).toBeNull();
  });
});

describe('parseDateTime', () => {
  it('reads RFC 3339 with any fraction length and offset forms', () => {
    expect(parseDateTime('2021-10-12T09:51:03.157076+02:00')).toBe(Date.UTC(2021, 9, 12, 7, 51, 3, 157));
    expect(parseDateTime('2026-12-01T19:10:00.123456789Z')).toBe(Date.UTC(2026, 11, 1, 19, 10, 0, 123));
    expect(parseDateTime('2015-07-17T08:42:58.315+0000')).toBe(Date.UTC(2015, 6, 17, 8, 42, 58, 315));
    expect(parseDateTime('2026-12-01t19:10:00z')).toBe(Date.UTC(2026, 11, 1, 19, 10));
    expect(parseDateTime('2026-12-31T23:59:60Z')).toBe(Date.UTC(2026, 11, 31, 23, 59, 59, 999));
  });

  it('refuses what is not a date-time, and a missing offset unless told it is UTC', () => {
    for (const text of [
      '',
      'yesterday',
      '2026-02-30T00:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-12-01T24:00:00Z',
    ])
      expect(parseDateTime(text)).toBeUndefined();
    expect(parseDateTime('2026-12-01 18:10:00.000')).toBeUndefined();
    expect(parseDateTime('2026-12-01 18:10:00.000', true)).toBe(Date.UTC(2026, 11, 1, 18, 10));
  });

  it('handles years before 100 (no Date.UTC two-digit-year surprise)', () => {
    expect(parseDateTime('0001-01-01T00:00:00Z')).toBe(-62135596800000);
  });

  it('instantOrNull treats Go zero time and garbage as "no time"', () => {
    expect(instantOrNull('0001-01-01T00:00:00Z')).toBeNull();
    expect(instantOrNull('nope')).toBeNull();
    expect(instantOrNull(undefined)).toBeNull();
    expect(instantOrNull('2026-12-01T19:10:00Z')).toBe(Date.UTC(2026, 11, 1, 19, 10));
  });
});

describe('keys', () => {
  it('compactKey joins parts and digests long keys', () => {
    expect(compactKey(['a', 1, null, 'b'])).toBe('a|1||b');
    const long = compactKey(['x'.repeat(300)]);
    expect(long).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(long.length).toBeLessThanOrEqual(MAX_KEY_LENGTH);
  });

  it('canonicalJson sorts keys at every level and survives deep nesting', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 1, c: 2 }, null] })).toBe('{"a":[{"c":2,"d":1},null],"b":1}');
    let deep: unknown = 'leaf';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(() => canonicalJson(deep)).not.toThrow();
  });
});

function alert(overrides: Partial<NormalizedAlert>): NormalizedAlert {
  return {
    source: 'alertmanager',
    format: 'alertmanager',
    problemKey: 'fp',
    eventKey: 'fp|0|firing',
    status: 'firing',
    alertName: 'X',
    summary: 'X',
    description: null,
    severity: null,
    startsAtMs: 0,
    endsAtMs: null,
    serverHint: null,
    serverCandidates: [],
    customerHint: null,
    labels: {},
    links: [],
    groupKey: '{}:{alertname="X"}',
    ...overrides,
  };
}

describe('grouping into incidents', () => {
  it('Alertmanager: one incident per group and target', () => {
    const alerts = [
      alert({ problemKey: 'a', serverHint: 'web1' }),
      alert({ problemKey: 'b', serverHint: 'web1' }),
      alert({ problemKey: 'c', serverHint: 'web2' }),
      alert({ problemKey: 'd', serverHint: 'web1', groupKey: '{}:{alertname="Y"}' }),
    ];
    const groups = groupAlerts(alerts);
    expect(groups.map((g) => [g.target, g.alerts.map((a) => a.problemKey)])).toEqual([
      ['server:web1', ['a', 'b']],
      ['server:web2', ['c']],
      ['server:web1', ['d']],
    ]);
    expect(groups[0]?.incidentKey).toBe('alertmanager|{}:{alertname="X"}|server:web1');
  });

  it('uses the caller’s resolved target when given', () => {
    const alerts = [
      alert({ problemKey: 'a', serverHint: 'unknown1' }),
      alert({ problemKey: 'b', serverHint: 'unknown2' }),
    ];
    expect(groupAlerts(alerts, () => 'customer:7')).toHaveLength(1);
  });

  it('PagerDuty and generic: one incident per problem, whatever the target', () => {
    const pd = alert({ source: 'pagerduty', format: 'pagerduty', problemKey: 'srv01/disk', groupKey: null });
    expect(incidentKeyOf(pd, 'server:1')).toBe(incidentKeyOf(pd, 'integration'));
    expect(incidentKeyOf(pd, 'x')).toBe('pagerduty|srv01/disk');
  });
});
