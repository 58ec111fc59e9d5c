import {
  CompiledQuery,
  type Compilable,
  type InsertQueryBuilder,
  type InsertResult,
  type QueryResult,
} from 'kysely';
import type { DbOrTrx } from '../database.js';
import type { Database } from '../schema.js';

/** Stands for parameter i while the query is built; never reaches a database. */
const placeholder = (i: number) => `\u0000precompiled parameter ${i}\u0000`;

interface Template {
  sql: string;
  /** Per compiled parameter: the index of the caller's parameter, or a constant the query fixed. */
  slots: Array<number | { constant: unknown }>;
}

/**
 * A statement of the hot intake path, built and compiled by Kysely once per SQL dialect and then run with
 * fresh parameters: building and compiling a query costs more CPU than SQLite takes to run it, and every
 * incident runs the same few. `build` receives a placeholder per parameter and must bind each as a value
 * (not as an identifier or inside raw SQL text); it may bind one several times. The same SQL text also lets the driver
 * reuse its prepared statement.
 */
export function precompiled<P extends unknown[]>(
  parameterCount: P['length'],
  build: (db: DbOrTrx, ...parameters: string[]) => Compilable,
): <R>(db: DbOrTrx, ...parameters: P) => Promise<QueryResult<R>> {
  const templates = new Map<unknown, Template>();
  const compile = (db: DbOrTrx): Template => {
    const names = Array.from({ length: parameterCount }, (_, i) => placeholder(i));
    const compiled = build(db, ...names).compile();
    const slots = compiled.parameters.map((value) => {
      const index = typeof value === 'string' ? names.indexOf(value) : -1;
      return index >= 0 ? index : { constant: value };
    });
    names.forEach((_, i) => {
      if (!slots.includes(i) || compiled.sql.includes(names[i] as string))
        throw new Error(`precompiled query: parameter ${i} is not bound as a value: ${compiled.sql}`);
    });
    return { sql: compiled.sql, slots };
  };
  return async <R>(db: DbOrTrx, ...parameters: P): Promise<QueryResult<R>> => {
    // One dialect, one SQL text: keyed by the adapter's class (the same for a database and its transactions).
    const dialect = db.getExecutor().adapter.constructor;
    let template = templates.get(dialect);
    if (!template) {
      template = compile(db);
      templates.set(dialect, template);
    }
    const values = template.slots.map((slot) =>
      typeof slot === 'number' ? parameters[slot] : slot.constant,
    );
    return db.executeQuery<R>(CompiledQuery.raw(template.sql, values));
  };
}

/** Every column of a row type, in one fixed order (the compiler checks that none is missing). */
export const columnsOf = <Row>(all: Record<keyof Row, true>): Array<keyof Row & string> =>
  Object.keys(all) as Array<keyof Row & string>;

/**
 * A precompiled insert of one whole row into `table`: `columns` (from columnsOf) fixes the statement's
 * shape, and `finish` may add to it (an ON CONFLICT clause that refers to the row's values).
 */
export function precompiledInsert<
  Row extends object,
  T extends keyof Database & string = keyof Database & string,
>(
  table: T,
  columns: ReadonlyArray<keyof Row & string>,
  finish: (insert: InsertQueryBuilder<Database, T, InsertResult>, row: Row) => Compilable = (insert) =>
    insert,
): (db: DbOrTrx, row: Row) => Promise<void> {
  const query = precompiled<unknown[]>(columns.length, (db, ...p) => {
    const row = Object.fromEntries(columns.map((c, i) => [c, p[i]])) as Row;
    return finish(db.insertInto(table).values(row as never), row);
  });
  return async (db, row) => {
    await query(db, ...columns.map((c) => row[c]));
  };
}

/**
 * A precompiled insert of several whole rows in one statement (one round trip), compiled once per row
 * count; `finish` may add to it (ON CONFLICT, RETURNING).
 */
export function precompiledInsertRows<
  Row extends object,
  T extends keyof Database & string = keyof Database & string,
>(
  table: T,
  columns: ReadonlyArray<keyof Row & string>,
  finish: (insert: InsertQueryBuilder<Database, T, InsertResult>) => Compilable = (insert) => insert,
): <R>(db: DbOrTrx, rows: readonly Row[]) => Promise<QueryResult<R>> {
  const byCount = new Map<number, ReturnType<typeof precompiled<unknown[]>>>();
  return <R>(db: DbOrTrx, rows: readonly Row[]) => {
    const n = rows.length;
    let query = byCount.get(n);
    if (!query) {
      query = precompiled<unknown[]>(n * columns.length, (db, ...p) => {
        const values = Array.from({ length: n }, (_, r) =>
          Object.fromEntries(columns.map((c, i) => [c, p[r * columns.length + i]])),
        );
        return finish(db.insertInto(table).values(values as never));
      });
      byCount.set(n, query);
    }
    return query<R>(db, ...rows.flatMap((row) => columns.map((c) => row[c])));
  };
}
