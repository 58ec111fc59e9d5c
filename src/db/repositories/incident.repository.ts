import { sql } from 'kysely';
import type { DatabaseKind, DbOrTrx } from '../database.js';
import type { ActionLinkRow, IncidentEventRow, IncidentRow, WorkEntryRow } from '../tables/incident.table.js';
import { columnsOf, precompiled, precompiledInsert } from './precompiled.js';

const INCIDENT_COLUMNS = columnsOf<IncidentRow>({
  id: true,
  ref: true,
  customer_id: true,
  server_id: true,
  contact_id: true,
  summary: true,
  channel: true,
  caller_number: true,
  unknown_caller: true,
  tier: true,
  callout: true,
  dedup_key: true,
  state: true,
  reported_at: true,
  response_due: true,
  action_due: true,
  closed_at: true,
  created_at: true,
  updated_at: true,
});

export const insertIncident = precompiledInsert<IncidentRow>('incidents', INCIDENT_COLUMNS);

export async function findIncident(db: DbOrTrx, id: string): Promise<IncidentRow | undefined> {
  return (await incidentById<IncidentRow>(db, id)).rows[0];
}

export async function findIncidentByRef(db: DbOrTrx, ref: string): Promise<IncidentRow | undefined> {
  return db.selectFrom('incidents').selectAll().where('ref', '=', ref).executeTakeFirst();
}

const incidentById = precompiled<[string]>(1, (db, id) =>
  db.selectFrom('incidents').selectAll().where('id', '=', id),
);
const incidentByIdForUpdate = precompiled<[string]>(1, (db, id) =>
  db.selectFrom('incidents').selectAll().where('id', '=', id).forUpdate(),
);

/**
 * Serialises changes to one incident: on PostgreSQL the row is locked until the transaction ends, so two
 * acknowledgements (or an ack racing an escalation step) see each other; SQLite has one writer anyway.
 */
