import os from 'node:os';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrap, type Runtime } from '../../src/app/bootstrap.js';
import { formatDemoLogins } from '../../src/app/demo/load-demo-data.js';
import { ESCALATE_JOB } from '../../src/app/incidents/escalation-job.js';
import { localDateOfInstant } from '../../src/domain/calendar/instant.js';
import { loadConfig } from '../../src/config/config.js';
import { buildApp } from '../../src/server/build-app.js';
import { DIALECTS, freshDatabaseUrl } from './support/test-runtime.js';

/** Reads the start-up message back the way a person would: one row per login under the heading. */
function parsePrintedLogins(text: string): Array<{ role: string; email: string; password: string }> {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const header = lines.findIndex((l) => /^\s+Role\s+E-mail\s+Password$/.test(l));
  return lines.slice(header + 1).map((l) => {
    const [role, email, password] = l.trim().split(/\s+/) as [string, string, string];
    return { role, email, password };
  });
}

function sessionCookie(res: { headers: Record<string, unknown> }): string {
  const raw = res.headers['set-cookie'];
  const line = (Array.isArray(raw) ? raw[0] : raw) as string;
  return line.split(';')[0] as string;
}

for (const dialect of DIALECTS) {
  describe(`demo data on a new ${dialect} database`, () => {
    let db: Awaited<ReturnType<typeof freshDatabaseUrl>>;
    let runtime: Runtime;
    let app: FastifyInstance;
    const logLines: string[] = [];
    let printed = '';

    beforeAll(async () => {
      db = await freshDatabaseUrl(dialect);
      const config = loadConfig(
        { BALLOU_DATABASE_URL: db.url, BALLOU_DEMO_DATA: '1', BALLOU_LOGIN_RATE_LIMIT: '1000' },
        os.tmpdir(),
      );
      const sink = new Writable({
        write(chunk: Buffer, _encoding, done) {
          logLines.push(chunk.toString());
          done();
        },
      });
      runtime = await bootstrap(config, pino({ level: 'trace' }, sink));
      printed = runtime.demo ? formatDemoLogins(runtime.demo.logins) : '';
      app = await buildApp({ ctx: runtime.ctx });
      await app.ready();
    });
    afterAll(async () => {
      await app?.close();
      await runtime?.database.close();
      await db?.drop();
    });

    const login = (email: string, password: string) =>
      app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });

    it('prints one login per role, each with its own password, in an aligned table under "Demo administrator"', () => {
      expect(printed).toContain('Demo administrator');
      const logins = parsePrintedLogins(printed);
      expect(logins.map((l) => l.role)).toEqual(['admin', 'manager', 'engineer', 'billing', 'customer']);
      for (const l of logins) expect(l.email).toMatch(/@[a-z.]+\.example$/);
      expect(new Set(logins.map((l) => l.password)).size).toBe(5);
      for (const l of logins) expect(l.password.length).toBeGreaterThanOrEqual(12);
      // Aligned: every row's e-mail and password start in the same column as the heading's.
      const rows = printed
        .split('\n')
        .filter((l) => /^\s+(Role|admin|manager|engineer|billing|customer)\s/.test(l));
      expect(rows).toHaveLength(6);
      const emailColumns = rows.map((r, i) =>
        r.indexOf(i === 0 ? 'E-mail' : (logins[i - 1]?.email as string)),
      );
      const passwordColumns = rows.map((r, i) =>
        r.lastIndexOf(i === 0 ? 'Password' : (logins[i - 1]?.password as string)),
      );
      expect(new Set(emailColumns).size).toBe(1);
      expect(new Set(passwordColumns).size).toBe(1);
    });

    it('lets each printed login sign in with the right role', async () => {
      for (const l of parsePrintedLogins(printed)) {
        const res = await login(l.email, l.password);
        expect(res.statusCode, l.email).toBe(200);
        expect(res.json().user).toMatchObject({ email: l.email, role: l.role });
        const me = await app.inject({
          method: 'GET',
          url: '/api/v1/auth/me',
          headers: { cookie: sessionCookie(res) },
        });
        expect(me.json()).toMatchObject({ role: l.role, kind: 'user' });
      }
    });

    it('refuses a wrong password for a demo login', async () => {
      const [admin] = parsePrintedLogins(printed);
      const res = await login(admin?.email as string, `${admin?.password}x`);
      expect(res.statusCode).toBe(401);
    });

    it('binds the engineer login to an engineer of the demo rotation', async () => {
      const engineer = parsePrintedLogins(printed).find((l) => l.role === 'engineer');
      const res = await login(engineer?.email as string, engineer?.password as string);
      const me = await app.inject({
        method: 'GET',
        url: '/api/v1/auth/me',
        headers: { cookie: sessionCookie(res) },
      });
      const engineerId = me.json().engineerId as string;
      expect(engineerId).toBeTruthy();
      const member = await runtime.ctx.db
        .selectFrom('rotation_members')
        .select('rotation_id')
        .where('engineer_id', '=', engineerId)
        .executeTakeFirst();
      expect(member).toBeDefined();
    });

    it('shows the customer login only its own customer', async () => {
      const customer = parsePrintedLogins(printed).find((l) => l.role === 'customer');
      const res = await login(customer?.email as string, customer?.password as string);
      expect(res.statusCode).toBe(200);
      const ownId = res.json().user.customerId as string;
      expect(ownId).toBeTruthy();
      const cookie = sessionCookie(res);
      const list = await app.inject({ method: 'GET', url: '/api/v1/customers', headers: { cookie } });
      expect(list.statusCode).toBe(200);
      expect(list.json().items.map((c: { id: string }) => c.id)).toEqual([ownId]);
      const other = await runtime.ctx.db
        .selectFrom('customers')
        .select('id')
        .where('id', '!=', ownId)
        .executeTakeFirstOrThrow();
      const foreign = await app.inject({
        method: 'GET',
        url: `/api/v1/customers/${other.id}`,
        headers: { cookie },
      });
      expect(foreign.statusCode).toBe(404);
    });

    it('comes with months of finished history for its own customers, numbered before anything new', async () => {
      const db = runtime.ctx.db;
      const incidents = await db
        .selectFrom('incidents')
        .select(['state', 'customer_id', 'reported_at', 'ref'])
        .execute();
      expect(incidents.length).toBeGreaterThanOrEqual(150);
      // Finished: nothing on the board, nothing for the SLA check to chase, no page or job queued for it.
      expect(new Set(incidents.map((i) => i.state))).toEqual(new Set(['closed', 'resolved']));
      expect(await db.selectFrom('jobs').select('id').where('kind', '=', ESCALATE_JOB).execute()).toEqual([]);
      const customerIds = new Set((await db.selectFrom('customers').select('id').execute()).map((c) => c.id));
      for (const i of incidents)
        if (i.customer_id !== null) expect(customerIds.has(i.customer_id)).toBe(true);
      const nowMs = runtime.ctx.clock.now();
      const ages = incidents.map((i) => (nowMs - Date.parse(i.reported_at)) / 86_400_000);
      expect(Math.min(...ages)).toBeGreaterThan(3);
      expect(Math.max(...ages)).toBeLessThan(3 + 184);

      // The reports of those months show callouts of each tier.
      const [admin] = parsePrintedLogins(printed);
      const signedIn = await login(admin?.email as string, admin?.password as string);
      const cookie = sessionCookie(signedIn);
      const month = (ms: number) => new Date(ms).toISOString().slice(0, 7);
      const report = await app.inject({
        method: 'GET',
        url: `/api/v1/reports/sla?from=${month(nowMs - 150 * 86_400_000)}&to=${month(nowMs)}`,
        headers: { cookie },
      });
      expect(report.statusCode).toBe(200);
      const callouts = (report.json().months as { callouts: Record<string, number> }[]).reduce(
        (sum, m) => ({
          hog: sum.hog + m.callouts.hog!,
          incident: sum.incident + m.callouts.incident!,
          none: sum.none + m.callouts.none!,
        }),
        { hog: 0, incident: 0, none: 0 },
      );
      expect(callouts.hog).toBeGreaterThan(0);
      expect(callouts.incident).toBeGreaterThan(0);

      // A report made now is numbered after the history of its year.
      const year = new Date(nowMs).toISOString().slice(0, 4);
      const lastOfYear = Math.max(
        0,
        ...incidents.filter((i) => i.ref.startsWith(`INC-${year}-`)).map((i) => Number(i.ref.slice(-5))),
      );
      const created = await app.inject({
        method: 'POST',
        url: '/api/v1/incidents',
        headers: { cookie, 'x-csrf-token': signedIn.json().csrfToken as string },
        payload: { customerId: [...customerIds][0], summary: 'Ny anmälan efter demohistoriken' },
      });
      expect(created.statusCode, created.body).toBe(201);
      expect(created.json().ref).toBe(`INC-${year}-${String(lastOfYear + 1).padStart(5, '0')}`);
    });

    it('has invoiced the ended months of that history as a desk would, leaving the last for billing to run', async () => {
      const db = runtime.ctx.db;
      const runs = (await db.selectFrom('invoice_runs').select('month').orderBy('month').execute()).map(
        (r) => r.month,
      );
      // The month before this one in Stockholm, as the desk's calendar counts months.
      const [year, month] = localDateOfInstant(runtime.ctx.clock.now()).split('-').map(Number) as [
        number,
        number,
      ];
      const lastEnded = month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`;
      expect(runs.length).toBeGreaterThanOrEqual(4);
      expect(runs).not.toContain(lastEnded);
      // Each issued on the first of the next month, not on the day the demo was made.
      const invoices = await db
        .selectFrom('invoices')
        .select(['month', 'issue_date', 'customer_id'])
        .execute();
      expect(invoices.length).toBeGreaterThan(0);
      for (const i of invoices) {
        const [y, m] = i.month.split('-').map(Number) as [number, number];
        const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
        expect(i.issue_date).toBe(`${next}-01`);
      }

      // The customer login sees its own invoices; billing sees the last month waiting to be run.
      const customer = parsePrintedLogins(printed).find((l) => l.role === 'customer');
      const signedIn = await login(customer?.email as string, customer?.password as string);
      const own = await app.inject({
        method: 'GET',
        url: '/api/v1/invoices',
        headers: { cookie: sessionCookie(signedIn) },
      });
      expect(own.statusCode).toBe(200);
      const ownId = signedIn.json().user.customerId as string;
      expect(own.json().items.length).toBe(invoices.filter((i) => i.customer_id === ownId).length);
      expect(own.json().items.length).toBeGreaterThan(0);
      const billing = parsePrintedLogins(printed).find((l) => l.role === 'billing');
      const billingIn = await login(billing?.email as string, billing?.password as string);
      const preview = await app.inject({
        method: 'POST',
        url: '/api/v1/invoice-runs/preview',
        headers: { cookie: sessionCookie(billingIn), 'x-csrf-token': billingIn.json().csrfToken as string },
        payload: { month: lastEnded },
      });
      expect(preview.statusCode, preview.body).toBe(200);
      expect(preview.json().invoices.length).toBeGreaterThan(0);
    });

    it('logs the e-mails but never a password', () => {
      const logs = logLines.join('');
      for (const l of parsePrintedLogins(printed)) expect(logs).not.toContain(l.password);
      expect(logs).toContain('demo data loaded');
    });

    it('decides once per database: a second start creates no logins and prints nothing', async () => {
      const again = await bootstrap(
        loadConfig({ BALLOU_DATABASE_URL: db.url, BALLOU_DEMO_DATA: '1' }, os.tmpdir()),
        pino({ level: 'silent' }),
      );
      try {
        expect(again.demo).toBeUndefined();
        const users = await again.ctx.db.selectFrom('users').select('email').execute();
        expect(users).toHaveLength(5);
      } finally {
        await again.database.close();
      }
    });
  });
}
