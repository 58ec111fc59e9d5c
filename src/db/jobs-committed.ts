import type {
  CompiledQuery,
  DatabaseConnection,
  Dialect,
  Driver,
  QueryResult,
  TransactionSettings,
} from 'kysely';
import { WrappingDriver, wrappedDialect, type WrappingConnection } from './wrapping-driver.js';

type Listener = () => void;

/**
 * Tells the job worker of this process that a new job row became visible to other connections: right
 * after an INSERT into `jobs` outside a transaction, or right after the COMMIT of a transaction that made
 * one (never before: on PostgreSQL a claim on another connection would not see the row yet). The worker
 * then claims at once instead of at its next poll; a rolled-back transaction wakes no one.
 */
export class JobsCommittedSignal {
  private readonly listeners = new Set<Listener>();

  on(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(): void {
    for (const listener of this.listeners) {
      try {
        listener();
      } catch {
        // a listener's trouble must not fail the committed write that triggered it
      }
    }
  }
}

/** Kysely compiles every jobs insert (enqueueJob) to `insert into "jobs" …` on both engines. */
const JOBS_INSERT = /^\s*insert\s+into\s+"jobs"/i;

/** One acquired connection, remembering whether its open transaction inserted a job. */
class WatchedConnection implements WrappingConnection {
  inTransaction = false;
  insertedJob = false;

  constructor(
    readonly inner: DatabaseConnection,
    private readonly signal: JobsCommittedSignal,
  ) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.inner.executeQuery<R>(query);
    if (JOBS_INSERT.test(query.sql)) {
      if (this.inTransaction) this.insertedJob = true;
      else this.signal.emit();
    }
    return result;
  }

  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery<R>(query, chunkSize);
  }
}

class SignallingDriver extends WrappingDriver<WatchedConnection> {
  constructor(
    inner: Driver,
    private readonly signal: JobsCommittedSignal,
  ) {
    super(inner);
  }

  protected wrap(connection: DatabaseConnection): WatchedConnection {
    return new WatchedConnection(connection, this.signal);
  }

  override async beginTransaction(
    connection: DatabaseConnection,
    settings: TransactionSettings,
  ): Promise<void> {
    const watched = connection as WatchedConnection;
    await super.beginTransaction(connection, settings);
    watched.inTransaction = true;
    watched.insertedJob = false;
  }

  override async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const watched = connection as WatchedConnection;
    try {
      await super.commitTransaction(connection);
    } finally {
      watched.inTransaction = false;
    }
    if (watched.insertedJob) {
      watched.insertedJob = false;
      this.signal.emit();
    }
  }

  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const watched = connection as WatchedConnection;
    watched.inTransaction = false;
    watched.insertedJob = false;
    await super.rollbackTransaction(connection);
  }
}

/** The dialect with its driver wrapped so committed job inserts reach `signal`. */
export function signallingDialect(inner: Dialect, signal: JobsCommittedSignal): Dialect {
  return wrappedDialect(inner, (driver) => new SignallingDriver(driver, signal));
}
