/**
 * Crash consistency with a real `kill -9` of the server process (reliability-security.md B11.1). This is
 * NOT a power-loss test: the kernel's page cache survives a killed process, so what is proven is that an
 * acknowledged webhook, its incident and its page job were committed before the answer, and that a
 * restarted node finishes the work of the dead one. Power loss would also need the disk to honour fsync
 * (SQLite runs synchronous=FULL for that, PostgreSQL synchronous_commit=on), which no test here shows.
 *
 * Per seed: a fresh database with a paging desk, the server spawned on it, six senders posting
 * Alertmanager groups, PagerDuty triggers (two at once per dedup_key) and 46elks calls; SIGKILL after a
 * delay the seed chooses; SQLite's integrity check on a copy of the file as the kill left it; restart;
 * every delivery acknowledged before the kill must be there; then the senders retry whatever got no 2xx
 * (and repeat some that did); a second SIGKILL and restart while the pages go out; and then: each
 * delivery is on exactly one timeline event, one incident per dedupe key, every callout has its first
 * escalation step done and the SMS stand-in got at least one page SMS for it, at most one more per kill
 * (a duplicate after a crash is accepted, a missing page never).
 *
 * BALLOU_CRASH_SEEDS=n runs seeds 1..n (default 2 per engine, 20–60 s each); BALLOU_CRASH_SEED=k replays one.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/database.js';
import { DIALECTS, freshDatabaseUrl } from '../integration/support/test-runtime.js';
import {
  calloutIncidents,
  deliveriesNotOnce,
  describeDeliveries,
  duplicatedCustomerIncidents,
  duplicatedIncidentKeys,
  untilDoneOrStalled,
} from './support/checks.js';
import {
  openForChecks,
  PHONES,
  prepareDesk,
  smsFor,
  sqliteIntegrity,
  sqliteIntegrityOfCopy,
  startProviders,
  type Providers,
} from './support/desk-fixture.js';
import { killAllServers, ServerProcess } from './support/server-process.js';
import { History, runSender, seededRandom } from './support/traffic.js';

const SEEDS = process.env.BALLOU_CRASH_SEED
  ? [Number(process.env.BALLOU_CRASH_SEED)]
  : Array.from({ length: Number(process.env.BALLOU_CRASH_SEEDS ?? 2) }, (_, i) => i + 1);
const SENDERS = 6;
/** The kill comes between these many ms after the senders started. */
const KILL_WINDOW_MS = [300, 2_500] as const;
/** The server is killed twice: during the webhook traffic, and while the restarted one sends the pages. */
const KILLS = 2;
/** A job held by the killed process is run again once this lease has passed. */
const LEASE_SECONDS = 5;

