import type { DatabaseConnection, Dialect, Driver, QueryCompiler, TransactionSettings } from 'kysely';

/** A connection that wraps the inner driver's one (the inner driver gets `inner` back). */
export interface WrappingConnection extends DatabaseConnection {
  readonly inner: DatabaseConnection;
}

/**
 * A Kysely driver around another: everything passes through with the connection unwrapped; a subclass
 * wraps each acquired connection and overrides what it adds to (committed-writes.ts, pg-pipelined-begin.ts).
 */
export abstract class WrappingDriver<C extends WrappingConnection> implements Driver {
  constructor(protected readonly inner: Driver) {}

  protected abstract wrap(connection: DatabaseConnection): C;

  init(): Promise<void> {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    return this.wrap(await this.inner.acquireConnection());
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.inner.beginTransaction((connection as C).inner, settings);
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.commitTransaction((connection as C).inner);
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.rollbackTransaction((connection as C).inner);
  }

  async savepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler['compileQuery'],
  ): Promise<void> {
    if (!this.inner.savepoint) throw new Error('the database driver has no savepoint');
    await this.inner.savepoint((connection as C).inner, name, compile);
  }

  async rollbackToSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler['compileQuery'],
  ): Promise<void> {
    if (!this.inner.rollbackToSavepoint) throw new Error('the database driver has no rollbackToSavepoint');
    await this.inner.rollbackToSavepoint((connection as C).inner, name, compile);
  }

  async releaseSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler['compileQuery'],
  ): Promise<void> {
    if (!this.inner.releaseSavepoint) throw new Error('the database driver has no releaseSavepoint');
    await this.inner.releaseSavepoint((connection as C).inner, name, compile);
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.inner.releaseConnection((connection as C).inner);
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}

/** `inner` with its driver wrapped by `wrapDriver`; compiler, adapter and introspector unchanged. */
export function wrappedDialect(inner: Dialect, wrapDriver: (driver: Driver) => Driver): Dialect {
  return {
    createDriver: () => wrapDriver(inner.createDriver()),
    createQueryCompiler: () => inner.createQueryCompiler(),
    createAdapter: () => inner.createAdapter(),
    createIntrospector: (db) => inner.createIntrospector(db),
  };
}
