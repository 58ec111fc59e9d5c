import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer } from '../../src/app/customers/create-customer.js';
import { DIALECTS, SYSTEM, startTestApp, type TestApp } from './support/test-runtime.js';

for (const dialect of DIALECTS) {
  describe(`audit log on ${dialect}`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp(dialect);
      await createCustomer(t.ctx, SYSTEM, {
        name: 'Revisor AB',
        orgNumber: '556123-4567',
        tier: 'none',
        agreementStart: '2026-01-01',
      });
    });
    afterAll(async () => t?.close());

    it('refuses updates and deletes at the database level', async () => {
      const before = await t.ctx.db.selectFrom('audit_log').selectAll().execute();
      expect(before.length).toBeGreaterThan(0);
      await expect(t.ctx.db.updateTable('audit_log').set({ action: 'tampered' }).execute()).rejects.toThrow(
        /append-only/,
      );
      await expect(t.ctx.db.deleteFrom('audit_log').execute()).rejects.toThrow(/append-only/);
      expect(await t.ctx.db.selectFrom('audit_log').selectAll().execute()).toEqual(before);
    });

    it('is written in the same transaction as the change: a refused change leaves no audit record', async () => {
      const count = async () => (await t.ctx.db.selectFrom('audit_log').selectAll().execute()).length;
      const before = await count();
      await expect(
        createCustomer(t.ctx, SYSTEM, {
          name: 'Dubblett AB',
          orgNumber: '556123-4567',
          tier: 'none',
          agreementStart: '2026-01-01',
        }),
      ).rejects.toThrow(/already exists/);
      expect(await count()).toBe(before);
    });
  });
}
