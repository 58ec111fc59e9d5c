import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import { atMostEvery } from '../at-most-every.js';
import type { DatabaseHandle } from '../../db/database.js';
import { INCIDENT_CHANGES_CHANNEL, listenForNotices, type NoticeListener } from '../../db/pg-notices.js';

/** The shortest time between two notices this node sends the others (a burst of commits is one notice). */
const NOTIFY_EVERY_MS = 50;

/**
 * Tells this node's live boards that incidents changed, as soon as a change commits anywhere:
 *
 * - on this node: a commit of the server thread (the database handle's signal) or of the job thread
 *   (`changedHere`, from the job runner's message);
 * - on another node (PostgreSQL): this node sends `NOTIFY` after its own commits, at most every 50 ms, in
 *   a transaction of its own (a NOTIFY inside each writing transaction would queue every commit behind
 *   PostgreSQL's one notify lock), and LISTENs on a connection of its own once a board is open here.
 *
 * The boards still poll every `BALLOU_BOARD_POLL_MS` whatever comes: a notice is a hint to look now, never
 * the change itself, so a lost notice costs at most that long (docs/decisions/0027).
 */
export class IncidentChangeRelay {
  private readonly listeners = new Set<() => void>();
  /** Names this node's notices, so it does not wake its own boards twice. */
  private readonly nodeId = `${process.pid}-${randomUUID()}`;
  private readonly notices = atMostEvery(NOTIFY_EVERY_MS, () => void this.notifyOtherNodes());
  private noticeListener: NoticeListener | undefined;
  private readonly unsubscribeLocal: () => void;
  private closed = false;

  constructor(
    private readonly database: DatabaseHandle,
    private readonly databaseUrl: string,
    private readonly logger: Logger,
  ) {
    this.unsubscribeLocal = database.onIncidentsCommitted(() => this.changedHere());
  }

  /** Incidents changed in this process (a commit of this thread, or of the job thread). */
  changedHere(): void {
    this.tellBoards();
    if (this.database.kind === 'postgres' && !this.closed) this.notices.trigger();
  }

  /** Runs `listener` whenever incidents may have changed; returns the unsubscribe. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    if (this.database.kind === 'postgres' && !this.closed) {
      this.noticeListener ??= listenForNotices(
        this.databaseUrl,
        INCIDENT_CHANGES_CHANNEL,
        // null: (re)connected, notices may have been missed meanwhile.
        (payload) => {
          if (payload !== this.nodeId) this.tellBoards();
        },
        (error) =>
          this.logger.warn(
            { err: error },
            'incident notices from other nodes lost; live boards poll until they are back',
          ),
      );
    }
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.unsubscribeLocal();
    this.notices.cancel();
    await this.noticeListener?.close();
  }

  private tellBoards(): void {
    for (const listener of this.listeners) listener();
  }

  private async notifyOtherNodes(): Promise<void> {
    try {
      await sql`select pg_notify(${INCIDENT_CHANGES_CHANNEL}, ${this.nodeId})`.execute(this.database.db);
    } catch (error) {
      // Other nodes' boards then see the change at their next poll.
      this.logger.warn({ err: error }, 'could not notify other nodes of an incident change');
    }
  }
}
