import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import type { AppContext } from '../../../src/app/app-context.js';
import { createApiToken } from '../../../src/app/auth/api-tokens.js';
import { createUser } from '../../../src/app/auth/users.js';
import { bootstrap, type Runtime } from '../../../src/app/bootstrap.js';
import { jobHandlers } from '../../../src/app/jobs/job-handlers.js';
import { JobWorker } from '../../../src/app/jobs/job-worker.js';
import { loadConfig } from '../../../src/config/config.js';
import type { Principal, Role } from '../../../src/domain/shared/roles.js';
import { buildApp } from '../../../src/server/build-app.js';
import { start46elksStandIn, type ElksStandIn } from '../../stand-ins/elks-stand-in.js';

export const WEB_ROOT = path.resolve(import.meta.dirname, '../../../dist/web');
const SYSTEM: Principal = { kind: 'system', id: 'system', role: 'admin', customerId: null, name: 'e2e' };
export const PASSWORD = 'e2e lösenord som är långt nog';

/**
 * The real server for the browser: SQLite, the real clock (the browser's countdowns run on it), the
 * production build of the web app, a job worker, and a 46elks stand-in for outgoing SMS and calls.
 */
export interface E2eServer {
  url: string;
  ctx: AppContext;
  elks: ElksStandIn;
  /** A call to the API with an admin bearer token (seeding what the test is not about). */
  api<T = unknown>(
    method: string,
    urlPath: string,
    body?: unknown,
    role?: Role,
    customerId?: string,
  ): Promise<T>;
  /** A login for the browser. */
  user(input: {
    email: string;
    /** The display name (default: the e-mail's local part). */
    name?: string;
    role: Role;
    customerId?: string;
    engineerId?: string;
  }): Promise<{ email: string; password: string }>;
  close(): Promise<void>;
}

export async function startE2eServer(env: Record<string, string> = {}): Promise<E2eServer> {
  if (!fs.existsSync(path.join(WEB_ROOT, 'index.html'))) throw new Error(`no web build in ${WEB_ROOT}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ballou-e2e-'));
  const elks = await start46elksStandIn();
  const config = loadConfig(
    {
      BALLOU_DATABASE_URL: `sqlite:${path.join(dir, 'e2e.sqlite')}`,
      BALLOU_DEMO_DATA: '0',
      BALLOU_LOGIN_RATE_LIMIT: '1000',
      BALLOU_46ELKS_API_URL: elks.url,
      BALLOU_46ELKS_USERNAME: elks.username,
      BALLOU_46ELKS_PASSWORD: elks.password,
      BALLOU_46ELKS_FROM: '+46766860000',
      ...env,
    },
    dir,
  );
  const runtime: Runtime = await bootstrap(
    config,
    pino({ level: process.env.BALLOU_TEST_LOG_LEVEL ?? 'silent' }),
  );
  const app: FastifyInstance = await buildApp({
    ctx: runtime.ctx,
    webRoot: WEB_ROOT,
    // Live boards hear of a commit at once, as under `ballou serve`.
    incidentChanges: (listener) => runtime.database.onIncidentsCommitted(listener),
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const worker = new JobWorker(runtime.ctx, { workerId: 'e2e', handlers: jobHandlers, pollMs: 200 });
  worker.start();
  const tokens = new Map<string, string>();
  const tokenFor = async (role: Role, customerId?: string) => {
    const key = `${role}:${customerId ?? ''}`;
    if (!tokens.has(key))
      tokens.set(
        key,
        (
          await createApiToken(runtime.ctx, SYSTEM, {
            name: `e2e-${key}`,
            role,
            customerId: customerId ?? null,
          })
        ).token,
      );
    return tokens.get(key) as string;
  };
  return {
    url,
    ctx: runtime.ctx,
    elks,
    api: async <T>(
      method: string,
      urlPath: string,
      body?: unknown,
      role: Role = 'admin',
      customerId?: string,
    ) => {
      const res = await app.inject({
        method: method as 'GET',
        url: `/api/v1${urlPath}`,
        headers: { authorization: `Bearer ${await tokenFor(role, customerId)}` },
        ...(body === undefined ? {} : { payload: body as object }),
      });
      if (res.statusCode >= 400) throw new Error(`${method} ${urlPath}: ${res.statusCode} ${res.body}`);
      return (res.body ? res.json() : undefined) as T;
    },
    user: async ({ email, name, role, customerId, engineerId }) => {
      await createUser(runtime.ctx, SYSTEM, {
        email,
        name: name ?? (email.split('@')[0] as string),
        password: PASSWORD,
        role,
        customerId: customerId ?? null,
        engineerId: engineerId ?? null,
      });
      return { email, password: PASSWORD };
    },
    close: async () => {
      await worker.stop();
      await app.close();
      await runtime.database.close();
      await elks.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
