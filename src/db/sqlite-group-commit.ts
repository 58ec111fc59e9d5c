import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import {
  CompiledQuery,
  SelectQueryNode,
  SqliteDialect,
  type DatabaseConnection,
  type Driver,
  type QueryCompiler,
  type QueryResult,
} from 'kysely';
import { LiteralLimitSqliteQueryCompiler } from './sqlite-query-compiler.js';
import { WalFile } from './wal-file.js';
import { STARVING_AFTER_MS, WriteTurns, YIELD_MS } from './sqlite-write-turns.js';

type Sqlite = BetterSqlite3.Database;
type Statement = BetterSqlite3.Statement;

/**
 * The SQLite driver of the server: one connection, group commit, the WAL flushed off the event loop,
 * cached prepared statements (docs/decisions/0020-sqlite-group-commit.md).
 *
 * With `synchronous = FULL` every COMMIT waits for an fsync (~0.2 ms here, more under load) while
 * better-sqlite3 holds the event loop; one page costs several transactions (intake, escalation, each
 * send), so commits, not queries, bounded the desk at ~150 incidents/s. PostgreSQL shares one WAL flush
 * among the backends that commit at the same moment, off their CPU; this does the same for SQLite:
 *
 * - The first write (or transaction) opens an outer `BEGIN IMMEDIATE` transaction, "the group". Each
 *   Kysely transaction runs inside it as a savepoint; a write outside a transaction runs in it directly.
 * - When a transaction releases its savepoint it hands the connection to the next one in line, then
 *   waits. The group commits at the next turn of the event loop, or between two leases once its first
 *   member has waited `maxWaitMs`, or when it is full.
 * - In WAL mode the COMMIT only appends to the WAL (`synchronous = NORMAL`); the driver then flushes the
 *   WAL file (fdatasync in libuv's thread pool, one flush for every group committed before it began),
 *   and only then does each member's commit (or write) return. So nothing is acknowledged before it is
 *   on disk, as with FULL, and the event loop never waits for the disk.
 * - A failed COMMIT or flush fails every member of its group; a transaction that rolls back undoes only
 *   its own savepoint.
 *
 * What changes: a reader may see a member's changes before they are on disk (between its release and the
 * flush: a few milliseconds). Only an I/O error can then still undo them, and every writer of that group
 * is told of it.
 *
 * Statements are prepared once per SQL text and kept (most recently used first), since Kysely compiles
 * the same few hundred texts over and over and preparing them cost a tenth of the server's CPU.
 */
export interface GroupCommitOptions {
  /** The group commits at once when this many transactions have joined (bounds a member's wait). */
  maxGroupSize?: number;
  /**
   * The group commits at the next hand-over once its first member has waited this long (default
   * `DEFAULT_MAX_WAIT_MS`), rather than behind every lease already queued for the connection.
   */
  maxWaitMs?: number;
  /** Prepared statements kept. */
  statementCacheSize?: number;
  /** Turn-taking for the write lock (default: this thread's, sqlite-write-turns.ts). */
  writeTurns?: WriteTurns;
  /** Waiting this long for the write lock raises this connection's flag (default `STARVING_AFTER_MS`). */
  starvingAfterMs?: number;
  /** The longest this connection lets a flagged one go first (default `YIELD_MS`). */
  yieldMs?: number;
}

const SAVEPOINT = 'ballou_member';

/**
 * Under load a group commits once its first member has waited this long. At 1 ms the intake bench's
 * groups held ~4 transactions and each COMMIT (~400–500 µs: the WAL frames of every page the group
 * dirtied) came to ~100 µs per incident; at 3 ms the 46elks voice intake rose from 1 856–1 988 to
 * 2 041–2 122 incidents/s in three alternating pairs (p99 48–50 ms either way; Alertmanager unchanged).
 * A lone writer does not wait at all: it commits as soon as nobody is in line.
 */
const DEFAULT_MAX_WAIT_MS = 3;

/** First come, first served: the connection is handed on in the order it was asked for. */
class FifoMutex {
  private locked = false;
  private readonly waiters: Array<() => void> = [];

