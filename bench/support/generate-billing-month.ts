// Fills a new database with a generated billing month, for profiling the invoice run by hand:
//   tsx bench/support/generate-billing-month.ts sqlite:/tmp/month.sqlite 1000 10000 2026-10
//   BALLOU_DATABASE_URL=sqlite:/tmp/month.sqlite node --cpu-prof --import tsx src/cli/main.ts invoice run --month 2026-10
import os from 'node:os';
import { pino } from 'pino';
import { bootstrap } from '../../src/app/bootstrap.js';
import { loadConfig } from '../../src/config/config.js';
import { generateBillingMonth } from './billing-month-data.js';

const [url, customers = '1000', incidents = '10000', month = '2026-10'] = process.argv.slice(2);
if (!url)
  throw new Error('usage: generate-billing-month.ts <database-url> [customers] [incidents] [YYYY-MM]');
const runtime = await bootstrap(
  loadConfig({ BALLOU_DATABASE_URL: url, BALLOU_DEMO_DATA: '0' }, os.tmpdir()),
  pino({ level: 'warn' }),
  { loadDemo: false },
);
try {
  const size = { customers: Number(customers), incidents: Number(incidents), month };
  process.stdout.write(`${JSON.stringify(await generateBillingMonth(runtime.ctx.db, size))}\n`);
} finally {
  await runtime.database.close();
}
