import { sql } from 'kysely';
import type { DatabaseKind, DbOrTrx } from '../database.js';
import type { ActionLinkRow, IncidentEventRow, IncidentRow, WorkEntryRow } from '../tables/incident.table.js';

export async function insertIncident(db: DbOrTrx, row: IncidentRow): Promise<void> {
  await db.insertInto('incidents').values(row).execute();
}

export async function findIncident(db: DbOrTrx, id: string): Promise<IncidentRow | undefined> {
  return db.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findIncidentByRef(db: DbOrTrx, ref: string): Promise<IncidentRow | undefined> {
  return db.selectFrom('incidents').selectAll().where('ref', '=', ref).executeTakeFirst();
}

/**
 * Serialises changes to one incident: on PostgreSQL the row is locked until the transaction ends, so two
 * acknowledgements (or an ack racing an escalation step) see each other; SQLite has one writer anyway.
 */
export async function lockIncident(
  db: DbOrTrx,
  kind: DatabaseKind,
  id: string,
): Promise<IncidentRow | undefined> {
  let q = db.selectFrom('incidents').selectAll().where('id', '=', id);
  if (kind === 'postgres') q = q.forUpdate();
  return q.executeTakeFirst();
}

/**
 * Serialises reports of one problem (an alert's dedup key) until the transaction ends, so two deliveries
 * of it arriving at once, on one node or two, cannot both find no open incident and open one each. On
 * PostgreSQL a transaction-scoped advisory lock on the key's 64-bit hash; SQLite has one writer anyway.
 */
export async function lockReportKey(db: DbOrTrx, kind: DatabaseKind, key: string): Promise<void> {
  if (kind === 'postgres') await sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(db);
}

/** Several report locks, in one fixed (sorted) order, so that no two transactions wait for each other. */
export async function lockReportKeys(db: DbOrTrx, kind: DatabaseKind, keys: Iterable<string>): Promise<void> {
  for (const key of [...new Set(keys)].sort()) await lockReportKey(db, kind, key);
}

const OPEN_STATES = ['open', 'acknowledged', 'in_progress'];

/** The open incident a new report attaches to: same dedup key, else same customer and server. */
export async function findOpenIncidentFor(
  db: DbOrTrx,
  q: { dedupKey?: string | null; customerId?: string | null; serverId?: string | null },
): Promise<IncidentRow | undefined> {
  if (q.dedupKey) {
    const byKey = await db
      .selectFrom('incidents')
      .selectAll()
      .where('dedup_key', '=', q.dedupKey)
      .where('state', 'in', OPEN_STATES)
      .orderBy('reported_at', 'desc')
      .executeTakeFirst();
    if (byKey) return byKey;
  }
  if (!q.customerId) return undefined;
  let query = db
    .selectFrom('incidents')
    .selectAll()
    .where('customer_id', '=', q.customerId)
    .where('state', 'in', OPEN_STATES)
    .orderBy('reported_at', 'desc');
  query = q.serverId ? query.where('server_id', '=', q.serverId) : query.where('server_id', 'is', null);
  return query.executeTakeFirst();
}

export interface IncidentListQuery {
  states?: string[];
  customerId?: string;
  /** Keyset: rows reported before (reportedAt, id). */
  before?: { reportedAt: string; id: string };
  limit: number;
}

/**
 * Newest first, keyset-paginated on (reported_at, id): each query reads one index range in order and
 * stops after `limit` rows (migration 2026-11-29T0100). Several states are one query per state merged
 * here, because an IN list over the index's first column would make the engine sort every match.
 */
export async function listIncidentRows(db: DbOrTrx, q: IncidentListQuery): Promise<IncidentRow[]> {
  const states = q.states ?? [];
  if (states.length > 1) {
    const perState = await Promise.all(
      [...new Set(states)].map((state) => listIncidentRows(db, { ...q, states: [state] })),
    );
    return perState
      .flat()
      .sort((a, b) => (a.reported_at === b.reported_at ? cmp(b.id, a.id) : cmp(b.reported_at, a.reported_at)))
      .slice(0, q.limit);
  }
  let query = db
    .selectFrom('incidents')
    .selectAll()
    .orderBy('reported_at', 'desc')
    .orderBy('id', 'desc')
    .limit(q.limit);
  if (states.length === 1) query = query.where('state', '=', states[0] as string);
  if (q.customerId) query = query.where('customer_id', '=', q.customerId);
  if (q.before) {
    const { reportedAt, id } = q.before;
    query = query.where((eb) => eb(eb.refTuple('reported_at', 'id'), '<', eb.tuple(reportedAt, id)));
  }
  return query.execute();
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export async function updateIncidentRow(
  db: DbOrTrx,
  id: string,
  changes: Partial<Omit<IncidentRow, 'id' | 'created_at' | 'ref'>>,
): Promise<void> {
  await db.updateTable('incidents').set(changes).where('id', '=', id).execute();
}

export async function listEvents(db: DbOrTrx, incidentId: string): Promise<IncidentEventRow[]> {
  return db
    .selectFrom('incident_events')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .orderBy('seq')
    .execute();
}

/**
 * Appends a timeline event with the next sequence number (call with the incident locked): one statement,
 * the number taken from the incident's events by the insert itself.
 */
export async function appendEventRow(db: DbOrTrx, row: Omit<IncidentEventRow, 'seq'>): Promise<number> {
  const inserted = await db
    .insertInto('incident_events')
    .columns([
      'id',
      'incident_id',
      'type',
      'at',
      'actor_type',
      'actor_id',
      'actor_name',
      'data',
      'created_at',
      'seq',
    ])
    .expression((eb) =>
      eb
        .selectFrom('incident_events')
        .select([
          eb.val(row.id).as('id'),
          eb.val(row.incident_id).as('incident_id'),
          eb.val(row.type).as('type'),
          eb.val(row.at).as('at'),
          eb.val(row.actor_type).as('actor_type'),
          eb.val(row.actor_id).as('actor_id'),
          eb.val(row.actor_name).as('actor_name'),
          eb.val(row.data).as('data'),
          eb.val(row.created_at).as('created_at'),
          sql<number>`coalesce(max(seq), 0) + 1`.as('seq'),
        ])
        .where('incident_id', '=', row.incident_id),
    )
    .returning('seq')
    .executeTakeFirstOrThrow();
  return Number(inserted.seq);
}

/** Inserts an event whose sequence number is known (the first event of an incident created just now). */
export async function insertEventRow(db: DbOrTrx, row: IncidentEventRow): Promise<void> {
  await db.insertInto('incident_events').values(row).execute();
}

export async function insertWorkEntry(db: DbOrTrx, row: WorkEntryRow): Promise<void> {
  await db.insertInto('work_entries').values(row).execute();
}

export async function listWorkEntries(db: DbOrTrx, incidentId: string): Promise<WorkEntryRow[]> {
  return db
    .selectFrom('work_entries')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .orderBy('start_at')
    .orderBy('end_at')
    .execute();
}

/**
 * Takes the next number of a named series inside the caller's transaction (gap-free when it commits): one
 * upsert that starts the series or counts it up, the row locked until the transaction ends.
 */
export async function nextSequenceValue(db: DbOrTrx, name: string): Promise<number> {
  const row = await db
    .insertInto('number_sequences')
    .values({ name, next_value: 2 })
    .onConflict((oc) => oc.column('name').doUpdateSet({ next_value: sql`number_sequences.next_value + 1` }))
    .returning('next_value')
    .executeTakeFirstOrThrow();
  return Number(row.next_value) - 1;
}

/** Records a provider's delivery once; false when the same (source, key) was seen before (a retry). */
export async function claimInboundEvent(
  db: DbOrTrx,
  row: { id: string; source: string; dedupe_key: string; created_at: string },
): Promise<boolean> {
  const result = await db
    .insertInto('inbound_events')
    .values({ ...row, response: null })
    .onConflict((oc) => oc.columns(['source', 'dedupe_key']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function setInboundResponse(
  db: DbOrTrx,
  source: string,
  key: string,
  response: string,
): Promise<void> {
  await db
    .updateTable('inbound_events')
    .set({ response })
    .where('source', '=', source)
    .where('dedupe_key', '=', key)
    .execute();
}

export async function findInboundEvent(
  db: DbOrTrx,
  source: string,
  key: string,
): Promise<{ response: string | null } | undefined> {
  return db
    .selectFrom('inbound_events')
    .select('response')
    .where('source', '=', source)
    .where('dedupe_key', '=', key)
    .executeTakeFirst();
}

/** A service-level policy: a tier's targets valid from a date (inclusive) to a date (exclusive). */
export interface SlaPolicyRow {
  tier: string;
  valid_from: string;
  valid_to: string | null;
  response_minutes: number;
  action_minutes: number;
  office_response_minutes: number;
  office_action_minutes: number;
}

export async function listSlaPolicies(db: DbOrTrx): Promise<SlaPolicyRow[]> {
  return db
    .selectFrom('sla_policies')
    .select([
      'tier',
      'valid_from',
      'valid_to',
      'response_minutes',
      'action_minutes',
      'office_response_minutes',
      'office_action_minutes',
    ])
    .orderBy('valid_from')
    .execute();
}

function slaPolicyOn(db: DbOrTrx, tier: string, date: string) {
  return db
    .selectFrom('sla_policies')
    .select([
      'tier',
      'valid_from',
      'valid_to',
      'response_minutes',
      'action_minutes',
      'office_response_minutes',
      'office_action_minutes',
    ])
    .where('tier', '=', tier)
    .where('valid_from', '<=', date)
    .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>', date)]))
    .orderBy('valid_from')
    .limit(1);
}

/** The service-level policy of a tier valid on a local date (the earliest-starting one if several). */
export async function findSlaPolicy(
  db: DbOrTrx,
  tier: string,
  date: string,
): Promise<SlaPolicyRow | undefined> {
  return slaPolicyOn(db, tier, date).executeTakeFirst();
}

/**
 * What a new report is judged by on its local date, in one query: the tier's service-level policy valid
 * then, and the name of the desk's extra closed day on that date (null on other days). Undefined when the
 * tier has no policy on that date.
 */
export async function findReportDayRules(
  db: DbOrTrx,
  tier: string,
  date: string,
): Promise<(SlaPolicyRow & { closed_day: string | null }) | undefined> {
  return slaPolicyOn(db, tier, date)
    .select((eb) => eb.selectFrom('closed_days').select('name').where('date', '=', date).as('closed_day'))
    .executeTakeFirst();
}

/** Incidents changed after `since` (ISO UTC), oldest change first: what a live board has not seen yet. */
export async function listIncidentsChangedSince(
  db: DbOrTrx,
  q: { since: string; customerId?: string; limit: number },
): Promise<IncidentRow[]> {
  let query = db
    .selectFrom('incidents')
    .selectAll()
    .where('updated_at', '>', q.since)
    .orderBy('updated_at')
    .orderBy('id')
    .limit(q.limit);
  if (q.customerId) query = query.where('customer_id', '=', q.customerId);
  return query.execute();
}

export async function insertActionLink(db: DbOrTrx, row: ActionLinkRow): Promise<void> {
  await db.insertInto('action_links').values(row).execute();
}

export async function findActionLinkByHash(
  db: DbOrTrx,
  tokenHash: string,
): Promise<ActionLinkRow | undefined> {
  return db.selectFrom('action_links').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

/** Marks a link used; false when it was used already (a double tap or a second device). */
export async function useActionLinkRow(db: DbOrTrx, id: string, at: string): Promise<boolean> {
  const res = await db
    .updateTable('action_links')
    .set({ used_at: at })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}
