import type { DbOrTrx } from '../database.js';

export async function getSystemState(db: DbOrTrx, key: string): Promise<string | undefined> {
  const row = await db.selectFrom('system_state').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value;
}

/** Sets a key once; returns false if another process set it first (so only one node loads demo data). */
export async function claimSystemState(
  db: DbOrTrx,
  key: string,
  value: string,
  at: string,
): Promise<boolean> {
  const result = await db
    .insertInto('system_state')
    .values({ key, value, updated_at: at })
    .onConflict((oc) => oc.column('key').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}
