// `npm run bench`: every figure of issue 10 in one table, each with the ceiling measured in the same run
// (where there is one), the ratio and the target, PASS or BELOW. The sections:
//
//   calendar and pricing     bench/calendar-pricing.ts
//   web app first screen     bench/web-load.ts (skipped without Chromium)
//   intake and memory        bench/intake.ts (the real server process; autocannon from another process)
//   page latency             bench/page-latency.ts (webhook accepted → SMS at the 46elks stand-in)
//   incident lists           bench/incident-lists.ts, when present
//   invoice run              bench/invoice-run.ts, when present
//
// BALLOU_BENCH_PG_URL=postgres://… adds the PostgreSQL runs of the server figures. BALLOU_BENCH_ONLY=
// intake,page-latency (section ids, comma-separated) runs only those. A figure below its target prints
// BELOW and is no failure; the exit code is non-zero only for correctness bugs (bench/support/bugs.ts)
// and sections that crashed.
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { benchCalendarPricing } from './calendar-pricing.js';
import { printFigures, type Figure } from './figure.js';
import { benchIntake } from './intake.js';
import { benchPageLatency } from './page-latency.js';
import { bugs, reportBug } from './support/bugs.js';
import { benchFirstScreen } from './web-load.js';

interface Section {
  id: string;
  title: string;
  run: () => Promise<Figure[]>;
}

/** Another engineer's module, imported only when its file exists (so this runs before it lands). */
function optional(id: string, title: string, file: string, exported: string): Section | undefined {
  const full = path.join(import.meta.dirname, `${file}.ts`);
  if (!fs.existsSync(full)) return undefined;
  return {
    id,
    title,
    run: async () => {
      const module = (await import(pathToFileURL(full).href)) as Record<string, unknown>;
      const bench = module[exported];
      if (typeof bench !== 'function') throw new Error(`${file}.ts does not export ${exported}()`);
      return (await (bench as () => Promise<Figure[]>)()) ?? [];
    },
  };
}

const sections = [
  { id: 'calendar-pricing', title: 'calendar and pricing', run: benchCalendarPricing },
  { id: 'web-load', title: 'web app first screen', run: benchFirstScreen },
  { id: 'intake', title: 'intake and server memory', run: benchIntake },
  { id: 'page-latency', title: 'page latency', run: benchPageLatency },
  optional('incident-lists', 'incident lists at 1 000 000 incidents', 'incident-lists', 'benchIncidentLists'),
  optional('invoice-run', 'invoice run', 'invoice-run', 'benchInvoiceRun'),
].filter((s): s is Section => s !== undefined);

const only = process.env.BALLOU_BENCH_ONLY?.split(',').map((s) => s.trim());
const started = performance.now();
const figures: Figure[] = [];
const timings: string[] = [];
for (const section of sections) {
  if (only && !only.includes(section.id)) continue;
  const sectionStart = performance.now();
  console.log(`\n▶ ${section.title} …`);
  try {
    figures.push(...(await section.run()));
  } catch (error) {
    reportBug(
      `${section.title} crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
  }
  timings.push(`${section.id} ${((performance.now() - sectionStart) / 1000).toFixed(0)} s`);
}

console.log('');
const below = printFigures(figures);
const seconds = (performance.now() - started) / 1000;
console.log(
  `\n${below === 0 ? 'all targets met' : `${below} figure(s) BELOW target`}; ` +
    `${bugs().length === 0 ? 'no correctness bugs' : `${bugs().length} BUG(s)`}; ` +
    `bench took ${seconds.toFixed(0)} s (${timings.join(', ')}) on ${process.platform} node ${process.version}`,
);
for (const bug of bugs()) console.log(`BUG: ${bug.split('\n')[0]}`);
// Timers of the stand-ins or pools a section left behind must not keep the process alive.
process.exit(process.exitCode ?? 0);
