import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateBillingMonth, type BillingMonthData } from '../../bench/support/billing-month-data.js';
import { DIALECTS, startTestApp, type TestApp } from './support/test-runtime.js';

/**
 * The invoice run reads and writes in bulk (issue 10: a month of 10 000 customers in under a minute);
 * what it issues must not change by a single öre, line or number. The snapshot beside this file was
 * written by the run as it was before the bulk reads (one query per customer and per incident), on the
 * bench's generated month at a small size: every customer tier, agreements starting and ending mid-month,
 * tier changes, incidents at all hours across Christmas and New Year's Eve, late-closed and still-open
 * incidents, operations work in contract and on account. Both engines must match it exactly.
 * BALLOU_TEST_EQUIVALENCE_CUSTOMERS/INCIDENTS run a bigger month (compared between engines only).
 */
const JAN_2 = Date.parse('2027-01-02T10:00:00+01:00');
const CUSTOMERS = Number(process.env.BALLOU_TEST_EQUIVALENCE_CUSTOMERS ?? 60);
const INCIDENTS = Number(process.env.BALLOU_TEST_EQUIVALENCE_INCIDENTS ?? 700);
const SNAPSHOT_SIZE = CUSTOMERS === 60 && INCIDENTS === 700;

interface InvoiceJson {
  number: string;
  customerId: string;
  netOre: number;
  vatOre: number;
  roundingOre: number;
  totalOre: number;
  buyer: { orgNumber: string };
  lines: {
    position: number;
    kind: string;
    description: string;
    incidentRef: string | null;
    serviceDate: string | null;
    quantity: number;
    unit: string;
    unitPriceOre: number;
    baseQuantity: number;
    factor: number;
    amountOre: number;
  }[];
}

/** Everything of an invoice a customer or an accountant sees, minus the random ids. */
function essence(invoice: InvoiceJson) {
  return {
    number: invoice.number,
    buyer: invoice.buyer.orgNumber,
    totals: [invoice.netOre, invoice.vatOre, invoice.roundingOre, invoice.totalOre].join(' '),
    lines: invoice.lines.map((l) =>
      [
        l.position,
        l.kind,
        l.description,
        l.incidentRef ?? '',
        l.serviceDate ?? '',
        `${l.quantity} ${l.unit} × ${l.unitPriceOre}/${l.baseQuantity} × ${l.factor}`,
        l.amountOre,
      ].join(' | '),
    ),
  };
}

const issuedByEngine = new Map<string, ReturnType<typeof essence>[]>();

for (const dialect of DIALECTS) {
  describe(`invoice run on ${dialect}: a generated December, invoice for invoice as before`, () => {
    let t: TestApp;
    let data: BillingMonthData;
    let billing: string;

    beforeAll(async () => {
      t = await startTestApp(dialect);
      t.clock.set(JAN_2);
      billing = await t.token('billing');
      data = await generateBillingMonth(t.ctx.db, {
        customers: CUSTOMERS,
        incidents: INCIDENTS,
        month: '2026-12',
        seed: 2026_12,
      });
    }, 120_000);
    afterAll(async () => t?.close());

    it('issues the same invoices, lines, totals and numbers as the run before the bulk reads', async () => {
      const preview = await t.call('POST', '/api/v1/invoice-runs/preview', billing, { month: '2026-12' });
      expect(preview.statusCode, preview.body).toBe(200);
      const res = await t.call('POST', '/api/v1/invoice-runs', billing, { month: '2026-12' });
      expect(res.statusCode, res.body).toBe(201);
      const run = res.json() as { created: number; invoices: InvoiceJson[] };
      expect(run.created).toBe(run.invoices.length);
      const issued = run.invoices.map(essence);
      // Numbers are gap-free from 1 in the run's order.
      expect(issued.map((i) => Number(i.number))).toEqual(issued.map((_, i) => i + 1));
      // The preview showed exactly what was then issued (bar the numbers).
      const previewed = (preview.json() as { invoices: InvoiceJson[] }).invoices.map((i) => ({
        ...essence(i),
        number: null,
      }));
      expect(previewed).toEqual(issued.map((i) => ({ ...i, number: null })));
      // Every closed incident and every piece of operations work is on exactly one invoice now.
      const invoiced = await t.ctx.db
        .selectFrom('invoiced_incidents')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(invoiced.n)).toBe(data.incidents);
      const openWork = await t.ctx.db
        .selectFrom('operations_work')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('invoice_line_id', 'is', null)
        .executeTakeFirstOrThrow();
      expect(Number(openWork.n)).toBe(0);
      if (SNAPSHOT_SIZE) {
        await expect(`${JSON.stringify(issued, null, 1)}\n`).toMatchFileSnapshot(
          './billing-run-equivalence.snapshot.json',
        );
      }
      const other = [...issuedByEngine.values()][0];
      if (other) expect(issued).toEqual(other);
      issuedByEngine.set(dialect, issued);
    }, 120_000);

    it('issues nothing more when run again, and answers the same invoices', async () => {
      const res = await t.call('POST', '/api/v1/invoice-runs', billing, { month: '2026-12' });
      expect(res.statusCode, res.body).toBe(201);
      const again = res.json() as { created: number; invoices: InvoiceJson[] };
      expect(again.created).toBe(0);
      expect(again.invoices.map(essence)).toEqual(issuedByEngine.get(dialect));
    }, 120_000);
  });
}
