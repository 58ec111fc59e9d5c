import type { DbOrTrx } from '../database.js';
import type { IncidentEventRow, WorkEntryRow } from '../tables/incident.table.js';

/**
 * What a page of incidents needs besides the rows, one query per kind for the whole page (no query per
 * incident): timelines, work entries, customer names and hostnames.
 */

/** The columns a timeline shows (not the row id and insert time: less to read at hundreds of events). */
export type TimelineEventRow = Pick<
  IncidentEventRow,
  'incident_id' | 'seq' | 'type' | 'at' | 'actor_type' | 'actor_id' | 'actor_name' | 'data'
>;

export async function listEventsOfIncidents(
  db: DbOrTrx,
  ids: readonly string[],
): Promise<TimelineEventRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('incident_events')
    .select(['incident_id', 'seq', 'type', 'at', 'actor_type', 'actor_id', 'actor_name', 'data'])
    .where('incident_id', 'in', ids)
    .orderBy('incident_id')
    .orderBy('seq')
    .execute();
}

export async function listWorkEntriesOfIncidents(
  db: DbOrTrx,
  ids: readonly string[],
): Promise<WorkEntryRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('work_entries')
    .selectAll()
    .where('incident_id', 'in', ids)
    .orderBy('incident_id')
    .orderBy('start_at')
    .orderBy('end_at')
    .execute();
}

export async function customerNamesOf(db: DbOrTrx, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('customers').select(['id', 'name']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

export async function hostnamesOf(db: DbOrTrx, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('servers').select(['id', 'hostname']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.hostname]));
}
