import { createHmac, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Kysely } from 'kysely';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/app/auth/users.js';
import { bootstrap, type Runtime } from '../../src/app/bootstrap.js';
import { jobHandlers } from '../../src/app/jobs/job-handlers.js';
import { JobWorker } from '../../src/app/jobs/job-worker.js';
import { loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/config/logger.js';
import { fixedClock } from '../../src/domain/shared/clock.js';
import { buildApp } from '../../src/server/build-app.js';
import { start46elksStandIn, type ElksStandIn } from '../stand-ins/elks-stand-in.js';
import { startSmtpStandIn, type SmtpStandIn } from '../stand-ins/smtp-stand-in.js';
import { tableFingerprints } from './table-fingerprint.js';
import {
  DIALECTS,
  elksEnv,
  freshDatabaseUrl,
  startTestApp,
  SYSTEM,
  type TestApp,
} from './support/test-runtime.js';

/**
 * Hardening not already proven elsewhere: CSRF on every cookie-authenticated write of the OpenAPI
 * document, security headers on API answers and on the web app, and that a webhook request changed in
 * any single byte is refused. Cookie flags, argon2id, login rate limit and lockout are proven in
 * auth-sessions.test.ts and account-security.test.ts. Last, the real logger at debug level: after logins,
 * tokens, links, feeds, webhooks, a password reset and TOTP, no secret used appears in the log output.
 */

const PASSWORD = 'korrekt häst batteri häftklammer';
const ELKS_SECRET = 'hemligt-webhook-lösen-7';
const TWILIO_TOKEN = 'twilio-auth-token-0123456789abcdef';
const PUBLIC_URL = 'https://jour.ballou.example';

/**
 * Writes that do not act for a logged-in browser, so they need no CSRF token: they authenticate by
 * what is in the request (password, TOTP challenge, reset token, one-time link token, the provider's
 * own credential). Any other write must refuse a session cookie without the session's X-CSRF-Token.
 */
const NOT_COOKIE_AUTHENTICATED = new Set([
  'POST /api/v1/auth/login',
  'POST /api/v1/auth/login/totp',
  'POST /api/v1/auth/password-reset',
  'POST /api/v1/auth/password-reset/confirm',
  'POST /api/v1/links/{token}',
  'POST /api/v1/webhooks/46elks/voice',
  'POST /api/v1/webhooks/46elks/sms',
  'POST /api/v1/webhooks/46elks/dlr',
  'POST /api/v1/webhooks/46elks/hangup',
  'POST /api/v1/webhooks/46elks/page-ack',
  'POST /api/v1/webhooks/twilio/voice',
  'POST /api/v1/webhooks/twilio/voice/after-dial',
  'POST /api/v1/webhooks/twilio/sms',
  'POST /api/v1/webhooks/twilio/status',
  'POST /api/v1/webhooks/twilio/page-ack',
  'POST /api/v1/webhooks/alertmanager',
  'POST /api/v1/webhooks/pagerduty/v2/enqueue',
  'POST /api/v1/webhooks/generic',
]);

/** Twilio's request signature, computed as Twilio documents it: URL + sorted name/value pairs, HMAC-SHA1. */
function twilioSignature(url: string, params: Record<string, string>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, key) => acc + key + params[key], url);
  return createHmac('sha1', TWILIO_TOKEN).update(data, 'utf8').digest('base64');
}

/** `text` with the character at `i` changed to a neighbour (never just a change of letter case). */
function changedAt(text: string, i: number): string {
  return text.slice(0, i) + String.fromCharCode(text.charCodeAt(i) ^ 1) + text.slice(i + 1);
}

function cookieOf(res: LightMyRequestResponse): string {
  const raw = res.headers['set-cookie'];
  return ((Array.isArray(raw) ? raw[0] : raw) as string).split(';')[0] as string;
}

