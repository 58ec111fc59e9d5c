// The web app's first screen: a cold load of the production build in Chromium, timed to
// DOMContentLoaded and to the first contentful paint (the 1 s target of issue 8). Serves dist/web from the
// real server on an empty SQLite database; a fresh browser context per load, so nothing is cached.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { bootstrap } from '../src/app/bootstrap.js';
import { loadConfig } from '../src/config/config.js';
import { buildApp } from '../src/server/build-app.js';
import type { Figure } from './figure.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const CHROMIUM = process.env.BALLOU_CHROMIUM ?? '/usr/bin/chromium';
const LOADS = 5;

export interface FirstScreen {
  /** Medians of the cold loads, in ms. */
  domContentLoadedMs: number;
  firstContentfulPaintMs: number;
  /** The login form is on screen (the app rendered, not just the HTML). */
  loginVisibleMs: number;
  /** Compressed response bodies of one load. */
  transferredKb: number;
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

/** Null when there is no Chromium to measure with. */
export async function measureFirstScreen(): Promise<FirstScreen | null> {
  if (!fs.existsSync(CHROMIUM)) return null;
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs'), '--web-only', '--if-stale'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  const { chromium } = await import('playwright-core');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ballou-bench-'));
  const config = loadConfig(
    { BALLOU_DATABASE_URL: `sqlite:${path.join(dir, 'bench.sqlite')}`, BALLOU_DEMO_DATA: '0' },
    dir,
  );
  const runtime = await bootstrap(config, pino({ level: 'silent' }));
  const app = await buildApp({ ctx: runtime.ctx, webRoot: path.join(ROOT, 'dist/web') });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  const dcl: number[] = [];
  const fcp: number[] = [];
  const login: number[] = [];
  let bytes = 0;
  try {
    for (let i = 0; i < LOADS + 1; i++) {
      const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
      const page = await context.newPage();
      let transferred = 0;
      // Bytes over the wire (compressed), as the phone would download them.
      page.on('requestfinished', (request) => {
        void request
          .sizes()
          .then((sizes) => (transferred += sizes.responseBodySize))
          .catch(() => undefined);
      });
      const started = Date.now();
      await page.goto(url, { waitUntil: 'load' });
      await page.locator('input[type=email]').waitFor();
      const loginAt = Date.now() - started;
      // Evaluated in the page (browser types, not Node's).
      const timing = (await page.evaluate(`(() => {
        const nav = performance.getEntriesByType('navigation')[0];
        const paint = performance.getEntriesByName('first-contentful-paint')[0];
        return { dcl: nav.domContentLoadedEventEnd, fcp: paint ? paint.startTime : NaN };
      })()`)) as { dcl: number; fcp: number };
      // The first load warms the server process (JIT, file cache), not the browser: it is left out.
      if (i > 0) {
        dcl.push(timing.dcl);
        fcp.push(timing.fcp);
        login.push(loginAt);
        bytes = transferred;
      }
      await context.close();
    }
  } finally {
    await browser.close();
    await app.close();
    await runtime.database.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return {
    domContentLoadedMs: median(dcl),
    firstContentfulPaintMs: median(fcp),
    loginVisibleMs: median(login),
    transferredKb: bytes / 1024,
  };
}

const TARGET_FIRST_SCREEN_MS = 1000;

/** The first-screen figures for `npm run bench`'s table (none without Chromium). */
export async function benchFirstScreen(): Promise<Figure[]> {
  const screen = await measureFirstScreen();
  if (!screen) {
    console.log('web app first screen: skipped (no Chromium at /usr/bin/chromium)');
    return [];
  }
  const note = `median of ${LOADS} cold loads in Chromium, phone-sized, on the real server`;
  return [
    {
      name: 'web app cold load: first contentful paint',
      value: screen.firstContentfulPaintMs,
      unit: 'ms',
      better: 'lower',
      target: { kind: 'absolute', value: TARGET_FIRST_SCREEN_MS },
      note,
    },
    {
      name: 'web app cold load: login form on screen',
      value: screen.loginVisibleMs,
      unit: 'ms',
      better: 'lower',
      target: { kind: 'absolute', value: TARGET_FIRST_SCREEN_MS },
    },
    {
      name: 'web app cold load: DOMContentLoaded',
      value: screen.domContentLoadedMs,
      unit: 'ms',
      better: 'lower',
    },
    {
      name: 'web app cold load: bytes transferred',
      value: screen.transferredKb,
      unit: 'KiB',
      better: 'lower',
    },
  ];
}