  lock(): Promise<void> {
    if (!this.locked) {
      this.locked = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  unlock(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.locked = false;
  }

  /** Callers waiting for the connection now. */
  get waiting(): number {
    return this.waiters.length;
  }
}

/** Prepared statements by SQL text, least recently used evicted first (a Map keeps insertion order). */
class StatementCache {
  private readonly statements = new Map<string, Statement>();

  constructor(
    private readonly sqlite: Sqlite,
    private readonly size: number,
  ) {}

  get(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (statement) {
      this.statements.delete(sql);
    } else {
      statement = this.sqlite.prepare(sql);
      if (this.statements.size >= this.size) {
        const oldest = this.statements.keys().next().value;
        if (oldest !== undefined) this.statements.delete(oldest);
      }
    }
    this.statements.set(sql, statement);
    return statement;
  }
}

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** The open outer transaction and who waits for its COMMIT. */
interface Group {
  members: number;
  waiters: Waiter[];
  /** Something was written: the COMMIT must reach the disk before anyone is told. */
  dirty: boolean;
  /** When the first member began to wait (performance.now()). */
  firstWaitAt: number;
}

export interface GroupCommitStats {
  /** COMMITs of groups that had written something. */
  commits: number;
  /** Transactions and writes that were made durable by those commits. */
  members: number;
  /** WAL flushes (each covers every group committed before it began). */
  syncs: number;
}

/** One use of the connection, from acquireConnection to releaseConnection (Kysely's "connection"). */
class Lease implements DatabaseConnection {
  released = false;
  inTransaction = false;
  /** The current transaction (or this single write) changed something. */
  wrote = false;
  /** The group the current transaction runs in: if SQLite ends it, the transaction must not go on. */
  group: object | undefined;

  constructor(private readonly driver: GroupCommitSqliteDriver) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (this.released) await this.driver.reacquire(this);
    const statement = this.driver.statement(query.sql);
    if (this.inTransaction) return this.driver.run<R>(statement, query, this);
    // A read outside the group may meet another connection's recovery or checkpoint lock.
    if (statement.readonly) return this.driver.whileBusy(() => this.driver.run<R>(statement, query, this));
    // A write outside a transaction: part of the group, returns once the group is on disk.
    await this.driver.openGroup();
    const result = this.driver.run<R>(statement, query, this);
    await this.driver.finishMember(this);
    return result;
  }

  async *streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    if (this.released) await this.driver.reacquire(this);
    if (!SelectQueryNode.is(query.query))
      throw new Error('Sqlite driver only supports streaming of select queries');
    // Its own statement: a cached one could be needed again by the same caller while this one iterates.
    const statement = this.driver.freshStatement(query.sql);
    for (const row of statement.iterate(query.parameters as unknown[])) yield { rows: [row as R] };
  }
}

export class GroupCommitSqliteDriver implements Driver {
  private readonly mutex = new FifoMutex();
  private readonly statements: StatementCache;
  private readonly maxGroupSize: number;
  private readonly maxWaitMs: number;
  private group: Group | undefined;
  private flushScheduled = false;
  /** The WAL file this driver flushes itself (synchronous = NORMAL), or undefined (SQLite syncs). */
  private readonly walFile: WalFile | undefined;
  /** Members whose group has committed, waiting for the next WAL flush. */
  private unsynced: Waiter[] = [];
  private syncing: Promise<void> | undefined;
  /** The busy_timeout the connection came with: how long to wait for another connection's lock. */
  private readonly busyTimeoutMs: number;
  /** Taking turns for the write lock with this process's other threads (sqlite-write-turns.ts). */
  private readonly turns: WriteTurns;
  private readonly starvingAfterMs: number;
  private readonly yieldMs: number;
  /** Transaction control, prepared once (exec would parse the text every time). */
  private readonly control: Record<
    'begin' | 'commit' | 'rollback' | 'savepoint' | 'release' | 'rollbackTo',
    Statement
  >;
  readonly stats: GroupCommitStats = { commits: 0, members: 0, syncs: 0 };

  constructor(
    private readonly sqlite: Sqlite,
    options: GroupCommitOptions = {},
  ) {
    this.statements = new StatementCache(sqlite, options.statementCacheSize ?? 1000);
    this.maxGroupSize = options.maxGroupSize ?? 200;
    this.maxWaitMs = options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
    this.turns = options.writeTurns ?? new WriteTurns();
    this.starvingAfterMs = options.starvingAfterMs ?? STARVING_AFTER_MS;
    this.yieldMs = options.yieldMs ?? YIELD_MS;
    // Waiting for another connection's lock is done here, without blocking the event loop (whileBusy):
    // that connection may be another group of this very process, which can only commit if the loop runs.
    this.busyTimeoutMs = Number(sqlite.pragma('busy_timeout', { simple: true }));
    sqlite.pragma('busy_timeout = 0');
    // A file database in WAL mode: COMMIT only writes the WAL (synchronous = NORMAL) and the driver
    // flushes the WAL itself off the event loop before anyone is told (see syncWal).
    const wal = !sqlite.memory && String(sqlite.pragma('journal_mode', { simple: true })) === 'wal';
    this.walFile = wal ? new WalFile(`${path.resolve(sqlite.name)}-wal`) : undefined;
    if (wal) sqlite.pragma('synchronous = NORMAL');
    this.control = {
      begin: sqlite.prepare('begin immediate'),
      commit: sqlite.prepare('commit'),
      rollback: sqlite.prepare('rollback'),
      savepoint: sqlite.prepare(`savepoint ${SAVEPOINT}`),
      release: sqlite.prepare(`release ${SAVEPOINT}`),
      rollbackTo: sqlite.prepare(`rollback to ${SAVEPOINT}`),
    };
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.mutex.lock();
    return new Lease(this);
  }

