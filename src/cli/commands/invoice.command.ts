import { Command } from 'commander';
import cliProgress from 'cli-progress';
import { runInvoiceMonth } from '../../app/billing/invoice-run.js';
import { CLI_PRINCIPAL, withRuntime } from '../cli-runtime.js';

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
      const result = await withRuntime(({ ctx }) =>
        runInvoiceMonth(ctx, CLI_PRINCIPAL, opts.month, (p) => {
          if (!started) {
            bar.start(p.total, 0, { customer: '' });
            started = true;
          }
          bar.update(p.done, {
            customer: p.issuedNumber ? `${p.customerName} → ${p.issuedNumber}` : p.customerName,
          });
        }),
      ).finally(() => {
        if (started) bar.stop();
      });
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      process.stderr.write(
        `${result.month}: ${result.created} new invoice(s), ${result.invoices.length} in the run` +
          `${result.invoices.length > 0 ? ` (numbers ${result.invoices[0]?.number}–${result.invoices.at(-1)?.number})` : ''}\n`,
      );
    });
  return invoice;
}
