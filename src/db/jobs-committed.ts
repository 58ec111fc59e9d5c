import type {
  CompiledQuery,
  DatabaseConnection,
  Dialect,
  Driver,
  QueryCompiler,
  QueryResult,
  TransactionSettings,
} from 'kysely';

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
class WatchedConnection implements DatabaseConnection {
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

class SignallingDriver implements Driver {
  constructor(
    private readonly inner: Driver,
    private readonly signal: JobsCommittedSignal,
  ) {}

  init(): Promise<void> {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    return new WatchedConnection(await this.inner.acquireConnection(), this.signal);
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const watched = connection as WatchedConnection;
    await this.inner.beginTransaction(watched.inner, settings);
    watched.inTransaction = true;
    watched.insertedJob = false;
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const watched = connection as WatchedConnection;
    try {
      await this.inner.commitTransaction(watched.inner);
    } finally {
      watched.inTransaction = false;
    }
    if (watched.insertedJob) {
      watched.insertedJob = false;
      this.signal.emit();
    }
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const watched = connection as WatchedConnection;
    watched.inTransaction = false;
    watched.insertedJob = false;
    await this.inner.rollbackTransaction(watched.inner);
  }

  async savepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler['compileQuery'],
  ): Promise<void> {
    if (!this.inner.savepoint) throw new Error('the database driver has no savepoint');
    await this.inner.savepoint((connection as WatchedConnection).inner, name, compile);
  }

  async rollbackToSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler['compileQuery'],
  ): Promise<void> {
    if (!this.inner.rollbackToSavepoint) throw new Error('the database driver has no rollbackToSavepoint');
    await this.inner.rollbackToSavepoint((connection as WatchedConnection).inner, name, compile);
  }

  async releaseSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler['compileQuery'],
  ): Promise<void> {
    if (!this.inner.releaseSavepoint) throw new Error('the database driver has no releaseSavepoint');
    await this.inner.releaseSavepoint((connection as WatchedConnection).inner, name, compile);
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.inner.releaseConnection((connection as WatchedConnection).inner);
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}

/** The dialect with its driver wrapped so committed job inserts reach `signal`. */
export function signallingDialect(inner: Dialect, signal: JobsCommittedSignal): Dialect {
  return {
    createDriver: () => new SignallingDriver(inner.createDriver(), signal),
    createQueryCompiler: () => inner.createQueryCompiler(),
    createAdapter: () => inner.createAdapter(),
    createIntrospector: (db) => inner.createIntrospector(db),
  };
}
