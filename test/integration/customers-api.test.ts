import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, rowCounts, startTestApp, type TestApp } from './support/test-runtime.js';

const ACME = {
  name: 'Acme Drift AB',
  orgNumber: '556036-0793',
  vatNumber: 'SE556036079301',
  tier: 'hog',
  agreementStart: '2026-01-01',
  address: { street: 'Storgatan 1', postalCode: '111 22', city: 'Stockholm', country: 'SE' },
  invoiceEmail: 'faktura@acme.se',
  appOnCall: { name: 'Acme app-jour', phone: '+46701112233', email: 'jour@acme.se' },
};

const OTHER = {
  name: 'Annan Kund AB',
  orgNumber: '556677-0011',
  tier: 'incident',
  agreementStart: '2026-02-01',
};

for (const dialect of DIALECTS) {
  describe(`customers API on ${dialect}`, () => {
    let t: TestApp;
    let admin: string;
    let acmeId: string;
    let otherId: string;

    beforeAll(async () => {
      t = await startTestApp(dialect);
      admin = await t.token('admin');
    });
    afterAll(async () => t?.close());

    it('answers health with its database kind', async () => {
      const res = await t.call('GET', '/api/v1/health', null);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ status: 'ok', database: dialect });
    });

    it('creates a customer with an admin token and returns it with its tier history', async () => {
      const res = await t.call('POST', '/api/v1/customers', admin, ACME);
      expect(res.statusCode).toBe(201);
      const body = res.json();
      acmeId = body.id;
      expect(body).toMatchObject({
        name: 'Acme Drift AB',
        orgNumber: '556036-0793',
        tier: 'hog',
        tiers: [{ tier: 'hog', validFrom: '2026-01-01', validTo: null }],
        address: { city: 'Stockholm' },
        appOnCall: [{ name: 'Acme app-jour', phone: '+46701112233' }],
      });
      const got = await t.call('GET', `/api/v1/customers/${acmeId}`, admin);
      expect(got.json()).toEqual(body);
      otherId = (await t.call('POST', '/api/v1/customers', admin, OTHER)).json().id;
    });

    it('refuses without a token (401) and with a revoked or unknown token', async () => {
      expect((await t.call('POST', '/api/v1/customers', null, OTHER)).statusCode).toBe(401);
      expect((await t.call('GET', '/api/v1/customers', null)).statusCode).toBe(401);
      expect((await t.call('GET', '/api/v1/customers', 'bsa_not-a-token')).statusCode).toBe(401);
      const created = await t.call('POST', '/api/v1/tokens', admin, { name: 'short-lived', role: 'manager' });
      const { id, token } = created.json();
      expect((await t.call('GET', '/api/v1/customers', token)).statusCode).toBe(200);
      expect((await t.call('DELETE', `/api/v1/tokens/${id}`, admin)).statusCode).toBe(200);
      const after = await t.call('GET', '/api/v1/customers', token);
      expect(after.statusCode).toBe(401);
      expect(after.headers['content-type']).toContain('application/problem+json');
    });

    it("never shows a customer token another customer's data", async () => {
      const acmeToken = await t.token('customer', acmeId);
      const own = await t.call('GET', `/api/v1/customers/${acmeId}`, acmeToken);
      expect(own.statusCode).toBe(200);
      const foreign = await t.call('GET', `/api/v1/customers/${otherId}`, acmeToken);
      expect(foreign.statusCode).toBe(404);
      expect(foreign.body).not.toContain('Annan Kund');
      const list = await t.call('GET', '/api/v1/customers', acmeToken);
      expect(list.json().items.map((c: { id: string }) => c.id)).toEqual([acmeId]);
      for (const url of [`/api/v1/customers/${otherId}/contacts`, `/api/v1/customers/${otherId}/servers`]) {
        const res = await t.call('GET', url, acmeToken);
        expect(res.statusCode).toBe(404);
      }
      const write = await t.call('POST', `/api/v1/customers/${otherId}/contacts`, acmeToken, {
        name: 'Intrång',
        phone: '+46700000099',
      });
      expect(write.statusCode).toBe(404);
      // A customer may not create customers or read engineers at all.
      expect((await t.call('POST', '/api/v1/customers', acmeToken, OTHER)).statusCode).toBe(403);
      expect((await t.call('GET', '/api/v1/engineers', acmeToken)).statusCode).toBe(403);
    });

    it('lets roles do only their part', async () => {
      const engineer = await t.token('engineer');
      const billing = await t.token('billing');
      expect((await t.call('POST', '/api/v1/customers', engineer, OTHER)).statusCode).toBe(403);
      expect((await t.call('GET', '/api/v1/customers', engineer)).statusCode).toBe(200);
      expect((await t.call('POST', '/api/v1/tokens', billing, { name: 'x', role: 'admin' })).statusCode).toBe(
        403,
      );
      const patched = await t.call('PATCH', `/api/v1/customers/${otherId}`, billing, {
        invoiceEmail: 'ekonomi@annan.se',
      });
      expect(patched.statusCode).toBe(200);
      expect(patched.json().invoiceEmail).toBe('ekonomi@annan.se');
    });

    describe('bad input is a 4xx problem and writes nothing', () => {
      const cases: Array<[string, unknown, number, string | null]> = [
        ['missing field', { ...OTHER, name: undefined, orgNumber: '556677-0029' }, 400, '/name'],
        ['wrong type', { ...OTHER, name: 42, orgNumber: '556677-0029' }, 400, '/name'],
        ['unknown tier', { ...OTHER, tier: 'gold', orgNumber: '556677-0029' }, 400, '/tier'],
        ['unknown field', { ...OTHER, orgNumber: '556677-0029', isAdmin: true }, 400, '/isAdmin'],
        ['bad check digit', { ...OTHER, orgNumber: '556677-0012' }, 400, '/orgNumber'],
        [
          'impossible date',
          { ...OTHER, orgNumber: '556677-0029', agreementStart: '2026-02-30' },
          400,
          '/agreementStart',
        ],
        [
          'end before start',
          { ...OTHER, orgNumber: '556677-0029', agreementEnd: '2025-01-01' },
          400,
          '/agreementEnd',
        ],
        ['duplicate org number', { ...OTHER }, 409, '/orgNumber'],
        ['bad e-mail', { ...OTHER, orgNumber: '556677-0029', invoiceEmail: 'nope' }, 400, '/invoiceEmail'],
        ['array body', [OTHER], 400, null],
      ];
      for (const [name, body, status, field] of cases) {
        it(name, async () => {
          const before = await rowCounts(t.ctx);
          const res = await t.call('POST', '/api/v1/customers', admin, body);
          expect(res.statusCode).toBe(status);
          expect(res.headers['content-type']).toContain('application/problem+json');
          const problem = res.json();
          expect(problem).toMatchObject({ status, type: expect.any(String), title: expect.any(String) });
          if (field) expect(problem.errors.map((e: { path: string }) => e.path)).toContain(field);
          expect(await rowCounts(t.ctx)).toEqual(before);
        });
      }

      it('malformed JSON', async () => {
        const before = await rowCounts(t.ctx);
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/v1/customers',
          headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
          payload: '{"name": "Broken",',
        });
        expect(res.statusCode).toBe(400);
        expect(res.json().code).toBe('MALFORMED_JSON');
        expect(await rowCounts(t.ctx)).toEqual(before);
      });

      it('oversized body', async () => {
        const before = await rowCounts(t.ctx);
        const res = await t.call('POST', '/api/v1/customers', admin, {
          ...OTHER,
          name: 'x'.repeat(2 * 1024 * 1024),
        });
        expect(res.statusCode).toBe(413);
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect(await rowCounts(t.ctx)).toEqual(before);
      });

      it('form-encoded body to a JSON route', async () => {
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/v1/customers',
          headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/x-www-form-urlencoded' },
          payload: 'name=Form&orgNumber=556677-0029&tier=hog&agreementStart=2026-01-01',
        });
        expect(res.statusCode).toBe(415);
      });

      it('wrong content type', async () => {
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/v1/customers',
          headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/xml' },
          payload: '<customer/>',
        });
        expect(res.statusCode).toBe(415);
      });
    });

    it('keeps the tier history when the tier changes mid-year', async () => {
      const res = await t.call('POST', `/api/v1/customers/${otherId}/tiers`, admin, {
        tier: 'hog',
        validFrom: '2026-12-15',
      });
      expect(res.statusCode).toBe(201);
      expect(res.json().tiers).toEqual([
        { tier: 'incident', validFrom: '2026-02-01', validTo: '2026-12-15' },
        { tier: 'hog', validFrom: '2026-12-15', validTo: null },
      ]);
      expect(res.json().tier).toBe('incident'); // "now" is 2026-12-01
      const rewrite = await t.call('POST', `/api/v1/customers/${otherId}/tiers`, admin, {
        tier: 'none',
        validFrom: '2026-03-01',
      });
      expect(rewrite.statusCode).toBe(409);
    });

    it('moves the first tier period with the agreement start, but not past a tier change', async () => {
      const moved = await t.call('PATCH', `/api/v1/customers/${otherId}`, admin, {
        agreementStart: '2026-01-15',
      });
      expect(moved.statusCode).toBe(200);
      expect(moved.json().tiers[0]).toEqual({
        tier: 'incident',
        validFrom: '2026-01-15',
        validTo: '2026-12-15',
      });
      const before = await rowCounts(t.ctx);
      const tooLate = await t.call('PATCH', `/api/v1/customers/${otherId}`, admin, {
        agreementStart: '2026-12-20',
      });
      expect(tooLate.statusCode).toBe(409);
      expect(tooLate.json().errors[0].path).toBe('/agreementStart');
      expect(await rowCounts(t.ctx)).toEqual(before);
      expect((await t.call('GET', `/api/v1/customers/${otherId}`, admin)).json().agreementStart).toBe(
        '2026-01-15',
      );
    });

    it('adds contacts, servers and app-level on-call contacts', async () => {
      const contact = await t.call('POST', `/api/v1/customers/${acmeId}/contacts`, admin, {
        name: 'Eva Drift',
        phone: '+46705550001',
        email: 'eva@acme.se',
      });
      expect(contact.statusCode).toBe(201);
      const samePhone = await t.call('POST', `/api/v1/customers/${otherId}/contacts`, admin, {
        name: 'Dubblett',
        phone: '+46705550001',
      });
      expect(samePhone.statusCode).toBe(409);
      const badPhone = await t.call('POST', `/api/v1/customers/${acmeId}/contacts`, admin, {
        name: 'X',
        phone: '0705550001',
      });
      expect(badPhone.statusCode).toBe(400);
      expect(badPhone.json().errors[0].path).toBe('/phone');

      const hostKey = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';
      const server = await t.call('POST', `/api/v1/customers/${acmeId}/servers`, admin, {
        hostname: 'web1.acme.se',
        ssh: { host: '10.0.0.5', user: 'ballou', hostKey: `${hostKey} root@web1` },
        criticalData: true,
      });
      expect(server.statusCode).toBe(201);
      expect(server.json()).toMatchObject({
        hostname: 'web1.acme.se',
        ssh: { port: 22, hostKey },
        criticalData: true,
      });
      const badKey = await t.call('POST', `/api/v1/customers/${acmeId}/servers`, admin, {
        hostname: 'web2.acme.se',
        ssh: { host: '10.0.0.6', user: 'ballou', hostKey: 'ssh-ed25519 AAAAnotakey' },
      });
      expect(badKey.statusCode).toBe(400);
      expect(badKey.json().errors[0].path).toBe('/ssh/hostKey');

      const acmeToken = await t.token('customer', acmeId);
      const appOnCall = await t.call('POST', `/api/v1/customers/${acmeId}/app-oncall`, acmeToken, {
        name: 'Nattjour app',
        phone: '+46707770000',
      });
      expect(appOnCall.statusCode).toBe(201);
      const servers = await t.call('GET', `/api/v1/customers/${acmeId}/servers`, acmeToken);
      expect(servers.json()).toHaveLength(1);
      // The customer may not register servers: the hosting company does.
      const own = await t.call('POST', `/api/v1/customers/${acmeId}/servers`, acmeToken, {
        hostname: 'x.acme.se',
      });
      expect(own.statusCode).toBe(403);
    });

    it('writes an audit record in the same transaction as each change', async () => {
      const rows = await t.ctx.db
        .selectFrom('audit_log')
        .selectAll()
        .where('entity_id', '=', acmeId)
        .execute();
      expect(rows.map((r) => r.action)).toContain('customer.created');
      expect(rows[0]?.actor_type).toBe('token');
    });

    it('paginates customers with a cursor', async () => {
      const first = await t.call('GET', '/api/v1/customers?limit=1', admin);
      const page1 = first.json();
      expect(page1.items).toHaveLength(1);
      expect(page1.nextCursor).toEqual(expect.any(String));
      const second = await t.call('GET', `/api/v1/customers?limit=1&cursor=${page1.nextCursor}`, admin);
      expect(second.json().items[0].id).not.toBe(page1.items[0].id);
      expect((await t.call('GET', '/api/v1/customers?limit=0', admin)).statusCode).toBe(400);
      expect((await t.call('GET', '/api/v1/customers?cursor=garbage', admin)).statusCode).toBe(400);
    });
  });
}
