import { PostgresAdapter, sql } from 'kysely';
import type { DbOrTrx } from '../database.js';
import type {
  EngineerRow,
  OverrideRow,
  RotationMembersTable,
  RotationRow,
  ShiftSwapRow,
  UnavailabilityRow,
} from '../tables/roster.table.js';
import { listEngineers } from './engineer.repository.js';
import { precompiled } from './precompiled.js';

export type RotationWithMembers = RotationRow & { engineer_ids: string[] };

export async function insertRotation(db: DbOrTrx, row: RotationRow, engineerIds: string[]): Promise<void> {
  await db.insertInto('rotations').values(row).execute();
  await replaceRotationMembers(db, row.id, engineerIds);
}

export async function replaceRotationMembers(
  db: DbOrTrx,
  rotationId: string,
  engineerIds: string[],
): Promise<void> {
  await db.deleteFrom('rotation_members').where('rotation_id', '=', rotationId).execute();
  if (engineerIds.length === 0) return;
  await db
    .insertInto('rotation_members')
    .values(engineerIds.map((engineer_id, position) => ({ rotation_id: rotationId, position, engineer_id })))
    .execute();
}

/** All rotations with their ordered members, oldest first. */
// The roster's reads are precompiled: every escalation step resolves who is on call.
const allRotations = precompiled<[]>(0, (db) =>
  db.selectFrom('rotations').selectAll().orderBy('start_at').orderBy('id'),
);
const allRotationMembers = precompiled<[]>(0, (db) =>
  db.selectFrom('rotation_members').selectAll().orderBy('rotation_id').orderBy('position'),
);

export async function listRotations(db: DbOrTrx): Promise<RotationWithMembers[]> {
  const rotations = (await allRotations<RotationRow>(db)).rows;
  const members = (await allRotationMembers<RotationMembersTable>(db)).rows;
  return withMembers(rotations, members);
}

function withMembers(rotations: RotationRow[], members: RotationMembersTable[]): RotationWithMembers[] {
  return rotations.map((r) => ({
    ...r,
    engineer_ids: members.filter((m) => m.rotation_id === r.id).map((m) => m.engineer_id),
  }));
}

export async function findRotation(db: DbOrTrx, id: string): Promise<RotationWithMembers | undefined> {
  const row = await db.selectFrom('rotations').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const members = await db
    .selectFrom('rotation_members')
    .selectAll()
    .where('rotation_id', '=', id)
    .orderBy('position')
    .execute();
  return { ...row, engineer_ids: members.map((m) => m.engineer_id) };
}

export async function updateRotationRow(
  db: DbOrTrx,
  id: string,
  changes: Partial<Omit<RotationRow, 'id' | 'created_at'>>,
): Promise<void> {
  await db.updateTable('rotations').set(changes).where('id', '=', id).execute();
}

export async function deleteRotation(db: DbOrTrx, id: string): Promise<void> {
  await db.deleteFrom('rotations').where('id', '=', id).execute();
}

export async function insertOverride(db: DbOrTrx, row: OverrideRow): Promise<void> {
  await db.insertInto('overrides').values(row).execute();
}

/** Overrides that intersect [from, to) (ISO UTC text), oldest first; all of them without a range. */
export async function listOverrides(
  db: DbOrTrx,
  range?: { from: string; to: string },
): Promise<OverrideRow[]> {
  if (range) return (await overridesIn<OverrideRow>(db, range.to, range.from)).rows;
  return db.selectFrom('overrides').selectAll().orderBy('created_at').orderBy('id').execute();
}

const overridesIn = precompiled<[string, string]>(2, (db, to, from) =>
  db
    .selectFrom('overrides')
    .selectAll()
    .orderBy('created_at')
    .orderBy('id')
    .where('start_at', '<', to)
    .where('end_at', '>', from),
);

