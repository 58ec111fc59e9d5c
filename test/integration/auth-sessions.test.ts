import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/app/auth/users.js';
import { MAX_FAILED_LOGINS } from '../../src/app/auth/sessions.js';
import { DIALECTS, SYSTEM, startTestApp, type TestApp } from './support/test-runtime.js';

const PASSWORD = 'korrekt häst batteri häftklammer';

function sessionCookie(res: { headers: Record<string, unknown> }): string {
  const raw = res.headers['set-cookie'];
  const line = (Array.isArray(raw) ? raw[0] : raw) as string;
  return line.split(';')[0] as string;
}

for (const dialect of DIALECTS) {
  describe(`browser sessions on ${dialect}`, () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await startTestApp(dialect, { BALLOU_LOGIN_RATE_LIMIT: '1000' });
      await createUser(t.ctx, SYSTEM, {
        email: 'planner@ballou.example',
        name: 'Planerare',
        password: PASSWORD,
        role: 'manager',
      });
      await createUser(t.ctx, SYSTEM, {
        email: 'locked@ballou.example',
        name: 'Låst',
        password: PASSWORD,
        role: 'engineer',
      });
    });
    afterAll(async () => t?.close());

    const login = (email: string, password: string) =>
      t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });

    it('logs in with an HttpOnly, Secure, SameSite=Strict __Host- cookie and stores no password', async () => {
      const res = await login('planner@ballou.example', PASSWORD);
      expect(res.statusCode).toBe(200);
      const setCookie = String(res.headers['set-cookie']);
      expect(setCookie).toMatch(/^__Host-ballou_session=bss_/);
      expect(setCookie).toMatch(/HttpOnly/);
      expect(setCookie).toMatch(/Secure/);
      expect(setCookie).toMatch(/SameSite=Strict/);
      const user = await t.ctx.db
        .selectFrom('users')
        .selectAll()
        .where('email', '=', 'planner@ballou.example')
        .executeTakeFirstOrThrow();
      expect(user.password_hash).toMatch(/^\$argon2id\$/);
      expect(user.password_hash).not.toContain(PASSWORD);
    });

    it('needs the CSRF token for writes made with the cookie', async () => {
      const res = await login('planner@ballou.example', PASSWORD);
      const cookie = sessionCookie(res);
      const { csrfToken } = res.json();
      const me = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } });
      // The web app recovers the CSRF token after a reload from /auth/me (same-origin only).
      expect(me.json()).toMatchObject({ role: 'manager', kind: 'user', engineerId: null, csrfToken });
      const body = { name: 'Gustav', phone: '+46701230000', email: 'gustav@ballou.example' };
      const without = await t.app.inject({
        method: 'POST',
        url: '/api/v1/engineers',
        headers: { cookie },
        payload: body,
      });
      expect(without.statusCode).toBe(403);
      expect(without.json().code).toBe('CSRF_FAILED');
      const wrong = await t.app.inject({
        method: 'POST',
        url: '/api/v1/engineers',
        headers: { cookie, 'x-csrf-token': 'csrf_wrong' },
        payload: body,
      });
      expect(wrong.statusCode).toBe(403);
      const ok = await t.app.inject({
        method: 'POST',
        url: '/api/v1/engineers',
        headers: { cookie, 'x-csrf-token': csrfToken },
        payload: body,
      });
      expect(ok.statusCode).toBe(201);
    });

    it('ends the session on the server at logout', async () => {
      const res = await login('planner@ballou.example', PASSWORD);
      const cookie = sessionCookie(res);
      const out = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/logout',
        headers: { cookie, 'x-csrf-token': res.json().csrfToken },
      });
      expect(out.statusCode).toBe(204);
      const after = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } });
      expect(after.statusCode).toBe(401);
    });

    it('expires an idle session', async () => {
      const res = await login('planner@ballou.example', PASSWORD);
      const cookie = sessionCookie(res);
      t.clock.advance((t.config.sessionIdleMinutes + 1) * 60_000);
      const after = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } });
      expect(after.statusCode).toBe(401);
    });

    it('answers the same for an unknown user and a wrong password, and locks after repeated failures', async () => {
      const unknown = await login('nobody@ballou.example', PASSWORD);
      const wrong = await login('locked@ballou.example', 'fel lösenord igen');
      expect(unknown.statusCode).toBe(401);
      expect(wrong.statusCode).toBe(401);
      expect(unknown.json().detail).toBe(wrong.json().detail);
      for (let i = 1; i < MAX_FAILED_LOGINS; i += 1)
        await login('locked@ballou.example', 'fel lösenord igen');
      const right = await login('locked@ballou.example', PASSWORD);
      expect(right.statusCode).toBe(401);
      t.clock.advance(16 * 60_000);
      expect((await login('locked@ballou.example', PASSWORD)).statusCode).toBe(200);
      const failures = await t.ctx.db
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'auth.login_failed')
        .execute();
      expect(failures.length).toBeGreaterThanOrEqual(MAX_FAILED_LOGINS + 1);
      expect(JSON.stringify(failures)).not.toContain('fel lösenord');
    });
  });
}

describe('login rate limit', () => {
  it('answers 429 problem+json after too many attempts from one address', async () => {
    const t = await startTestApp('sqlite', { BALLOU_LOGIN_RATE_LIMIT: '3' });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i += 1) {
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { email: 'x@ballou.example', password: 'whatever-password' },
        });
        statuses.push(res.statusCode);
        if (res.statusCode === 429) expect(res.headers['content-type']).toContain('application/problem+json');
      }
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
    } finally {
      await t.close();
    }
  });
});
