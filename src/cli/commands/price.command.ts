import fs from 'node:fs';
import { Command } from 'commander';
import { quotePrices } from '../../app/pricing/quote-prices.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import { withRuntime } from '../cli-runtime.js';

function readInput(file: string): unknown {
  const text = file === '-' ? fs.readFileSync(0, 'utf8') : fs.readFileSync(file, 'utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `${file === '-' ? 'standard input' : file} is not valid JSON: ${(error as Error).message}`,
    );
  }
}

/** `ballou price --input FILE|-`: the price object(s) of a scenario or an array of scenarios, as JSON. */
export function priceCommand(): Command {
  return new Command('price')
    .description('price a scenario (or an array of them) by the configured tariff; JSON on standard output')
    .requiredOption('--input <file>', 'a JSON file, or - for standard input')
    .action(async (opts: { input: string }) => {
      let json: unknown;
      try {
        json = readInput(opts.input);
      } catch (error) {
        if (error instanceof DomainError) throw error;
        throw new DomainError('VALIDATION_FAILED', `cannot read ${opts.input}: ${(error as Error).message}`);
      }
      const result = await withRuntime(({ ctx }) => quotePrices(ctx, json));
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    });
}
