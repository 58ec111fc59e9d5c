// Transactions whose BEGIN is not waited for (PostgreSQL: it goes out with the first statement,
// pg-pipelined-begin.ts): the first statement runs inside the transaction, a failure anywhere undoes
// everything, an empty transaction commits, and the connections stay usable after errors.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle, type Db } from '../../src/db/database.js';
import { DIALECTS, freshDatabaseUrl } from './support/test-runtime.js';

const put = (db: Db, id: string, label: string) =>
  sql`insert into gadgets (id, label) values (${id}, ${label})`.execute(db);
const ids = async (db: Db) =>
  (await sql<{ id: string }>`select id from gadgets order by id`.execute(db)).rows.map((r) => r.id);

for (const dialect of DIALECTS) {
  describe(`transactions on ${dialect}`, () => {
    let database: { url: string; drop(): Promise<void> };
    let handle: DatabaseHandle;
    beforeAll(async () => {
      database = await freshDatabaseUrl(dialect);
      handle = openDatabase(database.url);
      await sql`create table gadgets (id text primary key, label text not null)`.execute(handle.db);
    });
    afterAll(async () => {
      await handle?.close();
      await database?.drop();
    });

    it("runs a transaction's first statement inside it: a failure afterwards undoes it", async () => {
      await expect(
        handle.db.transaction().execute(async (trx) => {
          await put(trx, 'first', 'one');
          throw new Error('changed my mind');
        }),
      ).rejects.toThrow('changed my mind');
      expect(await ids(handle.db)).toEqual([]);
    });

    it('undoes the earlier statements when a later one fails, and commits a good one whole', async () => {
      await expect(
        handle.db.transaction().execute(async (trx) => {
          await put(trx, 'a', 'first');
          await put(trx, 'a', 'a duplicate key');
        }),
      ).rejects.toThrow();
      expect(await ids(handle.db)).toEqual([]);
      await handle.db.transaction().execute(async (trx) => {
        await put(trx, 'a', 'first');
        await put(trx, 'b', 'second');
      });
      expect(await ids(handle.db)).toEqual(['a', 'b']);
    });

    it('fails a transaction whose first statement fails, and the connections go on working', async () => {
      for (let i = 0; i < 12; i++) {
        await expect(
          handle.db.transaction().execute(async (trx) => {
            await put(trx, 'a', 'a duplicate key');
            await put(trx, `never-${i}`, 'not reached');
          }),
        ).rejects.toThrow();
      }
      await handle.db.transaction().execute(async () => undefined);
      await handle.db.transaction().execute((trx) => put(trx, 'c', 'third'));
      expect(await ids(handle.db)).toEqual(['a', 'b', 'c']);
    });
  });
}
