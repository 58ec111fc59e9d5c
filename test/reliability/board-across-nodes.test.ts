/**
 * A live board connected to one node sees what another node changed (issue 10, scale-out): two real
 * server processes on one PostgreSQL database; the duty board's server-sent event stream is open on node B
 * (staff, and a customer of another company); incidents are reported and acknowledged through node A.
 * The staff board gets every change within a couple of poll intervals; the other customer's board gets
 * nothing of it, on either node.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/app/auth/api-tokens.js';
import { bootstrap } from '../../src/app/bootstrap.js';
import { createCustomer } from '../../src/app/customers/create-customer.js';
import { loadConfig } from '../../src/config/config.js';
import { DIALECTS, freshDatabaseUrl, SYSTEM } from '../integration/support/test-runtime.js';
import { prepareDesk, startProviders, type Providers } from './support/desk-fixture.js';
import { killAllServers, ServerProcess } from './support/server-process.js';

const onPostgres = DIALECTS.includes('postgres');

interface BoardEvent {
  id: string;
  state: string;
  customerId: string | null;
  updatedAt: string;
  receivedAt: number;
}

/** Reads a node's incident stream in the background and keeps what arrives. */
async function openBoard(baseUrl: string, token: string) {
  const abort = new AbortController();
  const res = await fetch(`${baseUrl}/api/v1/incidents/stream`, {
    headers: { authorization: `Bearer ${token}` },
    signal: abort.signal,
  });
  expect(res.status).toBe(200);
  const events: BoardEvent[] = [];
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const reading = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block.split('\n').find((l) => l.startsWith('data: '));
          if (data) events.push({ ...(JSON.parse(data.slice(6)) as BoardEvent), receivedAt: Date.now() });
        }
      }
    } catch {
      // aborted
    }
  })();
  return {
    events,
    close: async () => {
      abort.abort();
      await reading;
    },
  };
}

async function until(ms: number, check: () => boolean): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return check();
}

describe.skipIf(!onPostgres)('a board on one node, changes made on another', () => {
  let providers: Providers;
  let tmp: string;
  let database: { url: string; drop(): Promise<void> };
  const nodes: ServerProcess[] = [];
  let staffToken: string;
  let otherCustomerToken: string;

  beforeAll(async () => {
    providers = await startProviders();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ballou-board-nodes-'));
    database = await freshDatabaseUrl('postgres');
    await prepareDesk(database.url);
    const config = loadConfig({ BALLOU_DATABASE_URL: database.url, BALLOU_DEMO_DATA: '0' }, os.tmpdir());
    const runtime = await bootstrap(config, pino({ level: 'silent' }), { loadDemo: false });
    try {
      staffToken = (await createApiToken(runtime.ctx, SYSTEM, { name: 'board', role: 'manager' })).token;
      const other = await createCustomer(runtime.ctx, SYSTEM, {
        name: 'Annat Bolag AB',
        orgNumber: '556900-7775',
        tier: 'hog',
        agreementStart: '2026-01-01',
      });
      otherCustomerToken = (
        await createApiToken(runtime.ctx, SYSTEM, { name: 'portal', role: 'customer', customerId: other.id })
      ).token;
    } finally {
      await runtime.database.close();
    }
    const env = { ...providers.env, BALLOU_DATABASE_URL: database.url };
    nodes.push(
      ...(await Promise.all(
        ['node-a', 'node-b'].map((name) => ServerProcess.start({ name, env, logDir: tmp })),
      )),
    );
  });
  afterAll(async () => {
    await killAllServers();
    await database?.drop();
    await providers?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('shows on node B every incident reported and acknowledged on node A, and nothing to another customer', async () => {
    const [a, b] = nodes as [ServerProcess, ServerProcess];
    const staffBoard = await openBoard(b.url, staffToken);
    const otherBoardB = await openBoard(b.url, otherCustomerToken);
    const otherBoardA = await openBoard(a.url, otherCustomerToken);
    const call = async (method: string, url: string, body?: unknown) => {
      const res = await fetch(`${a.url}${url}`, {
        method,
        headers: {
          authorization: `Bearer ${staffToken}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      expect(res.status, await res.clone().text()).toBeLessThan(300);
      return res.json() as Promise<Record<string, unknown>>;
    };
    try {
      const customers = (await call('GET', '/api/v1/customers')) as { items: { id: string; name: string }[] };
      const nordhamn = customers.items.find((c) => c.name === 'Nordhamn AB')!;
      const reported: { id: string; at: number }[] = [];
      for (let i = 0; i < 5; i += 1) {
        const at = Date.now();
        const incident = await call('POST', '/api/v1/incidents', {
          customerId: nordhamn.id,
          summary: `Webbservern svarar inte ${i}`,
        });
        reported.push({ id: incident.id as string, at });
      }
      const seen = (id: string, state?: string) =>
        staffBoard.events.some((e) => e.id === id && (!state || e.state === state));
      expect(
        await until(10_000, () => reported.every((r) => seen(r.id))),
        'reported incidents on node B',
      ).toBe(true);
      const ackAt = Date.now();
      await call('POST', `/api/v1/incidents/${reported[0]!.id}/ack`, {});
      expect(
        await until(10_000, () => seen(reported[0]!.id, 'acknowledged')),
        'acknowledgement on node B',
      ).toBe(true);
      const lags = reported.map((r) => staffBoard.events.find((e) => e.id === r.id)!.receivedAt - r.at);
      const ackLag = staffBoard.events.find((e) => e.state === 'acknowledged')!.receivedAt - ackAt;
      console.log(
        `board across nodes: ${reported.length} reports and 1 acknowledgement made on node A reached node B's ` +
          `board in ${Math.min(...lags)}–${Math.max(...lags)} ms (acknowledgement ${ackLag} ms); ` +
          `another customer's boards got ${otherBoardA.events.length + otherBoardB.events.length} events`,
      );
      // Each change at most once on a board that stays connected.
      const keys = staffBoard.events.map((e) => `${e.id}@${e.updatedAt}`);
      expect(new Set(keys).size).toBe(keys.length);
      // Wait one more poll so a leak would have arrived, then: nothing of Nordhamn for the other customer.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect([...otherBoardA.events, ...otherBoardB.events]).toEqual([]);
    } finally {
      await Promise.all([staffBoard.close(), otherBoardA.close(), otherBoardB.close()]);
    }
  });
});
