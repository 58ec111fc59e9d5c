import SQLite from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GroupCommitSqliteDialect } from './sqlite-group-commit.js';

interface TestDb {
  notes: { id: number; text: string };
}

let db: Kysely<TestDb>;

beforeEach(async () => {
  db = new Kysely<TestDb>({ dialect: new GroupCommitSqliteDialect(new SQLite(':memory:')) });
  await db.schema
    .createTable('notes')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('text', 'text')
    .execute();
  await db
    .insertInto('notes')
    .values(Array.from({ length: 10 }, (_, i) => ({ id: i + 1, text: `note ${i + 1}` })))
    .execute();
});

afterEach(async () => {
  await db.destroy();
});

describe('LIMIT and OFFSET on SQLite', () => {
  it('are written into the SQL text as numbers, so the prepared statement is not re-planned on every run', () => {
    const compiled = db
      .selectFrom('notes')
      .select('id')
      .where('text', '!=', 'x')
      .orderBy('id')
      .limit(3)
      .offset(4)
      .compile();
    expect(compiled.sql).toBe('select "id" from "notes" where "text" != ? order by "id" limit 3 offset 4');
    expect(compiled.parameters).toEqual(['x']);
  });

  it('still return the page they ask for', async () => {
    const page = await db.selectFrom('notes').select('id').orderBy('id').limit(3).offset(4).execute();
    expect(page.map((r) => r.id)).toEqual([5, 6, 7]);
    const first = await db.selectFrom('notes').select('id').orderBy('id', 'desc').limit(1).executeTakeFirst();
    expect(first?.id).toBe(10);
  });

  it('stay parameters when they are not a plain non-negative integer', () => {
    for (const value of [2.5, -1, '3']) {
      const compiled = db
        .selectFrom('notes')
        .select('id')
        .limit(value as number)
        .compile();
      expect(compiled.sql).toBe('select "id" from "notes" limit ?');
      expect(compiled.parameters).toEqual([value]);
    }
    const expression = db
      .selectFrom('notes')
      .select('id')
      .limit(sql<number>`1 + 1`)
      .compile();
    expect(expression.sql).toBe('select "id" from "notes" limit 1 + 1');
  });
});
