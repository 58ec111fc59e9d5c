import { createHmac, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/app/auth/users.js';
import { buildApp } from '../../src/server/build-app.js';
import { tableFingerprints } from './table-fingerprint.js';
import { DIALECTS, startTestApp, SYSTEM, type TestApp } from './support/test-runtime.js';

/**
 * Hardening not already proven elsewhere: CSRF on every cookie-authenticated write of the OpenAPI
 * document, security headers on API answers and on the web app, and that a webhook request changed in
 * any single byte is refused. Cookie flags, argon2id, login rate limit and lockout are proven in
 * auth-sessions.test.ts and account-security.test.ts; secrets in logs in secret-logging.test.ts.
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
      const before = await tableFingerprints(db, { except: ['sessions'] });
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
      expect(await tableFingerprints(db, { except: ['sessions'] })).toEqual(before);
    });

    it('decides authentication by the route, so an escaped /api/ path is no way around it', async () => {
      // The router decodes %61 to "a": this reaches GET /api/v1/engineers and must be treated as it.
      const anonymous = await t.app.inject({ url: '/%61pi/v1/engineers' });
      expect(anonymous.statusCode).toBe(401);
      expect(anonymous.headers['content-type']).toContain('application/problem+json');
      const before = await tableFingerprints(db, { except: ['sessions'] });
      const noCsrf = await t.app.inject({
        method: 'POST',
        url: '/%61pi/v1/engineers',
        headers: { cookie },
        payload: { name: 'Gustav', phone: '+46701230000', email: 'gustav@ballou.example' },
      });
      expect(noCsrf.statusCode).toBe(403);
      expect(noCsrf.json().code).toBe('CSRF_FAILED');
      expect(await tableFingerprints(db, { except: ['sessions'] })).toEqual(before);
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
        expect.soft(h['x-frame-options'], what).toBe('DENY');
        expect.soft(h['x-content-type-options'], what).toBe('nosniff');
        expect.soft(h['referrer-policy'], what).toBe('no-referrer');
        expect.soft(String(h['strict-transport-security']), what).toMatch(/max-age=(\d{8,}|[2-9]\d{7})/);
        expect.soft(h['x-powered-by'], what).toBeUndefined();
      }
      expect(answers['web app screen'].headers['content-type']).toContain('text/html');
      expect(answers['web app screen'].statusCode).toBe(200);
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

    it('limits the password-reset and second-step routes per client address like the login', async () => {
      const limited = await startTestApp(dialect, { BALLOU_LOGIN_RATE_LIMIT: '3' });
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
      } finally {
        await limited.close();
      }
    });
  });
}
