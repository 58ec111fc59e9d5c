import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { pino } from 'pino';
import type { AppContext } from '../../../src/app/app-context.js';
import { createApiToken } from '../../../src/app/auth/api-tokens.js';
import { bootstrap, type Runtime } from '../../../src/app/bootstrap.js';
import { loadConfig, type Config } from '../../../src/config/config.js';
import { fixedClock } from '../../../src/domain/shared/clock.js';
import type { Principal, Role } from '../../../src/domain/shared/roles.js';
import { buildApp } from '../../../src/server/build-app.js';

export type Dialect = 'sqlite' | 'postgres';

/**
 * Every integration test runs against SQLite, and against PostgreSQL when BALLOU_TEST_PG_URL points at
 * a server (.ci/run starts a throwaway cluster and sets it; set BALLOU_TEST_REQUIRE_PG=1 to make its
 * absence an error rather than a skip).
 */
export const PG_URL = process.env.BALLOU_TEST_PG_URL;
if (process.env.BALLOU_TEST_REQUIRE_PG === '1' && !PG_URL) {
  throw new Error('BALLOU_TEST_REQUIRE_PG=1 but BALLOU_TEST_PG_URL is not set');
}
const ALL: Dialect[] = PG_URL ? ['sqlite', 'postgres'] : ['sqlite'];
/** BALLOU_TEST_DIALECTS=postgres narrows a run to one engine (.ci/run runs the suite once per engine). */
export const DIALECTS: Dialect[] = process.env.BALLOU_TEST_DIALECTS
  ? ALL.filter((d) => process.env.BALLOU_TEST_DIALECTS?.split(',').includes(d))
  : ALL;
if (DIALECTS.length === 0)
  throw new Error(`BALLOU_TEST_DIALECTS=${process.env.BALLOU_TEST_DIALECTS} selects no available engine`);

export const SYSTEM: Principal = {
  kind: 'system',
  id: 'system',
  role: 'admin',
  customerId: null,
  name: 'test',
};

/** A fresh, empty database of the dialect: a temporary SQLite file or a new PostgreSQL database. */
export async function freshDatabaseUrl(dialect: Dialect): Promise<{ url: string; drop(): Promise<void> }> {
  if (dialect === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ballou-test-'));
    return {
      url: `sqlite:${path.join(dir, 'test.sqlite')}`,
      drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `ballou_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(PG_URL as string);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export interface TestApp {
  app: FastifyInstance;
  ctx: AppContext;
  runtime: Runtime;
  clock: ReturnType<typeof fixedClock>;
  config: Config;
  databaseUrl: string;
  /** A bearer token of the role (bound to the customer for role customer). */
  token(role: Role, customerId?: string): Promise<string>;
  /** app.inject with a bearer token and JSON body. */
  call(
    method: InjectOptions['method'],
    url: string,
    token: string | null,
    body?: unknown,
  ): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** 2026-12-01 12:00 Stockholm, a Tuesday: a fixed "now" so no test depends on today's date. */
export const TEST_NOW = Date.parse('2026-12-01T11:00:00Z');

export async function startTestApp(dialect: Dialect, env: Record<string, string> = {}): Promise<TestApp> {
  const db = await freshDatabaseUrl(dialect);
  const config = loadConfig({ BALLOU_DATABASE_URL: db.url, BALLOU_DEMO_DATA: '0', ...env }, os.tmpdir());
  const logger = pino({ level: process.env.BALLOU_TEST_LOG_LEVEL ?? 'silent' });
  const runtime = await bootstrap(config, logger);
  const clock = fixedClock(TEST_NOW);
  runtime.ctx.clock = clock;
  const app = await buildApp({
    ctx: runtime.ctx,
    incidentChanges: (listener) => runtime.database.onIncidentsCommitted(listener),
  });
  await app.ready();
  return {
    app,
    ctx: runtime.ctx,
    runtime,
    clock,
    config,
    databaseUrl: db.url,
    token: async (role, customerId) =>
      (
        await createApiToken(runtime.ctx, SYSTEM, {
          name: `test-${role}-${randomUUID()}`,
          role,
          customerId: customerId ?? null,
        })
      ).token,
    call: (method, url, token, body) =>
      app.inject({
        method,
        url,
        headers: token ? { authorization: `Bearer ${token}` } : {},
        ...(body === undefined ? {} : { payload: body as InjectOptions['payload'] }),
      }),
    close: async () => {
      await app.close();
      await runtime.database.close();
      await db.drop();
    },
  };
}

/** The audit action of a refused request's own record (src/app/auth/access-refusals.ts). */
export const ACCESS_REFUSED = 'access.refused';

/**
 * Audit rows other than refusals' own records: what a test counts to prove that a refused request wrote
 * nothing (its refusal is on record on purpose, and tested in access-refusal-audit.test.ts).
 */
export async function auditRowsBesidesRefusals(ctx: AppContext): Promise<number> {
  const row = await ctx.db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('action', '!=', ACCESS_REFUSED)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Counts rows of every business table, to prove that a refused request changed nothing. */
export async function rowCounts(ctx: AppContext): Promise<Record<string, number>> {
  const tables = [
    'customers',
    'customer_tiers',
    'contacts',
    'servers',
    'app_oncall_contacts',
    'engineers',
    'users',
    'audit_log',
  ] as const;
  const counts: Record<string, number> = {};
  for (const t of tables) {
    if (t === 'audit_log') {
      counts[t] = await auditRowsBesidesRefusals(ctx);
      continue;
    }
    const row = await ctx.db
      .selectFrom(t)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    counts[t] = Number(row.n);
  }
  return counts;
}

/** Listens on a free loopback port (for stand-ins that call our webhooks) and returns the base URL. */
export async function listenOnLoopback(t: TestApp): Promise<string> {
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}

/** Configuration that points the 46elks adapter at a stand-in. */
export function elksEnv(elks: { url: string; username: string; password: string }): Record<string, string> {
  return {
    BALLOU_46ELKS_API_URL: elks.url,
    BALLOU_46ELKS_USERNAME: elks.username,
    BALLOU_46ELKS_PASSWORD: elks.password,
  };
}