export async function lockIncident(
  db: DbOrTrx,
  kind: DatabaseKind,
  id: string,
): Promise<IncidentRow | undefined> {
  const query = kind === 'postgres' ? incidentByIdForUpdate : incidentById;
  return (await query<IncidentRow>(db, id)).rows[0];
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

/** Open incidents by state, for Prometheus (desk-gauges.ts). */
export async function openIncidentsByState(db: DbOrTrx): Promise<{ state: string; n: number }[]> {
  const rows = await db
    .selectFrom('incidents')
    .select((eb) => ['state', eb.fn.countAll<number | string>().as('n')])
    .where('state', 'in', OPEN_STATES)
    .groupBy('state')
    .execute();
  return rows.map((r) => ({ state: r.state, n: Number(r.n) }));
}

const openByKey = precompiled<[string]>(1, (db, key) =>
  db
    .selectFrom('incidents')
    .selectAll()
    .where('dedup_key', '=', key)
    .where('state', 'in', OPEN_STATES)
    .orderBy('reported_at', 'desc')
    .limit(1),
);
const openOfCustomer = precompiled<[string]>(1, (db, customerId) =>
  db
    .selectFrom('incidents')
    .selectAll()
    .where('customer_id', '=', customerId)
    .where('state', 'in', OPEN_STATES)
    .where('server_id', 'is', null)
    .orderBy('reported_at', 'desc')
    .limit(1),
);
const openOfServer = precompiled<[string, string]>(2, (db, customerId, serverId) =>
  db
    .selectFrom('incidents')
    .selectAll()
    .where('customer_id', '=', customerId)
    .where('state', 'in', OPEN_STATES)
    .where('server_id', '=', serverId)
    .orderBy('reported_at', 'desc')
    .limit(1),
);

/** The open incident a new report attaches to: same dedup key, else same customer and server. */
export async function findOpenIncidentFor(
  db: DbOrTrx,
  q: { dedupKey?: string | null; customerId?: string | null; serverId?: string | null },
): Promise<IncidentRow | undefined> {
  if (q.dedupKey) {
    const [byKey] = (await openByKey<IncidentRow>(db, q.dedupKey)).rows;
    if (byKey) return byKey;
  }
  if (!q.customerId) return undefined;
  const { rows } = q.serverId
    ? await openOfServer<IncidentRow>(db, q.customerId, q.serverId)
    : await openOfCustomer<IncidentRow>(db, q.customerId);
  return rows[0];
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

const updateDerivedQuery = precompiled<[string, string | null, string | null, string | null, string, string]>(
  6,
  (db, state, responseDue, actionDue, closedAt, updatedAt, id) =>
    db
      .updateTable('incidents')
      .set({
        state,
        response_due: responseDue,
        action_due: actionDue,
        closed_at: closedAt,
        updated_at: updatedAt,
      })
      .where('id', '=', id),
);

/** Refreshes the columns kept with an incident's timeline (state and deadlines) after an event. */
export async function updateDerivedColumns(
  db: DbOrTrx,
  id: string,
  c: Pick<IncidentRow, 'state' | 'response_due' | 'action_due' | 'closed_at' | 'updated_at'>,
): Promise<void> {
  await updateDerivedQuery(db, c.state, c.response_due, c.action_due, c.closed_at, c.updated_at, id);
}

export async function updateIncidentRow(
  db: DbOrTrx,
  id: string,
  changes: Partial<Omit<IncidentRow, 'id' | 'created_at' | 'ref'>>,
): Promise<void> {
  await db.updateTable('incidents').set(changes).where('id', '=', id).execute();
}

const eventsOfIncident = precompiled<[string]>(1, (db, incidentId) =>
  db.selectFrom('incident_events').selectAll().where('incident_id', '=', incidentId).orderBy('seq'),
);

export async function listEvents(db: DbOrTrx, incidentId: string): Promise<IncidentEventRow[]> {
  return (await eventsOfIncident<IncidentEventRow>(db, incidentId)).rows;
}

const EVENT_COLUMNS = columnsOf<IncidentEventRow>({
  id: true,
  incident_id: true,
  seq: true,
  type: true,
  at: true,
  actor_type: true,
  actor_id: true,
  actor_name: true,
  data: true,
  created_at: true,
});
const APPENDED_COLUMNS = EVENT_COLUMNS.filter((c) => c !== 'seq');

const appendEventQuery = precompiled<unknown[]>(APPENDED_COLUMNS.length, (db, ...p) => {
  const value = (c: (typeof APPENDED_COLUMNS)[number]) => p[APPENDED_COLUMNS.indexOf(c)] as string;
  return db
    .insertInto('incident_events')
    .columns([...APPENDED_COLUMNS, 'seq'])
    .expression((eb) =>
      eb
        .selectFrom('incident_events')
        .select([
          ...APPENDED_COLUMNS.map((c) => eb.val(value(c)).as(c)),
          sql<number>`coalesce(max(seq), 0) + 1`.as('seq'),
        ])
        .where('incident_id', '=', eb.val(value('incident_id'))),
    )
    .returning('seq');
});

/**
 * Appends a timeline event with the next sequence number (call with the incident locked): one statement,
 * the number taken from the incident's events by the insert itself.
 */
export async function appendEventRow(db: DbOrTrx, row: Omit<IncidentEventRow, 'seq'>): Promise<number> {
  const { rows } = await appendEventQuery<{ seq: number }>(db, ...APPENDED_COLUMNS.map((c) => row[c]));
  return Number(rows[0]?.seq);
}

/** Inserts an event whose sequence number is known (the first event of an incident created just now). */
export const insertEventRow = precompiledInsert<IncidentEventRow>('incident_events', EVENT_COLUMNS);

export async function insertWorkEntry(db: DbOrTrx, row: WorkEntryRow): Promise<void> {
  await db.insertInto('work_entries').values(row).execute();
}

const workOfIncident = precompiled<[string]>(1, (db, incidentId) =>
  db
    .selectFrom('work_entries')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .orderBy('start_at')
    .orderBy('end_at'),
);

export async function listWorkEntries(db: DbOrTrx, incidentId: string): Promise<WorkEntryRow[]> {
  return (await workOfIncident<WorkEntryRow>(db, incidentId)).rows;
}

/**
 * Takes the next number of a named series inside the caller's transaction (gap-free when it commits): one
 * upsert that starts the series or counts it up, the row locked until the transaction ends.
 */
export async function nextSequenceValue(db: DbOrTrx, name: string): Promise<number> {
  const { rows } = await nextSequenceQuery<{ next_value: number }>(db, name);
  return Number(rows[0]?.next_value) - 1;
}

const nextSequenceQuery = precompiled<[string]>(1, (db, name) =>
  db
    .insertInto('number_sequences')
    .values({ name, next_value: 2 })
    .onConflict((oc) => oc.column('name').doUpdateSet({ next_value: sql`number_sequences.next_value + 1` }))
    .returning('next_value'),
);

const claimInboundQuery = precompiled<[string, string, string, string]>(4, (db, id, source, key, createdAt) =>
  db
    .insertInto('inbound_events')
    .values({ id, source, dedupe_key: key, created_at: createdAt, response: null })
    .onConflict((oc) => oc.columns(['source', 'dedupe_key']).doNothing()),
);

/** Records a provider's delivery once; false when the same (source, key) was seen before (a retry). */
export async function claimInboundEvent(
  db: DbOrTrx,
  row: { id: string; source: string; dedupe_key: string; created_at: string },
): Promise<boolean> {
  const result = await claimInboundQuery(db, row.id, row.source, row.dedupe_key, row.created_at);
  return Number(result.numAffectedRows ?? 0) > 0;
}

const setInboundResponseQuery = precompiled<[string, string, string]>(3, (db, response, source, key) =>
  db
    .updateTable('inbound_events')
    .set({ response })
    .where('source', '=', source)
    .where('dedupe_key', '=', key),
);

export async function setInboundResponse(
  db: DbOrTrx,
  source: string,
  key: string,
  response: string,
): Promise<void> {
  await setInboundResponseQuery(db, response, source, key);
}

const inboundResponseQuery = precompiled<[string, string]>(2, (db, source, key) =>
  db
    .selectFrom('inbound_events')
    .select('response')
    .where('source', '=', source)
    .where('dedupe_key', '=', key),
);

export async function findInboundEvent(
  db: DbOrTrx,
  source: string,
  key: string,
): Promise<{ response: string | null } | undefined> {
  return (await inboundResponseQuery<{ response: string | null }>(db, source, key)).rows[0];
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

const SLA_POLICY_COLUMNS = [
  'tier',
  'valid_from',
  'valid_to',
  'response_minutes',
  'action_minutes',
  'office_response_minutes',
  'office_action_minutes',
] as const;

export async function listSlaPolicies(db: DbOrTrx): Promise<SlaPolicyRow[]> {
  return db.selectFrom('sla_policies').select(SLA_POLICY_COLUMNS).orderBy('valid_from').execute();
}

function slaPolicyOn(db: DbOrTrx, tier: string, date: string) {
  return db
    .selectFrom('sla_policies')
    .select(SLA_POLICY_COLUMNS)
    .where('tier', '=', tier)
    .where('valid_from', '<=', date)
    .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>', date)]));
}

/**
 * The earliest-starting of the policies valid on a date (normally there is one). Chosen here rather than
 * by `order by … limit 1`: the table has no index to order by, and SQLite's sorter costs more than the
 * few rows it would sort.
 */
function earliest<T extends { valid_from: string }>(rows: T[]): T | undefined {
  let first: T | undefined;
  for (const row of rows) if (first === undefined || row.valid_from < first.valid_from) first = row;
  return first;
}

const slaPolicyQuery = precompiled<[string, string]>(2, (db, tier, date) => slaPolicyOn(db, tier, date));

/** The service-level policy of a tier valid on a local date (the earliest-starting one if several). */
export async function findSlaPolicy(
  db: DbOrTrx,
  tier: string,
  date: string,
): Promise<SlaPolicyRow | undefined> {
  return earliest((await slaPolicyQuery<SlaPolicyRow>(db, tier, date)).rows);
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
  return earliest(
    (await reportDayRulesQuery<SlaPolicyRow & { closed_day: string | null }>(db, tier, date)).rows,
  );
}

const reportDayRulesQuery = precompiled<[string, string]>(2, (db, tier, date) =>
  slaPolicyOn(db, tier, date).select((eb) =>
    eb.selectFrom('closed_days').select('name').where('date', '=', date).as('closed_day'),
  ),
);

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

const ACTION_LINK_COLUMNS = columnsOf<ActionLinkRow>({
  id: true,
  kind: true,
  incident_id: true,
  engineer_id: true,
  contact_name: true,
  token_hash: true,
  expires_at: true,
  used_at: true,
  created_at: true,
});

// Precompiled: every page carries an acknowledge link.
export const insertActionLink = precompiledInsert<ActionLinkRow>('action_links', ACTION_LINK_COLUMNS);

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
