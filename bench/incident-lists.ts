// The incident lists at a decade of history (issue 10): `GET /api/v1/incidents` first and deep pages
// (cursor), filtered by state, by customer and both, the duty board and the incident page, p50/p99 over
// the in-process Fastify app (app.inject: routing, auth, validation, queries, serialisation; no socket).
// The database is `ballou demo`'s generator at BALLOU_BENCH_INCIDENTS incidents (default 1 000 000) on
// SQLite, built once and cached under data/bench/ keyed by the generator's version and N.
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import { createApiToken } from '../src/app/auth/api-tokens.js';
import { bootstrap, type Runtime } from '../src/app/bootstrap.js';
import { generateLargeDemoData, LARGE_DEMO_VERSION } from '../src/app/demo/large-demo-data.js';
import { encodeIncidentCursor } from '../src/app/incidents/incident-cursor.js';
import { loadConfig } from '../src/config/config.js';
import type { Principal } from '../src/domain/shared/roles.js';
import { buildApp } from '../src/server/build-app.js';
import type { Figure } from './figure.js';
import { reportBug } from './support/bugs.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const INCIDENTS = Number(process.env.BALLOU_BENCH_INCIDENTS ?? 1_000_000);
const REQUESTS = Number(process.env.BALLOU_BENCH_LIST_REQUESTS ?? 400);
const WARMUP = 30;
/** A fixed end of the history, so the cached copy is the same data whenever it was built. */
const HISTORY_END = Date.UTC(2026, 10, 1, 12);
const SEED = 1;
const TARGET_MS = 50;

const SYSTEM: Principal = { kind: 'system', id: 'system', role: 'admin', customerId: null, name: 'bench' };

function quiet(dataDir: string, url: string): Parameters<typeof bootstrap>[0] {
  return loadConfig({ BALLOU_DATABASE_URL: url, BALLOU_DEMO_DATA: '0' }, dataDir);
}

/** The cached database, built when missing (into a temporary name, renamed when complete). */
async function benchDatabase(): Promise<{ file: string; generatedSeconds: number | null }> {
  const dir = path.join(ROOT, 'data/bench');
  const file = path.join(dir, `incidents-v${LARGE_DEMO_VERSION}-${INCIDENTS}.sqlite`);
  if (fs.existsSync(file)) return { file, generatedSeconds: null };
  fs.mkdirSync(dir, { recursive: true });
  const building = `${file}.building`;
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(building + suffix, { force: true });
  const runtime = await bootstrap(quiet(dir, `sqlite:${building}`), pino({ level: 'silent' }), {
    loadDemo: false,
  });
  const started = performance.now();
  let shown = 0;
  try {
    await generateLargeDemoData(runtime.ctx, {
      incidents: INCIDENTS,
      seed: SEED,
      endMs: HISTORY_END,
      onProgress: ({ done, total }) => {
        if (done - shown >= total / 10 || done === total) {
          shown = done;
          console.log(
            `  generated ${done}/${total} incidents (${((performance.now() - started) / 1000).toFixed(0)} s)`,
          );
        }
      },
    });
  } finally {
    await runtime.database.close();
  }
  const generatedSeconds = (performance.now() - started) / 1000;
  fs.renameSync(building, file);
  for (const suffix of ['-wal', '-shm']) fs.rmSync(building + suffix, { force: true });
  return { file, generatedSeconds };
}

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number;

interface Case {
  name: string;
  /** A URL per request, taken in turn. */
  urls: string[];
  /** Checks one answer; a wrong answer is a bug, not a slow figure. */
  check: (body: unknown) => string | null;
}

type Item = { id: string; state: string; customerId: string | null; reportedAt: string };
const items = (body: unknown): Item[] => (body as { items: Item[] }).items;

function newestFirst(list: Item[]): string | null {
  for (let i = 1; i < list.length; i++) {
    if (Date.parse((list[i - 1] as Item).reportedAt) < Date.parse((list[i] as Item).reportedAt))
      return 'items are not newest first';
  }
  return null;
}

