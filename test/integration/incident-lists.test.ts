import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateLargeDemoData } from '../../src/app/demo/large-demo-data.js';
import { DIALECTS, startTestApp, TEST_NOW, type TestApp } from './support/test-runtime.js';

/**
 * The incident list at scale (issue 10): keyset pagination over generated history (`ballou demo`'s
 * generator), filters alone and combined, stability under new reports, bad cursors, no query per
 * incident, and the stored state column equal to the state derived from the timeline. BALLOU_TEST_LIST_N
 * makes the generated history bigger.
 */
const N = Number(process.env.BALLOU_TEST_LIST_N ?? 400);
/** Four days of a busy desk ending at TEST_NOW: every state is there (the last hours are still open). */
const HISTORY = { seed: 7, years: 0.01, endMs: TEST_NOW };
const ROOT = path.resolve(import.meta.dirname, '../..');

interface Item {
  id: string;
  state: string;
  customerId: string | null;
  reportedAt: string;
  closedAt: string | null;
  responseDue: string;
  actionDue: string | null;
  timeline: Array<{ seq: number; type: string }>;
  work: unknown[];
  callout: boolean;
  tier: string;
}

describe.each(DIALECTS)('incident lists over generated history (%s)', (dialect) => {
  let t: TestApp;
  let admin: string;

  /** Follows nextCursor from the first page to the last; every item of every page, in order. */
  async function walk(query: string, limit: number): Promise<Item[]> {
    const all: Item[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 10_000; pages++) {
      const url = `/api/v1/incidents?limit=${limit}${query}${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await t.call('GET', url, admin);
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json() as { items: Item[]; nextCursor: string | null };
      expect(body.items.length).toBeLessThanOrEqual(limit);
      all.push(...body.items);
      cursor = body.nextCursor;
      if (!cursor) return all;
    }
    throw new Error('no last page');
  }

  /** The expected order straight from the table: newest first, ties by id. */
  async function expectedIds(where: { states?: string[]; customerId?: string } = {}): Promise<string[]> {
    let q = t.ctx.db
      .selectFrom('incidents')
      .select('id')
      .orderBy('reported_at', 'desc')
      .orderBy('id', 'desc');
    if (where.states) q = q.where('state', 'in', where.states);
    if (where.customerId) q = q.where('customer_id', '=', where.customerId);
    return (await q.execute()).map((r) => r.id);
  }

  beforeAll(async () => {
    t = await startTestApp(dialect);
    admin = await t.token('admin');
    const summary = await generateLargeDemoData(t.ctx, {
      incidents: N,
      ...HISTORY,
    });
    expect(summary.incidents).toBe(N);
  }, 120_000);
  afterAll(async () => t?.close());

  it('lists every incident exactly once across pages, newest first, whatever the page size', async () => {
    const expected = await expectedIds();
    expect(expected).toHaveLength(N);
    for (const limit of [37, 200]) {
      const ids = (await walk('', limit)).map((i) => i.id);
      expect(ids).toEqual(expected);
    }
  });

  it('filters by state, by customer and by both, each page set equal to the table', async () => {
    const busiest = await t.ctx.db
      .selectFrom('incidents')
      .select(['customer_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('customer_id', 'is not', null)
      .groupBy('customer_id')
      .orderBy('n', 'desc')
      .executeTakeFirstOrThrow();
    const customerId = busiest.customer_id as string;
    const states = await t.ctx.db.selectFrom('incidents').select('state').distinct().execute();
    // The generated history has every state, so each filter below means something.
    expect(states.map((s) => s.state).sort()).toEqual([
      'acknowledged',
      'closed',
      'in_progress',
      'open',
      'resolved',
    ]);
    const notClosed = ['open', 'acknowledged', 'in_progress', 'resolved'];
    const cases: Array<[string, { states?: string[]; customerId?: string }]> = [
      ['&state=closed', { states: ['closed'] }],
      [`&state=${notClosed.join(',')}`, { states: notClosed }],
      [`&customerId=${customerId}`, { customerId }],
      [`&customerId=${customerId}&state=closed`, { states: ['closed'], customerId }],
      [`&state=resolved,open&customerId=${customerId}`, { states: ['resolved', 'open'], customerId }],
    ];
    for (const [query, where] of cases) {
      const items = await walk(query, 23);
      expect(
        items.map((i) => i.id),
        query,
      ).toEqual(await expectedIds(where));
      for (const item of items) {
        if (where.states) expect(where.states).toContain(item.state);
        if (where.customerId) expect(item.customerId).toBe(where.customerId);
      }
    }
  });

  it('stays stable while incidents are reported: nothing seen twice, nothing skipped', async () => {
    const before = await expectedIds();
    const seen: string[] = [];
    let res = await t.call('GET', '/api/v1/incidents?limit=40', admin);
    seen.push(...res.json().items.map((i: Item) => i.id));
    let cursor = res.json().nextCursor as string;
    // A new report sorts before the first page; a late report of an old problem lands further down.
    // Customers with nothing open, so each report opens an incident instead of attaching to one.
    const quiet = await t.ctx.db
      .selectFrom('customers')
      .select('id')
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('incidents')
              .select('incidents.id')
              .whereRef('incidents.customer_id', '=', 'customers.id')
              .where('incidents.state', 'in', ['open', 'acknowledged', 'in_progress']),
          ),
        ),
      )
      .orderBy('id')
      .limit(2)
      .execute();
    const [customerId, otherCustomerId] = quiet.map((c) => c.id);
    const fresh = await t.call('POST', '/api/v1/incidents', admin, { customerId, summary: 'Ny störning' });
    expect(fresh.statusCode).toBe(201);
    const lastSeen = before[seen.length - 1] as string;
    const lastSeenAt = (
      await t.ctx.db
        .selectFrom('incidents')
        .select('reported_at')
        .where('id', '=', lastSeen)
        .executeTakeFirstOrThrow()
    ).reported_at;
    const late = await t.call('POST', '/api/v1/incidents', admin, {
      customerId: otherCustomerId,
      summary: 'Sen anmälan',
      reportedAt: new Date(Date.parse(lastSeenAt) - 60_000).toISOString(),
      channel: 'email',
    });
    expect(late.statusCode).toBe(201);
    while (cursor) {
      res = await t.call('GET', `/api/v1/incidents?limit=40&cursor=${cursor}`, admin);
      expect(res.statusCode).toBe(200);
      seen.push(...res.json().items.map((i: Item) => i.id));
      cursor = res.json().nextCursor;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).not.toContain(fresh.json().id);
    expect(seen.filter((id) => id !== late.json().id)).toEqual(before);
    expect(seen).toContain(late.json().id);
  });

  it('answers 400 problem+json naming /cursor for a cursor it did not make', async () => {
    const bad = [
      'not-a-cursor!',
      Buffer.from('"x"').toString('base64url'),
      Buffer.from('[1,2]').toString('base64url'),
      Buffer.from('["2026-01-01T00:00:00.000Z",""]').toString('base64url'),
      Buffer.from('["yesterday","abc"]').toString('base64url'),
      Buffer.from('{"a":1}').toString('base64url'),
    ];
    for (const cursor of bad) {
      const res = await t.call('GET', `/api/v1/incidents?cursor=${cursor}`, admin);
      expect(res.statusCode, cursor).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json().errors).toContainEqual(expect.objectContaining({ path: '/cursor' }));
    }
    const badState = await t.call('GET', '/api/v1/incidents?state=opened', admin);
    expect(badState.statusCode).toBe(400);
  });

  it('shows a customer user only its own incidents, pages included, and 404 for another customer', async () => {
    const [mine, other] = await t.ctx.db
      .selectFrom('customers')
      .select('id')
      .orderBy('created_at')
      .limit(2)
      .execute();
    const token = await t.token('customer', mine?.id);
    const seen: Item[] = [];
    let cursor: string | null = null;
    do {
      const res = await t.call(
        'GET',
        `/api/v1/incidents?limit=10${cursor ? `&cursor=${cursor}` : ''}`,
        token,
      );
      expect(res.statusCode).toBe(200);
      seen.push(...res.json().items);
      cursor = res.json().nextCursor;
    } while (cursor);
    expect(seen.map((i) => i.id)).toEqual(await expectedIds({ customerId: mine?.id as string }));
    expect((await t.call('GET', `/api/v1/incidents?customerId=${other?.id}`, token)).statusCode).toBe(404);
  });

  it('reads a page with a fixed number of queries, however many incidents it holds', async () => {
    const original = t.ctx.db;
    let queries = 0;
    const counter: KyselyPlugin = {
      transformQuery: (args) => {
        queries++;
        return args.node;
      },
      transformResult: async (args) => args.result,
    };
    t.ctx.db = original.withPlugin(counter);
    try {
      // A first request of the token may write (last use); count the steady state.
      await t.call('GET', '/api/v1/incidents?limit=1', admin);
      const count = async (url: string) => {
        queries = 0;
        const res = await t.call('GET', url, admin);
        expect(res.statusCode).toBe(200);
        return queries;
      };
      // 200 incidents with customers and servers: the page, timelines, work, policies, names, hostnames.
      const full = await count('/api/v1/incidents?limit=200');
      expect(await count('/api/v1/incidents?limit=2')).toBeLessThanOrEqual(full);
      expect(await count('/api/v1/incidents?limit=200&state=closed')).toBe(full);
      // Several states are one query per state, no more.
      expect(await count('/api/v1/incidents?limit=200&state=open,closed')).toBe(full + 1);
      expect(await count('/api/v1/incidents/board')).toBeLessThanOrEqual(full + 2);
    } finally {
      t.ctx.db = original;
    }
  });

  it('reads generated incidents like real ones: stored state = derived state, page, timeline and price', async () => {
    const rows = await t.ctx.db
      .selectFrom('incidents')
      .select(['id', 'state', 'response_due', 'action_due', 'closed_at'])
      .execute();
    const stored = new Map(rows.map((r) => [r.id, r]));
    const items = await walk('', 200);
    for (const item of items) {
      const row = stored.get(item.id);
      expect(item.state, item.id).toBe(row?.state);
      expect(Date.parse(item.responseDue)).toBe(Date.parse(row?.response_due as string));
      expect(item.actionDue && Date.parse(item.actionDue)).toBe(
        row?.action_due && Date.parse(row.action_due),
      );
      expect(item.closedAt && Date.parse(item.closedAt)).toBe(row?.closed_at && Date.parse(row.closed_at));
      expect(item.timeline[0]?.type).toBe('reported');
      expect(item.timeline.map((e) => e.seq)).toEqual(item.timeline.map((_, i) => i + 1));
    }
    // A callout of tier incident or none pays at least the start fee (hög has none, and office-hours
    // work within responsibility costs nothing).
    const closedWithWork = items
      .filter((i) => i.state === 'closed' && i.work.length > 0 && i.callout && i.tier !== 'hog')
      .slice(0, 5);
    expect(closedWithWork.length).toBeGreaterThan(0);
    for (const item of closedWithWork) {
      const page = await t.call('GET', `/api/v1/incidents/${item.id}`, admin);
      expect(page.statusCode).toBe(200);
      expect(page.json()).toEqual(item);
      const price = await t.call('GET', `/api/v1/incidents/${item.id}/price`, admin);
      expect(price.statusCode, price.body).toBe(200);
      expect(price.json().totalOre).toBeGreaterThan(0);
    }
  });

  it('keeps the stored state equal to the derived state after every lifecycle step', async () => {
    const customer = await t.call('POST', '/api/v1/customers', admin, {
      name: 'Livscykel AB',
      orgNumber: '556036-0793',
      tier: 'incident',
      agreementStart: '2026-01-01',
    });
    expect(customer.statusCode).toBe(201);
    const engineer = await t.call('POST', '/api/v1/engineers', admin, {
      name: 'Stina Steg',
      phone: '+46709111222',
      email: 'stina.steg@ballou.example',
    });
    expect(engineer.statusCode).toBe(201);
    const reported = await t.call('POST', '/api/v1/incidents', admin, {
      customerId: customer.json().id,
      summary: 'Webbplatsen svarar inte',
      reportedAt: '2026-12-01T10:00:00+01:00',
      channel: 'phone',
    });
    expect(reported.statusCode).toBe(201);
    const id = reported.json().id as string;
    const expectStoredEqualsDerived = async (state: string) => {
      const view = (await t.call('GET', `/api/v1/incidents/${id}`, admin)).json() as Item;
      const row = await t.ctx.db
        .selectFrom('incidents')
        .select(['state', 'response_due', 'action_due', 'closed_at'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(view.state).toBe(state);
      expect(row.state).toBe(view.state);
      expect(Date.parse(row.response_due as string)).toBe(Date.parse(view.responseDue));
      expect(row.action_due && Date.parse(row.action_due)).toBe(view.actionDue && Date.parse(view.actionDue));
      expect(row.closed_at && Date.parse(row.closed_at)).toBe(view.closedAt && Date.parse(view.closedAt));
      // And the state filter finds it under that state only.
      const listed = await t.call(
        'GET',
        `/api/v1/incidents?state=${state}&customerId=${customer.json().id}`,
        admin,
      );
      expect(listed.json().items.map((i: Item) => i.id)).toEqual([id]);
    };
    await expectStoredEqualsDerived('open');
    const steps: Array<[string, unknown, string]> = [
      ['ack', { engineerId: engineer.json().id }, 'acknowledged'],
      ['callback', { at: '2026-12-01T10:05:00+01:00' }, 'acknowledged'],
      ['triage', { withinResponsibility: true }, 'in_progress'],
      ['consent', { granted: true, by: 'Maria Ek', via: 'phone' }, 'in_progress'],
      [
        'work',
        {
          start: '2026-12-01T10:20:00+01:00',
          end: '2026-12-01T11:10:00+01:00',
          engineerId: engineer.json().id,
          withinResponsibility: true,
        },
        'in_progress',
      ],
      ['resolve', {}, 'resolved'],
      ['close', {}, 'closed'],
    ];
    for (const [step, body, state] of steps) {
      const res = await t.call('POST', `/api/v1/incidents/${id}/${step}`, admin, body);
      expect(res.statusCode, `${step}: ${res.body}`).toBeLessThan(300);
      await expectStoredEqualsDerived(state);
    }
  });

  it('gives the same data for the same seed and refuses to load a seed twice', async () => {
    const again = generateLargeDemoData(t.ctx, { incidents: 10, ...HISTORY });
    await expect(again).rejects.toMatchObject({ code: 'DUPLICATE' });
    const twin = await startTestApp(dialect);
    try {
      await generateLargeDemoData(twin.ctx, { incidents: N, ...HISTORY });
      const ids = (await twin.ctx.db.selectFrom('incidents').select('id').orderBy('id').execute()).map(
        (r) => r.id,
      );
      expect(ids).toHaveLength(N);
      const shape = (app: TestApp) =>
        app.ctx.db
          .selectFrom('incidents')
          .select(['id', 'ref', 'customer_id', 'tier', 'callout', 'state', 'reported_at', 'summary'])
          .where('id', 'in', ids)
          .orderBy('id')
          .execute();
      const events = (app: TestApp) =>
        app.ctx.db
          .selectFrom('incident_events')
          .select(['id', 'incident_id', 'seq', 'type', 'at', 'data'])
          .where('incident_id', 'in', ids)
          .orderBy('id')
          .execute();
      expect(await shape(twin)).toEqual(await shape(t));
      expect(await events(twin)).toEqual(await events(t));
    } finally {
      await twin.close();
    }
  }, 120_000);
});

// The command itself writes SQLite here (the generator ran on both engines above).
describe.runIf(DIALECTS.includes('sqlite'))('ballou demo', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ballou-demo-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const ballou = async (args: string[]) => {
    try {
      const { stdout, stderr } = await promisify(execFile)(
        path.join(ROOT, 'node_modules/.bin/tsx'),
        [path.join(ROOT, 'src/cli/main.ts'), ...args],
        {
          cwd: ROOT,
          env: { ...process.env, BALLOU_DATABASE_URL: `sqlite:${path.join(dir, 'demo.sqlite')}` },
        },
      );
      return { code: 0, stdout, stderr };
    } catch (error) {
      return error as { code: number; stdout: string; stderr: string };
    }
  };

  it('generates N incidents with a progress bar and refuses the same seed twice', async () => {
    const ok = await ballou(['demo', '--incidents', '300', '--years', '2']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ incidents: 300, seed: 1 });
    expect(ok.stderr).toMatch(/300 incidents \(\d+ timeline events/);
    const twice = await ballou(['demo', '--incidents', '300']);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/seed 1/);
  }, 120_000);
});
