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

/** What a committed write may concern: a new job row, or an incident opened or changed. */
export type WriteTopic = 'jobs' | 'incidents';

/**
 * Tells this process that rows of a topic became visible to other connections: right after such a write
 * outside a transaction, or right after the COMMIT of a transaction that made one (never before: on
 * PostgreSQL a reader on another connection would not see the row yet); a rolled-back transaction tells no
 * one. `jobs`: the job worker claims at once instead of at its next poll. `incidents`: live boards look for
 * the change at once instead of at their next poll (incident-change-feed.ts).
 */
export class CommittedWritesSignal {
  private readonly listeners: Record<WriteTopic, Set<Listener>> = { jobs: new Set(), incidents: new Set() };

  on(topic: WriteTopic, listener: Listener): () => void {
    this.listeners[topic].add(listener);
    return () => this.listeners[topic].delete(listener);
  }

  emit(topic: WriteTopic): void {
    for (const listener of this.listeners[topic]) {
      try {
        listener();
      } catch {
        // a listener's trouble must not fail the committed write that triggered it
      }
    }
  }
}

/**
 * How Kysely compiles the writes of each topic on both engines: every job insert (enqueueJob) to
 * `insert into "jobs" …`, every incident write to `insert into "incidents" …` or `update "incidents" …`.
 */
const TOPIC_WRITES: ReadonlyArray<readonly [WriteTopic, RegExp]> = [
  ['jobs', /^\s*insert\s+into\s+"jobs"/i],
  ['incidents', /^\s*(?:insert\s+into|update)\s+"incidents"/i],
];

/** One acquired connection, remembering which topics its open transaction wrote. */
class WatchedConnection implements WrappingConnection {
  inTransaction = false;
  readonly wrote = new Set<WriteTopic>();

  constructor(
    readonly inner: DatabaseConnection,
    private readonly signal: CommittedWritesSignal,
  ) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.inner.executeQuery<R>(query);
    for (const [topic, pattern] of TOPIC_WRITES) {
      if (!pattern.test(query.sql)) continue;
      if (this.inTransaction) this.wrote.add(topic);
      else this.signal.emit(topic);
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
    private readonly signal: CommittedWritesSignal,
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
    watched.wrote.clear();
  }

  override async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const watched = connection as WatchedConnection;
    try {
      await super.commitTransaction(connection);
    } finally {
      watched.inTransaction = false;
    }
    if (watched.wrote.size === 0) return;
    const topics = [...watched.wrote];
    watched.wrote.clear();
    for (const topic of topics) this.signal.emit(topic);
  }

  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const watched = connection as WatchedConnection;
    watched.inTransaction = false;
    watched.wrote.clear();
    await super.rollbackTransaction(connection);
  }
}

/** The dialect with its driver wrapped so committed job and incident writes reach `signal`. */
export function signallingDialect(inner: Dialect, signal: CommittedWritesSignal): Dialect {
  return wrappedDialect(inner, (driver) => new SignallingDriver(driver, signal));
}