async function setUpCases(runtime: Runtime): Promise<Case[]> {
  const db = runtime.ctx.db;
  // Cursors about half-way down the list (and the state-filtered list): the deep pages.
  const middle = await db
    .selectFrom('incidents')
    .select(['reported_at', 'id'])
    .orderBy('reported_at', 'desc')
    .orderBy('id', 'desc')
    .offset(Math.floor(INCIDENTS / 2))
    .limit(1000)
    .execute();
  const deep = middle
    .filter((_, i) => i % 50 === 0)
    .map((r) => encodeIncidentCursor({ reportedAt: r.reported_at, id: r.id }));
  // Customers of every size: the busiest ones and some from the quiet tail.
  const byCustomer = await db
    .selectFrom('incidents')
    .select(['customer_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('customer_id', 'is not', null)
    .groupBy('customer_id')
    .orderBy('n', 'desc')
    .execute();
  const customers = [
    ...byCustomer.slice(0, 10),
    ...byCustomer.filter((_, i) => i % 97 === 5).slice(0, 10),
  ].map((r) => r.customer_id as string);
  const sample = await db
    .selectFrom('incidents')
    .select('id')
    .where('reported_at', '>=', new Date(HISTORY_END - 9 * 365 * 86_400_000).toISOString())
    .orderBy('reported_at')
    .limit(4000)
    .execute();
  const ids = sample.filter((_, i) => i % 20 === 0).map((r) => r.id);
  const L = '/api/v1/incidents';
  const states = (allowed: string[]) => (body: unknown) =>
    newestFirst(items(body)) ??
    (items(body).every((i) => allowed.includes(i.state)) ? null : `an item outside ${allowed.join(',')}`);
  return [
    {
      name: 'first page',
      urls: [L],
      check: (b) => newestFirst(items(b)) ?? (items(b).length === 50 ? null : 'first page not 50 items'),
    },
    {
      name: 'deep page (cursor after ~N/2)',
      urls: deep.map((c) => `${L}?cursor=${c}`),
      check: (b) => newestFirst(items(b)) ?? (items(b).length === 50 ? null : 'deep page not 50 items'),
    },
    {
      name: 'filter by state (closed, deep cursor)',
      urls: deep.map((c) => `${L}?state=closed&cursor=${c}`),
      check: states(['closed']),
    },
    {
      name: 'filter by state (open,acknowledged,in_progress,resolved)',
      urls: [`${L}?state=open,acknowledged,in_progress,resolved`],
      check: states(['open', 'acknowledged', 'in_progress', 'resolved']),
    },
    {
      name: 'filter by customer',
      urls: customers.map((c) => `${L}?customerId=${c}`),
      check: (b) => newestFirst(items(b)),
    },
    {
      name: 'filter by customer and state',
      urls: customers.map((c) => `${L}?customerId=${c}&state=closed`),
      check: states(['closed']),
    },
    {
      name: 'duty board',
      urls: [`${L}/board`],
      check: (b) => (Array.isArray(b) ? null : 'board is not a list'),
    },
    {
      name: 'incident page (with timeline)',
      urls: ids.map((id) => `${L}/${id}`),
      check: (b) => ((b as { timeline?: unknown[] }).timeline?.length ? null : 'incident without a timeline'),
    },
  ];
}

export async function benchIncidentLists(): Promise<Figure[]> {
  const { file, generatedSeconds } = await benchDatabase();
  const dataDir = path.dirname(file);
  const runtime = await bootstrap(quiet(dataDir, `sqlite:${file}`), pino({ level: 'silent' }), {
    loadDemo: false,
  });
  const app = await buildApp({ ctx: runtime.ctx });
  await app.ready();
  const figures: Figure[] = [];
  try {
    const token = (
      await createApiToken(runtime.ctx, SYSTEM, { name: 'bench-lists', role: 'admin', customerId: null })
    ).token;
    const headers = { authorization: `Bearer ${token}` };
    const cases = await setUpCases(runtime);
    const source =
      generatedSeconds === null
        ? `cached ${path.relative(ROOT, file)}`
        : `generated in ${generatedSeconds.toFixed(0)} s by ballou demo's generator`;
    for (const c of cases) {
      const times: number[] = [];
      for (let i = 0; i < WARMUP + REQUESTS; i++) {
        const url = c.urls[i % c.urls.length] as string;
        const started = performance.now();
        const res = await app.inject({ method: 'GET', url, headers });
        const ms = performance.now() - started;
        if (res.statusCode !== 200) {
          reportBug(`incident lists: ${c.name}: ${url} answered ${res.statusCode} ${res.body.slice(0, 200)}`);
          break;
        }
        if (i < c.urls.length) {
          const problem = c.check(res.json());
          if (problem) reportBug(`incident lists: ${c.name}: ${url}: ${problem}`);
        }
        if (i >= WARMUP) times.push(ms);
      }
      if (times.length === 0) continue;
      times.sort((a, b) => a - b);
      const label = `lists @${(INCIDENTS / 1e6).toLocaleString('en-US')}M: ${c.name}`;
      figures.push({
        name: `${label} p99`,
        value: quantile(times, 0.99),
        unit: 'ms',
        better: 'lower',
        target: { kind: 'absolute', value: TARGET_MS },
        note: `p50 ${quantile(times, 0.5).toFixed(1)} ms over ${times.length} requests (${c.urls.length} distinct); ${source}`,
      });
    }
  } finally {
    await app.close();
    await runtime.database.close();
  }
  return figures;
}