export async function findOverride(db: DbOrTrx, id: string): Promise<OverrideRow | undefined> {
  return db.selectFrom('overrides').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateOverrideRow(
  db: DbOrTrx,
  id: string,
  changes: Partial<Omit<OverrideRow, 'id' | 'created_at'>>,
): Promise<void> {
  await db.updateTable('overrides').set(changes).where('id', '=', id).execute();
}

export async function deleteOverride(db: DbOrTrx, id: string): Promise<void> {
  await db.deleteFrom('overrides').where('id', '=', id).execute();
}

export async function insertUnavailability(db: DbOrTrx, row: UnavailabilityRow): Promise<void> {
  await db.insertInto('unavailability').values(row).execute();
}

export async function listUnavailability(
  db: DbOrTrx,
  range?: { from: string; to: string },
): Promise<UnavailabilityRow[]> {
  if (range) return (await unavailabilityIn<UnavailabilityRow>(db, range.to, range.from)).rows;
  return db.selectFrom('unavailability').selectAll().orderBy('start_at').orderBy('id').execute();
}

const unavailabilityIn = precompiled<[string, string]>(2, (db, to, from) =>
  db
    .selectFrom('unavailability')
    .selectAll()
    .orderBy('start_at')
    .orderBy('id')
    .where('start_at', '<', to)
    .where('end_at', '>', from),
);

export async function findUnavailability(db: DbOrTrx, id: string): Promise<UnavailabilityRow | undefined> {
  return db.selectFrom('unavailability').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function deleteUnavailability(db: DbOrTrx, id: string): Promise<void> {
  await db.deleteFrom('unavailability').where('id', '=', id).execute();
}

export async function insertFeedToken(
  db: DbOrTrx,
  row: { id: string; engineer_id: string | null; token_hash: string; created_at: string },
): Promise<void> {
  await db
    .insertInto('calendar_feed_tokens')
    .values({ ...row, revoked_at: null })
    .execute();
}

export async function findFeedTokenByHash(
  db: DbOrTrx,
  tokenHash: string,
): Promise<{ id: string; engineer_id: string | null; revoked_at: string | null } | undefined> {
  return db
    .selectFrom('calendar_feed_tokens')
    .select(['id', 'engineer_id', 'revoked_at'])
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
}

export async function listFeedTokens(
  db: DbOrTrx,
): Promise<Array<{ id: string; engineer_id: string | null; created_at: string; revoked_at: string | null }>> {
  return db
    .selectFrom('calendar_feed_tokens')
    .select(['id', 'engineer_id', 'created_at', 'revoked_at'])
    .orderBy('created_at')
    .execute();
}

export async function revokeFeedToken(db: DbOrTrx, id: string, at: string): Promise<number> {
  const res = await db
    .updateTable('calendar_feed_tokens')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

export async function insertSwap(db: DbOrTrx, row: ShiftSwapRow): Promise<void> {
  await db.insertInto('shift_swaps').values(row).execute();
}

export async function findSwap(db: DbOrTrx, id: string): Promise<ShiftSwapRow | undefined> {
  return db.selectFrom('shift_swaps').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listSwaps(db: DbOrTrx, status?: ShiftSwapRow['status']): Promise<ShiftSwapRow[]> {
  let q = db.selectFrom('shift_swaps').selectAll().orderBy('start_at').orderBy('id');
  if (status) q = q.where('status', '=', status);
  return q.execute();
}

/** Moves a swap from one status to another only if it is still in `from` (two takers cannot both win). */
export async function transitionSwap(
  db: DbOrTrx,
  id: string,
  from: ShiftSwapRow['status'],
  changes: Partial<Omit<ShiftSwapRow, 'id' | 'created_at'>>,
): Promise<boolean> {
  const res = await db
    .updateTable('shift_swaps')
    .set(changes)
    .where('id', '=', id)
    .where('status', '=', from)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/** Everything that decides who is on call: rotations with members, overrides, unavailability, engineers. */
export interface RosterRows {
  rotations: RotationWithMembers[];
  overrides: OverrideRow[];
  unavailability: UnavailabilityRow[];
  engineers: EngineerRow[];
}

export interface RosterWindows {
  overrides: { from: string; to: string };
  unavailability: { from: string; to: string };
}

/**
 * The roster's rows for one decision (an escalation step, a call put through). On PostgreSQL in one
 * statement: each statement is a round trip that costs both processes CPU (measured: about 150 µs of the
 * server's per statement at 100 incidents/s), and this read ran five per page. SQLite runs in-process,
 * where five plain statements cost less than building and parsing JSON.
 */
export async function loadRosterRows(db: DbOrTrx, windows: RosterWindows): Promise<RosterRows> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) {
    const [rotations, overrides, unavailability, engineers] = await Promise.all([
      listRotations(db),
      listOverrides(db, windows.overrides),
      listUnavailability(db, windows.unavailability),
      listEngineers(db),
    ]);
    return { rotations, overrides, unavailability, engineers };
  }
  // json_agg of whole rows: every column of these tables is text or integer, so a row comes back exactly
  // as a plain select returns it; the orders are the plain reads' orders.
  const { rows } = await sql<{
    rotations: RotationRow[];
    members: RotationMembersTable[];
    overrides: OverrideRow[];
    unavailability: UnavailabilityRow[];
    engineers: EngineerRow[];
  }>`select
    (select coalesce(json_agg(r order by r.start_at, r.id), '[]') from rotations r) as rotations,
    (select coalesce(json_agg(m order by m.rotation_id, m.position), '[]') from rotation_members m) as members,
    (select coalesce(json_agg(o order by o.created_at, o.id), '[]') from overrides o
      where o.start_at < ${windows.overrides.to} and o.end_at > ${windows.overrides.from}) as overrides,
    (select coalesce(json_agg(u order by u.start_at, u.id), '[]') from unavailability u
      where u.start_at < ${windows.unavailability.to} and u.end_at > ${windows.unavailability.from}) as unavailability,
    (select coalesce(json_agg(e order by e.name, e.id), '[]') from engineers e) as engineers`.execute(db);
  const row = rows[0];
  if (!row) throw new Error('roster read returned no row');
  return {
    rotations: withMembers(row.rotations, row.members),
    overrides: row.overrides,
    unavailability: row.unavailability,
    engineers: row.engineers,
  };
}
