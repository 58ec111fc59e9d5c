import { localDateOfInstant, parseInstant } from '../../domain/calendar/instant.js';
import { fixedClock } from '../../domain/shared/clock.js';
import type { AppContext } from '../app-context.js';
import { runInvoiceMonth } from '../billing/invoice-run.js';
import { SYSTEM } from './load-demo-data.js';

/** "2026-06" → "2026-07". */
function nextMonth(month: string): string {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${year + 1}-01` : `${year}-${String(m + 1).padStart(2, '0')}`;
}

/**
 * The demo's past months invoiced as a desk would have done it: every month of the history that has
 * ended, each run on the first of the next month at 08:00 (so the invoices carry that issue date), except
 * the last `leaveLast`, left for the billing login to preview and run. Invoice runs send nothing: the
 * customers' invoice addresses are on .example anyway. Returns the months invoiced.
 */
export async function invoiceDemoMonths(
  ctx: AppContext,
  options: { fromMs: number; leaveLast?: number },
): Promise<string[]> {
  const current = localDateOfInstant(ctx.clock.now()).slice(0, 7);
  const ended: string[] = [];
  for (let month = localDateOfInstant(options.fromMs).slice(0, 7); month < current; month = nextMonth(month))
    ended.push(month);
  const months = ended.slice(0, Math.max(0, ended.length - (options.leaveLast ?? 1)));
  for (const month of months) {
    const issuedAtMs = parseInstant(`${nextMonth(month)}-01T08:00:00`, '/month');
    await runInvoiceMonth({ ...ctx, clock: fixedClock(issuedAtMs) }, SYSTEM, month);
  }
  return months;
}
