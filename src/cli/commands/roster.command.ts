import { Command } from 'commander';
import { coverageGaps, parseRange } from '../../app/roster/oncall-queries.js';
import { CLI_PRINCIPAL, withRuntime } from '../cli-runtime.js';

/** `ballou roster gaps --from --to`: coverage gaps as JSON; exit status 3 when there are any. */
export function rosterCommand(): Command {
  const roster = new Command('roster').description('the on-call roster');
  roster
    .command('gaps')
    .description('on-call time in [from, to) with fewer than two people who can be paged (JSON)')
    .requiredOption('--from <time>', 'ISO 8601, e.g. 2026-12-01T00:00 (Stockholm time without offset)')
    .requiredOption('--to <time>', 'ISO 8601')
    .action(async (opts: { from: string; to: string }) => {
      const { fromMs, toMs } = parseRange(opts.from, opts.to);
      const gaps = await withRuntime(({ ctx }) => coverageGaps(ctx, CLI_PRINCIPAL, fromMs, toMs));
      process.stdout.write(`${JSON.stringify(gaps, null, 2)}\n`);
      // Scripts and cron can alert on the exit status without parsing the output.
      if (gaps.length > 0) process.exitCode = 3;
    });
  return roster;
}
