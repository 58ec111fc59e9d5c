import type { DatabaseKind, DbOrTrx } from '../database.js';
import type { ActionAuthorizationRow, ActionCatalogueRow, ActionRunRow } from '../tables/action.table.js';

export async function listCatalogue(db: DbOrTrx): Promise<ActionCatalogueRow[]> {
  return db.selectFrom('action_catalogue').selectAll().orderBy('key').execute();
}

export async function findCatalogueEntry(db: DbOrTrx, key: string): Promise<ActionCatalogueRow | undefined> {
  return db.selectFrom('action_catalogue').selectAll().where('key', '=', key).executeTakeFirst();
}

export async function insertCatalogueEntry(db: DbOrTrx, row: ActionCatalogueRow): Promise<void> {
  await db
    .insertInto('action_catalogue')
    .values(row)
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
}

export async function updateCatalogueEntry(
  db: DbOrTrx,
  key: string,
  changes: Partial<Omit<ActionCatalogueRow, 'key' | 'created_at'>>,
): Promise<void> {
  await db.updateTable('action_catalogue').set(changes).where('key', '=', key).execute();
}

export async function insertAuthorization(db: DbOrTrx, row: ActionAuthorizationRow): Promise<void> {
  await db.insertInto('action_authorizations').values(row).execute();
}

export async function findAuthorization(
  db: DbOrTrx,
  id: string,
): Promise<ActionAuthorizationRow | undefined> {
  return db.selectFrom('action_authorizations').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The active authorization of an action on a server, locked on PostgreSQL (runs are counted under it). */
export async function lockActiveAuthorization(
  db: DbOrTrx,
  kind: DatabaseKind,
  serverId: string,
  actionKey: string,
): Promise<ActionAuthorizationRow | undefined> {
  let q = db
    .selectFrom('action_authorizations')
    .selectAll()
    .where('server_id', '=', serverId)
    .where('action_key', '=', actionKey)
    .where('revoked_at', 'is', null);
  if (kind === 'postgres') q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function listAuthorizations(
  db: DbOrTrx,
  serverId: string,
  opts: { includeRevoked?: boolean } = {},
): Promise<ActionAuthorizationRow[]> {
  let q = db
    .selectFrom('action_authorizations')
    .selectAll()
    .where('server_id', '=', serverId)
    .orderBy('created_at')
    .orderBy('id');
  if (!opts.includeRevoked) q = q.where('revoked_at', 'is', null);
  return q.execute();
}

export async function updateAuthorization(
  db: DbOrTrx,
  id: string,
  changes: Partial<Omit<ActionAuthorizationRow, 'id' | 'server_id' | 'action_key' | 'created_at'>>,
): Promise<void> {
  await db.updateTable('action_authorizations').set(changes).where('id', '=', id).execute();
}

/** Inserts a run unless its trigger has one already (unique trigger_key); true when inserted. */
export async function insertRunOnce(db: DbOrTrx, row: ActionRunRow): Promise<boolean> {
  const result = await db
    .insertInto('action_runs')
    .values(row)
    .onConflict((oc) => oc.column('trigger_key').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function findRun(db: DbOrTrx, id: string): Promise<ActionRunRow | undefined> {
  return db.selectFrom('action_runs').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findRunByTrigger(db: DbOrTrx, triggerKey: string): Promise<ActionRunRow | undefined> {
  return db.selectFrom('action_runs').selectAll().where('trigger_key', '=', triggerKey).executeTakeFirst();
}

/** Runs of one action on one server created after `since` (for the daily limit). */
export async function listRecentRuns(
  db: DbOrTrx,
  serverId: string,
  actionKey: string,
  since: string,
): Promise<Pick<ActionRunRow, 'status' | 'created_at'>[]> {
  return db
    .selectFrom('action_runs')
    .select(['status', 'created_at'])
    .where('server_id', '=', serverId)
    .where('action_key', '=', actionKey)
    .where('created_at', '>', since)
    .execute();
}

export async function listRunsOfIncident(db: DbOrTrx, incidentId: string): Promise<ActionRunRow[]> {
  return db
    .selectFrom('action_runs')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/**
 * Moves a run from one status to the next only if it is still in `from`: the compare-and-set that makes
 * one worker, and only one, start a queued run. True when this call moved it.
 */
export async function moveRun(
  db: DbOrTrx,
  id: string,
  from: string,
  changes: Partial<Omit<ActionRunRow, 'id'>>,
): Promise<boolean> {
  const result = await db
    .updateTable('action_runs')
    .set(changes)
    .where('id', '=', id)
    .where('status', '=', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