for (const dialect of DIALECTS) {
  describe(`security hardening on ${dialect}`, () => {
    let t: TestApp;
    let web: FastifyInstance;
    let db: Kysely<unknown>;
    let cookie: string;
    let csrf: string;

    beforeAll(async () => {
      t = await startTestApp(dialect, {
        BALLOU_LOGIN_RATE_LIMIT: '1000',
        BALLOU_PUBLIC_URL: PUBLIC_URL,
        BALLOU_46ELKS_WEBHOOK_SECRET: ELKS_SECRET,
        BALLOU_TWILIO_AUTH_TOKEN: TWILIO_TOKEN,
        BALLOU_TWILIO_ACCOUNT_SID: 'AC0123456789abcdef0123456789abcdef',
      });
      db = t.ctx.db as unknown as Kysely<unknown>;
      await createUser(t.ctx, SYSTEM, {
        email: 'admin@ballou.example',
        name: 'Admin',
        password: PASSWORD,
        role: 'admin',
      });
      const login = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: 'admin@ballou.example', password: PASSWORD },
      });
      expect(login.statusCode).toBe(200);
      cookie = cookieOf(login);
      csrf = login.json().csrfToken;
      // The same server with a (tiny) built web app, for the headers of the HTML.
      const webRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'ballou-web-'));
      fs.writeFileSync(path.join(webRoot, 'index.html'), '<!doctype html><title>Ballou</title>');
      web = await buildApp({ ctx: t.ctx, webRoot });
      await web.ready();
    });
    afterAll(async () => {
      await web?.close();
      await t?.close();
    });

    it('refuses every cookie-authenticated write of the API without or with a wrong X-CSRF-Token, and changes nothing', async () => {
      const doc = (await t.app.inject({ url: '/api/v1/openapi.json' })).json() as {
        paths: Record<string, Record<string, unknown>>;
      };
      const writes = Object.entries(doc.paths).flatMap(([p, ops]) =>
        Object.keys(ops)
          .filter((m) => ['post', 'put', 'patch', 'delete'].includes(m))
          .map((m) => ({ method: m.toUpperCase(), path: p })),
      );
      expect(writes.length).toBeGreaterThan(50);
      const before = await tableFingerprints(db, { except: ['sessions'], refusalsAside: true });
      const refused: string[] = [];
      const open: string[] = [];
      for (const { method, path: p } of writes) {
        const key = `${method} ${p}`;
        const url = p.replace(/\{token\}/g, 'x'.repeat(40)).replace(/\{[^}]+\}/g, () => randomUUID());
        for (const headers of [{ cookie }, { cookie, 'x-csrf-token': `${csrf.slice(0, -1)}x` }]) {
          const res = await t.app.inject({
            method: method as 'POST',
            url,
            headers,
            ...(method === 'DELETE' ? {} : { payload: {} }),
          });
          if (res.statusCode === 403 && res.json().code === 'CSRF_FAILED') refused.push(key);
          else open.push(`${key} -> ${res.statusCode}`);
        }
      }
      console.log(
        `CSRF: ${writes.length} write routes, ${refused.length / 2} refused without and with a wrong token`,
      );
      // Only the routes that authenticate by what the request itself carries take a write without it.
      expect(
        open.map((o) => o.split(' -> ')[0]).filter((k) => !NOT_COOKIE_AUTHENTICATED.has(k as string)),
      ).toEqual([]);
      expect(new Set(open.map((o) => o.split(' -> ')[0]))).toEqual(
        new Set(
          [...NOT_COOKIE_AUTHENTICATED].filter((k) => writes.some((w) => `${w.method} ${w.path}` === k)),
        ),
      );
      // Nothing changed but the refusals' own records, which name the user and each route refused.
      expect(await tableFingerprints(db, { except: ['sessions'], refusalsAside: true })).toEqual(before);
      const recorded = await t.ctx.db
        .selectFrom('audit_log')
        .select('entity_id')
        .where('action', '=', 'access.refused')
        .execute();
      expect(new Set(recorded.map((r) => r.entity_id))).toEqual(
        new Set(refused.map((k) => k.replace(/\{(\w+)\}/g, ':$1'))),
      );
    });

    it('decides authentication by the route, so an escaped /api/ path is no way around it', async () => {
      // The router decodes %61 to "a": this reaches GET /api/v1/engineers and must be treated as it.
      const anonymous = await t.app.inject({ url: '/%61pi/v1/engineers' });
      expect(anonymous.statusCode).toBe(401);
      expect(anonymous.headers['content-type']).toContain('application/problem+json');
      const before = await tableFingerprints(db, { except: ['sessions'], refusalsAside: true });
      const noCsrf = await t.app.inject({
        method: 'POST',
        url: '/%61pi/v1/engineers',
        headers: { cookie },
        payload: { name: 'Gustav', phone: '+46701230000', email: 'gustav@ballou.example' },
      });
      expect(noCsrf.statusCode).toBe(403);
      expect(noCsrf.json().code).toBe('CSRF_FAILED');
      expect(await tableFingerprints(db, { except: ['sessions'], refusalsAside: true })).toEqual(before);
    });

    it('ends the browser’s previous session when it logs in again', async () => {
      const again = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        headers: { cookie },
        payload: { email: 'admin@ballou.example', password: PASSWORD },
      });
      expect(again.statusCode).toBe(200);
      const fresh = cookieOf(again);
      expect(fresh).not.toBe(cookie);
      expect((await t.app.inject({ url: '/api/v1/auth/me', headers: { cookie } })).statusCode).toBe(401);
      expect((await t.app.inject({ url: '/api/v1/auth/me', headers: { cookie: fresh } })).statusCode).toBe(
        200,
      );
      cookie = fresh;
      csrf = again.json().csrfToken;
    });

    it("sends the security headers on API answers, the web app's HTML and the link pages", async () => {
      const answers = {
        'API 200': await web.inject({ url: '/api/v1/health' }),
        'API 401': await web.inject({ url: '/api/v1/customers' }),
        'API 404': await web.inject({ url: '/api/v1/no-such-route' }),
        'API with session': await web.inject({ url: '/api/v1/auth/me', headers: { cookie } }),
        'web app /': await web.inject({ url: '/' }),
        'web app screen': await web.inject({ url: '/board' }),
        'link page': await web.inject({ url: `/l/${'x'.repeat(40)}` }),
      };
      for (const [what, res] of Object.entries(answers)) {
        const h = res.headers;
        const csp = String(h['content-security-policy']);
        expect.soft(csp, what).toContain("frame-ancestors 'none'");
        expect.soft(csp, what).toContain("default-src 'self'");
        expect.soft(csp, what).toContain("object-src 'none'");
        expect.soft(csp, what).toContain("base-uri 'none'");
        expect.soft(h['x-frame-options'], what).toBe('DENY');
        expect.soft(h['x-content-type-options'], what).toBe('nosniff');
        expect.soft(h['referrer-policy'], what).toBe('no-referrer');
        // At least a year, subdomains included (ASVS 5.0 3.4.1 at level 2).
        const hsts = /^max-age=(\d+); includeSubDomains/.exec(String(h['strict-transport-security']));
        expect.soft(Number(hsts?.[1]), what).toBeGreaterThanOrEqual(31_536_000);
        expect.soft(h['x-powered-by'], what).toBeUndefined();
      }
      for (const what of ['API 200', 'API 401', 'API 404', 'API with session', 'link page'] as const)
        expect.soft(answers[what].headers['cache-control'], what).toBe('no-store');
      expect(answers['web app screen'].headers['content-type']).toContain('text/html');
      expect(answers['web app screen'].statusCode).toBe(200);
    });

    it('escapes untrusted text on the one-time link page', async () => {
      const admin = await t.token('admin');
      const customerId = (
        await t.call('POST', '/api/v1/customers', admin, {
          name: 'Kund <b>fet</b> AB',
          orgNumber: '556677-0029',
          tier: 'none',
          agreementStart: '2026-01-01',
        })
      ).json().id;
      await t.call('POST', `/api/v1/customers/${customerId}/contacts`, admin, {
        name: 'Johan Berg',
        phone: '+46701234502',
      });
      const summary = `Nere <script>alert("x")</script> & <img src=x onerror=alert(1)>`;
      const incident = (
        await t.call('POST', '/api/v1/incidents', admin, { customerId, summary, channel: 'phone' })
      ).json();
      const link = await t.call('POST', `/api/v1/incidents/${incident.id}/consent-link`, admin, {});
      expect(link.statusCode).toBe(201);
      const page = await t.app.inject({ url: new URL(link.json().url).pathname });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('Nere &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img');
      expect(page.body).toContain('Kund &lt;b&gt;fet&lt;/b&gt; AB');
      expect(page.body).not.toMatch(/<script|<img|<b>/);
    });

    it('refuses a Twilio webhook changed in any single byte of body, query or signature (403), and writes nothing', async () => {
      const params = {
        MessageSid: 'SM0123456789abcdef0123456789abcdef',
        AccountSid: 'AC0123456789abcdef0123456789abcdef',
        From: '+46700000001',
        To: '+46766860001',
        Body: 'Servern svarar inte',
      };
      const pathAndQuery = '/webhooks/twilio/sms?attempt=1';
      const signature = twilioSignature(`${PUBLIC_URL}${pathAndQuery}`, params);
      const body = new URLSearchParams(params).toString();
      const send = (url: string, payload: string, sig: string) =>
        t.app.inject({
          method: 'POST',
          url,
          payload,
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': sig },
        });
      const before = await tableFingerprints(db, { except: ['sessions'] });
      const statuses = new Map<number, number>();
      const tally = (res: LightMyRequestResponse) =>
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
      for (let i = 0; i < body.length; i += 1) tally(await send(pathAndQuery, changedAt(body, i), signature));
      for (let i = 0; i < signature.length; i += 1)
        tally(await send(pathAndQuery, body, changedAt(signature, i)));
      const queryAt = pathAndQuery.indexOf('?') + 1;
      for (let i = queryAt; i < pathAndQuery.length; i += 1)
        tally(await send(changedAt(pathAndQuery, i), body, signature));
      tally(await send(pathAndQuery, body, ''));
      tally(await send(pathAndQuery, `${body}&Extra=1`, signature));
      const tried = [...statuses.values()].reduce((a, b) => a + b, 0);
      console.log(
        `Twilio: ${tried} altered requests, statuses ${JSON.stringify(Object.fromEntries(statuses))}`,
      );
      expect(Object.fromEntries(statuses)).toEqual({ 403: tried });
      expect(await tableFingerprints(db, { except: ['sessions'] })).toEqual(before);
      // The unaltered request is accepted: the refusals above were about the change, not the request.
      expect((await send(pathAndQuery, body, signature)).statusCode).toBe(200);
    });

    it("refuses 46elks webhooks without the exact basic-auth secret (401), and a revoked integration's token", async () => {
      const body = 'id=s1&from=%2B46700000002&to=%2B46766860000&message=hej';
      const send = (user: string, password: string | null) =>
        t.app.inject({
          method: 'POST',
          url: '/webhooks/46elks/sms',
          payload: body,
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            ...(password === null
              ? {}
              : { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` }),
          },
        });
      const before = await tableFingerprints(db, { except: ['sessions'] });
      const statuses: number[] = [(await send('46elks', null)).statusCode];
      for (let i = 0; i < ELKS_SECRET.length; i += 1)
        statuses.push((await send('46elks', changedAt(ELKS_SECRET, i))).statusCode);
      statuses.push((await send('46elks', `${ELKS_SECRET}x`)).statusCode);
      statuses.push((await send('46elks', ELKS_SECRET.slice(0, -1))).statusCode);
      statuses.push((await send('46elkt', ELKS_SECRET)).statusCode);
      console.log(`46elks: ${statuses.length} requests with a missing or altered credential`);
      expect(new Set(statuses)).toEqual(new Set([401]));
      expect(await tableFingerprints(db, { except: ['sessions'] })).toEqual(before);
      expect((await send('46elks', ELKS_SECRET)).statusCode).toBe(200);

      const admin = await t.token('admin');
      const created = (
        await t.call('POST', '/api/v1/integrations', admin, { kind: 'alertmanager', name: 'Prom' })
      ).json();
      const alert = {
        version: '4',
        status: 'firing',
        receiver: 'ballou',
        groupKey: 'g',
        alerts: [
          {
            status: 'firing',
            labels: { alertname: 'Down', instance: 'web1.example.se' },
            annotations: {},
            startsAt: '2026-12-01T10:00:00Z',
            endsAt: '0001-01-01T00:00:00Z',
            fingerprint: 'abc123',
          },
        ],
      };
      const deliver = () =>
        t.app.inject({
          method: 'POST',
          url: '/webhooks/alertmanager',
          payload: alert,
          headers: { authorization: `Bearer ${created.token}` },
        });
      expect((await t.call('DELETE', `/api/v1/integrations/${created.id}`, admin)).statusCode).toBe(204);
      const revokedAt = await tableFingerprints(db, { except: ['sessions'] });
      expect((await deliver()).statusCode).toBe(401);
      expect(await tableFingerprints(db, { except: ['sessions'] })).toEqual(revokedAt);
    });
  });
}

// The counters live in each node's memory: one engine is enough.
describe('rate limits beside the login', () => {
  it('limits the password-reset, password-change and second-step routes per client address like the login', async () => {
    const limited = await startTestApp('sqlite', { BALLOU_LOGIN_RATE_LIMIT: '3' });
    try {
      for (const [url, payload] of [
        ['/api/v1/auth/password-reset', { email: 'x@ballou.example' }],
        ['/api/v1/auth/password-reset/confirm', { token: 'bpr_x', password: 'whatever-password-1' }],
        ['/api/v1/auth/login/totp', { challenge: 'blc_x', code: '123456' }],
      ] as const) {
        const statuses: number[] = [];
        for (let i = 0; i < 5; i += 1)
          statuses.push((await limited.app.inject({ method: 'POST', url, payload })).statusCode);
        expect(statuses.slice(3), url).toEqual([429, 429]);
        expect(statuses.slice(0, 3), url).not.toContain(429);
      }
      // Guessing the current password from a stolen session: refused (400), then limited.
      await createUser(limited.ctx, SYSTEM, {
        email: 'tove@ballou.example',
        name: 'Tove',
        password: 'rätt lösenord för T 12345',
        role: 'engineer',
      });
      const login = await limited.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: 'tove@ballou.example', password: 'rätt lösenord för T 12345' },
      });
      const cookie = String(login.headers['set-cookie']).split(';')[0] as string;
      const statuses: number[] = [];
      for (let i = 0; i < 5; i += 1)
        statuses.push(
          (
            await limited.app.inject({
              method: 'POST',
              url: '/api/v1/auth/password',
              headers: { cookie, 'x-csrf-token': login.json().csrfToken },
              payload: { currentPassword: `gissning ${i} lång nog`, newPassword: 'whatever-password-1' },
            })
          ).statusCode,
        );
      expect(statuses).toEqual([400, 400, 400, 429, 429]);
    } finally {
      await limited.close();
    }
  });
});

for (const dialect of DIALECTS) {
  describe(`secrets and tokens never in the log on ${dialect}`, () => {
    const lines: string[] = [];
    const secrets = new Map<string, string>();
    const keep = (what: string, value: unknown) => {
      expect(typeof value === 'string' && value.length >= 6, what).toBe(true);
      secrets.set(what, value as string);
      return value as string;
    };
    let runtime: Runtime;
    let app: FastifyInstance;
    let worker: JobWorker;
    let elks: ElksStandIn;
    let smtp: SmtpStandIn;
    let dropDb: () => Promise<void>;
    const clock = fixedClock(Date.parse('2026-12-01T22:00:00+01:00'));

    beforeAll(async () => {
      elks = await start46elksStandIn({ password: 'elks-api-password-93' });
      smtp = await startSmtpStandIn({ auth: { user: 'ballou', pass: 'smtp-password-51' } });
      const fresh = await freshDatabaseUrl(dialect);
      dropDb = fresh.drop;
      const config = loadConfig(
        {
          BALLOU_DATABASE_URL: fresh.url,
          BALLOU_DEMO_DATA: '0',
          BALLOU_LOGIN_RATE_LIMIT: '1000',
          BALLOU_PUBLIC_URL: PUBLIC_URL,
          BALLOU_TOTP_KEY: keep('BALLOU_TOTP_KEY', 'b7'.repeat(32)),
          BALLOU_46ELKS_WEBHOOK_SECRET: keep('46elks webhook secret', ELKS_SECRET),
          BALLOU_TWILIO_AUTH_TOKEN: keep('Twilio auth token', TWILIO_TOKEN),
          BALLOU_TWILIO_ACCOUNT_SID: 'AC0123456789abcdef0123456789abcdef',
          BALLOU_SMTP_URL: smtp.url,
          ...elksEnv(elks),
        },
        os.tmpdir(),
      );
      keep('46elks API password', elks.password);
      keep('SMTP password', 'smtp-password-51');
      const sink = new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(chunk.toString());
          done();
        },
      });
      runtime = await bootstrap(config, createLogger('debug', sink));
      runtime.ctx.clock = clock;
      const webRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'ballou-web-'));
      fs.writeFileSync(path.join(webRoot, 'index.html'), '<!doctype html><title>Ballou</title>');
      app = await buildApp({ ctx: runtime.ctx, webRoot });
      await app.ready();
      worker = new JobWorker(runtime.ctx, { workerId: 'log-test', handlers: jobHandlers });
    });
    afterAll(async () => {
      await app?.close();
      await runtime?.database.close();
      await dropDb?.();
      await elks?.close();
      await smtp?.close();
    });

    const drain = async () => {
      while ((await worker.runOnce()) > 0) {
        /* until nothing is due */
      }
    };
    const call = (
      method: 'GET' | 'POST' | 'DELETE',
      url: string,
      auth: { bearer?: string; cookie?: string; csrf?: string } = {},
      payload?: unknown,
    ) =>
      app.inject({
        method,
        url,
        headers: {
          ...(auth.bearer ? { authorization: `Bearer ${auth.bearer}` } : {}),
          ...(auth.cookie ? { cookie: auth.cookie } : {}),
          ...(auth.csrf ? { 'x-csrf-token': auth.csrf } : {}),
        },
        ...(payload === undefined ? {} : { payload: payload as object }),
      });
    const linkIn = (text: string | undefined) => /\/l\/([A-Za-z0-9_-]{20,})/.exec(text ?? '')?.[1] as string;

    it('logs requests with their secrets masked, and no secret value anywhere in the output', async () => {
      // Passwords: the administrator's, a wrong one, an engineer's, and a new one from a reset.
      await createUser(runtime.ctx, SYSTEM, {
        email: 'admin@ballou.example',
        name: 'Admin',
        password: keep('admin password', PASSWORD),
        role: 'admin',
      });
      const stored = await runtime.ctx.db
        .selectFrom('users')
        .select('password_hash')
        .executeTakeFirstOrThrow();
      // OWASP's argon2id minimum: 19 MiB, 2 iterations.
      expect(stored.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
      const wrong = await call(
        'POST',
        '/api/v1/auth/login',
        {},
        {
          email: 'admin@ballou.example',
          password: keep('wrong password', 'fel-lösenord-som-inte-stämmer'),
        },
      );
      expect(wrong.statusCode).toBe(401);
      const login = await call(
        'POST',
        '/api/v1/auth/login',
        {},
        { email: 'admin@ballou.example', password: PASSWORD },
      );
      expect(login.statusCode).toBe(200);
      const session = {
        cookie: cookieOf(login),
        csrf: keep('CSRF token', login.json().csrfToken),
      };
      keep('session token', session.cookie.split('=')[1]);

      // An API token, created with the session and used; an unknown one refused.
      const created = await call('POST', '/api/v1/tokens', session, { name: 'ci', role: 'admin' });
      expect(created.statusCode).toBe(201);
      const admin = keep('API token', created.json().token);
      expect((await call('GET', '/api/v1/customers', { bearer: admin })).statusCode).toBe(200);
      const unknown = keep('unknown API token', `bsa_${randomUUID().replace(/-/g, '')}`);
      expect((await call('GET', '/api/v1/customers', { bearer: unknown })).statusCode).toBe(401);

      // The roster, a customer and an incident: pages with one-time acknowledgement links.
      const engineer = await call(
        'POST',
        '/api/v1/engineers',
        { bearer: admin },
        {
          name: 'Anna',
          phone: '+46709000001',
          email: 'anna@ballou.example',
        },
      );
      const annaId = engineer.json().id as string;
      await call(
        'POST',
        '/api/v1/rotations',
        { bearer: admin },
        {
          role: 'primary',
          engineerIds: [annaId],
          start: '2026-11-30T08:00',
          shiftHours: 24,
          handover: '08:00',
        },
      );
      const customerId = (
        await call(
          'POST',
          '/api/v1/customers',
          { bearer: admin },
          {
            name: 'Solvik AB',
            orgNumber: '556677-0029',
            tier: 'none',
            agreementStart: '2026-01-01',
          },
        )
      ).json().id as string;
      await call(
        'POST',
        `/api/v1/customers/${customerId}/contacts`,
        { bearer: admin },
        {
          name: 'Johan Berg',
          phone: '+46701234502',
        },
      );
      const incident = (
        await call(
          'POST',
          '/api/v1/incidents',
          { bearer: admin },
          { customerId, summary: 'Nere', channel: 'phone' },
        )
      ).json();
      await drain();
      const ack = keep(
        'acknowledgement link token',
        linkIn(elks.sms.find((m) => m.to === '+46709000001')?.message),
      );
      expect((await call('GET', `/l/${ack}`)).statusCode).toBe(200);
      const acked = await app.inject({
        method: 'POST',
        url: `/l/${ack}`,
        payload: 'decision=ack',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(acked.statusCode).toBe(200);

      // A consent link: opened in the app and through the API, used, then used again (refused).
      // The provider refuses the first send: the failure is logged, the link in the message is not.
      elks.failNext(1, 500);
      const link = await call('POST', `/api/v1/incidents/${incident.id}/consent-link`, { bearer: admin }, {});
      expect(link.statusCode).toBe(201);
      await drain();
      clock.advance(10 * 60_000);
      await drain();
      const consent = keep('consent link token', link.json().url.split('/l/')[1]);
      expect((await call('GET', `/consent/${consent}`)).statusCode).toBe(200);
      expect((await call('GET', `/api/v1/links/${consent}`)).statusCode).toBe(200);
      expect((await call('POST', `/api/v1/links/${consent}`, {}, { granted: true })).statusCode).toBe(200);
      expect((await call('POST', `/api/v1/links/${consent}`, {}, { granted: true })).statusCode).toBe(409);

      // A calendar feed: read with its token, and refused for another engineer (logged as refused).
      const feed = await call(
        'POST',
        '/api/v1/oncall/feed-tokens',
        { bearer: admin },
        { engineerId: annaId },
      );
      expect(feed.statusCode).toBe(201);
      keep('calendar feed token', feed.json().token);
      const feedUrl = new URL(feed.json().url);
      expect((await call('GET', feedUrl.pathname + feedUrl.search)).statusCode).toBe(200);
      const otherFeed = `/api/v1/oncall/calendar.ics?engineerId=${randomUUID()}&token=${feed.json().token}`;
      expect((await call('GET', otherFeed)).statusCode).toBeGreaterThanOrEqual(400);

      // Monitoring: an Alertmanager bearer token and a PagerDuty routing key, right and wrong.
      const am = keep(
        'Alertmanager integration token',
        (
          await call(
            'POST',
            '/api/v1/integrations',
            { bearer: admin },
            { kind: 'alertmanager', name: 'Prom' },
          )
        ).json().token,
      );
      const pd = keep(
        'PagerDuty routing key',
        (
          await call(
            'POST',
            '/api/v1/integrations',
            { bearer: admin },
            {
              kind: 'pagerduty',
              name: 'Zabbix',
              customerId,
            },
          )
        ).json().token,
      );
      const alert = {
        version: '4',
        status: 'firing',
        receiver: 'ballou',
        groupKey: 'g',
        alerts: [
          {
            status: 'firing',
            labels: { alertname: 'Down', instance: 'web1.solvik.se' },
            annotations: {},
            startsAt: '2026-12-01T20:00:00Z',
            endsAt: '0001-01-01T00:00:00Z',
            fingerprint: 'f00d',
          },
        ],
      };
      expect((await call('POST', '/webhooks/alertmanager', { bearer: am }, alert)).statusCode).toBe(200);
      const pdEvent = (routing_key: string) => ({
        routing_key,
        event_action: 'trigger',
        dedup_key: 'disk',
        payload: { summary: 'Disk full', source: 'web1.solvik.se', severity: 'critical' },
      });
      expect((await call('POST', '/webhooks/pagerduty/v2/enqueue', {}, pdEvent(pd))).statusCode).toBe(202);
      const wrongKey = keep('wrong routing key', 'ab'.repeat(16));
      expect((await call('POST', '/webhooks/pagerduty/v2/enqueue', {}, pdEvent(wrongKey))).statusCode).toBe(
        400,
      );

      // Provider webhooks with their credentials.
      const elksSms = await app.inject({
        method: 'POST',
        url: '/webhooks/46elks/sms',
        payload: 'id=s1&from=%2B46709000001&to=%2B46766860000&message=hej',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`46elks:${ELKS_SECRET}`).toString('base64')}`,
        },
      });
      expect(elksSms.statusCode).toBe(200);
      const twilioParams = {
        MessageSid: 'SMfeedfacefeedfacefeedfacefeedface',
        AccountSid: 'AC0123456789abcdef0123456789abcdef',
        From: '+46700000009',
        To: '+46766860001',
        Body: 'hej',
      };
      const signature = keep(
        'Twilio signature',
        twilioSignature(`${PUBLIC_URL}/webhooks/twilio/sms`, twilioParams),
      );
      const twilioSms = await app.inject({
        method: 'POST',
        url: '/webhooks/twilio/sms',
        payload: new URLSearchParams(twilioParams).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
      });
      expect(twilioSms.statusCode).toBe(200);

      // TOTP for an engineer: enrolment secret, codes, recovery codes, the login challenge.
      await createUser(runtime.ctx, SYSTEM, {
        email: 'anna@ballou.example',
        name: 'Anna',
        password: keep('engineer password', 'blå vals i februari 1917'),
        role: 'engineer',
      });
      const annaLogin = await call(
        'POST',
        '/api/v1/auth/login',
        {},
        {
          email: 'anna@ballou.example',
          password: 'blå vals i februari 1917',
        },
      );
      const anna = { cookie: cookieOf(annaLogin), csrf: annaLogin.json().csrfToken as string };
      const enrol = await call('POST', '/api/v1/auth/totp/enrol', anna, {});
      const totpSecret = keep('TOTP secret', enrol.json().secret);
      const code = () =>
        keep(
          `TOTP code ${clock.now()}`,
          TOTP.generate({ secret: Secret.fromBase32(totpSecret), timestamp: clock.now() }),
        );
      const confirmed = await call('POST', '/api/v1/auth/totp/confirm', anna, { code: code() });
      expect(confirmed.statusCode).toBe(200);
      (confirmed.json().recoveryCodes as string[]).forEach((c, i) => keep(`recovery code ${i}`, c));
      clock.advance(60_000);
      const first = await call(
        'POST',
        '/api/v1/auth/login',
        {},
        {
          email: 'anna@ballou.example',
          password: 'blå vals i februari 1917',
        },
      );
      const challenge = keep('login challenge', first.json().challenge);
      const second = await call('POST', '/api/v1/auth/login/totp', {}, { challenge, code: code() });
      expect(second.statusCode).toBe(200);

      // A password reset: the token from the e-mail, and the new password.
      expect(
        (await call('POST', '/api/v1/auth/password-reset', {}, { email: 'admin@ballou.example' })).statusCode,
      ).toBe(202);
      await drain();
      const mail = smtp.messages.find((m) => m.envelope.to.includes('admin@ballou.example'));
      const resetToken = keep(
        'password reset token',
        /reset-password#(bpr_[A-Za-z0-9_-]+)/.exec(mail?.text ?? '')?.[1],
      );
      const reset = await call(
        'POST',
        '/api/v1/auth/password-reset/confirm',
        {},
        {
          token: resetToken,
          password: keep('new password', 'ett nytt och långt lösenord 2026'),
        },
      );
      expect(reset.statusCode).toBe(204);
      await drain();

      const log = lines.join('');
      const requestLines = lines.filter((l) => l.includes('"request completed"'));
      console.log(
        `log: ${lines.length} lines (${requestLines.length} requests) searched for ${secrets.size} secret values`,
      );
      // The URLs that carried tokens were logged, masked.
      expect(log).toContain('"url":"/l/[redacted]"');
      expect(log).toContain('"url":"/consent/[redacted]"');
      expect(log).toContain('"url":"/api/v1/links/[redacted]"');
      expect(log).toMatch(/calendar\.ics\?engineerId=[0-9a-f-]+&token=\[redacted\]/);
      if (process.env.BALLOU_TEST_DUMP_LOG) fs.writeFileSync(process.env.BALLOU_TEST_DUMP_LOG, log);
      const found = [...secrets].filter(([, value]) => log.includes(value)).map(([what]) => what);
      expect(found).toEqual([]);
    });
  });
}
