import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  GroupCommitSqliteDialect,
  type GroupCommitOptions,
  type GroupCommitSqliteDriver,
} from './sqlite-group-commit.js';
import { WriteTurns } from './sqlite-write-turns.js';

interface TestDb {
  parents: { id: number };
  children: { id: number; parent_id: number };
  notes: { id: number; text: string };
}

let dir: string;
let file: string;
const open: Array<{ destroy(): Promise<void> } | { close(): unknown }> = [];

/** A database as openDatabase configures it (WAL, synchronous FULL, busy_timeout), on a file. */
function connect(options: GroupCommitOptions = {}): {
  db: Kysely<TestDb>;
  driver: () => GroupCommitSqliteDriver;
  sqlite: SQLite.Database;
} {
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('busy_timeout = 5000');
  const dialect = new GroupCommitSqliteDialect(sqlite, options);
  const db = new Kysely<TestDb>({ dialect });
  open.push(db);
  return { db, sqlite, driver: () => dialect.driver as GroupCommitSqliteDriver };
}

/** Another connection, outside the driver: what a second process sees on disk. */
function outsider(): SQLite.Database {
  const other = new SQLite(file);
  other.pragma('busy_timeout = 0');
  open.push(other);
  return other;
}

const noteCount = (other: SQLite.Database) =>
  (other.prepare('select count(*) as n from notes').get() as { n: number }).n;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ballou-group-commit-'));
  file = path.join(dir, 'db.sqlite');
  const setup = new SQLite(file);
  setup.pragma('journal_mode = WAL');
  setup.exec(`
    create table parents (id integer primary key);
    create table children (id integer primary key,
      parent_id integer not null references parents (id) deferrable initially deferred);
    create table notes (id integer primary key, text text not null unique);`);
  setup.close();
});

