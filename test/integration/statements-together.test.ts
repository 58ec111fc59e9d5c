// Statements issued together inside a transaction (`together`; pipelined on PostgreSQL, whose BEGIN also
// goes out with the first statement): they run inside the transaction, in the order issued, and a failure
// among them undoes all of them and leaves nothing running after the rollback.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle, type Db } from '../../src/db/database.js';
import { together } from '../../src/db/together.js';
import { DIALECTS, freshDatabaseUrl } from './support/test-runtime.js';

const put = (db: Db, id: string, label: string) =>
  sql`insert into gadgets (id, label) values (${id}, ${label})`.execute(db);
const labels = async (db: Db) =>
  (await sql<{ id: string; label: string }>`select id, label from gadgets order by id`.execute(db)).rows;

for (const dialect of DIALECTS) {
  describe(`statements together on ${dialect}`, () => {
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
      expect(await labels(handle.db)).toEqual([]);
    });

    it('runs statements issued together in the order issued, inside the transaction', async () => {
      await handle.db.transaction().execute((trx) =>
        together(
          put(trx, 'a', 'first'),
          sql`update gadgets set label = label || ', then changed' where id = 'a'`.execute(trx),
          put(trx, 'b', 'second'),
        ),
      );
      expect(await labels(handle.db)).toEqual([
        { id: 'a', label: 'first, then changed' },
        { id: 'b', label: 'second' },
      ]);
    });

    it('undoes every statement of the group when one fails, and runs none after the rollback', async () => {
      const chained = async (trx: Db) => {
        await put(trx, 'c', 'third');
        // Issued only once the first answered: still inside the transaction, never after its rollback.
        await put(trx, 'd', 'fourth');
      };
      await expect(
        handle.db.transaction().execute((trx) => together(chained(trx), put(trx, 'a', 'a duplicate key'))),
      ).rejects.toThrow();
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect((await labels(handle.db)).map((r) => r.id)).toEqual(['a', 'b']);
      // The connections are fine afterwards.
      await handle.db.transaction().execute((trx) => put(trx, 'e', 'fifth'));
      expect((await labels(handle.db)).map((r) => r.id)).toEqual(['a', 'b', 'e']);
    });
  });
}
