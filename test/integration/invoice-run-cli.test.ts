import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateBillingMonth } from '../../bench/support/billing-month-data.js';
import { loadRunInvoices } from '../../src/app/billing/invoice-view.js';
import { startTestApp, type TestApp } from './support/test-runtime.js';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * `ballou invoice run` writes a month's invoices page by page (a month of 10 000 must not be one string in
 * memory); what it prints must still be exactly the JSON it printed before, `JSON.stringify(result, null,
 * 2)` of the run's answer. The CLI runs on today's clock, so the month is one long past.
 */
describe('ballou invoice run on sqlite', () => {
  let t: TestApp;

  async function invoiceRun(month: string) {
    const { stdout, stderr } = await run(
      path.join(ROOT, 'node_modules/.bin/tsx'),
      [path.join(ROOT, 'src/cli/main.ts'), 'invoice', 'run', '--month', month],
      { cwd: ROOT, env: { ...process.env, BALLOU_DATABASE_URL: t.databaseUrl }, maxBuffer: 64 * 1024 * 1024 },
    );
    return { stdout, stderr };
  }

  /** The run's answer as the API gives it, printed the way the CLI always printed it. */
  async function expectedJson(runId: string, month: string, created: number): Promise<string> {
    const invoices = await loadRunInvoices(t.ctx.db, runId);
    return `${JSON.stringify({ runId, month, created, invoices }, null, 2)}\n`;
  }

  beforeAll(async () => {
    t = await startTestApp('sqlite');
    await generateBillingMonth(t.ctx.db, { customers: 25, incidents: 160, month: '2025-03', seed: 7 });
  }, 60_000);
  afterAll(async () => t?.close());

  it('prints every invoice of the run exactly as one JSON document, and the same again on a rerun', async () => {
    const first = await invoiceRun('2025-03');
    const result = JSON.parse(first.stdout) as {
      runId: string;
      created: number;
      invoices: { number: string }[];
    };
    const n = result.invoices.length;
    expect(n).toBeGreaterThan(15);
    expect(result.created).toBe(n);
    expect(result.invoices.map((i) => i.number)).toEqual(result.invoices.map((_, i) => String(i + 1)));
    expect(first.stdout).toBe(await expectedJson(result.runId, '2025-03', n));
    expect(first.stderr).toContain(`2025-03: ${n} new invoice(s), ${n} in the run (numbers 1–${n})`);

    const again = await invoiceRun('2025-03');
    expect(again.stdout).toBe(await expectedJson(result.runId, '2025-03', 0));
    expect(again.stderr).toContain(`2025-03: 0 new invoice(s), ${n} in the run (numbers 1–${n})`);
  }, 120_000);

  it('prints an empty list for a month with nothing to invoice', async () => {
    const empty = await invoiceRun('2019-06');
    const result = JSON.parse(empty.stdout) as { runId: string };
    expect(empty.stdout).toBe(await expectedJson(result.runId, '2019-06', 0));
    expect(empty.stdout).toContain('"invoices": []');
    expect(empty.stderr).toContain('2019-06: 0 new invoice(s), 0 in the run\n');
  }, 120_000);
});
