import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import { CommittedWritesSignal, signallingDialect } from './committed-writes.js';
import { GroupCommitSqliteDialect } from './sqlite-group-commit.js';
import { startWalCheckpointer } from './sqlite-wal-checkpointer.js';
import { prepareStatementsPerConnection } from './pg-prepared-statements.js';
import { pipelinedBeginDialect } from './pg-pipelined-begin.js';
import type { Database } from './schema.js';

export type DatabaseKind = 'sqlite' | 'postgres';
export type Db = Kysely<Database>;
export type Trx = Transaction<Database>;
/** Repositories take either the database or an open transaction; the caller owns the transaction. */
export type DbOrTrx = Kysely<Database> | Transaction<Database>;

export interface DatabaseHandle {
  db: Db;
  kind: DatabaseKind;
  /** Runs `listener` after each committed job insert of this handle (see committed-writes.ts). */
  onJobsCommitted(listener: () => void): () => void;
  /** Runs `listener` after each committed incident insert or update of this handle (committed-writes.ts). */
  onIncidentsCommitted(listener: () => void): () => void;
  close(): Promise<void>;
}

const INT8_OID = 20;
const SQLITE_DEFAULT_AUTOCHECKPOINT = 1000;

/**
 * Opens the configured database: a SQLite file (WAL, foreign keys on, synchronous FULL) or a
 * PostgreSQL pool. Instants and money are stored identically on both (see the initial migration).
 */
export function openDatabase(
  url: string,
  onPoolError: (error: Error) => void = () => undefined,
  options: {
    preparedStatements?: boolean;
    /**
     * SQLite: who checkpoints the WAL (docs/decisions/0020). `auto` (default): SQLite, inside the commit
     * that finds the WAL past 1 000 pages. `thread`: a thread of its own (sqlite-wal-checkpointer.ts),
     * started with this connection; its errors go to `onError` and this connection checkpoints again.
     * `elsewhere`: another connection of this process runs that thread (the job thread's connection).
     */
    walCheckpoints?: 'auto' | 'thread' | 'elsewhere';
    onError?: (error: Error) => void;
  } = {},
): DatabaseHandle {
  if (/^postgres(ql)?:\/\//.test(url)) {
    const pool = new pg.Pool({
      connectionString: url,
      max: 10,
      // Pipelined: a transaction's BEGIN goes out with its first statement (pg-pipelined-begin.ts). Kysely
      // still runs a transaction's statements one at a time; a round trip costs this process ~140 µs and
      // PostgreSQL ~80 µs of CPU (measured with a trivial prepared statement on this machine).
      pipeline: true,
      // COUNT(*) and bigserial come back as int8; our values fit a JS number.
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
          oid === INT8_OID
            ? (v: string) => Number(v)
            : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
      },
    });
    // An idle connection killed by a PostgreSQL restart emits 'error' on the pool; unhandled it would
    // end the process. The pool replaces the connection; the next query reports real trouble.
    pool.on('error', onPoolError);
    if (options.preparedStatements ?? true) prepareStatementsPerConnection(pool);
    const signal = new CommittedWritesSignal();
    const db = new Kysely<Database>({
      dialect: signallingDialect(pipelinedBeginDialect(new PostgresDialect({ pool })), signal),
    });
    return {
      db,
      kind: 'postgres',
      onJobsCommitted: (l) => signal.on('jobs', l),
      onIncidentsCommitted: (l) => signal.on('incidents', l),
      close: () => db.destroy(),
    };
  }
  if (!url.startsWith('sqlite:')) throw new Error('database URL must start with sqlite: or postgres://');
  const file = url.slice('sqlite:'.length);
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  // An acknowledged page survives a power loss, not only a process crash: FULL, which the driver below
  // replaces by its own flush of the WAL before any commit returns (docs/decisions/0020).
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('busy_timeout = 5000');
  // Each transaction of the group-commit driver is a savepoint, so every statement that writes keeps a
  // statement journal; in memory rather than in a temporary file, an insert took a third of the time
  // (docs/decisions/0026). Temporary tables and indices go to memory too; large sorts still spill to
  // temporary files (SQLite's sorter uses its own).
  sqlite.pragma('temp_store = MEMORY');
  const checkpoints = sqlite.memory ? 'auto' : (options.walCheckpoints ?? 'auto');
  if (checkpoints !== 'auto') sqlite.pragma('wal_autocheckpoint = 0');
  const checkpointer =
    checkpoints === 'thread'
      ? startWalCheckpointer(file, {
          onError: (error) => {
            // Back to SQLite's own checkpoints on this connection, so the WAL cannot grow without bound.
            sqlite.pragma(`wal_autocheckpoint = ${SQLITE_DEFAULT_AUTOCHECKPOINT}`);
            options.onError?.(error);
          },
        })
      : undefined;
  const signal = new CommittedWritesSignal();
  const db = new Kysely<Database>({
    // Transactions that commit at the same moment share one fsync (sqlite-group-commit.ts).
    dialect: signallingDialect(new GroupCommitSqliteDialect(sqlite), signal),
  });
  return {
    db,
    kind: 'sqlite',
    onJobsCommitted: (l) => signal.on('jobs', l),
    onIncidentsCommitted: (l) => signal.on('incidents', l),
    close: async () => {
      await checkpointer?.stop();
      await db.destroy();
    },
  };
}
