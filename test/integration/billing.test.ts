import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { readSie } from '../../src/domain/billing/sie-reader.test-support.js';
import { checkPeppolBis3 } from '../../src/integrations/billing-renderings/peppol-rules.test-support.js';
import { billingCounts, closedIncident, example, lineSummary } from './billing-helpers.js';
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

interface InvoiceJson {
  id: string;
  number: string;
  customerId: string;
  netOre: number;
  vatOre: number;
  roundingOre: number;
  totalOre: number;
  issueDate: string;
  dueDate: string;
  ocr: string;
  lines: {
    description: string;
    quantity: number;
    unitPriceOre: number;
    amountOre: number;
    kind: string;
    incidentRef: string | null;
    factor: number;
    serviceDate: string | null;
  }[];
  seller: Record<string, unknown>;
  buyer: Record<string, unknown>;
}

for (const dialect of DIALECTS) {
  describe(`month-end billing on ${dialect}: December 2026 for every tier`, () => {
    let t: TestApp;
    let admin: string;
    let billing: string;
    const customers: Record<string, string> = {};
    const engineers: Record<string, string> = {};
    const refs: Record<number, string> = {};
    let run: { runId: string; created: number; invoices: InvoiceJson[] };
    const invoiceOf = (name: string) =>
      run.invoices.find((i) => i.customerId === customers[name]) as InvoiceJson;

    beforeAll(async () => {
      t = await startTestApp(dialect);
      t.clock.set(JAN_2);
      admin = await t.token('admin');
      billing = await t.token('billing');
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
      const create = async (name: string, orgNumber: string, tier: string, agreementStart: string) => {
        const r = await t.call('POST', '/api/v1/customers', admin, {
          name,
          orgNumber,
          tier,
          agreementStart,
          vatNumber: `SE${orgNumber.replace('-', '')}01`,
          address: { street: 'Storgatan 1', postalCode: '111 22', city: 'Stockholm', country: 'SE' },
        });
        expect(r.statusCode, r.body).toBe(201);
        customers[name] = r.json().id;
      };
      await create('Hög AB', '556036-0793', 'hog', '2026-01-01');
      await create('Incident AB', '556677-8899', 'incident', '2026-01-01');
      await create('Utan AB', '559000-0005', 'none', '2026-01-01');
      await create('Ny AB', '556016-0680', 'hog', '2026-12-16');
      await create('Byte AB', '556703-7485', 'incident', '2026-01-01');
      const change = await t.call('POST', `/api/v1/customers/${customers['Byte AB']}/tiers`, admin, {
        tier: 'hog',
        validFrom: '2026-12-05',
      });
      expect(change.statusCode, change.body).toBe(201);

      for (const n of [8, 3, 5])
        refs[n] = (await closedIncident(t, admin, customers['Hög AB'] as string, engineers, example(n))).ref;
      for (const n of [1, 2, 7, 11, 6])
        refs[n] = (
          await closedIncident(t, admin, customers['Incident AB'] as string, engineers, example(n))
        ).ref;
      for (const n of [10, 4])
        refs[n] = (await closedIncident(t, admin, customers['Utan AB'] as string, engineers, example(n))).ref;
      // Byte AB: example 2 before the change to hog (tier incident), example 3 after it (tier hog).
      refs[102] = (await closedIncident(t, admin, customers['Byte AB'] as string, engineers, example(2))).ref;
      refs[103] = (await closedIncident(t, admin, customers['Byte AB'] as string, engineers, example(3))).ref;

      // Operations on Ny AB's server: a tape change on account (70 min → 2 started hours), an update in contract.
      const server = await t.call('POST', `/api/v1/customers/${customers['Ny AB']}/servers`, admin, {
        hostname: 'web1.ny.se',
      });
      expect(server.statusCode, server.body).toBe(201);
      const task = async (body: unknown) => {
        const r = await t.call('POST', `/api/v1/servers/${server.json().id}/operations-tasks`, billing, body);
        expect(r.statusCode, r.body).toBe(201);
        return r.json().id as string;
      };
      const tape = await task({ kind: 'tape_change', title: 'Bandbyte', inContract: false, intervalDays: 7 });
      const update = await task({ kind: 'security_update', title: 'Säkerhetsuppdatering', inContract: true });
      for (const [taskId, start, end] of [
        [tape, '2026-12-20T10:00:00+01:00', '2026-12-20T11:10:00+01:00'],
        [update, '2026-12-21T09:00:00+01:00', '2026-12-21T09:30:00+01:00'],
      ] as const) {
        const r = await t.call('POST', `/api/v1/operations-tasks/${taskId}/work`, admin, {
          start,
          end,
          engineerId: engineers.bo,
        });
        expect(r.statusCode, r.body).toBe(201);
      }
      const bad = await t.call('POST', `/api/v1/operations-tasks/${tape}/work`, admin, {
        start: '2026-12-20T12:00:00+01:00',
        end: '2026-12-20T11:00:00+01:00',
        engineerId: engineers.bo,
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().errors[0].path).toBe('/end');

      const response = await t.call('POST', '/api/v1/invoice-runs', billing, { month: '2026-12' });
      expect(response.statusCode, response.body).toBe(201);
      run = response.json();
    }, 120_000);

    afterAll(async () => {
      await t?.close();
    });

    it('issues one invoice per customer with consecutive numbers, dated today, due in 30 days', () => {
      expect(run.created).toBe(5);
      expect(run.invoices.map((i) => [i.number, i.customerId])).toEqual([
        ['1', customers['Byte AB']],
        ['2', customers['Hög AB']],
        ['3', customers['Incident AB']],
        ['4', customers['Ny AB']],
        ['5', customers['Utan AB']],
      ]);
      for (const i of run.invoices) {
        expect(i).toMatchObject({
          issueDate: '2027-01-02',
          dueDate: '2027-02-01',
          status: 'issued',
          kind: 'invoice',
        });
        expect(i.seller).toMatchObject({
          name: t.config.seller.name,
          bankgiro: t.config.seller.bankgiro,
          fSkatt: 'Godkänd för F-skatt',
        });
        expect(i.netOre + i.vatOre + i.roundingOre).toBe(i.totalOre);
        expect(i.totalOre % 100).toBe(0);
      }
      expect(invoiceOf('Hög AB').buyer).toMatchObject({
        name: 'Hög AB',
        orgNumber: '556036-0793',
        vatNumber: 'SE556036079301',
        city: 'Stockholm',
      });
      // Number 2, length digit 3, Luhn check digit 2.
      expect(invoiceOf('Hög AB').ocr).toBe('232');
    });

    it('tier hog: monthly fee, start fees at 0, weekend blocks at 1.5, office work outside responsibility', () => {
      const inv = invoiceOf('Hög AB');
      expect(lineSummary(inv.lines)).toEqual([
        ['Månadsavgift Hög servicenivå 2026-12', 1, 210000, 210000],
        [`Arbete ${refs[8]} 2026-12-02: 1 påbörjad timme × 1`, 1, 50000, 50000],
        [`Startkostnad jour ${refs[3]} 2026-12-05 (Hög servicenivå, inkl. 60 min)`, 1, 0, 0],
        [`Arbete ${refs[3]} 2026-12-05: 2 påbörjade timmar × 1,5`, 2, 75000, 150000],
        [`Startkostnad jour ${refs[5]} 2026-12-07 (Hög servicenivå, inkl. 60 min)`, 1, 0, 0],
      ]);
      expect(inv.lines[3]).toMatchObject({
        kind: 'hours',
        incidentRef: refs[3],
        factor: 1.5,
        serviceDate: '2026-12-05',
      });
      expect(inv).toMatchObject({ netOre: 410000, vatOre: 102500, roundingOre: 0, totalOre: 512500 });
    });

    it('tier incident: start fees, blocks, a non-callout, öresavrundning up', () => {
      const inv = invoiceOf('Incident AB');
      expect(lineSummary(inv.lines)).toEqual([
        ['Månadsavgift Incidentsupport 2026-12', 1, 40000, 40000],
        [`Startkostnad jour ${refs[1]} 2026-12-01 (Incidentsupport, inkl. 60 min)`, 1, 175000, 175000],
        [`Startkostnad jour ${refs[2]} 2026-12-01 (Incidentsupport, inkl. 60 min)`, 1, 175000, 175000],
        [`Arbete ${refs[2]} 2026-12-01: 2 påbörjade timmar × 1`, 2, 75000, 150000],
        [`Arbete ${refs[7]} 2026-12-02: 2 påbörjade timmar × 1`, 2, 75000, 150000],
        [`Startkostnad jour ${refs[11]} 2026-12-05 (Incidentsupport, inkl. 60 min)`, 1, 175000, 175000],
        [`Arbete ${refs[11]} 2026-12-05: 1 påbörjad timme × 1,5`, 1, 112500, 112500],
        [`Startkostnad jour ${refs[6]} 2026-12-24 (Incidentsupport, inkl. 60 min)`, 1, 175000, 175000],
        [`Arbete ${refs[6]} 2026-12-24: 1 påbörjad timme × 1,5`, 1, 112500, 112500],
      ]);
      expect(inv).toMatchObject({ netOre: 1265000, vatOre: 316250, roundingOre: 50, totalOre: 1581300 });
    });

    it('tier none: no fee, 4 500 kr start fees, blocks into Saturday, öresavrundning down', () => {
      const inv = invoiceOf('Utan AB');
      expect(lineSummary(inv.lines)).toEqual([
        [`Startkostnad jour ${refs[10]} 2026-12-04 (Utan avtal, inkl. 60 min)`, 1, 450000, 450000],
        [`Arbete ${refs[10]} 2026-12-04: 1 påbörjad timme × 1`, 1, 75000, 75000],
        [`Arbete ${refs[10]} 2026-12-05: 1 påbörjad timme × 1,5`, 1, 112500, 112500],
        [`Startkostnad jour ${refs[4]} 2026-12-04 (Utan avtal, inkl. 60 min)`, 1, 450000, 450000],
        [`Arbete ${refs[4]} 2026-12-05: 2 påbörjade timmar × 1,5`, 2, 112500, 225000],
      ]);
      expect(inv).toMatchObject({ netOre: 1312500, vatOre: 328125, roundingOre: -25, totalOre: 1640600 });
    });

    it('prorates an agreement that starts mid-month and bills operations work on account, contract work at 0', () => {
      const inv = invoiceOf('Ny AB');
      expect(lineSummary(inv.lines)).toEqual([
        ['Månadsavgift Hög servicenivå 2026-12-16–2026-12-31 (16 av 31 dagar)', 16, 210000, 108387],
        ['Bandbyte web1.ny.se 2026-12-20', 2, 75000, 150000],
        ['Säkerhetsuppdatering web1.ny.se 2026-12-21 (ingår i avtal)', 1, 0, 0],
      ]);
      expect(inv).toMatchObject({ netOre: 258387, vatOre: 64597, roundingOre: 16, totalOre: 323000 });
    });

    it('a tier change mid-month: fee split by days, each incident priced by the tier at its report time', () => {
      const inv = invoiceOf('Byte AB');
      expect(lineSummary(inv.lines)).toEqual([
        ['Månadsavgift Incidentsupport 2026-12-01–2026-12-04 (4 av 31 dagar)', 4, 40000, 5161],
        ['Månadsavgift Hög servicenivå 2026-12-05–2026-12-31 (27 av 31 dagar)', 27, 210000, 182903],
        [`Startkostnad jour ${refs[102]} 2026-12-01 (Incidentsupport, inkl. 60 min)`, 1, 175000, 175000],
        [`Arbete ${refs[102]} 2026-12-01: 2 påbörjade timmar × 1`, 2, 75000, 150000],
        [`Startkostnad jour ${refs[103]} 2026-12-05 (Hög servicenivå, inkl. 60 min)`, 1, 0, 0],
        [`Arbete ${refs[103]} 2026-12-05: 2 påbörjade timmar × 1,5`, 2, 75000, 150000],
      ]);
      expect(inv).toMatchObject({ netOre: 663064, vatOre: 165766, roundingOre: -30, totalOre: 828800 });
    });

    it('running the month again creates nothing and answers the same invoices', async () => {
      const before = await billingCounts(t);
      const again = await t.call('POST', '/api/v1/invoice-runs', admin, { month: '2026-12' });
      expect(again.statusCode).toBe(201);
      expect(again.json().created).toBe(0);
      expect(again.json().invoices).toEqual(run.invoices);
      expect(await billingCounts(t)).toEqual(before);
      // Every incident is on exactly one invoice.
      const incidentLines = run.invoices.flatMap((i) =>
        i.lines.filter((l) => l.incidentRef).map((l) => l.incidentRef),
      );
      expect(new Set(incidentLines).size).toBe(12);
      expect(incidentLines.length).toBeGreaterThan(12);
    });

    it('refuses bad months and other roles with a clear 4xx, writing nothing', async () => {
      const engineer = await t.token('engineer');
      const before = await billingCounts(t);
      for (const [month, message] of [
        ['2027-01', /2027-01 has not ended yet; it can be invoiced from 2027-02-01/],
        ['2027-03', /2027-03 lies in the future/],
        ['2026-13', /must be a month as YYYY-MM/],
        ['december', /month/],
      ] as const) {
        const r = await t.call('POST', '/api/v1/invoice-runs', billing, { month });
        expect(r.statusCode, month).toBe(400);
        expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(r.json().errors[0].path).toBe('/month');
        expect(JSON.stringify(r.json())).toMatch(message);
      }
      expect(
        (await t.call('POST', '/api/v1/invoice-runs', billing, { month: '2026-11', extra: 1 })).statusCode,
      ).toBe(400);
      expect((await t.call('POST', '/api/v1/invoice-runs', billing, {})).statusCode).toBe(400);
      expect((await t.call('POST', '/api/v1/invoice-runs', engineer, { month: '2026-11' })).statusCode).toBe(
        403,
      );
      expect((await t.call('POST', '/api/v1/invoice-runs', null, { month: '2026-11' })).statusCode).toBe(401);
      expect(await billingCounts(t)).toEqual(before);
    });

    it('lets a customer read only its own invoices', async () => {
      const own = await t.token('customer', customers['Hög AB']);
      const mine = invoiceOf('Hög AB');
      const other = invoiceOf('Utan AB');
      expect((await t.call('GET', `/api/v1/invoices/${mine.id}`, own)).json()).toEqual(mine);
      expect((await t.call('GET', `/api/v1/invoices/${other.id}`, own)).statusCode).toBe(404);
      expect((await t.call('GET', `/api/v1/invoices/${other.id}.pdf`, own)).statusCode).toBe(404);
      expect((await t.call('GET', `/api/v1/invoices/${other.id}.xml`, own)).statusCode).toBe(404);
      const list = await t.call('GET', '/api/v1/invoices?month=2026-12', own);
      expect(list.json().items.map((i: InvoiceJson) => i.number)).toEqual([mine.number]);
      expect((await t.call('GET', '/api/v1/exports/sie?month=2026-12', own)).statusCode).toBe(403);
      expect(
        (await t.call('POST', `/api/v1/invoices/${mine.id}/credit-notes`, own, { reason: 'x' })).statusCode,
      ).toBe(403);
      const staff = await t.call('GET', '/api/v1/invoices?month=2026-12&limit=2', billing);
      expect(staff.json().items.map((i: InvoiceJson) => i.number)).toEqual(['1', '2']);
      const next = await t.call(
        'GET',
        `/api/v1/invoices?month=2026-12&limit=2&after=${staff.json().nextAfter}`,
        billing,
      );
      expect(next.json().items.map((i: InvoiceJson) => i.number)).toEqual(['3', '4']);
    });

    it('keeps issued invoices immutable in the database itself', async () => {
      const inv = invoiceOf('Hög AB');
      await expect(
        t.ctx.db.updateTable('invoices').set({ total_ore: 1 }).where('id', '=', inv.id).execute(),
      ).rejects.toThrow(/immutable/);
      await expect(
        t.ctx.db.deleteFrom('invoice_lines').where('invoice_id', '=', inv.id).execute(),
      ).rejects.toThrow(/immutable/);
      await expect(
        t.ctx.db
          .updateTable('invoice_lines')
          .set({ amount_ore: 0 })
          .where('invoice_id', '=', inv.id)
          .execute(),
      ).rejects.toThrow(/immutable/);
      // No line can be added to it either, not even among lines for a draft in the same statement.
      const line = await t.ctx.db
        .selectFrom('invoice_lines')
        .selectAll()
        .where('invoice_id', '=', inv.id)
        .executeTakeFirstOrThrow();
      const draft = await t.ctx.db
        .insertInto('invoices')
        .values({
          ...(await t.ctx.db
            .selectFrom('invoices')
            .selectAll()
            .where('id', '=', inv.id)
            .executeTakeFirstOrThrow()),
          id: randomUUID(),
          number: null,
          status: 'draft',
          kind: 'credit_note',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const linesBefore = await t.ctx.db
        .selectFrom('invoice_lines')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      await expect(
        t.ctx.db
          .insertInto('invoice_lines')
          .values([
            { ...line, id: randomUUID(), invoice_id: draft.id },
            { ...line, id: randomUUID(), position: 10_000 },
          ])
          .execute(),
      ).rejects.toThrow(/immutable/);
      expect(
        await t.ctx.db
          .selectFrom('invoice_lines')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow(),
      ).toEqual(linesBefore);
      await t.ctx.db.deleteFrom('invoices').where('id', '=', draft.id).execute();
      expect((await t.call('GET', `/api/v1/invoices/${inv.id}`, billing)).json()).toEqual(inv);
    });
    it('renders the PDF with number, lines, totals, VAT and payment details', async () => {
      const inv = invoiceOf('Incident AB');
      const r = await t.call('GET', `/api/v1/invoices/${inv.id}.pdf`, billing);
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toBe('application/pdf');
      const text = await pdfText(r.rawPayload);
      for (const expected of [
        'FAKTURA',
        `Fakturanummer ${inv.number}`,
        'Fakturadatum 2027-01-02',
        'Förfallodatum 2027-02-01',
        `OCR-nummer ${inv.ocr}`,
        `Startkostnad jour ${refs[6]} 2026-12-24`,
        'Summa exkl. moms 12 650,00 kr',
        'Moms 25 % på 12 650,00 3 162,50 kr',
        'Öresavrundning 0,50 kr',
        'Att betala (SEK) 15 813,00 kr',
        `Bankgiro ${t.config.seller.bankgiro}`,
        'Godkänd för F-skatt',
        'Org.nr 556677-8899',
        `Momsreg.nr ${t.config.seller.vatNumber}`,
      ]) {
        expect(text.replace(/\u00a0/g, ' ')).toContain(expected);
      }
    });

    it('renders Peppol BIS Billing 3.0 UBL that passes the business rules', async () => {
      for (const inv of run.invoices) {
        const r = await t.call('GET', `/api/v1/invoices/${inv.id}.xml`, billing);
        expect(r.statusCode).toBe(200);
        expect(r.headers['content-type']).toMatch(/application\/xml/);
        expect(checkPeppolBis3(r.body)).toEqual([]);
        expect(r.body).toContain(
          `<cbc:PayableAmount currencyID="SEK">${(inv.totalOre / 100).toFixed(2)}</cbc:PayableAmount>`,
        );
        expect(r.body).toContain(`<cbc:PaymentID>${inv.ocr}</cbc:PaymentID>`);
      }
      // The checker does catch a broken document.
      const broken = (
        await t.call('GET', `/api/v1/invoices/${invoiceOf('Hög AB').id}.xml`, billing)
      ).body.replace(
        '<cbc:TaxAmount currencyID="SEK">1025.00</cbc:TaxAmount>',
        '<cbc:TaxAmount currencyID="SEK">1025.01</cbc:TaxAmount>',
      );
      expect(checkPeppolBis3(broken).join()).toMatch(/BR-CO-15/);
    });

    it('exports the month as SIE 4 in CP437 that reads back and balances', async () => {
      const r = await t.call('GET', '/api/v1/exports/sie?month=2026-12', billing);
      expect(r.statusCode).toBe(200);
      expect(r.rawPayload.includes(Buffer.from([0x48, 0x94, 0x67]))).toBe(true); // "Hög" with ö = 0x94 in CP437
      const sie = readSie(iconv.decode(r.rawPayload, 'cp437'));
      expect(sie.header['#FORMAT']).toEqual([['PC8']]);
      expect(sie.header['#SIETYP']).toEqual([['4']]);
      expect(sie.header['#ORGNR']).toEqual([[t.config.seller.orgNumber]]);
      expect(sie.header['#RAR']).toEqual([['0', '20270101', '20271231']]);
      expect(sie.vouchers.map((v) => v.number)).toEqual(['1', '2', '3', '4', '5']);
      for (const v of sie.vouchers) {
        expect(v.transactions.reduce((sum, tr) => sum + tr.amountOre, 0)).toBe(0);
        const inv = run.invoices.find((i) => i.number === v.number) as InvoiceJson;
        expect(v.transactions.find((tr) => tr.account === '1510')?.amountOre).toBe(inv.totalOre);
        expect(v.transactions.find((tr) => tr.account === '2611')?.amountOre).toBe(-inv.vatOre);
        expect(
          v.transactions.filter((tr) => tr.account.startsWith('30')).reduce((s, tr) => s + tr.amountOre, 0),
        ).toBe(-inv.netOre);
      }
      expect(sie.vouchers[2]?.transactions).toContainEqual({ account: '3740', amountOre: -50 });
      const bad = await t.call('GET', '/api/v1/exports/sie?month=2026-13', billing);
      expect(bad.statusCode).toBe(400);
    });

    it('lists the month as CSV', async () => {
      const r = await t.call('GET', '/api/v1/invoices.csv?month=2026-12', billing);
      expect(r.statusCode).toBe(200);
      const rows = r.body
        .replace(/^\ufeff/, '')
        .trim()
        .split('\r\n');
      expect(rows).toHaveLength(6);
      expect(rows[3]).toBe(
        `3;faktura;2027-01-02;2027-02-01;2026-12;Incident AB;556677-8899;12650,00;3162,50;0,50;15813,00;${invoiceOf('Incident AB').ocr};`,
      );
    });

    it('corrects an invoice with credit notes, never more than what remains', async () => {
      const inv = invoiceOf('Incident AB');
      const hours = inv.lines.find((l) => l.kind === 'hours') as InvoiceJson['lines'][number] & {
        id: string;
      };
      const before = await billingCounts(t);
      const tooMuch = await t.call('POST', `/api/v1/invoices/${inv.id}/credit-notes`, billing, {
        reason: 'fel timmar',
        lines: [{ lineId: hours.id, amountOre: hours.amountOre + 1 }],
      });
      expect(tooMuch.statusCode).toBe(400);
      expect(tooMuch.json().errors[0]).toMatchObject({ path: '/lines/0/amountOre' });
      expect(
        (await t.call('POST', `/api/v1/invoices/${inv.id}/credit-notes`, billing, { lines: [] })).statusCode,
      ).toBe(400);
      expect(
        (await t.call('POST', '/api/v1/invoices/nope/credit-notes', billing, { reason: 'x' })).statusCode,
      ).toBe(404);
      expect(await billingCounts(t)).toEqual(before);

      const partial = await t.call('POST', `/api/v1/invoices/${inv.id}/credit-notes`, billing, {
        reason: 'En timme för mycket',
        lines: [{ lineId: hours.id, amountOre: 75000 }],
      });
      expect(partial.statusCode, partial.body).toBe(201);
      expect(partial.json()).toMatchObject({
        kind: 'credit_note',
        number: '6',
        creditsInvoiceId: inv.id,
        creditsInvoiceNumber: inv.number,
        reason: 'En timme för mycket',
        netOre: -75000,
        vatOre: -18750,
        totalOre: -93800,
        lines: [{ creditsLineId: hours.id, amountOre: -75000 }],
      });
      const rest = await t.call('POST', `/api/v1/invoices/${inv.id}/credit-notes`, billing, {
        reason: 'Fakturan makuleras',
      });
      expect(rest.statusCode, rest.body).toBe(201);
      expect(rest.json().number).toBe('7');
      // The invoice and its credit notes add up to nothing, öresavrundning included.
      expect(inv.totalOre + partial.json().totalOre + rest.json().totalOre).toBe(0);
      expect(inv.vatOre + partial.json().vatOre + rest.json().vatOre).toBe(0);
      const none = await t.call('POST', `/api/v1/invoices/${inv.id}/credit-notes`, billing, {
        reason: 'igen',
      });
      expect(none.statusCode).toBe(409);
      expect((await t.call('GET', `/api/v1/invoices/${inv.id}`, billing)).json()).toEqual(inv);

      const xml = (await t.call('GET', `/api/v1/invoices/${partial.json().id}.xml`, billing)).body;
      expect(xml).toContain('<CreditNote');
      expect(xml).toContain(`<cbc:ID>${inv.number}</cbc:ID>`);
      expect(checkPeppolBis3(xml)).toEqual([]);
      const pdf = await pdfText(
        (await t.call('GET', `/api/v1/invoices/${partial.json().id}.pdf`, billing)).rawPayload,
      );
      expect(pdf).toContain('KREDITFAKTURA');
      expect(pdf).toContain(`Krediterar faktura ${inv.number}`);
      const sie = readSie(
        iconv.decode((await t.call('GET', '/api/v1/exports/sie?month=2027-01', billing)).rawPayload, 'cp437'),
      );
      expect(sie.vouchers.map((v) => [v.number, v.transactions[0]])).toEqual([
        ['6', { account: '1510', amountOre: -93800 }],
        ['7', { account: '1510', amountOre: inv.totalOre - 93800 > 0 ? -(inv.totalOre - 93800) : 0 }],
      ]);
      for (const v of sie.vouchers) expect(v.transactions.reduce((sum, tr) => sum + tr.amountOre, 0)).toBe(0);
    });
  });
}
