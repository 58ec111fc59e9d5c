import pg from 'pg';

/** The channel on which nodes tell each other that incidents changed (payload: the sending node's id). */
export const INCIDENT_CHANGES_CHANNEL = 'ballou_incident_changes';

const RECONNECT_FIRST_MS = 500;
const RECONNECT_MAX_MS = 10_000;

export interface NoticeListener {
  close(): Promise<void>;
}

/**
 * LISTENs on `channel` on a connection of its own (a pooled one would be handed to other queries), and
 * calls `onNotice` with each notification's payload. A lost connection is opened again, waiting 0.5 s,
 * then longer up to 10 s; after each (re)connect `onNotice(null)` says that notices may have been missed
 * meanwhile, so the caller can look for itself.
 */
export function listenForNotices(
  url: string,
  channel: string,
  onNotice: (payload: string | null) => void,
  onTrouble: (error: Error) => void,
): NoticeListener {
  let client: pg.Client | undefined;
  let closed = false;
  let retryTimer: NodeJS.Timeout | undefined;
  let waitMs = RECONNECT_FIRST_MS;

  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: url });
    // 'error' and 'end' both come when the server goes away; only the first reconnects.
    let lost = false;
    const onLost = (error?: Error) => {
      if (lost) return;
      lost = true;
      if (client === next) client = undefined;
      next.removeAllListeners('notification');
      void next.end().catch(() => undefined);
      if (closed) return;
      if (error) onTrouble(error);
      retryTimer = setTimeout(() => void connect(), waitMs);
      retryTimer.unref();
      waitMs = Math.min(waitMs * 2, RECONNECT_MAX_MS);
    };
    next.on('error', onLost);
    next.on('end', () => onLost(new Error('the notice connection ended')));
    next.on('notification', (message) => {
      if (message.channel === channel) onNotice(message.payload ?? '');
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    } catch (error) {
      onLost(error as Error);
      return;
    }
    if (closed) {
      await next.end().catch(() => undefined);
      return;
    }
    client = next;
    waitMs = RECONNECT_FIRST_MS;
    onNotice(null);
  };
  void connect();

  return {
    async close() {
      closed = true;
      clearTimeout(retryTimer);
      const open = client;
      client = undefined;
      await open?.end().catch(() => undefined);
    },
  };
}