afterEach(async () => {
  for (const handle of open.splice(0)) {
    if ('destroy' in handle) await handle.destroy();
    else handle.close();
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('group commit on SQLite', () => {
  it('commits concurrent transactions together, each on disk by the time its commit returns', async () => {
    // No 1 ms cut-off (a loaded machine would make it fire between any two): a group ends at the flush.
    const { db, driver } = connect({ maxWaitMs: 60_000 });
    const other = outsider();
    const seenOnReturn: boolean[] = [];
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        db
          .transaction()
          .execute(async (trx) => {
            await trx
              .insertInto('notes')
              .values({ id: i, text: `note ${i}` })
              .execute();
            await trx.selectFrom('notes').select('id').where('id', '=', i).executeTakeFirstOrThrow();
          })
          .then(() => {
            seenOnReturn.push(other.prepare('select 1 from notes where id = ?').get(i) !== undefined);
          }),
      ),
    );
    expect(seenOnReturn).toEqual(Array(50).fill(true));
    expect(noteCount(other)).toBe(50);
    const { commits, members, syncs } = driver().stats;
    expect(members).toBe(50);
    expect(commits).toBeLessThan(10);
    expect(syncs).toBeGreaterThan(0);
    expect(syncs).toBeLessThanOrEqual(commits);
  });

  it('undoes only the transaction that failed; the others of its group commit', async () => {
    const { db } = connect();
    const other = outsider();
    const results = await Promise.allSettled(
      [1, 2, 3].map((i) =>
        db.transaction().execute(async (trx) => {
          await trx
            .insertInto('notes')
            .values({ id: i, text: `note ${i}` })
            .execute();
          if (i === 2) throw new Error('the second changes its mind');
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(other.prepare('select id from notes order by id').all()).toEqual([{ id: 1 }, { id: 3 }]);
  });

  it('makes a write outside a transaction durable before it returns; a failing one changes nothing', async () => {
    const { db } = connect();
    const other = outsider();
    await db.insertInto('notes').values({ id: 1, text: 'one' }).execute();
    expect(noteCount(other)).toBe(1);
    await expect(db.insertInto('notes').values({ id: 2, text: 'one' }).execute()).rejects.toThrow(/UNIQUE/);
    await db.insertInto('notes').values({ id: 3, text: 'three' }).execute();
    expect(other.prepare('select id from notes order by id').all()).toEqual([{ id: 1 }, { id: 3 }]);
  });

  it('holds no write lock after a read-only transaction or a read', async () => {
    const { db } = connect();
    const other = outsider();
    await db.transaction().execute((trx) => trx.selectFrom('notes').selectAll().execute());
    await db.selectFrom('notes').selectAll().execute();
    expect(() => other.exec("begin immediate; insert into notes values (9, 'nine'); commit")).not.toThrow();
  });

  it('fails every member of a group whose COMMIT fails, and keeps none of their writes', async () => {
    const { db } = connect();
    const other = outsider();
    // A deferred foreign key is checked only at the COMMIT: the orphan fails the whole group.
    const orphan = db.transaction().execute(async (trx) => {
      await trx.insertInto('children').values({ id: 1, parent_id: 404 }).execute();
    });
    const innocent = db.transaction().execute(async (trx) => {
      await trx.insertInto('notes').values({ id: 1, text: 'same group' }).execute();
    });
    const results = await Promise.allSettled([orphan, innocent]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(String((results[0] as PromiseRejectedResult).reason)).toMatch(/FOREIGN KEY/);
    expect(noteCount(other)).toBe(0);
    await db.insertInto('notes').values({ id: 2, text: 'next group' }).execute();
    expect(noteCount(other)).toBe(1);
  });

  it('lets two connections of one process write at the same time without deadlock', async () => {
    const a = connect();
    const b = connect();
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        (i % 2 === 0 ? a.db : b.db).transaction().execute(async (trx) => {
          await trx
            .insertInto('notes')
            .values({ id: i, text: `n${i}` })
            .execute();
        }),
      ),
    );
    expect(noteCount(outsider())).toBe(40);
  });

  it('does not acknowledge a write whose WAL flush fails', async () => {
    const { db, sqlite } = connect();
    expect(sqlite.pragma('synchronous', { simple: true })).toBe(1); // NORMAL: the driver flushes the WAL
    await db.insertInto('notes').values({ id: 1, text: 'flushed' }).execute();
    // The WAL file vanishes under the connection (as a failing disk would make the flush fail).
    fs.rmSync(`${file}-wal`);
    await expect(db.insertInto('notes').values({ id: 2, text: 'not flushed' }).execute()).rejects.toThrow(
      /ENOENT/,
    );
  });

  it("waits for another connection's write lock without blocking the event loop", async () => {
    const { db } = connect();
    const other = outsider();
    other.exec('begin immediate');
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 5);
    setTimeout(() => other.exec('commit'), 100);
    await db.insertInto('notes').values({ id: 1, text: 'after the lock' }).execute();
    clearInterval(ticker);
    expect(noteCount(other)).toBe(1);
    // A busy_timeout spent inside SQLite would have held the loop for the whole 100 ms.
    expect(ticks).toBeGreaterThan(2);
  });

  it('keeps nested savepoints and statement reuse working across many distinct queries', async () => {
    const { db } = connect();
    const trx = await db.startTransaction().execute();
    await trx.insertInto('notes').values({ id: 1, text: 'kept' }).execute();
    const inner = await trx.savepoint('inner').execute();
    await inner.insertInto('notes').values({ id: 2, text: 'undone' }).execute();
    await inner.rollbackToSavepoint('inner').execute();
    await trx.commit().execute();
    // More distinct statements than fit the cache, each run twice.
    for (let round = 0; round < 2; round++)
      for (let i = 0; i < 1100; i++) await sql`select ${sql.lit(i)} as n`.execute(db);
    expect(await db.selectFrom('notes').select('id').execute()).toEqual([{ id: 1 }]);
  });
});

describe('taking turns for the write lock between connections of one process', () => {
  // Two connections of one thread stand for the server and the job thread: each gets a flag of its own.
  const turnsOf = (slot: number) => new WriteTurns(slot);
  /** The notes in the order they were written (SQLite numbers the rows). */
  const texts = (db: Kysely<TestDb>) =>
    db
      .selectFrom('notes')
      .select('text')
      .orderBy('id')
      .execute()
      .then((rows) => rows.map((r) => r.text));

  it("lets a connection that waited go before the holder's next group", async () => {
    const holderTurns = turnsOf(11);
    // No time limits: on a loaded machine the waiter may take a while to wake.
    const holder = connect({ writeTurns: holderTurns, starvingAfterMs: 0, yieldMs: 60_000 });
    const waiter = connect({ writeTurns: turnsOf(12), starvingAfterMs: 0 });
    let letGo!: () => void;
    const hold = new Promise<void>((resolve) => (letGo = resolve));
    const first = holder.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('notes')
        .values({ text: 'holder 1' } as TestDb['notes'])
        .execute();
      await hold;
    });
    const waiting = waiter.db
      .insertInto('notes')
      .values({ text: 'waiter' } as TestDb['notes'])
      .execute();
    await expect.poll(() => holderTurns.othersWaiting()).toBe(true);
    // In line for the holder's connection: it gets it the moment the first ends, and would go on writing.
    const second = holder.db
      .insertInto('notes')
      .values({ text: 'holder 2' } as TestDb['notes'])
      .execute();
    letGo();
    await Promise.all([first, second, waiting]);
    expect(await texts(holder.db)).toEqual(['holder 1', 'waiter', 'holder 2']);
    expect(holderTurns.othersWaiting()).toBe(false);
  });
});
