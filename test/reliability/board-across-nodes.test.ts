/**
 * A live board hears of a change as soon as it commits (issue 10, scale-out). The boards' own poll is set
 * to a minute here, so only the notices can bring a change within the test's seconds:
 *
 * - PostgreSQL: two real server processes on one database; the duty board's server-sent event stream is
 *   open on node B (staff, and a customer of another company); incidents are reported, paged (node A's job
 *   thread) and acknowledged through node A. Node A's NOTIFY wakes node B's feed.
 * - SQLite: one real server process; the board is on it, so its own commits and its job thread's tell it.
 *
 * The staff board gets every change within seconds; the other customer's board gets nothing of it.
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
import { eventually } from './support/checks.js';
import { prepareDesk, startProviders, type Providers } from './support/desk-fixture.js';
import { killAllServers, ServerProcess } from './support/server-process.js';

/** The boards' own poll: longer than any wait below, so what arrives came by a notice. */
const BOARD_POLL_MS = '60000';

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

for (const dialect of DIALECTS) {
  const twoNodes = dialect === 'postgres';
  describe(`a live board, changes made ${twoNodes ? 'on another node' : 'on its node'} (${dialect})`, () => {
    let providers: Providers;
    let tmp: string;
    let database: { url: string; drop(): Promise<void> };
    const nodes: ServerProcess[] = [];
    let staffToken: string;
    let otherCustomerToken: string;

    beforeAll(async () => {
      providers = await startProviders();
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ballou-board-nodes-'));
      database = await freshDatabaseUrl(dialect);
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
          await createApiToken(runtime.ctx, SYSTEM, {
            name: 'portal',
            role: 'customer',
            customerId: other.id,
          })
        ).token;
      } finally {
        await runtime.database.close();
      }
      const env = {
        ...providers.env,
        BALLOU_DATABASE_URL: database.url,
        BALLOU_BOARD_POLL_MS: BOARD_POLL_MS,
      };
      nodes.push(
        ...(await Promise.all(
          (twoNodes ? ['node-a', 'node-b'] : ['node']).map((name) =>
            ServerProcess.start({ name, env, logDir: tmp }),
          ),
        )),
      );
    });
    afterAll(async () => {
      await killAllServers();
      await database?.drop();
      await providers?.close();
      if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    });

    it('shows every incident reported, paged and acknowledged within seconds, and nothing to another customer', async () => {
      const a = nodes[0]!;
      const b = nodes.at(-1)!;
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
        const customers = (await call('GET', '/api/v1/customers')) as {
          items: { id: string; name: string }[];
        };
        const nordhamn = customers.items.find((c) => c.name === 'Nordhamn AB')!;
        const reported: { id: string; at: number }[] = [];
        // The desk's days are all closed days (desk-fixture), so the first report is a callout: node A's job
        // thread pages at once and records the page on the incident, a change committed by that thread.
        const first = await call('POST', '/api/v1/incidents', {
          customerId: nordhamn.id,
          summary: 'Databasen har stannat',
        });
        const firstId = first.id as string;
        let pagedAtMs = Number.NaN;
        expect(
          await eventually(10_000, async () => {
            const timeline = (
              (await call('GET', `/api/v1/incidents/${firstId}`)) as {
                timeline: { type: string; at: string }[];
              }
            ).timeline;
            const paged = timeline.find((e) => e.type === 'paged');
            if (paged) pagedAtMs = Date.parse(paged.at);
            if (Number.isNaN(pagedAtMs)) return false;
            return staffBoard.events.some((e) => e.id === firstId && Date.parse(e.updatedAt) >= pagedAtMs);
          }),
          "the job thread's page on the board",
        ).toBe(true);
        const pageLag =
          staffBoard.events.find((e) => e.id === firstId && Date.parse(e.updatedAt) >= pagedAtMs)!
            .receivedAt - pagedAtMs;
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
          await eventually(10_000, () => reported.every((r) => seen(r.id))),
          'reports on the board',
        ).toBe(true);
        const ackAt = Date.now();
        await call('POST', `/api/v1/incidents/${reported[0]!.id}/ack`, {});
        expect(
          await eventually(10_000, () => seen(reported[0]!.id, 'acknowledged')),
          'acknowledgement on the board',
        ).toBe(true);
        // Each report is a change of the incident (the later ones attach to it): its first event after it.
        const lags = reported.map(
          (r) => staffBoard.events.find((e) => e.id === r.id && e.receivedAt >= r.at)!.receivedAt - r.at,
        );
        const ackLag = staffBoard.events.find((e) => e.state === 'acknowledged')!.receivedAt - ackAt;
        console.log(
          `live board (${dialect}, ${twoNodes ? 'made on node A, board on node B' : 'one node'}, boards' own ` +
            `poll ${Number(BOARD_POLL_MS) / 1000} s): the page reached the board ${pageLag} ms after it was ` +
            `recorded, ${reported.length} reports in ${Math.min(...lags)}–${Math.max(...lags)} ms, the ` +
            `acknowledgement in ${ackLag} ms; another customer's boards got ` +
            `${otherBoardA.events.length + otherBoardB.events.length} events`,
        );
        // Each change at most once on a board that stays connected.
        const keys = staffBoard.events.map((e) => `${e.id}@${e.updatedAt}`);
        expect(new Set(keys).size).toBe(keys.length);
        // Wait a moment so a leak would have arrived, then: nothing of Nordhamn for the other customer.
        await new Promise((resolve) => setTimeout(resolve, 1_500));
        expect([...otherBoardA.events, ...otherBoardB.events]).toEqual([]);
      } finally {
        await Promise.all([staffBoard.close(), otherBoardA.close(), otherBoardB.close()]);
      }
    });
  });
}
