// The month-end invoice run at scale (issue 10): a month of 10 000 customers and 100 000 closed incidents
// generated into a fresh SQLite database (and a fresh PostgreSQL database when BALLOU_BENCH_PG_URL is
// set), then `ballou invoice run --month` itself in a child process, so its seconds and peak memory
// (VmHWM) are the run's own: bootstrap, the run, and writing every invoice as JSON to standard output
// (counted, not kept). The ceiling is bench/support/invoice-run-ceiling.ts on a copy of the same data,
// also in a child process: hand-written SQL reading the same incidents and writing about as many
// invoices and lines in one transaction per 50 customers (as the run), with nothing of ours around it.
//
//   BALLOU_BENCH_INVOICE_CUSTOMERS=1000 BALLOU_BENCH_INVOICE_INCIDENTS=10000 tsx bench/invoice-run.ts
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { pino } from 'pino';
import { bootstrap } from '../src/app/bootstrap.js';
import { loadConfig } from '../src/config/config.js';
import { toDbInstant } from '../src/db/instant.js';
import { invoiceMonth } from '../src/domain/billing/invoice-month.js';
import { localDateOfInstant, parseInstant } from '../src/domain/calendar/instant.js';
import { generateBillingMonth, type BillingMonthData } from './support/billing-month-data.js';
import { printFigures, type Figure } from './figure.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TARGET_SECONDS = 60;
const TARGET_MIB = 1024;

function sizeFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
}

