import { describe, expect, it } from 'vitest';

// Guards the test set-up itself: the domain suites run once under UTC and once under São Paulo, so a
// domain function that read the host's zone would fail in one of them.
describe('test host zone', () => {
  it('is the zone the project configured', () => {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    expect(['UTC', 'Etc/UTC', 'America/Sao_Paulo']).toContain(zone);
    expect(zone).toBe(process.env.TZ === 'UTC' && zone === 'Etc/UTC' ? 'Etc/UTC' : process.env.TZ);
  });
});
