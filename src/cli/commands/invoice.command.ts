import { Command } from 'commander';
import cliProgress from 'cli-progress';
import { issueInvoiceRun, runInvoicePagesOf } from '../../app/billing/invoice-run.js';
import type { InvoiceView } from '../../app/billing/invoice-view.js';
import { CLI_PRINCIPAL, withRuntime } from '../cli-runtime.js';

/** Writes to standard output, waiting when the pipe is full (a month's JSON can be hundreds of MiB). */
async function write(text: string): Promise<void> {
  if (!process.stdout.write(text)) await new Promise((resolve) => process.stdout.once('drain', resolve));
}

/**
 * Writes `{ runId, month, created, invoices: [...] }` exactly as JSON.stringify(result, null, 2) would,
 * one page of invoices at a time, so the month is never held in memory as one value or one string.
 */
async function writeRunJson(
  head: { runId: string; month: string; created: number },
  pages: AsyncIterable<InvoiceView[]>,
): Promise<{ count: number; first?: string; last?: string }> {
  const headJson = JSON.stringify(head, null, 2);
  await write(`${headJson.slice(0, -2)},\n  "invoices": [`);
  let count = 0;
  let first: string | undefined;
  let last: string | undefined;
  for await (const page of pages) {
    let chunk = '';
    for (const invoice of page) {
      chunk += `${count === 0 ? '' : ','}\n    ${JSON.stringify(invoice, null, 2).replace(/\n/g, '\n    ')}`;
      first ??= invoice.number;
      last = invoice.number;
      count += 1;
    }
    await write(chunk);
  }
  await write(count === 0 ? ']\n}\n' : '\n  ]\n}\n');
  return { count, first, last };
}

/**
 * `ballou invoice run --month YYYY-MM`: the month-end invoice run with a progress bar on standard
 * error (when it is a terminal) and the run's invoices as JSON on standard output. Safe to repeat.
 */
export function invoiceCommand(): Command {
  const invoice = new Command('invoice').description('month-end billing');
  invoice
    .command('run')
    .description(
      'invoice a month that has ended: one invoice per customer with anything to bill (safe to repeat)',
    )
    .requiredOption('--month <YYYY-MM>', 'the month to invoice')
    .action(async (opts: { month: string }) => {
      const bar = new cliProgress.SingleBar(
        {
          format: 'Fakturering {bar} {value}/{total} kunder | {customer}',
          stream: process.stderr,
          noTTYOutput: false,
        },
        cliProgress.Presets.shades_classic,
      );
      let started = false;
      const { result, written } = await withRuntime(async ({ ctx }) => {
        const result = await issueInvoiceRun(ctx, CLI_PRINCIPAL, opts.month, (p) => {
          if (!started) {
            bar.start(p.total, 0, { customer: '' });
            started = true;
          }
          bar.update(p.done, {
            customer: p.issuedNumber ? `${p.customerName} → ${p.issuedNumber}` : p.customerName,
          });
        }).finally(() => {
          if (started) bar.stop();
        });
        const written = await writeRunJson(result, runInvoicePagesOf(ctx, CLI_PRINCIPAL, result.runId));
        return { result, written };
      });
      process.stderr.write(
        `${result.month}: ${result.created} new invoice(s), ${written.count} in the run` +
          `${written.count > 0 ? ` (numbers ${written.first}–${written.last})` : ''}\n`,
      );
    });
  return invoice;
}
