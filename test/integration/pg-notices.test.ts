/**
 * The LISTEN connection behind the live boards across nodes (src/db/pg-notices.ts), on a real PostgreSQL:
 * notices arrive with their payload; when PostgreSQL ends the connection (a restart, an operator's
 * pg_terminate_backend) it is opened again and says so, so the boards look for what they missed; after
 * close nothing reconnects. And the relay on top (incident-change-relay.ts), two of them as two nodes.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IncidentChangeRelay } from '../../src/app/incidents/incident-change-relay.js';
import { openDatabase } from '../../src/db/database.js';
import { listenForNotices } from '../../src/db/pg-notices.js';
import { eventually } from './support/eventually.js';
import { DIALECTS, freshDatabaseUrl, startTestApp } from './support/test-runtime.js';

const CHANNEL = 'ballou_test_notices';

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
      expect(await eventually(() => got.includes(null), 15_000), 'connected').toBe(true);
      await notify('node-a');
      expect(await eventually(() => got.includes('node-a'), 15_000)).toBe(true);

      const [pid] = await listeners();
      expect(pid).toBeDefined();
      got.length = 0;
      await admin.query('select pg_terminate_backend($1)', [pid]);
      expect(await eventually(() => got.includes(null), 15_000), 'reconnected and said so').toBe(true);
      expect(troubles.length).toBeGreaterThan(0);
      await notify('node-b');
      expect(await eventually(() => got.includes('node-b'), 15_000)).toBe(true);
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

describe.skipIf(!DIALECTS.includes('postgres'))('incident changes relayed between nodes (postgres)', () => {
  it("tells its own boards of its commits, the other node's boards by NOTIFY, and nobody twice", async () => {
    const t = await startTestApp('postgres');
    // A second node: its own pool on the same database.
    const other = openDatabase(t.databaseUrl);
    const here = new IncidentChangeRelay(t.runtime.database, t.databaseUrl, t.ctx.logger);
    const there = new IncidentChangeRelay(other, t.databaseUrl, t.ctx.logger);
    const told = { here: 0, there: 0 };
    here.subscribe(() => (told.here += 1));
    there.subscribe(() => (told.there += 1));
    try {
      // Both LISTEN connections up (each says so once: a look for what it missed while connecting).
      expect(await eventually(() => told.here >= 1 && told.there >= 1, 15_000), 'listening').toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const before = { ...told };
      const admin = await t.token('admin');
      const customer = await t.call('POST', '/api/v1/customers', admin, {
        name: 'Nordhamn AB',
        orgNumber: '556677-0011',
        tier: 'hog',
        agreementStart: '2026-01-01',
      });
      const res = await t.call('POST', '/api/v1/incidents', admin, {
        customerId: customer.json().id,
        summary: 'Webbservern svarar inte',
      });
      expect(res.statusCode).toBe(201);
      // This node at once, from its own commit; the other by the notice.
      expect(told.here).toBeGreaterThan(before.here);
      expect(await eventually(() => told.there > before.there, 15_000), 'the other node').toBe(true);
      // This node's own notice comes back to it too, and is skipped: one tell per commit, not two.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(told.here - before.here).toBe(1);
      expect(told.there - before.there).toBe(1);
    } finally {
      await here.close();
      await there.close();
      await other.close();
      await t.close();
    }
  });
});
