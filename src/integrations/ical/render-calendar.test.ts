import fc from 'fast-check';
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { parseInstant } from '../../domain/calendar/instant.js';
import { shiftsIn } from '../../domain/oncall/resolve.js';
import type { OnCallRole, Roster, Rotation, ShiftSegment } from '../../domain/oncall/roster.js';
import { renderCalendar } from './render-calendar.js';

const HOUR = 3_600_000;
const at = (text: string) => parseInstant(text, '/t');
const names = {
  anna: 'Anna Andersson',
  bo: 'Bo Berg',
  asa: 'Åsa Öberg-Ängström, Väänänen; Söderqvist-Åkesson i Östersund',
  dan: 'Dan Dahl',
};
const weekly = (id: string, role: Rotation['role'], engineerIds: string[], start: string): Rotation => ({
  id,
  role,
  engineerIds,
  startMs: at(start),
  shiftHours: 168,
});
const roster: Roster = {
  rotations: [
    weekly('rp', 'primary', ['anna', 'bo'], '2026-11-30T08:00:00+01:00'),
    weekly('rs', 'secondary', ['asa', 'dan'], '2026-11-30T08:00:00+01:00'),
  ],
  overrides: [
    {
      id: 'o7',
      role: 'primary',
      engineerId: 'anna',
      startMs: at('2026-12-24T17:00:00+01:00'),
      endMs: at('2026-12-25T08:00:00+01:00'),
      createdSeq: 7,
    },
  ],
  unavailability: [
    { engineerId: 'asa', startMs: at('2026-12-15T00:00:00+01:00'), endMs: at('2026-12-16T00:00:00+01:00') },
  ],
};
const fromMs = at('2026-12-07T00:00:00+01:00');
const toMs = at('2027-01-04T08:00:00+01:00');
const segmentsOf = (r: Roster, from: number, to: number) => {
  const { primary, secondary } = shiftsIn(r, from, to);
  return [...primary, ...secondary];
};
const render = (segments: ShiftSegment[], nowMs = at('2026-12-01T12:00:00+01:00')) =>
  renderCalendar({
    name: 'Ballou jour',
    segments,
    engineers: names,
    nowMs,
    uidDomain: 'jour.ballou.example',
  });

interface ParsedEvent {
  uid: string;
  summary: string;
  startMs: number;
  endMs: number;
  role: string;
  engineerId: string;
  categories: string;
  description: string | null;
  stamp: string;
}
const parse = (text: string) => {
  const calendar = new ICAL.Component(ICAL.parse(text));
  const events: ParsedEvent[] = calendar.getAllSubcomponents('vevent').map((vevent) => {
    const event = new ICAL.Event(vevent);
    return {
      uid: event.uid,
      summary: event.summary,
      startMs: event.startDate.toUnixTime() * 1000,
      endMs: event.endDate.toUnixTime() * 1000,
      role: String(vevent.getFirstPropertyValue('x-ballou-role')),
      engineerId: String(vevent.getFirstPropertyValue('x-ballou-engineer-id')),
      categories: String(vevent.getFirstPropertyValue('categories')),
      description: (vevent.getFirstPropertyValue('description') as string | null) ?? null,
      stamp: String(vevent.getFirstPropertyValue('dtstamp')),
    };
  });
  return { calendar, events };
};

