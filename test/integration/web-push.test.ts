import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/app/auth/users.js';
import { bootstrap } from '../../src/app/bootstrap.js';
import { createCustomer } from '../../src/app/customers/create-customer.js';
import { addServer } from '../../src/app/customers/servers.js';
import { createEngineer } from '../../src/app/engineers/engineers.js';
import { createIncident } from '../../src/app/incidents/incident-queries.js';
import { jobHandlers } from '../../src/app/jobs/job-handlers.js';
import { JobWorker } from '../../src/app/jobs/job-worker.js';
import { createRotation } from '../../src/app/roster/rotations.js';
import { createOverride } from '../../src/app/roster/overrides.js';
import { SHIFT_REMINDERS_JOB, swedishTime } from '../../src/app/roster/roster-jobs.js';
import { enqueueJob } from '../../src/db/repositories/job.repository.js';
import { buildApp } from '../../src/server/build-app.js';
import { start46elksStandIn, type ElksStandIn } from '../stand-ins/elks-stand-in.js';
import {
  createBrowser,
  type Browser,
  startPushServiceStandIn,
  verifyVapid,
  type PushServiceStandIn,
} from '../stand-ins/push-service-stand-in.js';
import { hostServiceWorker, SERVICE_WORKER_FILE } from '../stand-ins/service-worker-host.js';
import {
  DIALECTS,
  elksEnv,
  listenOnLoopback,
  startTestApp,
  SYSTEM,
  type TestApp,
  auditRowsBesidesRefusals,
} from './support/test-runtime.js';

const NIGHT = Date.parse('2026-12-02T02:00:00+01:00');
const PASSWORD = 'korrekt häst batteri häftklammer';
const PUBLIC_URL = 'https://jour.ballou.example';

interface Session {
  cookie: string;
  csrf: string;
}

