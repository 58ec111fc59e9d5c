import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { createCalendar } from '../calendar/calendar.js';
import { formatInstant } from '../calendar/instant.js';
import { findGaps } from './gaps.js';
import { shiftStartsIn } from './reminders.js';
import { resolveAt, shiftsIn } from './resolve.js';
import type { EngineerInfo, OnCallRole, Override, Roster, Rotation, ShiftSegment } from './roster.js';
import { ON_CALL_ROLES } from './roster.js';
import { firstShiftStartMs, shiftIndexAt } from './shifts.js';

const MINUTE = 60_000;
const PROPERTY_TIMEOUT_MS = 60_000;
const ZONE = 'Europe/Stockholm';
const calendar = createCalendar();
const PEOPLE = ['anna', 'bo', 'cia', 'dan', 'eva', 'zed'];

// Windows anywhere 1990–2100, half of them on a DST weekend, Midsommar or Christmas. Every instant in
// the roster is minute-aligned (as are DST changes and office hours), so sampling each minute's first
// millisecond sees every change.
const lastSunday = (year: number, month: number) => {
  const last = Temporal.PlainDate.from({ year, month, day: 31 }, { overflow: 'constrain' });
  return last.subtract({ days: last.dayOfWeek % 7 });
};
const arbAnchor = fc.oneof(
  fc
    .integer({ min: Date.UTC(1990, 0, 1) / MINUTE, max: Date.UTC(2100, 0, 1) / MINUTE })
    .map((m) => m * MINUTE),
  fc
    .record({
      year: fc.integer({ min: 1990, max: 2099 }),
      pick: fc.constantFrom('spring', 'autumn', 'midsummer', 'christmas'),
      minutes: fc.integer({ min: -36 * 60, max: 36 * 60 }),
    })
    .map(({ year, pick, minutes }) => {
      const day =
        pick === 'spring'
          ? lastSunday(year, 3)
          : pick === 'autumn'
            ? lastSunday(year, year < 1996 ? 9 : 10)
            : pick === 'midsummer'
              ? Temporal.PlainDate.from({ year, month: 6, day: 19 })
              : Temporal.PlainDate.from({ year, month: 12, day: 23 });
      return day.toZonedDateTime(ZONE).epochMilliseconds + minutes * MINUTE;
    }),
);
const arbHandover = fc
  .record({ h: fc.integer({ min: 0, max: 23 }), m: fc.constantFrom(0, 30, 45) })
  .map(({ h, m }) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);

interface Scenario {
  roster: Roster;
  engineers: EngineerInfo[];
  fromMs: number;
  toMs: number;
}