describe('renderCalendar', () => {
  const segments = segmentsOf(roster, fromMs, toMs);
  const text = render(segments);
  const { calendar, events } = parse(text);

  it('is a VCALENDAR with the required properties, CRLF line ends and lines of at most 75 octets', () => {
    expect(calendar.getFirstPropertyValue('version')).toBe('2.0');
    expect(calendar.getFirstPropertyValue('prodid')).toBe('-//Ballou//Ballou Server Assistans//SV');
    expect(calendar.getFirstPropertyValue('calscale')).toBe('GREGORIAN');
    expect(calendar.getFirstPropertyValue('x-wr-calname')).toBe('Ballou jour');
    expect(text.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    for (const line of text.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    expect(text).toMatch(/^DTSTART:\d{8}T\d{6}Z$/m);
  });

  it('has one event per shift, matching the resolver, with Swedish summaries', () => {
    const show = (e: { startMs: number; endMs: number; role: string; engineerId: string | null }) =>
      `${e.role} ${e.engineerId} ${new Date(e.startMs).toISOString()} ${(e.endMs - e.startMs) / HOUR}h`;
    expect(events.map(show)).toEqual([
      'primary anna 2026-12-06T23:00:00.000Z 8h', // the window starts inside the first shift
      'secondary asa 2026-12-06T23:00:00.000Z 8h',
      'primary bo 2026-12-07T07:00:00.000Z 168h',
      'secondary dan 2026-12-07T07:00:00.000Z 168h',
      'primary anna 2026-12-14T07:00:00.000Z 168h',
      'secondary asa 2026-12-14T07:00:00.000Z 16h',
      'secondary dan 2026-12-14T23:00:00.000Z 24h', // stands in while Åsa is away
      'secondary asa 2026-12-15T23:00:00.000Z 128h',
      'primary bo 2026-12-21T07:00:00.000Z 81h',
      'secondary dan 2026-12-21T07:00:00.000Z 168h',
      'primary anna 2026-12-24T16:00:00.000Z 15h', // the override on Julafton evening
      'primary bo 2026-12-25T07:00:00.000Z 72h',
      'primary anna 2026-12-28T07:00:00.000Z 168h',
      'secondary asa 2026-12-28T07:00:00.000Z 168h',
    ]);
    expect(events[2]?.summary).toBe('Primärjour: Bo Berg');
    expect(events[3]).toMatchObject({ summary: 'Sekundärjour: Dan Dahl', categories: 'Sekundärjour' });
    expect(events[6]?.description).toBe(
      'Ersätter Åsa Öberg-Ängström, Väänänen; Söderqvist-Åkesson i Östersund',
    );
    expect(events[10]?.description).toBe('Ändring i jourschemat');
  });

  it('keeps å, ä, ö and escaped punctuation intact through folding', () => {
    const asa = events.find((e) => e.engineerId === 'asa');
    expect(asa?.summary).toBe('Sekundärjour: Åsa Öberg-Ängström, Väänänen; Söderqvist-Åkesson i Östersund');
    expect(text).toContain('Åsa Öberg-Ängström\\, Väänänen\\; Söderqvist');
    // Their SUMMARY and DESCRIPTION lines are long enough to be folded.
    expect(text).toMatch(/^SUMMARY:Sekundärjour: Åsa.*\r\n [^\r]/m);
    expect(text).toMatch(/^DESCRIPTION:Ersätter Åsa.*\r\n [^\r]/m);
  });

  it('gives stable, unique UIDs: the same on every render, and the same from another window', () => {
    const uids = events.map((e) => e.uid);
    expect(new Set(uids).size).toBe(uids.length);
    expect(uids[4]).toBe(`shift-rp-${at('2026-12-14T08:00:00+01:00')}-primary@jour.ballou.example`);
    expect(uids[6]).toBe(`shift-rs-${at('2026-12-14T08:00:00+01:00')}-secondary-sub-dan@jour.ballou.example`);
    expect(uids[7]).toBe(
      `shift-rs-${at('2026-12-14T08:00:00+01:00')}-secondary-${at('2026-12-16T00:00:00+01:00')}@jour.ballou.example`,
    );
    expect(uids[10]).toBe('override-o7-primary@jour.ballou.example');
    const later = parse(render(segments, at('2026-12-02T09:00:00+01:00'))).events;
    expect(later.map((e) => e.uid)).toEqual(uids);
    expect(later[0]?.stamp).not.toBe(events[0]?.stamp);
    // A window that starts in the middle of the first shift keeps its UIDs.
    const shifted = parse(render(segmentsOf(roster, at('2026-12-10T12:00:00+01:00'), toMs))).events;
    expect(shifted.map((e) => e.uid)).toEqual(uids.slice(2));
  });

  it('merges consecutive segments of one shift, e.g. from two queries pasted together', () => {
    const middle = at('2026-12-17T12:00:00+01:00');
    const pasted = [...segmentsOf(roster, fromMs, middle), ...segmentsOf(roster, middle, toMs)];
    expect(parse(render(pasted)).events).toEqual(events);
  });

  it('a per-engineer feed has only that engineer, and an empty feed is still a valid calendar', () => {
    const mine = parse(render(segments.filter((s) => s.engineerId === 'dan'))).events;
    expect(mine.map((e) => e.engineerId)).toEqual(['dan', 'dan', 'dan']);
    expect(parse(render([])).events).toEqual([]);
  });
});

describe('renderCalendar (property): the parsed feed holds exactly the resolver’s shifts', () => {
  const people = Object.keys(names);
  const arbRotation = (role: OnCallRole, i: number) =>
    fc
      .record({
        startHours: fc.integer({ min: -24 * 30, max: 24 * 10 }),
        shiftHours: fc.constantFrom(1, 8, 12, 24, 168),
        engineerIds: fc.array(fc.constantFrom(...people), { minLength: 1, maxLength: 3 }),
      })
      .map(({ startHours, shiftHours, engineerIds }): Rotation => ({
        id: `${role}-${i}`,
        role,
        engineerIds,
        startMs: at('2027-03-25T00:00:00+01:00') + startHours * HOUR,
        shiftHours,
      }));
  const arbRoster = fc
    .record({
      rotations: fc.tuple(arbRotation('primary', 0), arbRotation('secondary', 0), arbRotation('primary', 1)),
      overrides: fc.array(
        fc.record({
          role: fc.constantFrom<OnCallRole>('primary', 'secondary'),
          engineerId: fc.constantFrom(...people),
          startHours: fc.integer({ min: 0, max: 24 * 7 }),
          hours: fc.integer({ min: 1, max: 48 }),
          createdSeq: fc.nat(9),
        }),
        { maxLength: 4 },
      ),
      away: fc.array(
        fc.record({
          engineerId: fc.constantFrom(...people),
          startHours: fc.integer({ min: 0, max: 24 * 7 }),
          hours: fc.integer({ min: 1, max: 72 }),
        }),
        { maxLength: 3 },
      ),
    })
    .map(({ rotations, overrides, away }): Roster => ({
      rotations,
      overrides: overrides.map((o, i) => ({
        id: `o${i}`,
        role: o.role,
        engineerId: o.engineerId,
        startMs: at('2027-03-25T00:00:00+01:00') + o.startHours * HOUR,
        endMs: at('2027-03-25T00:00:00+01:00') + (o.startHours + o.hours) * HOUR,
        createdSeq: o.createdSeq,
      })),
      unavailability: away.map((u) => ({
        engineerId: u.engineerId,
        startMs: at('2027-03-25T00:00:00+01:00') + u.startHours * HOUR,
        endMs: at('2027-03-25T00:00:00+01:00') + (u.startHours + u.hours) * HOUR,
      })),
    }));

  it('every instant is covered by the same engineer in feed and resolver, UIDs unique (DST week of 2027)', () => {
    fc.assert(
      fc.property(arbRoster, (r) => {
        const from = at('2027-03-25T00:00:00+01:00');
        const to = at('2027-04-01T00:00:00+02:00');
        const segments = segmentsOf(r, from, to);
        const { events } = parse(render(segments));
        expect(new Set(events.map((e) => e.uid)).size).toBe(events.length);
        for (const role of ['primary', 'secondary']) {
          const mine = events.filter((e) => e.role === role);
          const held = segments.filter((s) => s.role === role && s.engineerId !== null);
          expect(mine.reduce((sum, e) => sum + e.endMs - e.startMs, 0)).toBe(
            held.reduce((sum, s) => sum + s.endMs - s.startMs, 0),
          );
          for (const s of held) {
            const event = mine.find((e) => e.startMs <= s.startMs && s.endMs <= e.endMs);
            expect(event?.engineerId).toBe(s.engineerId);
          }
          mine.forEach(
            (e, i) => i > 0 && expect(e.startMs).toBeGreaterThanOrEqual((mine[i - 1] as ParsedEvent).endMs),
          );
        }
      }),
      { numRuns: 100 },
    );
  }, 30_000);
});
