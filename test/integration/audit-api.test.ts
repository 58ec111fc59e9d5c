// The audit log read back by an administrator: newest first, a page at a time by a cursor, filtered by
// action, entity or customer; nobody else may read it (and trying is itself on record).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestApp, type TestApp } from './support/test-runtime.js';

interface AuditRecord {
  seq: number;
  at: string;
  actor: { type: string; id: string | null; name: string | null };
  action: string;
  entityType: string;
  entityId: string | null;
  customerId: string | null;
  data: Record<string, unknown>;
  requestId: string | null;
}

for (const dialect of DIALECTS) {
  describe(`the audit log API on ${dialect}`, () => {
    let t: TestApp;
    let admin: string;
    const customers: string[] = [];

    const read = async (query = '') => {
      const res = await t.call('GET', `/api/v1/audit${query}`, admin);
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as { items: AuditRecord[]; nextBefore: number | null };
    };

    beforeAll(async () => {
      t = await startTestApp(dialect);
      admin = await t.token('admin');
      for (const [name, orgNumber] of [
        ['Loggad Ett AB', '556010-0009'],
        ['Loggad Två AB', '556010-0017'],
        ['Loggad Tre AB', '556010-0025'],
      ] as const) {
        const res = await t.call('POST', '/api/v1/customers', admin, {
          name,
          orgNumber,
          tier: 'incident',
          agreementStart: '2026-01-01',
        });
        expect(res.statusCode, res.body).toBe(201);
        customers.push(res.json().id);
      }
      const renamed = await t.call('PATCH', `/api/v1/customers/${customers[0]}`, admin, {
        name: 'Loggad Ettan AB',
      });
      expect(renamed.statusCode, renamed.body).toBe(200);
    });
    afterAll(async () => t?.close());

    it('shows what was done, by whom, newest first, with the change itself', async () => {
      const { items } = await read();
      const seqs = items.map((r) => r.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
      const [latest] = items.filter((r) => r.entityId === customers[0]);
      expect(latest).toMatchObject({
        action: 'customer.updated',
        entityType: 'customer',
        customerId: customers[0],
        actor: { type: 'token' },
      });
      expect(JSON.stringify(latest?.data)).toContain('Loggad Ettan AB');
      expect(latest?.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);
    });

    it('pages back through the whole log by its cursor, each record once', async () => {
      const all = (await read('?limit=200')).items.map((r) => r.seq);
      const seen: number[] = [];
      let before: number | null = null;
      do {
        const page: { items: AuditRecord[]; nextBefore: number | null } = await read(
          `?limit=2${before === null ? '' : `&before=${before}`}`,
        );
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((r) => r.seq));
        before = page.nextBefore;
      } while (before !== null);
      expect(seen).toEqual(all);
    });

    it('filters by customer, by entity and by action', async () => {
      const ofSecond = await read(`?customerId=${customers[1]}`);
      expect(ofSecond.items.length).toBeGreaterThan(0);
      expect(ofSecond.items.every((r) => r.customerId === customers[1])).toBe(true);
      const entity = await read(`?entityType=customer&entityId=${customers[0]}`);
      expect(entity.items.map((r) => r.action)).toEqual(['customer.updated', 'customer.created']);
      const created = await read('?action=customer.created');
      expect(created.items.map((r) => r.entityId).sort()).toEqual([...customers].sort());
    });

    it('is for administrators only, and a refused reader is on record', async () => {
      for (const role of ['manager', 'engineer', 'billing'] as const) {
        const res = await t.call('GET', '/api/v1/audit', await t.token(role));
        expect(res.statusCode, role).toBe(403);
      }
      const customer = await t.call('GET', '/api/v1/audit', await t.token('customer', customers[0]));
      expect(customer.statusCode).toBe(403);
      const refused = await read('?action=access.refused');
      expect(refused.items.map((r) => r.data.role).sort()).toEqual([
        'billing',
        'customer',
        'engineer',
        'manager',
      ]);
      expect(refused.items.every((r) => r.entityId === 'GET /api/v1/audit')).toBe(true);
    });

    it('answers a bad filter with 400 naming it', async () => {
      for (const [query, path] of [
        ['?limit=0', '/querystring/limit'],
        ['?limit=201', '/querystring/limit'],
        ['?before=-1', '/querystring/before'],
        ['?action=DROP%20TABLE', '/querystring/action'],
        ['?entityType=Kund!', '/querystring/entityType'],
        ['?sort=asc', ''],
      ] as const) {
        const res = await t.call('GET', `/api/v1/audit${query}`, admin);
        expect(res.statusCode, query).toBe(400);
        if (path)
          expect(
            res.json().errors.map((e: { path: string }) => e.path),
            query,
          ).toContain(path);
      }
    });
  });
}
