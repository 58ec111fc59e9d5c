import type {
  CompiledQuery,
  DatabaseConnection,
  Dialect,
  QueryCompiler,
  QueryResult,
  TransactionSettings,
} from 'kysely';
import { WrappingDriver, wrappedDialect, type WrappingConnection } from './wrapping-driver.js';

/**
 * PostgreSQL only, over a pool in pipeline mode: a transaction's BEGIN is not waited for on its own but
 * goes out together with the transaction's first statement, saving a round trip per transaction (four
 * per paged incident). PostgreSQL runs them in order, so the statement runs inside the transaction.
 *
 * BEGIN fails only when the connection does, and then the statement behind it fails too; its error is
 * still reported (by that statement, or by COMMIT/ROLLBACK of an empty transaction) rather than lost.
 */
export function pipelinedBeginDialect(inner: Dialect): Dialect {
  return wrappedDialect(inner, (driver) => new PipelinedBeginDriver(driver));
}

class PipelinedConnection implements WrappingConnection {
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

class PipelinedBeginDriver extends WrappingDriver<PipelinedConnection> {
  protected wrap(connection: DatabaseConnection): PipelinedConnection {
    return new PipelinedConnection(connection);
  }

  override beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const pipelined = connection as PipelinedConnection;
    const begin = this.inner.beginTransaction(pipelined.inner, settings);
    // Observed by the next statement, COMMIT or ROLLBACK; never an unhandled rejection meanwhile.
    begin.catch(() => undefined);
    pipelined.begin = begin;
    return Promise.resolve();
  }

  override async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as PipelinedConnection).settleBegin();
    await super.commitTransaction(connection);
  }

  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as PipelinedConnection).settleBegin().catch(() => undefined);
    await super.rollbackTransaction(connection);
  }

  override async savepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler['compileQuery'],
  ): Promise<void> {
    await (connection as PipelinedConnection).settleBegin();
    await super.savepoint(connection, name, compile);
  }
}