const arbScenario = (maxWindowMinutes: number): fc.Arbitrary<Scenario> =>
  arbAnchor.chain((anchor) => {
    const near = (before: number, after: number) =>
      fc.integer({ min: -before, max: after }).map((m) => anchor + m * MINUTE);
    const arbRotation = (role: OnCallRole, i: number): fc.Arbitrary<Rotation> =>
      fc
        .record({
          startMs: near(40 * 24 * 60, 24 * 60),
          shiftHours: fc.constantFrom(1, 2, 5, 8, 12, 24, 48, 168),
          handover: fc.option(arbHandover, { nil: undefined }),
          lengthMinutes: fc.option(fc.integer({ min: 1, max: 60 * 24 * 60 }), { nil: undefined }),
          engineerIds: fc.array(fc.constantFrom(...PEOPLE), { minLength: 1, maxLength: 4 }),
        })
        .map(({ startMs, shiftHours, handover, lengthMinutes, engineerIds }) => ({
          id: `${role}-${i}`,
          role,
          engineerIds,
          startMs,
          shiftHours: handover === undefined ? shiftHours : Math.max(24, shiftHours - (shiftHours % 24)),
          ...(handover === undefined ? {} : { handover }),
          ...(lengthMinutes === undefined ? {} : { endMs: startMs + lengthMinutes * MINUTE }),
        }));
    const arbOverride = fc
      .record({
        role: fc.constantFrom<OnCallRole>('primary', 'secondary'),
        engineerId: fc.constantFrom(...PEOPLE),
        startMs: near(24 * 60, maxWindowMinutes),
        minutes: fc.integer({ min: 1, max: 36 * 60 }),
        createdSeq: fc.integer({ min: 1, max: 5 }),
      })
      .map(({ minutes, ...o }) => ({ ...o, endMs: o.startMs + minutes * MINUTE }));
    const arbAway = fc
      .record({
        engineerId: fc.constantFrom(...PEOPLE),
        startMs: near(3 * 24 * 60, maxWindowMinutes),
        minutes: fc.integer({ min: 1, max: 4 * 24 * 60 }),
      })
      .map(({ engineerId, startMs, minutes }) => ({
        engineerId,
        startMs,
        endMs: startMs + minutes * MINUTE,
      }));
    return fc
      .record({
        primary: fc
          .array(fc.nat(), { maxLength: 3 })
          .chain((xs) => fc.tuple(...xs.map((_, i) => arbRotation('primary', i)))),
        secondary: fc
          .array(fc.nat(), { maxLength: 3 })
          .chain((xs) => fc.tuple(...xs.map((_, i) => arbRotation('secondary', i)))),
        overrides: fc.array(arbOverride, { maxLength: 4 }),
        unavailability: fc.array(arbAway, { maxLength: 5 }),
        flags: fc.array(fc.record({ active: fc.boolean(), phone: fc.boolean() }), {
          minLength: 5,
          maxLength: 5,
        }),
        windowMinutes: fc.integer({ min: 1, max: maxWindowMinutes }),
      })
      .map(({ primary, secondary, overrides, unavailability, flags, windowMinutes }) => ({
        roster: {
          rotations: [...primary, ...secondary],
          overrides: overrides.map((o, i): Override => ({ ...o, id: `o${i}` })),
          unavailability,
        },
        // 'zed' is never in the engineer list; the others are mostly fine, sometimes not.
        engineers: PEOPLE.slice(0, 5).map((id, i) => ({
          id,
          name: `Name ${id}`,
          active: (flags[i]?.active ?? true) || i % 2 === 0,
          hasWorkingPhone: (flags[i]?.phone ?? true) || i % 2 === 1,
        })),
        fromMs: anchor,
        toMs: anchor + windowMinutes * MINUTE,
      }));
  });

const expectTiling = (segments: ShiftSegment[], fromMs: number, toMs: number) => {
  let at = fromMs;
  segments.forEach((s, i) => {
    if (s.startMs !== at)
      expect.fail(`segment ${i} starts at ${formatInstant(s.startMs)}, not ${formatInstant(at)}`);
    expect(s.endMs).toBeGreaterThan(s.startMs);
    expect(s.engineerId === null).toBe(s.source === 'none');
    at = s.endMs;
  });
  expect(at).toBe(toMs);
};
const clip = (segments: ShiftSegment[], fromMs: number, toMs: number) =>
  segments
    .filter((s) => s.endMs > fromMs && s.startMs < toMs)
    .map((s) => ({ ...s, startMs: Math.max(s.startMs, fromMs), endMs: Math.min(s.endMs, toMs) }))
    .filter((s) => s.endMs > s.startMs);
const segmentAt = (segments: ShiftSegment[], ms: number) =>
  segments.find((s) => s.startMs <= ms && ms < s.endMs) as ShiftSegment;

