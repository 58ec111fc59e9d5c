import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { billingCounts, closedIncident, example, lineSummary, type Line } from './billing-helpers.js';
import { DIALECTS, startTestApp, type TestApp } from './support/test-runtime.js';

/** 2 Jan 2027 10:00 Stockholm: December 2026 has ended. */
const JAN_2 = Date.parse('2027-01-02T10:00:00+01:00');

async function pdfText(bytes: Buffer): Promise<string> {
  const pdf = await getDocument({ data: new Uint8Array(bytes), disableFontFace: true, verbosity: 0 }).promise;
  const pages: string[] = [];
  for (let i = 1; i <= pdf.numPages; i++) {
    const content = await (await pdf.getPage(i)).getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join(' '));
  }
  return pages.join('\n').replace(/\s+/g, ' ');
}

interface PreviewJson {
  id: string | null;
  number: string | null;
  status: string;
  customerId: string;
  netOre: number;
  vatOre: number;
  roundingOre: number;
  totalOre: number;
  lines: (Line & { id: string | null })[];
}

const totalsOf = (i: PreviewJson) => [i.customerId, i.netOre, i.vatOre, i.roundingOre, i.totalOre];

for (const dialect of DIALECTS) {
  describe(`invoice run preview on ${dialect}`, () => {
    let t: TestApp;
    let admin: string;
    let billing: string;
    const customers: Record<string, string> = {};

    beforeAll(async () => {
      t = await startTestApp(dialect);
      t.clock.set(JAN_2);
      admin = await t.token('admin');
      billing = await t.token('billing');
      const engineers: Record<string, string> = {};
      for (const [key, phone] of [
        ['anna', '+46709100001'],
        ['bo', '+46709100002'],
        ['cecilia', '+46709100003'],
      ] as const) {
        const r = await t.call('POST', '/api/v1/engineers', admin, {
          name: key,
          phone,
          email: `${key}@ballou.example`,
        });
        engineers[key] = r.json().id;
      }
      for (const [name, orgNumber, tier] of [
        ['Hög AB', '556036-0793', 'hog'],
        ['Incident AB', '556677-8899', 'incident'],
      ] as const) {
        const r = await t.call('POST', '/api/v1/customers', admin, {
          name,
          orgNumber,
          tier,
          agreementStart: '2026-01-01',
          address: { street: 'Storgatan 1', postalCode: '111 22', city: 'Stockholm', country: 'SE' },
        });
        expect(r.statusCode, r.body).toBe(201);
        customers[name] = r.json().id;
      }
      await closedIncident(t, admin, customers['Hög AB'] as string, engineers, example(3));
      for (const n of [1, 6])
        await closedIncident(t, admin, customers['Incident AB'] as string, engineers, example(n));
    });
    afterAll(async () => t?.close());

    it('refuses a bad month or an unknown field like the run, and a customer or engineer role', async () => {
      const bad = await t.call('POST', '/api/v1/invoice-runs/preview', billing, { month: '2027-13' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().errors[0].path).toBe('/month');
      const notEnded = await t.call('POST', '/api/v1/invoice-runs/preview', billing, { month: '2027-01' });
      expect(notEnded.statusCode).toBe(400);
      const extra = await t.call('POST', '/api/v1/invoice-runs/preview', billing, {
        month: '2026-12',
        dryRun: true,
      });
      expect(extra.statusCode).toBe(400);
      const engineer = await t.token('engineer');
      const denied = await t.call('POST', '/api/v1/invoice-runs/preview', engineer, { month: '2026-12' });
      expect(denied.statusCode).toBe(403);
      const pdfDenied = await t.call(
        'GET',
        `/api/v1/invoice-runs/preview.pdf?month=2026-12&customerId=${customers['Hög AB']}`,
        engineer,
      );
      expect(pdfDenied.statusCode).toBe(403);
    });

    it('previews without writing anything; the following run issues exactly what the preview showed', async () => {
      const before = await billingCounts(t);
      const r = await t.call('POST', '/api/v1/invoice-runs/preview', billing, { month: '2026-12' });
      expect(r.statusCode, r.body).toBe(200);
      const preview = r.json().invoices as PreviewJson[];
      expect(preview).toHaveLength(2);
      for (const p of preview) {
        expect(p.number).toBeNull();
        expect(p.id).toBeNull();
        expect(p.status).toBe('preview');
        expect(p.lines.length).toBeGreaterThan(0);
        expect(p.totalOre).toBeGreaterThan(0);
      }
      const pdf = await t.call(
        'GET',
        `/api/v1/invoice-runs/preview.pdf?month=2026-12&customerId=${customers['Incident AB']}`,
        billing,
      );
      expect(pdf.statusCode, pdf.body).toBe(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      expect(await billingCounts(t)).toEqual(before);

      const run = await t.call('POST', '/api/v1/invoice-runs', billing, { month: '2026-12' });
      expect(run.statusCode, run.body).toBe(201);
      const issued = run.json().invoices as PreviewJson[];
      expect(issued.map(totalsOf).sort()).toEqual(preview.map(totalsOf).sort());
      for (const p of preview) {
        const inv = issued.find((i) => i.customerId === p.customerId) as PreviewJson;
        expect(lineSummary(inv.lines)).toEqual(lineSummary(p.lines));
        expect(inv.number).toMatch(/^\d+$/);
      }
      expect((await billingCounts(t)).nextNumber).toBe(before.nextNumber + 2);

      // Once issued, the month has nothing left to preview.
      const after = await t.call('POST', '/api/v1/invoice-runs/preview', billing, { month: '2026-12' });
      expect(after.json().invoices).toEqual([]);
    });

    it('renders the draft PDF marked as a preview with the totals and no invoice number', async () => {
      // A fresh month: January 2027 work, previewed in February.
      t.clock.set(Date.parse('2027-02-02T10:00:00+01:00'));
      const r = await t.call('POST', '/api/v1/invoice-runs/preview', billing, { month: '2027-01' });
      expect(r.statusCode, r.body).toBe(200);
      const p = (r.json().invoices as PreviewJson[]).find((i) => i.customerId === customers['Hög AB']);
      expect(p).toBeDefined();
      const before = await billingCounts(t);
      const pdf = await t.call(
        'GET',
        `/api/v1/invoice-runs/preview.pdf?month=2027-01&customerId=${customers['Hög AB']}`,
        billing,
      );
      expect(pdf.statusCode, pdf.body).toBe(200);
      const text = await pdfText(pdf.rawPayload);
      expect(text).toContain('FÖRHANDSGRANSKNING – EJ FAKTURA');
      const kr = (ore: number) =>
        new Intl.NumberFormat('sv-SE', { minimumFractionDigits: 2 }).format(ore / 100).replace(/\s/g, ' ');
      expect(text.replace(/\s/g, ' ')).toContain(`Att betala (SEK) ${kr((p as PreviewJson).totalOre)} kr`);
      expect(text.replace(/\s/g, ' ')).toContain(`Summa exkl. moms ${kr((p as PreviewJson).netOre)} kr`);
      expect(text).not.toMatch(/Fakturanummer \d/);
      expect(text).not.toMatch(/OCR-nummer \d/);
      expect(await billingCounts(t)).toEqual(before);

      const unknown = await t.call(
        'GET',
        `/api/v1/invoice-runs/preview.pdf?month=2027-01&customerId=${crypto.randomUUID()}`,
        billing,
      );
      expect(unknown.statusCode).toBe(404);
      const badMonth = await t.call(
        'GET',
        `/api/v1/invoice-runs/preview.pdf?month=2027-1&customerId=${customers['Hög AB']}`,
        billing,
      );
      expect(badMonth.statusCode).toBe(400);
    });
  });
}
