import type { OnCallRole, ShiftSegment } from '../../domain/oncall/roster.js';
import { escapeText, foldLine, formatUtcDateTime } from './ical-text.js';

/** What an iCalendar feed of on-call shifts is made from. */
export interface CalendarFeed {
  /** Shown by calendar apps as the calendar's name (X-WR-CALNAME), e.g. "Jour – Anna Andersson". */
  name: string;
  /** Segments from `shiftsIn` (one role or both, possibly filtered to one engineer); 'none' is skipped. */
  segments: readonly ShiftSegment[];
  /** Engineer id → display name. */
  engineers: ReadonlyMap<string, string> | Readonly<Record<string, string>>;
  /** The time of rendering (DTSTAMP). */
  nowMs: number;
  /** The right-hand side of every UID, e.g. the service's host name. */
  uidDomain: string;
}

/** Swedish role names, as the staff say them. */
export const ROLE_LABELS: Readonly<Record<OnCallRole, string>> = {
  primary: 'Primärjour',
  secondary: 'Sekundärjour',
};

const PRODID = '-//Ballou//Ballou Server Assistans//SV';
const ROLE_ORDER: Readonly<Record<OnCallRole, number>> = { primary: 0, secondary: 1 };

interface FeedEvent {
  uid: string;
  role: OnCallRole;
  engineerId: string;
  startMs: number;
  endMs: number;
  source: ShiftSegment['source'];
  scheduledEngineerId?: string;
}

/**
 * Renders on-call shifts as an RFC 5545 calendar (METHOD:PUBLISH): one VEVENT per shift, consecutive
 * segments of one engineer, role and shift (or override) merged, times in UTC, CRLF line ends, lines
 * folded at 75 octets. UIDs are stable across renders so subscribed phones update events instead of
 * duplicating them: `shift-<rotation>-<shift start ms>-<role>` for a rotation shift (`…-sub-<engineer>`
 * for a stand-in), `override-<id>-<role>` for an override, with `-<start ms>` added to the second and
 * later events of one shift or override (a shift interrupted by a stand-in).
 * @example renderCalendar({ name: 'Jour', segments, engineers: { anna: 'Anna Andersson' }, nowMs, uidDomain: 'jour.example.se' })
 */
export function renderCalendar(feed: CalendarFeed): string {
  const nameOf = (id: string): string =>
    (feed.engineers instanceof Map
      ? feed.engineers.get(id)
      : (feed.engineers as Record<string, string>)[id]) ?? id;
  const stamp = formatUtcDateTime(feed.nowMs);
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:${PRODID}`,
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(feed.name)}`,
    'X-WR-TIMEZONE:Europe/Stockholm',
    'REFRESH-INTERVAL;VALUE=DURATION:PT1H',
    'X-PUBLISHED-TTL:PT1H',
  ];
  for (const event of feedEvents(feed.segments)) {
    const label = ROLE_LABELS[event.role];
    const description =
      event.source === 'substitute' && event.scheduledEngineerId !== undefined
        ? `Ersätter ${nameOf(event.scheduledEngineerId)}`
        : event.source === 'override'
          ? 'Ändring i jourschemat'
          : null;
    lines.push(
      'BEGIN:VEVENT',
      `UID:${escapeText(`${event.uid}@${feed.uidDomain}`)}`,
      `DTSTAMP:${stamp}`,
      `DTSTART:${formatUtcDateTime(event.startMs)}`,
      `DTEND:${formatUtcDateTime(event.endMs)}`,
      `SUMMARY:${escapeText(`${label}: ${nameOf(event.engineerId)}`)}`,
      ...(description === null ? [] : [`DESCRIPTION:${escapeText(description)}`]),
      `CATEGORIES:${escapeText(label)}`,
      'TRANSP:TRANSPARENT',
      'STATUS:CONFIRMED',
      `X-BALLOU-ROLE:${event.role}`,
      `X-BALLOU-ENGINEER-ID:${escapeText(event.engineerId)}`,
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return `${lines.map(foldLine).join('\r\n')}\r\n`;
}

/** The events of a feed: segments with an engineer, merged per shift, in order, with unique stable UIDs. */
function feedEvents(segments: readonly ShiftSegment[]): FeedEvent[] {
  const sorted = segments
    .filter((s): s is ShiftSegment & { engineerId: string } => s.engineerId !== null && s.source !== 'none')
    .sort((a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role] || a.startMs - b.startMs);
  const events: FeedEvent[] = [];
  for (const segment of sorted) {
    const key = unitKey(segment);
    const last = events[events.length - 1];
    if (
      last &&
      last.role === segment.role &&
      last.engineerId === segment.engineerId &&
      last.endMs === segment.startMs &&
      last.uid === key
    ) {
      last.endMs = segment.endMs;
      continue;
    }
    events.push({
      uid: key,
      role: segment.role,
      engineerId: segment.engineerId,
      startMs: segment.startMs,
      endMs: segment.endMs,
      source: segment.source,
      ...(segment.scheduledEngineerId === undefined
        ? {}
        : { scheduledEngineerId: segment.scheduledEngineerId }),
    });
  }
  const seen = new Set<string>();
  for (const event of events) {
    if (seen.has(event.uid)) event.uid = `${event.uid}-${event.startMs}`;
    seen.add(event.uid);
  }
  return events.sort((a, b) => a.startMs - b.startMs || ROLE_ORDER[a.role] - ROLE_ORDER[b.role]);
}

/** What a segment was cut from, as the stable part of its UID. */
function unitKey(segment: ShiftSegment & { engineerId: string }): string {
  if (segment.source === 'override') return `override-${segment.overrideId ?? 'unknown'}-${segment.role}`;
  const shift = `shift-${segment.rotationId ?? 'unknown'}-${segment.shiftStartMs ?? segment.startMs}-${segment.role}`;
  return segment.source === 'substitute' ? `${shift}-sub-${segment.engineerId}` : shift;
}