describe('roster resolution (properties, 1990–2100, DST included)', () => {
  it(
    'the segments of each role tile the period exactly and agree with resolveAt',
    () => {
      fc.assert(
        fc.property(
          arbScenario(14 * 24 * 60),
          fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 20 }),
          (sc, samples) => {
            const segments = shiftsIn(sc.roster, sc.fromMs, sc.toMs);
            for (const role of ON_CALL_ROLES) {
              expectTiling(segments[role], sc.fromMs, sc.toMs);
              const probes = [
                ...samples.map((x) => sc.fromMs + Math.floor(x * (sc.toMs - sc.fromMs))),
                ...segments[role].flatMap((s) => [s.startMs, s.endMs - 1]),
              ];
              for (const ms of probes.filter((p) => p >= sc.fromMs && p < sc.toMs)) {
                const segment = segmentAt(segments[role], ms);
                const assignment = resolveAt(sc.roster, ms)[role];
                expect(assignment?.engineerId ?? null).toBe(segment.engineerId);
                expect(assignment?.source ?? 'none').toBe(segment.source);
              }
            }
          },
        ),
        { numRuns: 150 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'asking for a sub-period gives the same segments, cut (substitutes do not depend on the window)',
    () => {
      fc.assert(
        fc.property(
          arbScenario(7 * 24 * 60),
          fc.double({ min: 0, max: 1, noNaN: true }),
          fc.double({ min: 0, max: 1, noNaN: true }),
          (sc, x, y) => {
            const span = sc.toMs - sc.fromMs;
            const a = sc.fromMs + Math.floor(Math.min(x, y) * span);
            const b = sc.fromMs + Math.floor(Math.max(x, y) * span);
            const whole = shiftsIn(sc.roster, sc.fromMs, sc.toMs);
            const part = shiftsIn(sc.roster, a, b);
            for (const role of ON_CALL_ROLES) expect(part[role]).toEqual(clip(whole[role], a, b));
          },
        ),
        { numRuns: 150 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'an override wins exactly inside its interval and changes nothing outside it',
    () => {
      fc.assert(
        fc.property(
          arbScenario(4 * 24 * 60),
          fc.constantFrom<OnCallRole>('primary', 'secondary'),
          fc.constantFrom(...PEOPLE),
          fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
          fc.integer({ min: 1, max: 3 * 24 * 60 }),
          (sc, role, engineerId, x, minutes) => {
            const startMs = sc.fromMs + Math.floor((x * (sc.toMs - sc.fromMs)) / MINUTE) * MINUTE;
            const extra: Override = {
              id: 'new',
              role,
              engineerId,
              startMs,
              endMs: startMs + minutes * MINUTE,
              createdSeq: 99,
            };
            const before = shiftsIn(sc.roster, sc.fromMs, sc.toMs);
            const after = shiftsIn(
              { ...sc.roster, overrides: [...sc.roster.overrides, extra] },
              sc.fromMs,
              sc.toMs,
            );
            const inside = clip(after[role], extra.startMs, extra.endMs);
            expect(inside).toHaveLength(1);
            expect(inside[0]).toMatchObject({ engineerId, source: 'override', overrideId: 'new' });
            const other: OnCallRole = role === 'primary' ? 'secondary' : 'primary';
            expect(after[other]).toEqual(before[other]);
            expect(clip(after[role], sc.fromMs, extra.startMs)).toEqual(
              clip(before[role], sc.fromMs, extra.startMs),
            );
            expect(clip(after[role], extra.endMs, sc.toMs)).toEqual(clip(before[role], extra.endMs, sc.toMs));
          },
        ),
        { numRuns: 150 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'overrides, precedence and unavailability follow their rules at every sampled instant',
    () => {
      fc.assert(
        fc.property(
          arbScenario(3 * 24 * 60),
          fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 30 }),
          (sc, samples) => {
            const { rotations, overrides, unavailability } = sc.roster;
            const awayAt = (id: string, ms: number) =>
              unavailability.some((u) => u.engineerId === id && u.startMs <= ms && ms < u.endMs);
            for (const x of samples) {
              const ms = sc.fromMs + Math.floor(x * (sc.toMs - sc.fromMs));
              const now = resolveAt(sc.roster, ms);
              for (const role of ON_CALL_ROLES) {
                const got = now[role];
                const covering = overrides
                  .filter((o) => o.role === role && o.startMs <= ms && ms < o.endMs)
                  .sort((a, b) => b.createdSeq - a.createdSeq || (a.id < b.id ? 1 : -1));
                if (covering[0]) {
                  expect(got).toMatchObject({
                    source: 'override',
                    overrideId: covering[0].id,
                    engineerId: covering[0].engineerId,
                  });
                  continue;
                }
                const inForce = rotations
                  .filter((r) => r.role === role && firstShiftStartMs(r) <= ms && ms < (r.endMs ?? Infinity))
                  .sort((a, b) => firstShiftStartMs(b) - firstShiftStartMs(a) || (a.id < b.id ? 1 : -1));
                const winner = inForce[0];
                if (!winner) {
                  expect(got).toBeNull();
                  continue;
                }
                const scheduled = winner.engineerIds[
                  shiftIndexAt(winner, ms) % winner.engineerIds.length
                ] as string;
                if (!awayAt(scheduled, ms)) {
                  expect(got).toMatchObject({
                    source: 'rotation',
                    rotationId: winner.id,
                    engineerId: scheduled,
                  });
                } else if (got === null) {
                  expect(
                    winner.engineerIds.every((id) => id === scheduled || awayAt(id, ms)) ||
                      winner.engineerIds.length > 1,
                  ).toBe(true);
                } else {
                  expect(got.source).toBe('substitute');
                  expect(got.scheduledEngineerId).toBe(scheduled);
                  expect(winner.engineerIds).toContain(got.engineerId);
                  expect(got.engineerId).not.toBe(scheduled);
                  expect(awayAt(got.engineerId, ms)).toBe(false);
                }
              }
            }
          },
        ),
        { numRuns: 200 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});

describe('coverage gaps (properties): exactly the on-call minutes with fewer than two people who can be paged', () => {
  it(
    'matches a minute-by-minute reference built on resolveAt, reason by reason',
    () => {
      fc.assert(
        fc.property(arbScenario(30 * 60), (sc) => {
          const gaps = findGaps(sc.roster, sc.engineers, calendar, sc.fromMs, sc.toMs);
          const byId = new Map(sc.engineers.map((e) => [e.id, e]));
          const awayAt = (id: string, ms: number) =>
            sc.roster.unavailability.some((u) => u.engineerId === id && u.startMs <= ms && ms < u.endMs);
          for (let ms = sc.fromMs; ms < sc.toMs; ms += MINUTE) {
            const want = new Set<string>();
            let pageable = 0;
            if (calendar.isOnCallTime(ms)) {
              const { primary, secondary } = resolveAt(sc.roster, ms);
              const p = primary?.engineerId ?? null;
              const s = secondary?.engineerId ?? null;
              if (p === null) want.add('no-primary:');
              if (s === null) want.add('no-secondary:');
              for (const id of new Set([p, s].filter((x): x is string => x !== null))) {
                const e = byId.get(id);
                if (p === s) want.add(`same-person:${id}`);
                if (!e) want.add(`unknown-engineer:${id}`);
                if (e && !e.active) want.add(`inactive:${id}`);
                if (e && !e.hasWorkingPhone) want.add(`no-working-phone:${id}`);
                if (e && awayAt(id, ms)) want.add(`unavailable:${id}`);
                if (e && e.active && e.hasWorkingPhone && !awayAt(id, ms)) pageable++;
              }
              expect(want.size === 0).toBe(pageable === 2);
            }
            const got = new Set(
              gaps
                .filter((g) => g.startMs <= ms && ms < g.endMs)
                .map((g) => `${g.kind}:${g.engineerId ?? ''}`),
            );
            if ([...want].sort().join() !== [...got].sort().join()) {
              expect.fail(`${formatInstant(ms)}: want ${[...want].join()} got ${[...got].join()}`);
            }
          }
          // Ordered, and merged: no two gaps of one reason touch or overlap.
          gaps.forEach((g, i) => {
            expect(g.endMs).toBeGreaterThan(g.startMs);
            if (i > 0)
              expect(g.startMs).toBeGreaterThanOrEqual((gaps[i - 1] as (typeof gaps)[number]).startMs);
            for (const h of gaps.slice(i + 1)) {
              if (h.kind === g.kind && h.engineerId === g.engineerId)
                expect(h.startMs > g.endMs || h.endMs < g.startMs).toBe(true);
            }
          });
        }),
        { numRuns: 80 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});

describe('shift reminders (properties)', () => {
  it(
    'reports exactly the instants in the window where a role passes to an engineer',
    () => {
      fc.assert(
        fc.property(arbScenario(2 * 24 * 60), (sc) => {
          const starts = shiftStartsIn(sc.roster, sc.fromMs, sc.toMs);
          const want: string[] = [];
          for (const role of ON_CALL_ROLES) {
            const segments = shiftsIn(sc.roster, sc.fromMs - 1, sc.toMs)[role];
            segments.forEach((s, i) => {
              const previous = segments[i - 1];
              if (s.engineerId !== null && s.startMs >= sc.fromMs && previous?.engineerId !== s.engineerId) {
                want.push(`${role}:${s.engineerId}:${s.startMs}`);
              }
            });
          }
          expect(starts.map((s) => `${s.role}:${s.engineerId}:${s.startMs}`).sort()).toEqual(want.sort());
          expect(new Set(starts.map((s) => s.key)).size).toBe(starts.length);
          for (const s of starts) {
            expect(s.endMs).toBeGreaterThan(s.startMs);
            expect(resolveAt(sc.roster, s.startMs)[s.role]?.engineerId).toBe(s.engineerId);
            expect(resolveAt(sc.roster, s.endMs - 1)[s.role]?.engineerId).toBe(s.engineerId);
          }
        }),
        { numRuns: 100 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});
