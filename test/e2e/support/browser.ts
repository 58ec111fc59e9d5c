import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium; never a downloaded browser. */
export const CHROMIUM = process.env.BALLOU_CHROMIUM ?? '/usr/bin/chromium';
export const HAS_BROWSER = fs.existsSync(CHROMIUM);
/** The browser tests run on SQLite only: a run narrowed to PostgreSQL (BALLOU_TEST_DIALECTS) skips them. */
export const E2E_ENABLED =
  HAS_BROWSER && (process.env.BALLOU_TEST_DIALECTS?.split(',').includes('sqlite') ?? true);
if (HAS_BROWSER && !E2E_ENABLED) console.warn('end-to-end tests skipped: they run on SQLite only');
if (!HAS_BROWSER) {
  if (process.env.BALLOU_TEST_REQUIRE_BROWSER === '1')
    throw new Error(
      `BALLOU_TEST_REQUIRE_BROWSER=1 but there is no Chromium at ${CHROMIUM} (apt-get install -y chromium)`,
    );
  console.warn(`end-to-end tests skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium)`);
}

export const SCREENSHOTS = path.resolve(import.meta.dirname, '../../../test-output/e2e');

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

export const PHONE = {
  viewport: { width: 390, height: 844 },
  isMobile: true,
  hasTouch: true,
  deviceScaleFactor: 2,
};
export const DESKTOP = { viewport: { width: 1280, height: 860 } };

/**
 * A page that records every browser console error and uncaught exception, and every answer of the
 * server with status 500 or more. Answers of 4xx that the app handles (a 401 before login, the 404 of
 * another customer's incident) show in Chromium's console as "Failed to load resource"; those are the
 * network log, not errors of the app, and are checked by status instead.
 */
export interface WatchedPage {
  context: BrowserContext;
  page: Page;
  errors: string[];
  shot(name: string): Promise<void>;
}

export async function openPage(
  browser: Browser,
  baseURL: string,
  options: { viewport: { width: number; height: number }; locale?: string } & Record<string, unknown>,
): Promise<WatchedPage> {
  const context = await browser.newContext({
    baseURL,
    locale: 'sv-SE',
    timezoneId: 'Europe/Stockholm',
    ...options,
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    if (/^Failed to load resource: the server responded with a status of 4\d\d/.test(message.text())) return;
    errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 500) errors.push(`HTTP ${response.status()} ${response.url()}`);
  });
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    context,
    page,
    errors,
    shot: async (name) => {
      await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
    },
  };
}

export async function logIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel(/^E-postadress/).fill(email);
  await page.getByLabel(/^Lösenord/).fill(password);
  await page.getByRole('button', { name: 'Logga in' }).click();
}
