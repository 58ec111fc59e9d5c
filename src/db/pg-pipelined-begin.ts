import type {
  CompiledQuery,
  DatabaseConnection,
  Dialect,
  Driver,
  QueryCompiler,
  QueryResult,
  TransactionSettings,
} from 'kysely';

/**
 * PostgreSQL only, over a pool in pipeline mode: a transaction's BEGIN is not waited for on its own but
 * goes out together with the transaction's first statement, saving a round trip per transaction (four
 * per paged incident). PostgreSQL runs them in order, so the statement runs inside the transaction.
 *
 * BEGIN fails only when the connection does, and then the statement behind it fails too; its error is
 * still reported (by that statement, or by COMMIT/ROLLBACK of an empty transaction) rather than lost.
 */
export function pipelinedBeginDialect(inner: Dialect): Dialect {
  return {
    createDriver: () => new PipelinedBeginDriver(inner.createDriver()),
    createQueryCompiler: () => inner.createQueryCompiler(),
    createAdapter: () => inner.createAdapter(),
    createIntrospector: (db) => inner.createIntrospector(db),
  };
}

class PipelinedConnection implements DatabaseConnection {
  /** The BEGIN sent but not yet answered: the next statement goes out behind it and waits for both. */
  begin: Promise<void> | undefined;

  constructor(readonly inner: DatabaseConnection) {}

  /** Waits for a pending BEGIN (and reports its failure). */
  async settleBegin(): Promise<void> {
    const begin = this.begin;
    this.begin = undefined;
    await begin;
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const begin = this.begin;
    this.begin = undefined;
    const result = this.inner.executeQuery<R>(query);
    if (begin) {
      try {
        await begin;
      } catch (error) {
        await result.catch(() => undefined);
        throw error;
      }
    }
    return result;
  }

  async *streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    await this.settleBegin();
    yield* this.inner.streamQuery<R>(query, chunkSize);
  }
}

class PipelinedBeginDriver implements Driver {
  constructor(private readonly inner: Driver) {}

  init(): Promise<void> {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    return new PipelinedConnection(await this.inner.acquireConnection());
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const pipelined = connection as PipelinedConnection;
    const begin = this.inner.beginTransaction(pipelined.inner, settings);
    // Observed by the next statement, COMMIT or ROLLBACK; never an unhandled rejection meanwhile.
    begin.catch(() => undefined);
    pipelined.begin = begin;
    return Promise.resolve();
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const pipelined = connection as PipelinedConnection;
    await pipelined.settleBegin();
    await this.inner.commitTransaction(pipelined.inner);
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const pipelined = connection as PipelinedConnection;
    await pipelined.settleBegin().catch(() => undefined);
    await this.inner.rollbackTransaction(pipelined.inner);
  }

  async savepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']) {
    const pipelined = connection as PipelinedConnection;
    await pipelined.settleBegin();
    if (!this.inner.savepoint) throw new Error('the database driver has no savepoint');
    await this.inner.savepoint(pipelined.inner, name, compile);
  }

  async rollbackToSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler['compileQuery'],
  ): Promise<void> {
    if (!this.inner.rollbackToSavepoint) throw new Error('the database driver has no rollbackToSavepoint');
    await this.inner.rollbackToSavepoint((connection as PipelinedConnection).inner, name, compile);
  }

  async releaseSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler['compileQuery'],
  ): Promise<void> {
    if (!this.inner.releaseSavepoint) throw new Error('the database driver has no releaseSavepoint');
    await this.inner.releaseSavepoint((connection as PipelinedConnection).inner, name, compile);
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.inner.releaseConnection((connection as PipelinedConnection).inner);
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}