/** The last month that has ended (the run refuses a month still running). */
function lastEndedMonth(nowMs: number): string {
  const [year, month] = localDateOfInstant(nowMs).split('-').map(Number) as [number, number];
  return month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`;
}

interface Database {
  url: string;
  /** A second database with the same rows (for the ceiling), made after the data is written. */
  copy(): Promise<string>;
  drop(): Promise<void>;
}

function sqliteDatabase(): Database {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ballou-bench-invoice-'));
  const file = path.join(dir, 'month.sqlite');
  return {
    url: `sqlite:${file}`,
    copy: async () => {
      // Closed (checkpointed) before: the file alone holds every row.
      fs.copyFileSync(file, path.join(dir, 'ceiling.sqlite'));
      return `sqlite:${path.join(dir, 'ceiling.sqlite')}`;
    },
    drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

async function pgAdmin<T>(serverUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function postgresDatabase(serverUrl: string): Promise<Database> {
  const name = `ballou_bench_${randomBytes(5).toString('hex')}`;
  const urlOf = (db: string) => {
    const u = new URL(serverUrl);
    u.pathname = `/${db}`;
    return u.toString();
  };
  await pgAdmin(serverUrl, (c) => c.query(`create database ${name}`));
  return {
    url: urlOf(name),
    copy: async () => {
      await pgAdmin(serverUrl, (c) => c.query(`create database ${name}_ceiling template ${name}`));
      return urlOf(`${name}_ceiling`);
    },
    drop: () =>
      pgAdmin(serverUrl, async (c) => {
        await c.query(`drop database if exists ${name} with (force)`);
        await c.query(`drop database if exists ${name}_ceiling with (force)`);
      }),
  };
}

interface ChildResult {
  seconds: number;
  /** CPU time (user + system) of the child: the rest of `seconds` is waiting, mostly on fsync. */
  cpuSeconds: number;
  peakMiB: number;
  stdoutBytes: number;
  stdout: string;
  stderr: string;
}

/** Runs a TypeScript entry point in its own Node process and measures its wall time and peak RSS. */
async function measureChild(
  args: string[],
  env: Record<string, string>,
  keepStdout: boolean,
): Promise<ChildResult> {
  const peakFile = path.join(os.tmpdir(), `ballou-bench-peak-${randomBytes(4).toString('hex')}`);
  const started = performance.now();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--import', path.join(ROOT, 'bench/support/peak-memory.mjs'), ...args],
    {
      cwd: ROOT,
      env: { ...process.env, ...env, BALLOU_BENCH_PEAK_FILE: peakFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdoutBytes = 0;
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdoutBytes += chunk.length;
    if (keepStdout) stdout += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    // The progress bar redraws itself; keep only the tail for the error message and the summary.
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`${args.join(' ')} exited with ${code}: ${stderr}`);
  const measured = JSON.parse(fs.readFileSync(peakFile, 'utf8')) as { peakKiB: number; cpuSeconds: number };
  fs.rmSync(peakFile, { force: true });
  return {
    seconds,
    peakMiB: measured.peakKiB / 1024,
    cpuSeconds: measured.cpuSeconds,
    stdoutBytes,
    stdout,
    stderr,
  };
}

async function benchEngine(
  engine: 'sqlite' | 'postgres',
  db: Database,
  size: { customers: number; incidents: number },
): Promise<Figure[]> {
  const month = lastEndedMonth(Date.now());
  const logger = pino({ level: 'warn' });
  const generateStarted = performance.now();
  const runtime = await bootstrap(
    loadConfig({ BALLOU_DATABASE_URL: db.url, BALLOU_DEMO_DATA: '0' }, os.tmpdir()),
    logger,
    { loadDemo: false },
  );
  let data: BillingMonthData;
  try {
    data = await generateBillingMonth(runtime.ctx.db, { ...size, month });
  } finally {
    await runtime.database.close();
  }
  const generateSeconds = (performance.now() - generateStarted) / 1000;
  const ceilingUrl = await db.copy();

  // Closed work reported before the next month's first midnight, as the run bills it.
  const before = toDbInstant(parseInstant(`${invoiceMonth(month).nextFirstDay}T00:00:00`, '/month'));
  const ceiling = await measureChild(
    [path.join(ROOT, 'bench/support/invoice-run-ceiling.ts'), ceilingUrl, before],
    {},
    true,
  );
  const ceilingCounts = JSON.parse(ceiling.stdout) as { invoices: number; lines: number };

  const project = await measureChild(
    [path.join(ROOT, 'src/cli/main.ts'), 'invoice', 'run', '--month', month],
    { BALLOU_DATABASE_URL: db.url, BALLOU_LOG_LEVEL: 'warn' },
    false,
  );
  const summary = /\d{4}-\d{2}: (\d+) new invoice\(s\)/.exec(project.stderr);
  const issued = summary ? Number(summary[1]) : NaN;
  const sizeText =
    `${data.customers} customers, ${data.incidents} closed incidents (${data.workEntries} work entries, ` +
    `${data.operationsWork} operations work), month ${month}, generated in ${generateSeconds.toFixed(1)} s`;
  return [
    {
      name: `invoice run ${engine}: seconds`,
      value: project.seconds,
      unit: 's',
      better: 'lower',
      ceiling: { value: ceiling.seconds, label: 'bare SQL loop' },
      target: { kind: 'absolute', value: TARGET_SECONDS },
      note:
        `${sizeText}; \`ballou invoice run\` in a child process (start-up included) issued ${issued} invoices ` +
        `and wrote ${(project.stdoutBytes / 1024 / 1024).toFixed(0)} MiB of JSON; the ceiling wrote ` +
        `${ceilingCounts.invoices} invoices with ${ceilingCounts.lines} lines; CPU ${project.cpuSeconds.toFixed(0)} s ` +
        `(ceiling ${ceiling.cpuSeconds.toFixed(0)} s); the rest of the wall time is waiting: for the commit ` +
        `of each batch of 50 customers${engine === 'sqlite' ? ' (an fsync)' : ' and each statement (the PostgreSQL server)'} and for the CPU`,
    },
    {
      name: `invoice run ${engine}: peak memory`,
      value: project.peakMiB,
      unit: 'MiB',
      better: 'lower',
      ceiling: { value: ceiling.peakMiB, label: 'bare SQL loop' },
      target: { kind: 'absolute', value: TARGET_MIB },
      note: 'peak resident set (VmHWM) of the child process',
    },
  ];
}

/** The invoice-run figures: seconds and peak memory on SQLite, and on PostgreSQL with BALLOU_BENCH_PG_URL. */
export async function benchInvoiceRun(): Promise<Figure[]> {
  const size = {
    customers: sizeFromEnv('BALLOU_BENCH_INVOICE_CUSTOMERS', 10_000),
    incidents: sizeFromEnv('BALLOU_BENCH_INVOICE_INCIDENTS', 100_000),
  };
  const figures: Figure[] = [];
  const engines: ['sqlite' | 'postgres', () => Promise<Database>][] = [
    ['sqlite', async () => sqliteDatabase()],
  ];
  const pgUrl = process.env.BALLOU_BENCH_PG_URL;
  if (pgUrl) engines.push(['postgres', () => postgresDatabase(pgUrl)]);
  for (const [engine, open] of engines) {
    const db = await open();
    try {
      figures.push(...(await benchEngine(engine, db, size)));
    } finally {
      await db.drop();
    }
  }
  return figures;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const missed = printFigures(await benchInvoiceRun());
  process.exitCode = missed > 0 ? 1 : 0;
}
