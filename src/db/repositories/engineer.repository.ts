import type { DbOrTrx } from '../database.js';
import type { EngineerRow } from '../tables/roster.table.js';
import { precompiled } from './precompiled.js';

export async function insertEngineer(db: DbOrTrx, row: EngineerRow): Promise<void> {
  await db.insertInto('engineers').values(row).execute();
}

export async function findEngineer(db: DbOrTrx, id: string): Promise<EngineerRow | undefined> {
  return db.selectFrom('engineers').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Several engineers by id in one query (in no particular order). */
export async function findEngineers(db: DbOrTrx, ids: readonly string[]): Promise<EngineerRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('engineers')
    .selectAll()
    .where('id', 'in', [...ids])
    .execute();
}

export async function findEngineerByEmail(db: DbOrTrx, email: string): Promise<EngineerRow | undefined> {
  return db.selectFrom('engineers').selectAll().where('email', '=', email).executeTakeFirst();
}

// Precompiled: every escalation step reads the engineers it may page.
const allEngineers = precompiled<[]>(0, (db) =>
  db.selectFrom('engineers').selectAll().orderBy('name').orderBy('id'),
);

export async function listEngineers(db: DbOrTrx): Promise<EngineerRow[]> {
  return (await allEngineers<EngineerRow>(db)).rows;
}

export async function updateEngineerRow(
  db: DbOrTrx,
  id: string,
  changes: Partial<Omit<EngineerRow, 'id' | 'created_at'>>,
): Promise<void> {
  await db.updateTable('engineers').set(changes).where('id', '=', id).execute();
}

export async function findEngineerByPhone(db: DbOrTrx, phone: string): Promise<EngineerRow | undefined> {
  return db
    .selectFrom('engineers')
    .selectAll()
    .where('phone', '=', phone)
    .where('active', '=', 1)
    .executeTakeFirst();
}
