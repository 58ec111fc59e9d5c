import { Command, InvalidArgumentError } from 'commander';
import cliProgress from 'cli-progress';
import { generateLargeDemoData } from '../../app/demo/large-demo-data.js';
import { withRuntime } from '../cli-runtime.js';

function positiveInteger(name: string, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1 || n > max)
      throw new InvalidArgumentError(`${name} must be a whole number from 1 to ${max}`);
    return n;
  };
}

/**
 * `ballou demo --incidents N`: fills the configured database (SQLite or PostgreSQL) with a decade of
 * generated history (customers of every tier, contacts, servers, engineers, incidents in every state
 * with their timelines and work), with a progress bar on standard error. Reproducible by `--seed`.
 */
export function demoCommand(): Command {
  return new Command('demo')
    .description('generate a large realistic data set: years of history with N incidents (seeded)')
    .requiredOption('--incidents <N>', 'how many incidents', positiveInteger('--incidents', 10_000_000))
    .option(
      '--seed <S>',
      'seed of the generator (same seed, same data)',
      positiveInteger('--seed', 2 ** 31),
      1,
    )
    .option('--years <Y>', 'years of history, ending now', positiveInteger('--years', 30), 10)
    .action(async (opts: { incidents: number; seed: number; years: number }) => {
      const bar = new cliProgress.SingleBar(
        {
          format: 'Demodata {bar} {value}/{total} ärenden | {eta_formatted} kvar',
          stream: process.stderr,
          noTTYOutput: false,
          etaBuffer: 50,
        },
        cliProgress.Presets.shades_classic,
      );
      const started = Date.now();
      bar.start(opts.incidents, 0);
      const summary = await withRuntime(({ ctx }) =>
        generateLargeDemoData(ctx, {
          incidents: opts.incidents,
          seed: opts.seed,
          years: opts.years,
          onProgress: (p) => bar.update(p.done),
        }),
      ).finally(() => bar.stop());
      const seconds = (Date.now() - started) / 1000;
      process.stdout.write(`${JSON.stringify({ ...summary, seconds }, null, 2)}\n`);
      process.stderr.write(
        `${summary.incidents} incidents (${summary.events} timeline events, ${summary.workEntries} work entries) ` +
          `for ${summary.customers} customers in ${seconds.toFixed(1)} s\n`,
      );
    });
}