  /** A lease that gave the connection back early (after a write) and is used again (db.connection()). */
  async reacquire(lease: Lease): Promise<void> {
    await this.mutex.lock();
    lease.released = false;
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    const lease = connection as Lease;
    await this.openGroup();
    this.control.savepoint.run();
    lease.group = this.group;
    lease.inTransaction = true;
    lease.wrote = false;
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const lease = connection as Lease;
    lease.inTransaction = false;
    this.guard(() => this.control.release.run());
    await this.finishMember(lease);
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const lease = connection as Lease;
    lease.inTransaction = false;
    lease.wrote = false;
    // Only this member's savepoint; the group (and the others' work in it) goes on.
    if (this.sqlite.inTransaction)
      this.guard(() => {
        this.control.rollbackTo.run();
        this.control.release.run();
      });
  }

  // Savepoints inside a transaction (Kysely's trx.savepoint()), nested in the member's own.
  async savepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`savepoint ${quoteName(name)}`));
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`rollback to ${quoteName(name)}`));
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`release ${quoteName(name)}`));
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    this.handOn(connection as Lease);
  }

  async destroy(): Promise<void> {
    if (this.group) this.commitGroup();
    while (this.syncing) await this.syncing;
    this.walFile?.close();
    this.sqlite.close();
  }

  statement(sql: string): Statement {
    return this.statements.get(sql);
  }

  freshStatement(sql: string): Statement {
    return this.sqlite.prepare(sql);
  }

  /** Runs one statement the way Kysely's own SQLite driver does, noting whether it wrote. */
  run<R>(statement: Statement, query: CompiledQuery, lease: Lease): QueryResult<R> {
    // Without its group the statements would run one by one in autocommit: no longer atomic.
    if (lease.inTransaction && lease.group !== this.group)
      throw new Error('the transaction was rolled back by SQLite');
    if (!statement.readonly) lease.wrote = true;
    const parameters = query.parameters as unknown[];
    return this.guard(() => {
      if (statement.reader) return { rows: statement.all(parameters) as R[] };
      const { changes, lastInsertRowid } = statement.run(parameters);
      return {
        numAffectedRows: changes !== undefined && changes !== null ? BigInt(changes) : undefined,
        insertId:
          lastInsertRowid !== undefined && lastInsertRowid !== null ? BigInt(lastInsertRowid) : undefined,
        rows: [],
      };
    });
  }

  async openGroup(): Promise<void> {
    if (this.group) return;
    if (this.turns.othersWaiting()) await this.turns.letOthersGo(this.yieldMs);
    await this.whileBusy(() => this.control.begin.run(), { writeLock: true });
    this.group = { members: 0, waiters: [], dirty: false, firstWaitAt: 0 };
  }

  /**
   * The end of a transaction or of a write outside one: hands the connection on at once and, if it wrote,
   * waits for the group's COMMIT.
   */
  async finishMember(lease: Lease): Promise<void> {
    const group = this.group;
    if (!lease.wrote || !group) {
      this.handOn(lease);
      return;
    }
    lease.wrote = false;
    if (!group.dirty) group.firstWaitAt = performance.now();
    group.dirty = true;
    group.members += 1;
    const durable = new Promise<void>((resolve, reject) => group.waiters.push({ resolve, reject }));
    this.handOn(lease);
    await durable;
  }

  /** Gives the connection to the next in line, deciding first when the open group commits. */
  private handOn(lease: Lease): void {
    if (lease.released) return;
    lease.released = true;
    const group = this.group;
    if (group && !lease.inTransaction) {
      if (!group.dirty)
        this.commitGroup(); // only reads so far: nothing to wait for, free the write lock
      else if (
        group.members >= this.maxGroupSize ||
        performance.now() - group.firstWaitAt >= this.maxWaitMs ||
        // Nobody is in line to join: a lone writer (the CLI's invoice run, a quiet desk) commits now rather
        // than a turn of the event loop later. Its flush still joins whatever flush comes next.
        this.mutex.waiting === 0 ||
        // Another thread waits for the write lock: its turn comes at this COMMIT.
        this.turns.othersWaiting()
      )
        this.commitGroup(); // under steady load the queue never empties: commit between two leases
      else this.scheduleFlush();
    }
    this.mutex.unlock();
  }

  /** Commits at the next turn of the event loop, after whoever is already waiting for the connection. */
  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      void this.mutex.lock().then(() => {
        this.flushScheduled = false;
        try {
          if (this.group) this.commitGroup();
        } finally {
          this.mutex.unlock();
        }
      });
    });
  }

  private commitGroup(): void {
    const group = this.group;
    if (!group) return;
    this.group = undefined;
    try {
      this.control.commit.run();
    } catch (error) {
      if (this.sqlite.inTransaction) this.control.rollback.run();
      this.turns.released();
      for (const waiter of group.waiters) waiter.reject(error);
      return;
    }
    this.turns.released();
    if (!group.dirty) return;
    this.stats.commits += 1;
    this.stats.members += group.members;
    if (!this.walFile) {
      for (const waiter of group.waiters) waiter.resolve();
      return;
    }
    this.unsynced.push(...group.waiters);
    this.syncWal();
  }

  /**
   * Flushes the WAL to disk in the thread pool, for every group committed before the flush began; groups
   * committed meanwhile wait for the next flush, which starts as soon as this one ends.
   */
  private syncWal(): void {
    if (this.syncing || this.unsynced.length === 0 || !this.walFile) return;
    const batch = this.unsynced;
    this.unsynced = [];
    this.syncing = (async () => {
      try {
        await (this.walFile as WalFile).flush();
        this.stats.syncs += 1;
        for (const waiter of batch) waiter.resolve();
      } catch (error) {
        for (const waiter of batch) waiter.reject(error);
      } finally {
        this.syncing = undefined;
        this.syncWal();
      }
    })();
  }

  /**
   * Runs `operation`, again and again while another connection holds the lock it needs (SQLITE_BUSY), up
   * to the connection's busy_timeout, pausing between tries so the event loop goes on. A try follows at
   * once when another thread of this process releases the write lock. Waiting for the write lock itself
   * (`writeLock`) longer than `starvingAfterMs` raises this connection's flag, so the other lets it go
   * first.
   */
  async whileBusy<T>(operation: () => T, { writeLock = false } = {}): Promise<T> {
    const deadline = Date.now() + this.busyTimeoutMs;
    const since = performance.now();
    try {
      for (let pause = 1; ; pause = Math.min(pause * 2, 20)) {
        const releases = this.turns.releases();
        try {
          return operation();
        } catch (error) {
          if ((error as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() >= deadline) throw error;
        }
        if (writeLock && performance.now() - since >= this.starvingAfterMs) this.turns.waiting(true);
        await this.turns.untilReleaseAfter(releases, pause);
      }
    } finally {
      if (writeLock) this.turns.waiting(false);
    }
  }

  /**
   * Runs a statement; if SQLite ended the outer transaction because of its error (it does for I/O
   * errors, a full disk or lack of memory), everyone waiting for that group learns the group is gone.
   */
  private guard<T>(operation: () => T): T {
    try {
      return operation();
    } catch (error) {
      const group = this.group;
      if (group && !this.sqlite.inTransaction) {
        this.group = undefined;
        this.turns.released();
        for (const waiter of group.waiters) waiter.reject(error);
      }
      throw error;
    }
  }
}

const quoteName = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Kysely's SQLite dialect with the driver above. */
export class GroupCommitSqliteDialect extends SqliteDialect {
  constructor(
    private readonly sqlite: Sqlite,
    private readonly options: GroupCommitOptions = {},
  ) {
    super({ database: sqlite });
  }

  /** The driver Kysely made (for its figures). */
  driver: GroupCommitSqliteDriver | undefined;

  override createQueryCompiler(): QueryCompiler {
    return new LiteralLimitSqliteQueryCompiler();
  }

  override createDriver(): GroupCommitSqliteDriver {
    this.driver = new GroupCommitSqliteDriver(this.sqlite, this.options);
    return this.driver;
  }
}
