import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/build-app.js';
import { openStream } from './support/access-matrix/http.js';
import { eventually } from './support/eventually.js';
import { markersIn, readableText } from './support/access-matrix/inspect.js';
import { routeCollector, runMatrix, type RegisteredRoute } from './support/access-matrix/matrix.js';
import { ROUTE_SPECS, specFor, WEB_FILES } from './support/access-matrix/route-specs.js';
import { BILLED_MONTH, PASSWORD, seedWorld, type World } from './support/access-matrix/world.js';
import { DIALECTS, startTestApp, type TestApp } from './support/test-runtime.js';

// Every route × every principal × own/other/random ids (issue 9): the declared roles are enforced and a
// customer reaches nothing of another customer, in answers, streams, calendars, PDFs and exports.
for (const dialect of DIALECTS) {
  describe(`the access-control matrix on ${dialect}`, () => {
    let t: TestApp;
    let app: FastifyInstance;
    let base: string;
    let routes: RegisteredRoute[];
    let world: World;
    let webRoot: string;

    beforeAll(async () => {
      t = await startTestApp(dialect, { BALLOU_LOGIN_RATE_LIMIT: '100000' });
      webRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'ballou-matrix-web-'));
      for (const [file, content] of Object.entries(WEB_FILES)) {
        fs.mkdirSync(path.dirname(path.join(webRoot, file)), { recursive: true });
        fs.writeFileSync(path.join(webRoot, file), content);
      }
      // Our own instance of the app on the test's database, with the web app, seeing each route's declaration.
      const collector = routeCollector();
      app = await buildApp({ ctx: t.ctx, webRoot, onRoute: collector.onRoute });
      routes = collector.routes;
      await app.listen({ port: 0, host: '127.0.0.1' });
      const address = app.server.address();
      base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      world = await seedWorld(t);
    }, 180_000);

    afterAll(async () => {
      await app?.close();
      await t?.close();
      if (webRoot) fs.rmSync(webRoot, { recursive: true, force: true });
    });

    it('knows every route: the route table, the OpenAPI document and the matrix name the same routes', async () => {
      const registered = new Set(routes.map((r) => `${r.method} ${r.url}`));
      const withoutSpec = routes.filter((r) => !specFor(r.method, r.url)).map((r) => `${r.method} ${r.url}`);
      expect(withoutSpec, 'routes the matrix does not know how to call: add them to route-specs.ts').toEqual(
        [],
      );
      const stale = Object.keys(ROUTE_SPECS).filter((key) => !registered.has(key));
      expect(stale, 'matrix entries for routes that no longer exist').toEqual([]);
      const undeclared = routes.filter((r) => r.url.startsWith('/api/v1/') && r.access === undefined);
      expect(undeclared, 'every /api/v1 route declares config.access').toEqual([]);

      const doc = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as {
        paths: Record<string, Record<string, unknown>>;
      };
      const documented = Object.entries(doc.paths).flatMap(([p, ops]) =>
        Object.keys(ops)
          .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
          .map((m) => `${m.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ':$1')}`),
      );
      expect(documented.length).toBeGreaterThan(80);
      expect(documented.filter((op) => !registered.has(op))).toEqual([]);
      // Routes outside the OpenAPI document are in the matrix too.
      for (const hidden of ['GET /l/:token', 'POST /webhooks/46elks/sms', 'GET /audio/sv/:file', 'GET /'])
        expect(registered, hidden).toContain(hidden);
    });

    it('streams to customer A none of customer B’s incident changes, live or on resume', async () => {
      const by = (name: string) => world.principals.find((p) => p.name === name)!;
      const path = '/api/v1/incidents/stream';
      const streams = {
        session: await openStream(base, path, by('customerA-session').headers('GET')),
        token: await openStream(base, path, by('customerA-token').headers('GET')),
        // Resuming from long ago replays every incident changed since: still only A's.
        resumed: await openStream(base, path, {
          ...by('customerA-token').headers('GET'),
          'last-event-id': '2026-01-01T00:00:00.000Z',
        }),
        staff: await openStream(base, path, by('manager').headers('GET')),
      };
      try {
        for (const s of Object.values(streams)) expect(s.status).toBe(200);
        t.clock.set(t.clock.now() + 1_000);
        const call = (url: string, body: unknown) => t.call('POST', url, world.admin, body);
        expect((await call(`/api/v1/incidents/${world.b.incidentId}/callback`, {})).statusCode).toBe(200);
        const newB = await call('/api/v1/incidents', {
          customerId: world.b.customerId,
          summary: 'Betagruppen: databasen har stannat',
        });
        expect(newB.statusCode).toBe(201);
        expect((await call(`/api/v1/incidents/${world.a.incidentId}/callback`, {})).statusCode).toBe(200);
        // A's own change arriving proves the stream works; the staff board seeing B's proves B's went out.
        const arrived = await eventually(
          () =>
            [streams.session, streams.token, streams.resumed].every((s) =>
              s.text().includes(world.a.incidentId),
            ) && streams.staff.text().includes(newB.json().id),
          10_000,
        );
        expect(arrived, 'A sees its own change, staff see B’s').toBe(true);
        await new Promise((r) => setTimeout(r, 1_200)); // one more poll of the feed
        for (const [name, s] of Object.entries(streams)) {
          if (name === 'staff') {
            expect(s.text()).toContain(world.b.incidentId);
            continue;
          }
          expect(markersIn(s.text(), [...world.markersOfB, newB.json().id, newB.json().ref]), name).toEqual(
            [],
          );
        }
        expect(streams.resumed.text()).toContain(world.a.closedIncidentId);
      } finally {
        for (const s of Object.values(streams)) s.close();
      }
    }, 30_000);

    it('shows customer A its own PDFs, UBL, CSV and consent link and none of B’s; calendars hold no customer', async () => {
      const session = world.principals.find((p) => p.name === 'customerA-session')!.headers('GET');
      const get = async (url: string, headers: Record<string, string> = session) => {
        const res = await app.inject({ method: 'GET', url, headers });
        return {
          status: res.statusCode,
          text: await readableText(String(res.headers['content-type']), res.rawPayload),
        };
      };
      const billing = { authorization: `Bearer ${await t.token('billing')}` };
      const aName = 'Alfagruppen Matris AB';
      for (const url of [
        `/api/v1/invoices/${world.a.invoiceId}.pdf`,
        `/api/v1/invoices/${world.a.creditNoteId}.pdf`,
        `/api/v1/invoices/${world.a.invoiceId}.xml`,
        `/api/v1/invoices.csv?month=${BILLED_MONTH}`,
        `/l/${world.a.linkToken}`,
      ]) {
        const own = await get(url);
        expect(own.status, url).toBe(200);
        expect(own.text.replace(/\s+/g, ''), url).toContain(aName.replace(/\s+/g, ''));
        expect(markersIn(own.text, world.markersOfB), url).toEqual([]);
      }
      for (const url of [
        `/api/v1/invoices/${world.b.invoiceId}.pdf`,
        `/api/v1/invoices/${world.b.creditNoteId}.xml`,
        `/api/v1/invoices/${world.b.invoiceId}`,
      ])
        expect((await get(url)).status, url).toBe(404);
      // The same readers find B in B's documents and the month's exports: the checks above can fail.
      expect(
        markersIn((await get(`/api/v1/invoices/${world.b.invoiceId}.pdf`, billing)).text, world.markersOfB),
      ).not.toEqual([]);
      const sie = await get(`/api/v1/exports/sie?month=${BILLED_MONTH}`, billing);
      expect(sie.status).toBe(200);
      expect(markersIn(sie.text, world.markersOfB)).not.toEqual([]);
      expect((await get(`/api/v1/exports/sie?month=${BILLED_MONTH}`)).status).toBe(403);
      expect(
        markersIn((await get(`/api/v1/invoices.csv?month=${BILLED_MONTH}`, billing)).text, world.markersOfB),
      ).not.toEqual([]);
      // The roster's calendar feed names engineers' shifts, never a customer; a customer cannot open it.
      const ics = await get(`/api/v1/oncall/calendar.ics?token=${world.global.feedToken}`, {});
      expect(ics.status).toBe(200);
      expect(ics.text).toContain('BEGIN:VCALENDAR');
      expect(markersIn(ics.text, world.markersOfB)).toEqual([]);
      expect((await get('/api/v1/oncall/calendar.ics')).status).toBe(403);
    });

    it('keeps one user’s push subscriptions from every other user', async () => {
      const login = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: 'ekonomi@ballou.example', password: PASSWORD },
      });
      expect(login.statusCode).toBe(200);
      const raw = login.headers['set-cookie'];
      const cookie = String(Array.isArray(raw) ? raw[0] : raw).split(';')[0] as string;
      const headers = { cookie, 'x-csrf-token': login.json().csrfToken as string };
      const mine = await app.inject({ method: 'GET', url: '/api/v1/me/push-subscriptions', headers });
      expect(mine.statusCode).toBe(200);
      expect(mine.json().items).toEqual([]);
      const id = world.global.pushSubscriptionId;
      const del = await app.inject({ method: 'DELETE', url: `/api/v1/me/push-subscriptions/${id}`, headers });
      expect(del.statusCode).toBe(404);
      const engineer = world.principals.find((p) => p.name === 'engineer-session')!;
      const theirs = await app.inject({
        method: 'GET',
        url: '/api/v1/me/push-subscriptions',
        headers: engineer.headers('GET'),
      });
      expect(theirs.json().items.map((s: { id: string }) => s.id)).toEqual([id]);
    });

    it('keeps the fixes the matrix found', async () => {
      const session = world.principals.find((p) => p.name === 'customerA-session')!;
      const asA = (url: string, method: 'GET' | 'POST' = 'GET') =>
        app.inject({ method, url, headers: session.headers(method) });
      // Another customer's id in a list filter answers 404, not the caller's own data or an empty page.
      const report = `/api/v1/reports/sla?from=${BILLED_MONTH}&to=${BILLED_MONTH}`;
      expect((await asA(`${report}&customerId=${world.b.customerId}`)).statusCode).toBe(404);
      const own = await asA(report);
      expect(own.statusCode).toBe(200);
      expect(own.json().customerId).toBe(world.a.customerId);
      expect((await asA(`/api/v1/invoices?customerId=${world.b.customerId}`)).statusCode).toBe(404);
      expect((await asA(`/api/v1/invoices?customerId=${world.a.customerId}`)).json().items).toHaveLength(2);
      // An unknown one-time link answers 404 on POST as on GET (was 409).
      const unknown = await app.inject({
        method: 'POST',
        url: '/l/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'decision=yes',
      });
      expect(unknown.statusCode).toBe(404);
      // Billing may not log operations work: the route says so (was: admitted by the route, 403 inside).
      const work = routes.find((r) => r.method === 'POST' && r.url === '/api/v1/operations-tasks/:id/work');
      expect(work?.access).toEqual({ roles: ['admin', 'manager', 'engineer'] });
      // HEAD on the incident stream answers at once instead of never.
      const head = await openStream(base, '/api/v1/incidents/stream', session.headers('HEAD'), 'HEAD', 5_000);
      head.close();
      expect(head.status).toBe(200);
      expect(head.contentType).toContain('text/event-stream');
    });

    it('enforces every route’s declared roles and never shows customer A anything of customer B', async () => {
      const started = Date.now();
      const result = await runMatrix(app, base, t.ctx, routes, world);
      console.log(
        `access matrix on ${dialect}: ${result.routes} routes × ${result.principals} principals × ` +
          `${result.idSets} id sets (HEAD: ${process.env.BALLOU_MATRIX_FULL === '1' ? 3 : 1}) + ` +
          `${result.mixedCases} mixed-id cases = ${result.requests} cases ` +
          `(${result.sent} requests sent) in ${Date.now() - started} ms; ` +
          `outcomes ${JSON.stringify(result.outcomes)}; violations: ${result.violations.length}`,
      );
      for (const v of result.violations) console.log(`  violation: ${v}`);
      const heads = routes.filter((r) => r.method === 'HEAD').length;
      const idSetsOfHead = process.env.BALLOU_MATRIX_FULL === '1' ? result.idSets : 1;
      expect(result.requests).toBe(
        ((routes.length - heads) * result.idSets + heads * idSetsOfHead) * result.principals +
          result.mixedCases,
      );
      expect(result.mixedCases).toBeGreaterThan(0);
      expect(result.violations).toEqual([]);
    }, 600_000);
  });
}