for (const dialect of DIALECTS) {
  describe(`web push on ${dialect}`, () => {
    let t: TestApp;
    let elks: ElksStandIn;
    let push: PushServiceStandIn;
    let worker: JobWorker;
    let anna: { id: string; phone: string };
    let customerId: string;
    let serverId: string;
    let annaSession: Session;
    let boSession: Session;
    let newPhone: Browser;

    async function login(email: string): Promise<Session> {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email, password: PASSWORD },
      });
      expect(res.statusCode).toBe(200);
      const raw = res.headers['set-cookie'];
      const line = (Array.isArray(raw) ? raw[0] : raw) as string;
      return { cookie: line.split(';')[0] as string, csrf: res.json().csrfToken };
    }

    beforeAll(async () => {
      push = await startPushServiceStandIn();
      elks = await start46elksStandIn();
      t = await startTestApp(dialect, {
        ...elksEnv(elks),
        BALLOU_WEB_PUSH_CA_FILE: push.caFile,
        BALLOU_ESCALATE_SECONDARY_AFTER: '300',
        BALLOU_ESCALATE_MANAGER_AFTER: '600',
        BALLOU_PUBLIC_URL: PUBLIC_URL,
        BALLOU_LOGIN_RATE_LIMIT: '1000',
      });
      worker = new JobWorker(t.ctx, { workerId: 'push-test', handlers: jobHandlers });
      const annaRow = await createEngineer(t.ctx, SYSTEM, {
        name: 'Anna Lind',
        phone: '+46709100001',
        email: 'anna@ballou.example',
      });
      anna = { id: annaRow.id, phone: annaRow.phone };
      const bo = await createEngineer(t.ctx, SYSTEM, {
        name: 'Bo Ek',
        phone: '+46709100002',
        email: 'bo@ballou.example',
      });
      for (const [role, id] of [
        ['primary', anna.id],
        ['secondary', bo.id],
      ] as const)
        await createRotation(t.ctx, SYSTEM, {
          role,
          engineerIds: [id],
          start: '2026-11-30T08:00',
          shiftHours: 24,
          handover: '08:00',
        });
      for (const [email, name, engineerId] of [
        ['anna@ballou.example', 'Anna Lind', anna.id],
        ['bo@ballou.example', 'Bo Ek', bo.id],
      ])
        await createUser(t.ctx, SYSTEM, {
          email: email as string,
          name: name as string,
          password: PASSWORD,
          role: 'engineer',
          engineerId: engineerId as string,
        });
      customerId = (
        await createCustomer(t.ctx, SYSTEM, {
          name: 'Nordhamn AB',
          orgNumber: '556677-0011',
          tier: 'hog',
          agreementStart: '2026-01-01',
        })
      ).id;
      serverId = (await addServer(t.ctx, SYSTEM, customerId, { hostname: 'web1.nordhamn.se' })).id;
      annaSession = await login('anna@ballou.example');
      boSession = await login('bo@ballou.example');
    });
    afterAll(async () => {
      await t?.close();
      await elks?.close();
      await push?.close();
    });

    const api = (session: Session, method: 'GET' | 'POST' | 'DELETE', url: string, body?: unknown) =>
      t.app.inject({
        method,
        url,
        headers: { cookie: session.cookie, 'x-csrf-token': session.csrf, 'user-agent': 'Firefox/140 (test)' },
        ...(body === undefined ? {} : { payload: body as object }),
      });
    const runJobs = async () => {
      while ((await worker.runOnce()) > 0) {
        /* until the queue has nothing due */
      }
    };
    const remindShifts = async () => {
      await enqueueJob(
        t.ctx.db,
        { id: t.ctx.newId(), kind: SHIFT_REMINDERS_JOB, payload: {}, dueAtMs: t.clock.now() },
        t.clock.now(),
      );
      await runJobs();
    };
    const subscriptionRows = () => t.ctx.db.selectFrom('push_subscriptions').selectAll().execute();
    const auditCount = () => auditRowsBesidesRefusals(t.ctx);
    const publicKey = () => t.ctx.messaging.push.vapidPublicKey;

    it('hands out one VAPID public key, generated once and the same after a restart', async () => {
      const res = await api(annaSession, 'GET', '/api/v1/push/public-key');
      expect(res.statusCode).toBe(200);
      const key = res.json().publicKey as string;
      expect(Buffer.from(key, 'base64url')).toHaveLength(65);
      expect(key).toBe(publicKey());
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/push/public-key' })).statusCode).toBe(401);
      // A restarted node (a new runtime on the same database) signs with the same key.
      const restarted = await bootstrap(t.config, pino({ level: 'silent' }));
      try {
        expect(restarted.ctx.messaging.push.vapidPublicKey).toBe(key);
      } finally {
        await restarted.database.close();
      }
      const stored = await t.ctx.db
        .selectFrom('system_state')
        .selectAll()
        .where('key', '=', 'web_push_vapid_keys')
        .executeTakeFirstOrThrow();
      expect(JSON.parse(stored.value).publicKey).toBe(key);
    });

    it('refuses bad subscriptions with the field named and writes nothing', async () => {
      const browser = createBrowser();
      const good = browser.subscription(push.endpoint('bad-input'));
      const cases: [unknown, string][] = [
        [{ ...good, endpoint: 'http://127.0.0.1/push/x' }, '/endpoint'],
        [{ ...good, endpoint: 'not a url' }, '/endpoint'],
        [{ ...good, keys: { ...good.keys, p256dh: good.keys.p256dh.slice(0, 40) } }, '/keys/p256dh'],
        [
          { ...good, keys: { ...good.keys, p256dh: Buffer.alloc(65, 7).toString('base64url') } },
          '/keys/p256dh',
        ],
        [{ ...good, keys: { ...good.keys, auth: Buffer.alloc(8).toString('base64url') } }, '/keys/auth'],
        [{ ...good, keys: { ...good.keys, auth: 'not base64!' } }, '/keys/auth'],
        [{ ...good, extra: 1 }, ''],
      ];
      for (const [body, path] of cases) {
        const res = await api(annaSession, 'POST', '/api/v1/me/push-subscriptions', body);
        expect(res.statusCode, JSON.stringify(body)).toBe(400);
        if (path) expect(res.json().errors.map((e: { path: string }) => e.path)).toContain(path);
      }
      // An API token is nobody's browser.
      const token = await t.token('engineer');
      const before = await auditCount();
      const viaToken = await t.call('POST', '/api/v1/me/push-subscriptions', token, good);
      expect(viaToken.statusCode).toBe(403);
      // Without the CSRF header a cookie session may not write.
      const noCsrf = await t.app.inject({
        method: 'POST',
        url: '/api/v1/me/push-subscriptions',
        headers: { cookie: annaSession.cookie },
        payload: good,
      });
      expect(noCsrf.statusCode).toBe(403);
      expect(await subscriptionRows()).toHaveLength(0);
      expect(await auditCount()).toBe(before);
    });

    it('subscribes idempotently, lists, and lets only the owner delete', async () => {
      const browser = createBrowser();
      const body = browser.subscription(push.endpoint('anna-laptop'));
      const first = await api(annaSession, 'POST', '/api/v1/me/push-subscriptions', body);
      expect(first.statusCode).toBe(201);
      expect(first.json()).toMatchObject({
        endpoint: body.endpoint,
        pushService: push.origin,
        userAgent: 'Firefox/140 (test)',
        lastSuccessAt: null,
        failingSince: null,
      });
      const again = await api(annaSession, 'POST', '/api/v1/me/push-subscriptions', body);
      expect(again.statusCode).toBe(200);
      expect(again.json().id).toBe(first.json().id);
      const list = await api(annaSession, 'GET', '/api/v1/me/push-subscriptions');
      expect(list.json().items.map((s: { id: string }) => s.id)).toEqual([first.json().id]);
      expect((await api(boSession, 'GET', '/api/v1/me/push-subscriptions')).json().items).toEqual([]);

      const byBo = await api(boSession, 'DELETE', `/api/v1/me/push-subscriptions/${first.json().id}`);
      expect(byBo.statusCode).toBe(404);
      expect(await subscriptionRows()).toHaveLength(1);
      const byAnna = await api(annaSession, 'DELETE', `/api/v1/me/push-subscriptions/${first.json().id}`);
      expect(byAnna.statusCode).toBe(204);
      expect(await subscriptionRows()).toHaveLength(0);
      const actions = await t.ctx.db
        .selectFrom('audit_log')
        .select('action')
        .where('entity_id', '=', first.json().id)
        .orderBy('seq')
        .execute();
      expect(actions.map((a) => a.action)).toEqual([
        'push_subscription.created',
        'push_subscription.removed',
      ]);
    });

    it('sends a test notification to each of my browsers', async () => {
      const browser = createBrowser();
      const endpoint = push.endpoint('anna-tablet');
      const sub = await api(
        annaSession,
        'POST',
        '/api/v1/me/push-subscriptions',
        browser.subscription(endpoint),
      );
      // As the web helper sends it: an empty JSON object.
      const res = await api(annaSession, 'POST', '/api/v1/me/push-subscriptions/test', {});
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ sent: 1, failed: 0, removed: 0 });
      const [message] = push.messagesTo(endpoint);
      expect(message?.headers.urgency).toBe('normal');
      expect(browser.decrypt(message!)).toMatchObject({ title: 'Ballou: testnotis' });
      await api(annaSession, 'DELETE', `/api/v1/me/push-subscriptions/${sub.json().id}`);
    });

    it('pages the on-call primary by push beside SMS, with a working acknowledge link', async () => {
      const browser = createBrowser();
      const endpoint = push.endpoint('anna-phone');
      expect(
        (await api(annaSession, 'POST', '/api/v1/me/push-subscriptions', browser.subscription(endpoint)))
          .statusCode,
      ).toBe(201);
      t.clock.set(NIGHT);
      const { incident } = await createIncident(t.ctx, SYSTEM, {
        customerId,
        serverId,
        summary: 'Webbservern svarar inte',
      });
      await runJobs();
      expect(elks.sms.filter((s) => s.to === anna.phone)).toHaveLength(1);
      const messages = push.messagesTo(endpoint);
      expect(messages).toHaveLength(1);
      const message = messages[0]!;
      expect(message.status).toBe(201);
      expect(message.headers).toMatchObject({
        ttl: '300',
        urgency: 'high',
        topic: incident.id.replace(/-/g, ''),
        'content-encoding': 'aes128gcm',
      });
      const claims = verifyVapid(message.headers, publicKey());
      expect(claims.aud).toBe(push.origin);
      expect(claims.sub).toBe('mailto:jour@example.se');
      expect(claims.exp * 1000).toBeGreaterThan(Date.now());

      const payload = browser.decrypt(message) as Record<string, unknown>;
      expect(payload).toMatchObject({
        incidentId: incident.id,
        ref: incident.ref,
        tag: `incident-${incident.id}`,
        requireInteraction: true,
      });
      expect(payload.title).toContain(incident.ref);
      const text = payload.body as string;
      for (const part of [
        'Nordhamn AB',
        'Hög',
        'web1.nordhamn.se',
        'Webbservern svarar inte',
        `Ring upp senast ${swedishTime(NIGHT + 15 * 60_000)}`,
      ])
        expect(text).toContain(part);
      const ackUrl = payload.ackUrl as string;
      expect(ackUrl).toMatch(new RegExp(`^${PUBLIC_URL}/l/[A-Za-z0-9_-]{20,}$`));
      const notification = await t.ctx.db
        .selectFrom('notifications')
        .selectAll()
        .where('incident_id', '=', incident.id)
        .where('channel', '=', 'push')
        .executeTakeFirstOrThrow();
      expect(notification).toMatchObject({
        status: 'sent',
        recipient: `engineer:${anna.id}`,
        provider: 'web-push',
      });

      // On the phone: the service worker shows it with a "Kvittera" action, which acknowledges.
      const sw = hostServiceWorker(await listenOnLoopback(t));
      await sw.push(payload);
      const [shown] = sw.shown;
      expect(shown?.title).toBe(payload.title);
      expect(shown?.options).toMatchObject({
        body: text,
        tag: `incident-${incident.id}`,
        requireInteraction: true,
        actions: [{ action: 'ack', title: 'Kvittera' }],
      });
      await sw.click(shown!, 'ack');
      expect(sw.shown[1]?.title).toBe(`${incident.ref} kvitterat`);
      expect(sw.opened).toEqual([]);
      // A second tap finds the link used: the worker opens the link's page instead.
      await sw.click(shown!, 'ack');
      expect(sw.opened).toEqual([ackUrl]);
      const view = await t.call('GET', `/api/v1/incidents/${incident.id}`, await t.token('engineer'));
      expect(view.json().state).toBe('acknowledged');
      // Acknowledged: the next step pages nobody, by push or otherwise.
      t.clock.advance(300_000);
      await runJobs();
      expect(push.messagesTo(endpoint)).toHaveLength(1);
      const sub = await t.ctx.db
        .selectFrom('push_subscriptions')
        .selectAll()
        .where('endpoint', '=', endpoint)
        .executeTakeFirstOrThrow();
      expect(sub.last_success_at).not.toBeNull();
      const token2 = await t.token('engineer');
      const resolved = await t.call('POST', `/api/v1/incidents/${incident.id}/resolve`, token2, {});
      expect(resolved.statusCode).toBe(200);
    });

    it('forgets a subscription the push service calls gone (410), and the SMS still goes out', async () => {
      const endpoint = push.endpoint('anna-phone');
      push.expire(endpoint);
      const smsBefore = elks.sms.filter((s) => s.to === anna.phone).length;
      t.clock.set(NIGHT + 86_400_000);
      const { incident } = await createIncident(t.ctx, SYSTEM, { customerId, summary: 'Databasen nere' });
      await runJobs();
      expect(elks.sms.filter((s) => s.to === anna.phone)).toHaveLength(smsBefore + 1);
      expect(push.messagesTo(endpoint).at(-1)?.status).toBe(410);
      expect(await subscriptionRows()).toHaveLength(0);
      const removal = await t.ctx.db
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'push_subscription.removed')
        .orderBy('seq', 'desc')
        .executeTakeFirstOrThrow();
      expect(JSON.parse(removal.data)).toMatchObject({
        reason: 'gone',
        status: 410,
        pushService: push.origin,
      });
      const pushed = await t.ctx.db
        .selectFrom('notifications')
        .select(['channel', 'status'])
        .where('incident_id', '=', incident.id)
        .where('engineer_id', '=', anna.id)
        .orderBy('created_at')
        .execute();
      expect(pushed).toContainEqual({ channel: 'push', status: 'failed' });
      expect(pushed).toContainEqual({ channel: 'sms', status: 'sent' });
      // The next step has no browser left to push to: SMS only.
      const before = push.messages.length;
      t.clock.advance(300_000);
      await runJobs();
      expect(push.messages.length).toBe(before);
      expect(elks.sms.filter((s) => s.to === anna.phone)).toHaveLength(smsBefore + 2);
      const engineerToken = await t.token('engineer');
      await t.call('POST', `/api/v1/incidents/${incident.id}/ack`, engineerToken, {});
      const resolved = await t.call('POST', `/api/v1/incidents/${incident.id}/resolve`, engineerToken, {});
      expect(resolved.statusCode).toBe(200);
    });

    it('retries a push service outage with back-off and delivers once it is back', async () => {
      const browser = createBrowser();
      newPhone = browser;
      const endpoint = push.endpoint('anna-new-phone');
      t.clock.set(NIGHT + 2 * 86_400_000);
      // Two days on, the old browser session has ended: log in again.
      const session = await login('anna@ballou.example');
      const subscribed = await api(
        session,
        'POST',
        '/api/v1/me/push-subscriptions',
        browser.subscription(endpoint),
      );
      expect(subscribed.statusCode).toBe(201);
      push.failNext(1, 503);
      const { incident } = await createIncident(t.ctx, SYSTEM, { customerId, summary: 'Disken full' });
      await runJobs();
      expect(push.messagesTo(endpoint).map((m) => m.status)).toEqual([503]);
      const row = await t.ctx.db
        .selectFrom('push_subscriptions')
        .selectAll()
        .where('endpoint', '=', endpoint)
        .executeTakeFirstOrThrow();
      expect(row.failing_since).not.toBeNull();
      t.clock.advance(10_000);
      await runJobs();
      expect(push.messagesTo(endpoint).map((m) => m.status)).toEqual([503, 201]);
      expect(browser.decrypt(push.messagesTo(endpoint)[1]!)).toMatchObject({ incidentId: incident.id });
      const healed = await t.ctx.db
        .selectFrom('push_subscriptions')
        .selectAll()
        .where('endpoint', '=', endpoint)
        .executeTakeFirstOrThrow();
      expect(healed.failing_since).toBeNull();
      const token = await t.token('engineer');
      await t.call('POST', `/api/v1/incidents/${incident.id}/ack`, token, {});
      expect((await t.call('POST', `/api/v1/incidents/${incident.id}/resolve`, token, {})).statusCode).toBe(
        200,
      );
    });

    it('reminds of a shift by push when a browser is subscribed, and by SMS once it is gone', async () => {
      const endpoint = push.endpoint('anna-new-phone');
      const annaSms = () => elks.sms.filter((s) => s.to === anna.phone);
      const smsBefore = annaSms().length;
      const pushedBefore = push.messagesTo(endpoint).length;
      // Cecilia covers the primary's nights, so Anna's shift starts again at 08:00: reminded at 07:00.
      const cecilia = await createEngineer(t.ctx, SYSTEM, {
        name: 'Cecilia',
        phone: '+46709100003',
        email: 'cecilia@ballou.example',
      });
      for (const [start, end] of [
        ['2026-12-04T20:00', '2026-12-05T08:00'],
        ['2026-12-05T20:00', '2026-12-06T08:00'],
      ] as const)
        await createOverride(t.ctx, SYSTEM, { role: 'primary', engineerId: cecilia.id, start, end });
      t.clock.set(Date.parse('2026-12-05T07:00:00+01:00'));
      await remindShifts();
      await runJobs();
      const pushed = push.messagesTo(endpoint).slice(pushedBefore);
      expect(pushed.map((m) => [m.status, m.headers.urgency, m.headers.ttl])).toEqual([
        [201, 'normal', '3600'],
      ]);
      const reminder = newPhone.decrypt(pushed[0]!) as Record<string, unknown>;
      expect(reminder).toMatchObject({ title: 'Din jour börjar snart', requireInteraction: false });
      expect(reminder.body).toMatch(/primärjour från lör 5 dec\.? 08:00/);
      expect(annaSms()).toHaveLength(smsBefore);

      // The next morning the browser has unsubscribed: the push fails and the SMS goes instead.
      push.expire(endpoint);
      t.clock.set(Date.parse('2026-12-06T07:00:00+01:00'));
      await remindShifts();
      await runJobs();
      expect(push.messagesTo(endpoint).at(-1)?.status).toBe(410);
      expect(
        annaSms()
          .slice(smsBefore)
          .map((s) => s.message),
      ).toEqual([expect.stringMatching(/primärjour från sön 6 dec\.? 08:00/)]);
      expect(await subscriptionRows()).toHaveLength(0);
    });
  });
}

describe('the push service worker', () => {
  it('is served at /sw.js, revalidated on every load and allowed to control the whole site', async () => {
    const t = await startTestApp('sqlite');
    const webRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'ballou-web-'));
    fs.writeFileSync(path.join(webRoot, 'index.html'), '<!doctype html><title>Ballou</title>');
    fs.copyFileSync(SERVICE_WORKER_FILE, path.join(webRoot, 'sw.js'));
    const app = await buildApp({ ctx: t.ctx, webRoot });
    try {
      const res = await app.inject({ method: 'GET', url: '/sw.js' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/javascript/);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['service-worker-allowed']).toBe('/');
      expect(res.body).toBe(fs.readFileSync(SERVICE_WORKER_FILE, 'utf8'));
      const index = await app.inject({ method: 'GET', url: '/' });
      expect(index.headers['service-worker-allowed']).toBeUndefined();
    } finally {
      await app.close();
      await t.close();
      fs.rmSync(webRoot, { recursive: true, force: true });
    }
  });
});