for (const dialect of DIALECTS) {
  describe(`kill -9 of the server process, not power loss (${dialect})`, () => {
    let providers: Providers;
    let tmp: string;
    const summary: string[] = [];

    beforeAll(async () => {
      providers = await startProviders();
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ballou-crash-'));
    });
    afterAll(async () => {
      await killAllServers();
      await providers?.close();
      // BALLOU_CRASH_KEEP_LOGS=1 keeps the servers' logs for a look after the run.
      if (tmp && process.env.BALLOU_CRASH_KEEP_LOGS !== '1') fs.rmSync(tmp, { recursive: true, force: true });
      else if (tmp) process.stdout.write(`\nserver logs kept in ${tmp}\n`);
      if (summary.length > 0) process.stdout.write(`\n${summary.join('\n')}\n`);
    });

    for (const seed of SEEDS) {
      it(`seed ${seed}: nothing acknowledged is lost or doubled, every callout is paged at least once`, async () => {
        const started = Date.now();
        const random = seededRandom(seed);
        const killAfterMs = Math.round(
          KILL_WINDOW_MS[0] + random() * (KILL_WINDOW_MS[1] - KILL_WINDOW_MS[0]),
        );
        const replay = `replay with BALLOU_CRASH_SEED=${seed} (${dialect}, first kill after ${killAfterMs} ms)`;
        providers.elks.sms.length = 0;
        providers.twilio.calls.length = 0;
        // A provider that takes 100 ms per request: the kill often comes while a page is being sent.
        providers.elks.delayNext(400, 100);
        const database = await freshDatabaseUrl(dialect);
        const desk = await prepareDesk(database.url);
        const server = await ServerProcess.start({
          name: `${dialect}-seed-${seed}`,
          logDir: tmp,
          env: {
            ...providers.env,
            BALLOU_DATABASE_URL: database.url,
            // Only the first step is due during the test: each callout pages the primary once.
            BALLOU_ESCALATE_SECONDARY_AFTER: '3600',
            BALLOU_ESCALATE_MANAGER_AFTER: '7200',
            BALLOU_JOB_LEASE_SECONDS: String(LEASE_SECONDS),
          },
        });
        // Opened only after the restart: a connection held open across the kill would keep SQLite's shared
        // WAL index alive, and the restarted server would not have to recover the file as it must in life.
        let checks: DatabaseHandle | undefined;
        const fail = (what: string) => `${what}\n${replay}\n${server.logTail(30)}`;
        try {
          const history = new History(desk, `s${seed}`);
          let stopped = false;
          const senders = Array.from({ length: SENDERS }, (_, i) =>
            runSender(
              history,
              () => server.url,
              seededRandom(seed * 1000 + i),
              () => stopped,
            ),
          );
          await new Promise((resolve) => setTimeout(resolve, killAfterMs));
          stopped = true; // the senders finish what they have in flight and send nothing new
          await server.kill();
          await Promise.all(senders);
          const ackedBeforeKill = history.acknowledged;
          const inFlight = history.unacknowledged.length;

          // The file as the kill left it, checked on a copy so that the server itself recovers the original.
          if (dialect === 'sqlite')
            expect(await sqliteIntegrityOfCopy(database.url, tmp), fail('integrity after kill')).toBe('ok');
          await server.restart();
          let db = (checks = openForChecks(database.url)).db;

          // Nothing the dead process acknowledged is gone, before any sender retries.
          const afterRestart = await deliveriesNotOnce(db, ackedBeforeKill);
          expect(
            afterRestart.lost,
            fail(`acknowledged but lost:\n  ${describeDeliveries(afterRestart.lost)}`),
          ).toEqual([]);

          // The senders retry what got no answer (as Alertmanager, PagerDuty clients and 46elks do) and
          // repeat a few that did (Alertmanager's repeat, a sender that missed our answer).
          const resend = history.deliveries.filter((d) => !d.acknowledged || random() < 0.2);
          for (let i = 0; i < resend.length; i += SENDERS) {
            await Promise.all(resend.slice(i, i + SENDERS).map((d) => history.deliver(d, server.url)));
          }
          expect(history.unacknowledged, fail('not acknowledged after the restart')).toEqual([]);

          const once = await deliveriesNotOnce(db, history.deliveries);
          expect(once.lost, fail(`lost:\n  ${describeDeliveries(once.lost)}`)).toEqual([]);
          expect(once.doubled, fail(`taken twice:\n  ${describeDeliveries(once.doubled)}`)).toEqual([]);
          expect(await duplicatedIncidentKeys(db), fail('one dedupe key, several incidents')).toEqual([]);
          expect(await duplicatedCustomerIncidents(db), fail('one customer, several open incidents')).toEqual(
            [],
          );

          // A second kill while the restarted node works off the pages, so that sends are cut off as well.
          const secondKillAfterMs = Math.round(random() * 1_500);
          await new Promise((resolve) => setTimeout(resolve, secondKillAfterMs));
          await server.kill();
          await checks.close();
          if (dialect === 'sqlite')
            expect(await sqliteIntegrityOfCopy(database.url, tmp), fail('integrity after 2nd kill')).toBe(
              'ok',
            );
          await server.restart();
          db = (checks = openForChecks(database.url)).db;

          // Every callout is paged: its step-0 job runs and the primary's SMS reaches the provider.
          const callouts = await calloutIncidents(db);
          expect(callouts.length, fail('no callout incidents')).toBeGreaterThan(0);
          await untilDoneOrStalled(LEASE_SECONDS * 1000 + 20_000, async () => {
            const now = await calloutIncidents(db);
            const paged = now.filter(
              (i) => i.firstStepJob === 'done' && smsFor(providers.elks, i.ref, PHONES.primary) >= 1,
            ).length;
            return { done: paged === now.length, progress: paged };
          });
          const pages = (await calloutIncidents(db)).map((i) => ({
            ...i,
            sms: smsFor(providers.elks, i.ref, PHONES.primary),
          }));
          const unpaged = pages.filter((p) => p.sms === 0 || p.firstStepJob !== 'done');
          expect(unpaged, fail(`callouts not paged: ${JSON.stringify(unpaged.slice(0, 5))}`)).toEqual([]);
          // At least once: a kill between the provider's answer and the `sent` mark sends it again.
          const tooMany = pages.filter((p) => p.sms > 1 + KILLS);
          expect(tooMany, fail(`more than ${1 + KILLS} SMS for one page`)).toEqual([]);
          const duplicates = pages.filter((p) => p.sms > 1).length;

          await server.kill();
          await checks.close();
          checks = undefined;
          if (dialect === 'sqlite')
            expect(await sqliteIntegrity(database.url), fail('integrity at the end')).toBe('ok');
          summary.push(
            `crash ${dialect} seed ${seed}: kills after ${killAfterMs} ms and ${secondKillAfterMs} ms; ${ackedBeforeKill.length} acknowledged ` +
              `before the kill, ${inFlight} in flight; ${history.deliveries.length} deliveries, ${callouts.length} ` +
              `callouts, ${duplicates} pages sent more than once; ${((Date.now() - started) / 1000).toFixed(1)} s`,
          );
        } finally {
          await server.kill();
          await checks?.close();
          await database.drop();
        }
      });
    }
  });
}
