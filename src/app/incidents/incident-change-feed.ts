import { toDbInstant } from '../../db/instant.js';
import { listIncidentsChangedSince } from '../../db/repositories/incident.repository.js';
import type { Principal } from '../../domain/shared/roles.js';
import type { AppContext } from '../app-context.js';
import { toIncidentChange, type IncidentChange } from './incident-changes.js';
import { atMostEvery } from '../at-most-every.js';

export interface IncidentChangeFeedOptions {
  /** How often the node looks for changes while anyone listens. */
  pollMs?: number;
  /**
   * How far back each poll looks again. `updated_at` is stamped by the writing node before its transaction
   * commits, so a change can become visible after a later-stamped one was already read (another node, a
   * slower transaction, a clock a little behind). Re-reading this window and skipping what was already
   * sent catches those; it must exceed the longest write transaction plus the clock skew between nodes.
   */
  lookbackMs?: number;
  /** Rows read per query; a poll pages on until it has caught up. */
  pageSize?: number;
  /**
   * Tells the feed that incidents may have changed (a commit on this node, on its job thread, or a notice
   * from another node): it then looks at once, at most every `nudgeMs`, rather than at its next poll.
   * Returns the unsubscribe.
   */
  changes?: (listener: () => void) => () => void;
  /** The shortest time between two looks set off by `changes` (a burst of commits is one look). */
  nudgeMs?: number;
}

type Listener = (changes: IncidentChange[]) => void;

/**
 * One poller per node for every live board connected to it, read from the database rather than from
 * in-process events, so a board on one node sees what another node changed; however many boards are open,
 * one query at a time. It looks when told that incidents changed (`changes`: milliseconds after the
 * commit, at most every `nudgeMs`) and every `pollMs` in any case, which catches whatever a notice missed
 * (a node whose notices did not arrive). Each listener gets the changes its principal may see.
 */
export class IncidentChangeFeed {
  private readonly listeners = new Map<Listener, Principal>();
  /** Changes already sent, `id@updatedAt` → updatedAt (ms), kept for the lookback window. */
  private readonly sent = new Map<string, number>();
  private cursorMs = 0;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private readonly pollMs: number;
  private readonly lookbackMs: number;
  private readonly pageSize: number;
  /** A poll asked for while another ran: it starts when that one ends. */
  private queued: Promise<void> | undefined;
  private readonly nudges: { trigger(): void; cancel(): void };
  private readonly changes: ((listener: () => void) => () => void) | undefined;
  private unsubscribeChanges: (() => void) | undefined;

  constructor(
    private readonly ctx: AppContext,
    opts: IncidentChangeFeedOptions = {},
  ) {
    this.pollMs = opts.pollMs ?? 1_000;
    this.lookbackMs = opts.lookbackMs ?? 10_000;
    this.pageSize = opts.pageSize ?? 500;
    this.changes = opts.changes;
    this.nudges = atMostEvery(opts.nudgeMs ?? 50, () => {
      this.pollAfterNow().catch((error: unknown) =>
        this.ctx.logger.warn({ err: error }, 'incident feed poll failed'),
      );
    });
  }

  /** Starts sending `principal`'s changes made from now on to `listener`; returns the unsubscribe. */
  subscribe(principal: Principal, listener: Listener): () => void {
    if (this.listeners.size === 0) this.start();
    this.listeners.set(listener, principal);
    return () => {
      if (this.listeners.delete(listener) && this.listeners.size === 0) this.stop();
    };
  }

  /** Looks for changes now (the timer does this every `pollMs`); resolves when they were delivered. */
  async poll(): Promise<void> {
    this.polling ??= this.readAndDeliver().finally(() => {
      this.polling = undefined;
    });
    return this.polling;
  }

  /**
   * A poll that begins after this call, so it reads whatever was committed before it: a nudge that comes
   * while a poll runs must not be answered by that poll, whose query may already have been read.
   */
  private pollAfterNow(): Promise<void> {
    this.queued ??= (this.polling ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        return this.poll();
      });
    return this.queued;
  }

  private start(): void {
    // Everything changed before the first listener came is history: a board loads that itself.
    this.cursorMs = this.ctx.clock.now();
    this.sent.clear();
    this.timer = setInterval(() => {
      this.poll().catch((error: unknown) =>
        this.ctx.logger.warn({ err: error }, 'incident feed poll failed'),
      );
    }, this.pollMs);
    this.timer.unref();
    this.unsubscribeChanges = this.changes?.(() => this.nudges.trigger());
  }

  private stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.unsubscribeChanges?.();
    this.unsubscribeChanges = undefined;
    this.nudges.cancel();
  }

  private async readAndDeliver(): Promise<void> {
    const fresh: IncidentChange[] = [];
    let since = toDbInstant(this.cursorMs - this.lookbackMs);
    for (;;) {
      const rows = await listIncidentsChangedSince(this.ctx.db, { since, limit: this.pageSize });
      for (const row of rows) {
        const key = `${row.id}@${row.updated_at}`;
        if (this.sent.has(key)) continue;
        const atMs = Date.parse(row.updated_at);
        this.sent.set(key, atMs);
        fresh.push(toIncidentChange(row));
        if (atMs > this.cursorMs) this.cursorMs = atMs;
      }
      if (rows.length < this.pageSize) break;
      // The next page starts just before the last row's instant: rows sharing it are re-read and skipped
      // as sent, none is passed over. (A whole page at one millisecond cannot page on: the next poll goes on.)
      const firstMs = Date.parse(rows[0]!.updated_at);
      const lastMs = Date.parse(rows.at(-1)!.updated_at);
      if (firstMs === lastMs) break;
      since = toDbInstant(lastMs - 1);
    }
    const horizon = this.cursorMs - this.lookbackMs;
    for (const [key, atMs] of this.sent) if (atMs < horizon) this.sent.delete(key);
    if (fresh.length === 0) return;
    for (const [listener, principal] of this.listeners) {
      const visible = fresh.filter((c) => mayWatch(principal, c));
      if (visible.length > 0) listener(visible);
    }
  }
}

/** A customer follows only its own incidents; staff see all. */
function mayWatch(principal: Principal, change: IncidentChange): boolean {
  return principal.role !== 'customer' || change.customerId === principal.customerId;
}
