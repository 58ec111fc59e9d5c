import Database from 'better-sqlite3';
import { Kysely, sql, SqliteDialect } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import type { DbOrTrx } from '../database.js';
import { precompiled } from './precompiled.js';

// A real in-memory SQLite with the one table the statements below use.
const sqlite = new Database(':memory:');
sqlite.exec(
  'create table inbound_events (id text primary key, source text, dedupe_key text, response text, created_at text)',
);
const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: sqlite }) }) as unknown as DbOrTrx;
afterAll(() => db.destroy());

describe('precompiled', () => {
  const insert = precompiled<[string, string, string]>(3, (d, id, source, key) =>
    d.insertInto('inbound_events').values({ id, source, dedupe_key: key, response: null, created_at: key }),
  );
  const bySource = precompiled<[string]>(1, (d, source) =>
    d
      .selectFrom('inbound_events')
      .select(['id', 'dedupe_key'])
      .where('source', '=', source)
      .orderBy('id')
      .limit(2),
  );

  it('runs one statement with fresh parameters each time, a parameter bound twice and constants kept', async () => {
    for (const [id, source, key] of [
      ['1', 'a', 'k1'],
      ['2', 'a', 'k2'],
      ['3', 'a', 'k3'],
      ['4', 'b', 'k4'],
    ] as const) {
      expect(Number((await insert(db, id, source, key)).numAffectedRows)).toBe(1);
    }
    const rows = sqlite.prepare('select id, response, created_at from inbound_events order by id').all();
    expect(rows).toEqual([
      { id: '1', response: null, created_at: 'k1' },
      { id: '2', response: null, created_at: 'k2' },
      { id: '3', response: null, created_at: 'k3' },
      { id: '4', response: null, created_at: 'k4' },
    ]);
    // The compiled `limit` stays a constant 2; the source is the caller's.
    expect((await bySource(db, 'a')).rows).toEqual([
      { id: '1', dedupe_key: 'k1' },
      { id: '2', dedupe_key: 'k2' },
    ]);
    expect((await bySource(db, 'b')).rows).toEqual([{ id: '4', dedupe_key: 'k4' }]);
  });

  it('runs inside a transaction and rolls back with it', async () => {
    await expect(
      db.transaction().execute(async (trx) => {
        await insert(trx, '9', 'c', 'k9');
        expect((await bySource(trx, 'c')).rows).toHaveLength(1);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect((await bySource(db, 'c')).rows).toEqual([]);
  });

  it('refuses, at first use, a build that does not bind a parameter as a value', async () => {
    const asIdentifier = precompiled<[string]>(1, (d, column) =>
      d.selectFrom('inbound_events').select(sql.ref(column).as('x')),
    );
    await expect(asIdentifier(db, 'id')).rejects.toThrow(/parameter 0 is not bound as a value/);
    const unused = precompiled<[string, string]>(2, (d, source) =>
      d.selectFrom('inbound_events').selectAll().where('source', '=', source),
    );
    await expect(unused(db, 'a', 'b')).rejects.toThrow(/parameter 1 is not bound as a value/);
  });
});
