/**
 * Pages counted where they end up: at the provider stand-ins, per notification. Each SMS and call we
 * send names its notification in its callback URLs (`…?n=<id>`), so a page that reached a provider
 * twice is seen as such, whichever provider took it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import type { Db } from '../../../src/db/database.js';
import { openDatabase } from '../../../src/db/database.js';
import type { Providers } from './desk-fixture.js';

export interface PageNotification {
  id: string;
  incidentId: string;
  engineerId: string;
  channel: string;
  status: string;
  recipient: string;
}

/** Every SMS and call queued to an engineer about an incident. */
export async function pageNotifications(db: Db): Promise<PageNotification[]> {
  const rows = await db
    .selectFrom('notifications')
    .select(['id', 'incident_id', 'engineer_id', 'channel', 'status', 'recipient'])
    .where('incident_id', 'is not', null)
    .where('engineer_id', 'is not', null)
    .where('channel', 'in', ['sms', 'voice'])
    .execute();
  return rows.map((r) => ({
    id: r.id,
    incidentId: r.incident_id as string,
    engineerId: r.engineer_id as string,
    channel: r.channel,
    status: r.status,
    recipient: r.recipient,
  }));
}

/** How often a notification reached a provider (46elks or Twilio, SMS or call). */
export function providerSendsOf(providers: Providers, notificationId: string): number {
  const { elks, twilio } = sendsPerProvider(providers, notificationId);
  return elks + twilio;
}

/** How often a notification reached 46elks, and how often Twilio. */
export function sendsPerProvider(
  providers: Providers,
  notificationId: string,
): { elks: number; twilio: number } {
  const mark = `n=${notificationId}`;
  const has = (url: string | undefined) => url !== undefined && url.includes(mark);
  return {
    elks:
      providers.elks.sms.filter((s) => has(s.whendelivered)).length +
      providers.elks.calls.filter((c) => has(c.whenhangup)).length,
    twilio:
      providers.twilio.messages.filter((m) => has(m.statusCallback)).length +
      providers.twilio.calls.filter((c) => has(c.statusCallback)).length,
  };
}

/**
 * The database as a kill left it, before anything recovers it: SQLite's integrity check and the messages
 * whose send may have been started (job claimed, outcome not recorded), read from a copy of the file and its WAL (so that the restarted
 * server, not the test, recovers the original); PostgreSQL read as it is.
 */
export async function crashImage(
  databaseUrl: string,
  scratchDir: string,
): Promise<{ integrity: string; sending: string[] }> {
  let url = databaseUrl;
  let copy: string | undefined;
  if (databaseUrl.startsWith('sqlite:')) {
    const file = databaseUrl.slice('sqlite:'.length);
    copy = fs.mkdtempSync(path.join(scratchDir, 'crash-image-'));
    for (const suffix of ['', '-wal'])
      if (fs.existsSync(file + suffix))
        fs.copyFileSync(file + suffix, path.join(copy, `image.sqlite${suffix}`));
    url = `sqlite:${path.join(copy, 'image.sqlite')}`;
  }
  const handle = openDatabase(url);
  try {
    const integrity = copy
      ? (await sql<{ integrity_check: string }>`pragma integrity_check`.execute(handle.db)).rows
          .map((r) => r.integrity_check)
          .join('\n')
      : 'ok';
    // A send may have started once its job is claimed (running) and until its outcome commits together
    // with the job's completion (send-message.ts).
    const sending = await handle.db
      .selectFrom('notifications')
      .innerJoin('jobs', 'jobs.id', 'notifications.job_id')
      .select('notifications.id as id')
      .where('jobs.status', '=', 'running')
      .where('notifications.status', 'not in', ['sent', 'failed'])
      .execute();
    return { integrity, sending: sending.map((r) => r.id) };
  } finally {
    await handle.close();
    if (copy) fs.rmSync(copy, { recursive: true, force: true });
  }
}
