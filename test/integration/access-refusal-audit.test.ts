// A refused request of someone signed in is on record in the audit log (ASVS 5.0 16.3.2): who tried
// which route with which role, once a minute per principal, route and reason, so a retrying script does
// not fill the log. It changes nothing else.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/app/auth/users.js';
import { DIALECTS, SYSTEM, TEST_NOW, rowCounts, startTestApp, type TestApp } from './support/test-runtime.js';

for (const dialect of DIALECTS) {
  describe(`refused requests in the audit log on ${dialect}`, () => {
    let t: TestApp;
    let customerId: string;
    let customerToken: string;
    let engineerToken: string;

    const refusals = () =>
      t.ctx.db
        .selectFrom('audit_log')
        .select(['actor_type', 'actor_id', 'actor_name', 'entity_id', 'customer_id', 'data', 'request_id'])
        .where('action', '=', 'access.refused')
        .orderBy('seq')
        .execute();

    beforeAll(async () => {
      t = await startTestApp(dialect);
      const admin = await t.token('admin');
      customerId = (
        await t.call('POST', '/api/v1/customers', admin, {
          name: 'Granskad AB',
          orgNumber: '556677-8899',
          tier: 'hog',
          agreementStart: '2026-01-01',
        })
      ).json().id;
      customerToken = await t.token('customer', customerId);
      engineerToken = await t.token('engineer');
    });
    afterAll(async () => t?.close());

    it('records who was refused which route, with their role, and changes nothing else', async () => {
      const before = await rowCounts(t.ctx);
      const refused = await t.call('GET', '/api/v1/engineers', customerToken);
      expect(refused.statusCode).toBe(403);
      const [record, ...rest] = await refusals();
      expect(rest).toEqual([]);
      expect(record).toMatchObject({
        actor_type: 'token',
        entity_id: 'GET /api/v1/engineers',
        customer_id: customerId,
        request_id: refused.json().requestId,
      });
      expect(JSON.parse(record?.data as string)).toEqual({ code: 'FORBIDDEN', role: 'customer' });
      expect(await rowCounts(t.ctx)).toEqual(before);
    });

    it('names the route by its pattern, not by the URL that was asked for', async () => {
      // An engineer may not change a customer; the URL's id does not appear, the pattern does.
      const refused = await t.call('PATCH', `/api/v1/customers/${customerId}`, engineerToken, {
        name: 'X AB',
      });
      expect(refused.statusCode).toBe(403);
      const last = (await refusals()).at(-1);
      expect(last?.entity_id).toBe('PATCH /api/v1/customers/:id');
      expect(JSON.parse(last?.data as string)).toEqual({ code: 'FORBIDDEN', role: 'engineer' });
    });

    it('records a refusal made inside a use case as well as by the route', async () => {
      // Every role may reach the route; the use case refuses a token (a password belongs to a login).
      const refused = await t.call('POST', '/api/v1/auth/password', engineerToken, {
        currentPassword: 'x',
        newPassword: 'en annan lång lösenfras',
      });
      expect(refused.statusCode).toBe(403);
      const last = (await refusals()).at(-1);
      expect(last).toMatchObject({
        entity_id: 'POST /api/v1/auth/password',
        request_id: refused.json().requestId,
      });
      expect(JSON.parse(last?.data as string)).toEqual({ code: 'FORBIDDEN', role: 'engineer' });
    });

    it('records a script retrying a refused call once a minute, not at every try', async () => {
      const count = async () =>
        (await refusals()).filter((r) => r.entity_id === 'GET /api/v1/invoices').length;
      const before = await count();
      for (let i = 0; i < 5; i++)
        expect((await t.call('GET', '/api/v1/invoices', engineerToken)).statusCode).toBe(403);
      expect(await count()).toBe(before + 1);
      t.clock.set(TEST_NOW + 61_000);
      expect((await t.call('GET', '/api/v1/invoices', engineerToken)).statusCode).toBe(403);
      expect(await count()).toBe(before + 2);
    });

    it("records a signed-in user's change sent without the session's CSRF token, naming the user", async () => {
      const user = await createUser(t.ctx, SYSTEM, {
        email: 'planerare@ballou.example',
        name: 'Petra Planerare',
        password: 'en lång lösenfras för test',
        role: 'manager',
      });
      const login = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: 'planerare@ballou.example', password: 'en lång lösenfras för test' },
      });
      const cookie = String(login.headers['set-cookie']).split(';')[0] as string;
      const refused = await t.app.inject({
        method: 'POST',
        url: '/api/v1/customers',
        headers: { cookie },
        payload: {
          name: 'Utan token AB',
          orgNumber: '556000-0001',
          tier: 'none',
          agreementStart: '2026-01-01',
        },
      });
      expect(refused.statusCode).toBe(403);
      expect(refused.json().code).toBe('CSRF_FAILED');
      const last = (await refusals()).at(-1);
      expect(last).toMatchObject({
        actor_type: 'user',
        actor_id: user.id,
        actor_name: 'Petra Planerare',
        entity_id: 'POST /api/v1/customers',
      });
      expect(JSON.parse(last?.data as string)).toEqual({ code: 'CSRF_FAILED', role: 'manager' });
    });

    it('leaves requests without a valid credential to the request log (no principal to name)', async () => {
      const before = (await refusals()).length;
      expect((await t.call('GET', '/api/v1/engineers', 'blt_not-a-token')).statusCode).toBe(401);
      expect((await t.call('GET', '/api/v1/engineers', null)).statusCode).toBe(401);
      expect((await refusals()).length).toBe(before);
    });
  });
}
