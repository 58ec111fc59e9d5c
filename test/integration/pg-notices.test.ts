/**
 * The LISTEN connection behind the live boards across nodes (src/db/pg-notices.ts), on a real PostgreSQL:
 * notices arrive with their payload; when PostgreSQL ends the connection (a restart, an operator's
 * pg_terminate_backend) it is opened again and says so, so the boards look for what they missed; after
 * close nothing reconnects.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenForNotices } from '../../src/db/pg-notices.js';
import { DIALECTS, freshDatabaseUrl } from './support/test-runtime.js';

const CHANNEL = 'ballou_test_notices';

async function until(check: () => boolean, ms = 15_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  return check();
}

describe.skipIf(!DIALECTS.includes('postgres'))('notices between nodes (postgres)', () => {
  let database: { url: string; drop(): Promise<void> };
  let admin: pg.Client;
  beforeAll(async () => {
    database = await freshDatabaseUrl('postgres');
    admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.end();
    await database?.drop();
  });

  const notify = (payload: string) => admin.query('select pg_notify($1, $2)', [CHANNEL, payload]);
  const listeners = () =>
    admin
      .query<{ pid: number }>(
        `select pid from pg_stat_activity where datname = current_database() and query = $1`,
        [`LISTEN "${CHANNEL}"`],
      )
      .then((r) => r.rows.map((row) => row.pid));

  it('passes notices on, reconnects when PostgreSQL ends the connection, and stops when closed', async () => {
    const got: (string | null)[] = [];
    const troubles: Error[] = [];
    const listener = listenForNotices(
      database.url,
      CHANNEL,
      (payload) => got.push(payload),
      (error) => troubles.push(error),
    );
    try {
      expect(await until(() => got.includes(null)), 'connected').toBe(true);
      await notify('node-a');
      expect(await until(() => got.includes('node-a'))).toBe(true);

      const [pid] = await listeners();
      expect(pid).toBeDefined();
      got.length = 0;
      await admin.query('select pg_terminate_backend($1)', [pid]);
      expect(await until(() => got.includes(null)), 'reconnected and said so').toBe(true);
      expect(troubles.length).toBeGreaterThan(0);
      await notify('node-b');
      expect(await until(() => got.includes('node-b'))).toBe(true);
      expect(await listeners()).toHaveLength(1);
    } finally {
      await listener.close();
    }
    // Closed: no connection is left listening, and notices go nowhere.
    let listening = await listeners();
    for (let i = 0; i < 100 && listening.length > 0; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      listening = await listeners();
    }
    expect(listening).toEqual([]);
    const after = got.length;
    await notify('node-c');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(got).toHaveLength(after);
    expect(await listeners()).toEqual([]);
  });
});
