import fs from 'node:fs';
import { expect } from 'vitest';
import { auditRowsBesidesRefusals, type TestApp } from './support/test-runtime.js';

export interface Example {
  name: string;
  tier: 'hog' | 'incident' | 'none';
  reportedAt: string;
  work: { start: string; end: string; engineer: string; withinResponsibility: boolean }[];
}

export const EXAMPLES = JSON.parse(
  fs.readFileSync(new URL('../../../shared/spec/examples/pricing.json', import.meta.url), 'utf8'),
) as Example[];

export function example(n: number): Example {
  return EXAMPLES.find((e) => e.name === `example ${n}`) as Example;
}

/** Reports, works and closes an incident through the API as the desk would; returns its id and ref. */
export async function closedIncident(
  t: TestApp,
  token: string,
  customerId: string,
  engineers: Record<string, string>,
  ex: Example,
): Promise<{ id: string; ref: string }> {
  const reported = await t.call('POST', '/api/v1/incidents', token, {
    customerId,
    summary: `${ex.name}`,
    reportedAt: ex.reportedAt,
  });
  expect(reported.statusCode, reported.body).toBe(201);
  const { id, ref, tier } = reported.json();
  const ok = async (path: string, body: unknown, status = 200) => {
    const r = await t.call('POST', `/api/v1/incidents/${id}/${path}`, token, body);
    expect(r.statusCode, `${path}: ${r.body}`).toBe(status);
  };
  await ok('ack', { engineerId: engineers.anna });
  if (tier !== 'hog') await ok('consent', { granted: true, by: 'Kund', via: 'phone' });
  for (const w of ex.work) {
    await ok(
      'work',
      {
        start: w.start,
        end: w.end,
        engineerId: engineers[w.engineer],
        withinResponsibility: w.withinResponsibility,
      },
      201,
    );
  }
  await ok('resolve', {});
  await ok('close', {});
  return { id, ref };
}

export async function countRows(
  t: TestApp,
  table: 'invoices' | 'invoice_lines' | 'invoice_runs' | 'invoiced_incidents' | 'audit_log',
): Promise<number> {
  if (table === 'audit_log') return auditRowsBesidesRefusals(t.ctx);
  const row = await t.ctx.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

const BILLING_TABLES = [
  'invoices',
  'invoice_lines',
  'invoice_runs',
  'invoiced_incidents',
  'audit_log',
] as const;
type BillingCounts = Record<(typeof BILLING_TABLES)[number] | 'nextNumber', number>;

export async function billingCounts(t: TestApp): Promise<BillingCounts> {
  const out = { nextNumber: 1 } as BillingCounts;
  for (const table of BILLING_TABLES) {
    out[table] = await countRows(t, table);
  }
  const seq = await t.ctx.db
    .selectFrom('number_sequences')
    .selectAll()
    .where('name', '=', 'invoice')
    .executeTakeFirst();
  out.nextNumber = seq ? Number(seq.next_value) : 1;
  return out;
}

export type Line = { description: string; quantity: number; unitPriceOre: number; amountOre: number };
export const lineSummary = (lines: Line[]) =>
  lines.map((l) => [l.description, l.quantity, l.unitPriceOre, l.amountOre]);
