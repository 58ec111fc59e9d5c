import os from 'node:os';
import { sql } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInvoiceMonth } from '../../src/app/billing/invoice-run.js';
import { bootstrap, type Runtime } from '../../src/app/bootstrap.js';
import { loadConfig } from '../../src/config/config.js';
import { fixedClock } from '../../src/domain/shared/clock.js';
import { billingCounts } from './billing-helpers.js';
import { DIALECTS, startTestApp, SYSTEM, type TestApp } from './support/test-runtime.js';

const ORG_NUMBERS = [
  '556036-0793',
  '556677-8899',
  '559000-0005',
  '556016-0680',
  '556703-7485',
  '556000-0001',
];

async function invoiceNumbers(
  t: TestApp,
  month: string,
): Promise<{ customer_id: string; number: string | null; lines: number }[]> {
  const rows = await t.ctx.db
    .selectFrom('invoices')
    .select(['id', 'customer_id', 'number'])
    .where('month', '=', month)
    .where('kind', '=', 'invoice')
    .orderBy(sql`cast(number as integer)`)
    .execute();
  const out = [];
  for (const r of rows) {
    const n = await t.ctx.db
      .selectFrom('invoice_lines')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('invoice_id', '=', r.id)
      .executeTakeFirstOrThrow();
    out.push({ customer_id: r.customer_id, number: r.number, lines: Number(n.n) });
  }
  return out;
}

for (const dialect of DIALECTS) {
  describe(`invoice runs under concurrency and crashes on ${dialect}`, () => {
    let t: TestApp;
    let billing: string;
    const customers: string[] = [];

    beforeAll(async () => {
      t = await startTestApp(dialect);
      billing = await t.token('billing');
      const admin = await t.token('admin');
      for (const [i, orgNumber] of ORG_NUMBERS.entries()) {
        const r = await t.call('POST', '/api/v1/customers', admin, {
          name: `Kund ${i + 1}`,
          orgNumber,
          tier: i % 2 === 0 ? 'hog' : 'incident',
          agreementStart: '2026-01-01',
        });
        expect(r.statusCode, r.body).toBe(201);
        customers.push(r.json().id);
      }
    });

    afterAll(async () => {
      await t?.close();
    });

    it('two concurrent calls issue one set of invoices with consecutive numbers', async () => {
      const [a, b] = await Promise.all([
        t.call('POST', '/api/v1/invoice-runs', billing, { month: '2026-08' }),
        t.call('POST', '/api/v1/invoice-runs', billing, { month: '2026-08' }),
      ]);
      expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
      expect(a.json().created + b.json().created).toBe(6);
      expect(a.json().invoices).toEqual(b.json().invoices);
      expect(a.json().invoices.map((i: { number: string }) => i.number)).toEqual([
        '1',
        '2',
        '3',
        '4',
        '5',
        '6',
      ]);
      expect((await invoiceNumbers(t, '2026-08')).map((r) => r.number)).toEqual([
        '1',
        '2',
        '3',
        '4',
        '5',
        '6',
      ]);
    });

    it('a crash between batches leaves whole invoices only; the rerun completes without gaps or duplicates', async () => {
      // Two customers per transaction: the "crash" comes after the first batch's commit.
      await expect(
        runInvoiceMonth(
          t.ctx,
          SYSTEM,
          '2026-09',
          (p) => {
            if (p.done === 2) throw new Error('power cut');
          },
          { customersPerTransaction: 2 },
        ),
      ).rejects.toThrow('power cut');
      const partial = await invoiceNumbers(t, '2026-09');
      expect(partial.map((r) => [r.number, r.lines])).toEqual([
        ['7', 1],
        ['8', 1],
      ]);
      expect((await billingCounts(t)).nextNumber).toBe(9);
      const rerun = await t.call('POST', '/api/v1/invoice-runs', billing, { month: '2026-09' });
      expect(rerun.json().created).toBe(4);
      expect(rerun.json().invoices.map((i: { number: string }) => i.number)).toEqual([
        '7',
        '8',
        '9',
        '10',
        '11',
        '12',
      ]);
      expect(new Set((await invoiceNumbers(t, '2026-09')).map((r) => r.customer_id)).size).toBe(6);
    });

    it('a failure inside an invoice rolls all of it back, its number too', async () => {
      const victim = customers[2] as string;
      // Fault injection: the database refuses to issue the third customer's invoice.
      if (dialect === 'postgres') {
        await sql`create function test_fail_issue() returns trigger language plpgsql as $$
          begin raise exception 'injected failure'; end $$`.execute(t.ctx.db);
        await sql`create trigger test_fail_issue before update on invoices for each row
          when (new.customer_id = ${sql.lit(victim)}) execute function test_fail_issue()`.execute(t.ctx.db);
      } else {
        await sql`create trigger test_fail_issue before update on invoices
          when new.customer_id = ${sql.lit(victim)} begin select raise(abort, 'injected failure'); end`.execute(
          t.ctx.db,
        );
      }
      const before = await billingCounts(t);
      const failed = await t.call('POST', '/api/v1/invoice-runs', billing, { month: '2026-10' });
      expect(failed.statusCode).toBe(500);
      const after = await invoiceNumbers(t, '2026-10');
      // Customers are taken in name order: the first two are whole, the third left nothing behind.
      expect(after.map((r) => [r.number, r.lines])).toEqual([
        ['13', 1],
        ['14', 1],
      ]);
      const drafts = await t.ctx.db
        .selectFrom('invoices')
        .select('id')
        .where('customer_id', '=', victim)
        .where('month', '=', '2026-10')
        .execute();
      expect(drafts).toEqual([]);
      expect((await billingCounts(t)).nextNumber).toBe(before.nextNumber + 2);
      await sql`drop trigger test_fail_issue${dialect === 'postgres' ? sql` on invoices` : sql``}`.execute(
        t.ctx.db,
      );
      const rerun = await t.call('POST', '/api/v1/invoice-runs', billing, { month: '2026-10' });
      expect(rerun.json().invoices.map((i: { number: string }) => i.number)).toEqual([
        '13',
        '14',
        '15',
        '16',
        '17',
        '18',
      ]);
      expect(rerun.json().invoices[2].customerId).toBe(victim);
    });

    it.runIf(dialect === 'postgres')('two app runtimes on one database issue one gap-free set', async () => {
      const config = loadConfig({ BALLOU_DATABASE_URL: t.databaseUrl, BALLOU_DEMO_DATA: '0' }, os.tmpdir());
      const second: Runtime = await bootstrap(config, pino({ level: 'silent' }));
      second.ctx.clock = fixedClock(t.clock.now());
      try {
        const results = await Promise.all([
          runInvoiceMonth(t.ctx, SYSTEM, '2026-11'),
          runInvoiceMonth(second.ctx, SYSTEM, '2026-11'),
        ]);
        expect(results[0].created + results[1].created).toBe(6);
        expect(results[0].invoices).toEqual(results[1].invoices);
        expect(results[0].invoices.map((i) => i.number)).toEqual(['19', '20', '21', '22', '23', '24']);
      } finally {
        await second.database.close();
      }
    });
  });
}
