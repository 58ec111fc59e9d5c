import type { DbOrTrx } from '../../db/database.js';
import { listEngineers } from '../../db/repositories/engineer.repository.js';
import {
  listOverrides,
  listRotations,
  listUnavailability,
  loadRosterRows,
  type RosterRows,
  type RosterWindows,
  type RotationWithMembers,
} from '../../db/repositories/roster.repository.js';
import { fromDbBool, fromDbInstant, toDbInstant } from '../../db/instant.js';
import type { EngineerRow, OverrideRow, UnavailabilityRow } from '../../db/tables/roster.table.js';
import { formatInstant } from '../../domain/calendar/instant.js';
import type {
  EngineerInfo,
  OnCallRole,
  Override,
  Roster,
  Rotation,
  ShiftSegment,
} from '../../domain/oncall/roster.js';
import { MAX_SHIFT_HOURS } from '../../domain/oncall/validate.js';

const DAY_MS = 86_400_000;
const E164 = /^\+[1-9][0-9]{6,14}$/;

export function toRotation(row: RotationWithMembers): Rotation {
  return {
    id: row.id,
    role: row.role as OnCallRole,
    engineerIds: row.engineer_ids,
    startMs: fromDbInstant(row.start_at),
    shiftHours: row.shift_hours,
    handover: row.handover,
    endMs: row.end_at === null ? null : fromDbInstant(row.end_at),
  };
}

/** Overrides in creation order; their index is the creation sequence the resolver uses for precedence. */
export function toOverrides(rows: OverrideRow[]): Override[] {
  return [...rows]
    .sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id))
    .map((row, createdSeq) => ({
      id: row.id,
      role: row.role as OnCallRole,
      engineerId: row.engineer_id,
      startMs: fromDbInstant(row.start_at),
      endMs: fromDbInstant(row.end_at),
      createdSeq,
    }));
}

export function toUnavailability(row: UnavailabilityRow) {
  return {
    engineerId: row.engineer_id,
    startMs: fromDbInstant(row.start_at),
    endMs: fromDbInstant(row.end_at),
  };
}

/** Whether pages can reach the engineer: an E.164 number that providers have not refused. */
export function toEngineerInfo(row: EngineerRow): EngineerInfo {
  return {
    id: row.id,
    name: row.name,
    active: fromDbBool(row.active),
    hasWorkingPhone: E164.test(row.phone) && row.phone_failing_since === null,
  };
}

/**
 * The roster that decides [fromMs, toMs): every rotation, and the overrides and unavailability that can
 * touch the window. Unavailability is read a shift's length either side, because a stand-in is chosen
 * for the whole stretch of a shift an engineer is away, which may reach outside the window.
 */
export async function loadRoster(db: DbOrTrx, fromMs: number, toMs: number): Promise<Roster> {
  const windows = rosterWindows(fromMs, toMs);
  const [rotations, overrides, unavailability] = await Promise.all([
    listRotations(db),
    listOverrides(db, windows.overrides),
    listUnavailability(db, windows.unavailability),
  ]);
  return toRoster({ rotations, overrides, unavailability });
}

/** The roster of [fromMs, toMs) and every engineer, read together (one statement on PostgreSQL). */
export async function loadRosterAndEngineers(
  db: DbOrTrx,
  fromMs: number,
  toMs: number,
): Promise<{ roster: Roster; engineers: EngineerRow[] }> {
  const rows = await loadRosterRows(db, rosterWindows(fromMs, toMs));
  return { roster: toRoster(rows), engineers: rows.engineers };
}

function rosterWindows(fromMs: number, toMs: number): RosterWindows {
  const margin = MAX_SHIFT_HOURS * 3_600_000 + DAY_MS;
  return {
    overrides: { from: toDbInstant(fromMs - DAY_MS), to: toDbInstant(toMs + DAY_MS) },
    unavailability: { from: toDbInstant(fromMs - margin), to: toDbInstant(toMs + margin) },
  };
}

function toRoster(rows: Omit<RosterRows, 'engineers'>): Roster {
  return {
    rotations: rows.rotations.map(toRotation),
    overrides: toOverrides(rows.overrides),
    unavailability: rows.unavailability.map(toUnavailability),
  };
}

export async function loadEngineers(db: DbOrTrx): Promise<EngineerRow[]> {
  return listEngineers(db);
}

/** A stretch of the roster as the API shows it (Stockholm times with offset). */
export interface SegmentView {
  role: OnCallRole;
  engineerId: string | null;
  engineerName: string | null;
  start: string;
  end: string;
  source: ShiftSegment['source'];
  rotationId: string | null;
  overrideId: string | null;
  scheduledEngineerId: string | null;
}

export function toSegmentView(segment: ShiftSegment, names: ReadonlyMap<string, string>): SegmentView {
  return {
    role: segment.role,
    engineerId: segment.engineerId,
    engineerName: segment.engineerId ? (names.get(segment.engineerId) ?? null) : null,
    start: formatInstant(segment.startMs),
    end: formatInstant(segment.endMs),
    source: segment.source,
    rotationId: segment.rotationId ?? null,
    overrideId: segment.overrideId ?? null,
    scheduledEngineerId: segment.scheduledEngineerId ?? null,
  };
}

export function engineerNames(rows: readonly EngineerRow[]): Map<string, string> {
  return new Map(rows.map((e) => [e.id, e.name]));
}
