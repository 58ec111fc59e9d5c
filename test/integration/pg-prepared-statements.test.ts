// PostgreSQL only: parameterized statements run as named prepared statements, once per connection, and a
// connection recovers when a column change (another node's migration) invalidates one of them.
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/database.js';
import { prepareStatementsPerConnection } from '../../src/db/pg-prepared-statements.js';
import { DIALECTS, freshDatabaseUrl } from './support/test-runtime.js';

const onPostgres = DIALECTS.includes('postgres');

interface Prepared {
  name: string;
  statement: string;
}

/** The statements prepared on the connection that runs this query. */
const preparedOn = async (db: Db): Promise<Prepared[]> =>
  (await sql<Prepared>`select name, statement from pg_prepared_statements`.execute(db)).rows;

describe.runIf(onPostgres)('PostgreSQL prepared statements', () => {
  let database: { url: string; drop(): Promise<void> };
  beforeAll(async () => {
    database = await freshDatabaseUrl('postgres');
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    await admin.query('create table gadgets (id text primary key, label text not null)');
    await admin.query(`insert into gadgets values ('a', 'first'), ('b', 'second')`);
    await admin.end();
  });
  afterAll(async () => database?.drop());

  it('prepares a parameterized statement once per connection and reuses it', async () => {
    const handle = openDatabase(database.url);
    try {
      const labels = await handle.db.connection().execute(async (db) => {
        const found: string[] = [];
        for (const id of ['a', 'b', 'a']) {
          const { rows } = await sql<{ label: string }>`select label from gadgets where id = ${id}`.execute(
            db,
          );
          found.push(rows[0]?.label ?? '');
        }
        const prepared = await preparedOn(db);
        expect(prepared.filter((p) => p.statement.includes('from gadgets'))).toHaveLength(1);
        return found;
      });
      expect(labels).toEqual(['first', 'second', 'first']);
    } finally {
      await handle.close();
    }
  });

  it('prepares nothing when turned off, and statements without parameters are never named', async () => {
    const handle = openDatabase(database.url, () => undefined, { preparedStatements: false });
    try {
      await handle.db.connection().execute(async (db) => {
        await sql`select label from gadgets where id = ${'a'}`.execute(db);
        await sql`select count(*) from gadgets`.execute(db);
        expect(await preparedOn(db)).toEqual([]);
      });
    } finally {
      await handle.close();
    }
  });

  it('names only the first distinct texts up to its limit; later ones still run, unnamed', async () => {
    const pool = new pg.Pool({ connectionString: database.url, max: 1 });
    prepareStatementsPerConnection(pool, 2);
    try {
      const client = await pool.connect();
      try {
        const texts = [1, 2, 3].map((n) => `select label, ${n} as n from gadgets where id = $1`);
        for (const text of texts)
          expect((await client.query(text, ['b'])).rows[0]).toMatchObject({ label: 'second' });
        const prepared = (await client.query('select statement from pg_prepared_statements')).rows;
        expect(prepared.map((p: { statement: string }) => p.statement).sort()).toEqual(texts.slice(0, 2));
      } finally {
        client.release();
      }
    } finally {
      await pool.end();
    }
  });

  it('after a column change invalidates a prepared select, the connection fails once and then carries on', async () => {
    const pool = new pg.Pool({ connectionString: database.url, max: 1 });
    prepareStatementsPerConnection(pool);
    try {
      const client = await pool.connect();
      try {
        const text = 'select * from gadgets where id = $1';
        expect((await client.query(text, ['a'])).rows).toEqual([{ id: 'a', label: 'first' }]);
        const other = new pg.Client({ connectionString: database.url });
        await other.connect();
        await other.query(`alter table gadgets add column colour text not null default 'red'`);
        await other.end();
        await expect(client.query(text, ['a'])).rejects.toThrow(/cached plan must not change result type/);
        expect((await client.query(text, ['a'])).rows).toEqual([{ id: 'a', label: 'first', colour: 'red' }]);
      } finally {
        client.release();
      }
    } finally {
      await pool.end();
    }
  });
});
