/**
 * Crash consistency with a real `kill -9` of the server process (reliability-security.md B11.1). This is
 * NOT a power-loss test: the kernel's page cache survives a killed process, so what is proven is that an
 * acknowledged webhook, its incident and its page job were committed before the answer, and that a
 * restarted node finishes the work of the dead one. Power loss would also need the disk to honour fsync
 * (SQLite runs synchronous=FULL for that, PostgreSQL synchronous_commit=on), which no test here shows.
 *
 * Per seed: a fresh database with a paging desk and the server spawned on it. A SECOND PROCESS, the
 * sender (support/sender-main.ts), posts Alertmanager groups, PagerDuty triggers (two at once per
 * dedup_key) and 46elks calls from six lanes, each with a unique marker, and journals every answer at
 * once; a delivery that got no answer (the server was killed under it) is retried until acknowledged, as
 * the providers do. Meanwhile the server is SIGKILLed at moments the seed chooses, several times, and
 * restarted; after each kill SQLite's integrity check runs on a copy of the file as the kill left it, the
 * sends the dead process had started are noted, and after each restart every delivery acknowledged so far
 * must be there. The sender then stops and repeats a share of what was acknowledged. Afterwards:
 * - every acknowledged delivery is on exactly one timeline event, one incident per dedupe key;
 * - every callout's page (SMS and call to the primary) is sent and reached a provider: lost = 0;
 * - none reached a provider twice, except a page whose send a killed process had started (it cannot know
 *   whether the provider took it, so it sends again: at least once, never lost, docs/paging.md).
 *
 * BALLOU_CRASH_SEEDS=n runs n seeds from BALLOU_CRASH_SEED_FROM (default 1 seed from 1 per engine in
 * `npm test`: 30–60 s), BALLOU_CRASH_SEED=k replays one, BALLOU_CRASH_KILLS the kills per seed (default 3).
 * `npm run test:crash` runs more of both.
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
  eventually,
  untilDoneOrStalled,
} from './support/checks.js';
import {
  openForChecks,
  PHONES,
  prepareDesk,
  sqliteIntegrity,
  startProviders,
  type Providers,
} from './support/desk-fixture.js';
import { crashImage, pageNotifications, providerSendsOf, sendsPerProvider } from './support/page-sends.js';
import { SenderProcess } from './support/sender-process.js';
import { killAllServers, ServerProcess } from './support/server-process.js';
import { seededRandom } from './support/traffic.js';

const SEEDS = process.env.BALLOU_CRASH_SEED
  ? [Number(process.env.BALLOU_CRASH_SEED)]
  : Array.from(
      { length: Number(process.env.BALLOU_CRASH_SEEDS ?? 1) },
      (_, i) => i + Number(process.env.BALLOU_CRASH_SEED_FROM ?? 1),
    );
const KILLS = Number(process.env.BALLOU_CRASH_KILLS ?? 3);
const LANES = 6;
/** Each kill comes this many ms after the sender started or the server came back. */
const KILL_AFTER_MS = [400, 2_500] as const;
/** The server stays dead this long before the restart begins (the sender keeps trying meanwhile). */
const DEAD_FOR_MS = [0, 1_000] as const;
/**
 * A job held by the killed process is run again once this lease has passed. Long enough that a send on a
 * loaded machine finishes within it: a lease that runs out under a live worker runs the job again too.
 */
const LEASE_SECONDS = 10;

const between = (random: () => number, [low, high]: readonly [number, number]) =>
  Math.round(low + random() * (high - low));

for (const dialect of DIALECTS) {
  describe(`kill -9 of the server process under webhook traffic from a second process (${dialect})`, () => {
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
      // BALLOU_CRASH_KEEP_LOGS=1 keeps the servers' logs and the sender's journal for a look after the run.
      if (tmp && process.env.BALLOU_CRASH_KEEP_LOGS !== '1') fs.rmSync(tmp, { recursive: true, force: true });
      else if (tmp) process.stdout.write(`\nserver logs and sender journals kept in ${tmp}\n`);
      if (summary.length > 0) process.stdout.write(`\n${summary.join('\n')}\n`);
    });

    for (const seed of SEEDS) {
      it(`seed ${seed}: ${KILLS} kills; nothing acknowledged is lost or doubled, no page lost`, async () => {
        const started = Date.now();
        const random = seededRandom(seed);
        const replay = `replay with BALLOU_CRASH_SEED=${seed} BALLOU_CRASH_KILLS=${KILLS} (${dialect})`;
        providers.elks.sms.length = 0;
        providers.elks.calls.length = 0;
        providers.twilio.messages.length = 0;
        providers.twilio.calls.length = 0;
        // A provider that takes 100 ms per request: a kill often comes while a page is being sent.
        providers.elks.delayNext(1_000, 100);
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
        const sender = SenderProcess.start({
          url: server.url,
          desk,
          label: `${dialect}-s${seed}`,
          seed,
          lanes: LANES,
          repeatShare: 0.2,
          dir: tmp,
        });
        // Opened only after a restart and closed before the next kill: a connection held open across a
        // kill would keep SQLite's shared WAL index alive, and the restarted server would not have to
        // recover the file as it must in life.
        let checks: DatabaseHandle | undefined;
        const fail = (what: string) => `${what}\n${replay}\n${server.logTail(30)}`;
        const kills: { afterMs: number; deadMs: number; ackedBefore: number; sending: string[] }[] = [];
        try {
          // The kills are timed from the first acknowledged delivery: the sender process needs a moment to start.
          const flowing = await eventually(60_000, () => sender.lines().some((l) => l.ok));
          expect(flowing, fail('the sender process got no delivery acknowledged')).toBe(true);
          for (let k = 0; k < KILLS; k++) {
            const afterMs = between(random, KILL_AFTER_MS);
            await new Promise((resolve) => setTimeout(resolve, afterMs));
            await server.kill();
            const ackedBefore = sender.deliveries().filter((d) => d.acknowledged);
            const image = await crashImage(database.url, tmp);
            expect(image.integrity, fail(`integrity after kill ${k + 1}`)).toBe('ok');
            const deadMs = between(random, DEAD_FOR_MS);
            kills.push({ afterMs, deadMs, ackedBefore: ackedBefore.length, sending: image.sending });
            await new Promise((resolve) => setTimeout(resolve, deadMs));
            await server.restart();

            // Nothing the dead process acknowledged is gone. (The sender repeats deliveries only at the
            // end, so nothing here can have been put back by a repeat.)
            checks = openForChecks(database.url);
            const afterRestart = await deliveriesNotOnce(checks.db, ackedBefore);
            await checks.close();
            checks = undefined;
            expect(
              afterRestart.lost,
              fail(`acknowledged before kill ${k + 1} but lost:\n  ${describeDeliveries(afterRestart.lost)}`),
            ).toEqual([]);
          }

          // The sender finishes what it has in hand (retrying what got no answer), repeats a fifth of what
          // was acknowledged (Alertmanager's repeat, a sender that missed our answer) and exits.
          const sent = await sender.stop();
          const deliveries = sender.deliveries();
          const acknowledged = deliveries.filter((d) => d.acknowledged);
          expect(
            deliveries.filter((d) => !d.acknowledged),
            fail('never acknowledged, though retried'),
          ).toEqual([]);
          const db = (checks = openForChecks(database.url)).db;
          const once = await deliveriesNotOnce(db, acknowledged);
          expect(once.lost, fail(`lost:\n  ${describeDeliveries(once.lost)}`)).toEqual([]);
          expect(once.doubled, fail(`taken twice:\n  ${describeDeliveries(once.doubled)}`)).toEqual([]);
          expect(await duplicatedIncidentKeys(db), fail('one dedupe key, several incidents')).toEqual([]);
          expect(await duplicatedCustomerIncidents(db), fail('one customer, several open incidents')).toEqual(
            [],
          );

          // Every callout's page goes out: its step-0 job is done, its SMS and call are sent and reached a
          // provider. Pages still pending after the last restart go out now.
          const callouts = await calloutIncidents(db);
          const incidents = (await db.selectFrom('incidents').select('id').execute()).length;
          expect(callouts.length, fail('no callout incidents')).toBeGreaterThan(0);
          const pageState = async () => {
            const pages = await pageNotifications(db);
            const calloutIds = new Set(callouts.map((c) => c.id));
            const ofCallouts = pages.filter((p) => calloutIds.has(p.incidentId));
            const out = ofCallouts.filter(
              (p) => p.status === 'sent' && providerSendsOf(providers, p.id) >= 1,
            );
            const stepsDone = (await calloutIncidents(db)).filter((c) => c.firstStepJob === 'done').length;
            return { pages: ofCallouts, out: out.length, stepsDone };
          };
          await untilDoneOrStalled(LEASE_SECONDS * 1000 + 20_000, async () => {
            const state = await pageState();
            const done = state.stepsDone === callouts.length && state.out === state.pages.length;
            return { done, progress: state.out + state.stepsDone };
          });
          // A little longer: a page sent twice would show up now.
          await new Promise((resolve) => setTimeout(resolve, 1_000));
          const { pages, stepsDone } = await pageState();
          expect(stepsDone, fail('callouts whose first escalation step never ran')).toBe(callouts.length);
          // SMS and call to the primary for every callout.
          expect(pages.length, fail('pages queued')).toBe(2 * callouts.length);
          expect(
            pages.filter((p) => p.recipient !== PHONES.primary),
            fail('a page to someone else'),
          ).toEqual([]);
          const counted = pages.map((p) => ({
            ...p,
            sends: providerSendsOf(providers, p.id),
            inFlightAtKills: kills.filter((k) => k.sending.includes(p.id)).length,
          }));
          const lost = counted.filter((p) => p.status !== 'sent' || p.sends === 0);
          expect(lost, fail(`pages lost: ${JSON.stringify(lost.slice(0, 5))}`)).toEqual([]);
          // Twice only when a killed process had started that very send, once more per such kill.
          const duplicated = counted.filter((p) => p.sends > 1);
          const jobs = new Map(
            (
              await db
                .selectFrom('notifications')
                .innerJoin('jobs', 'jobs.id', 'notifications.job_id')
                .select(['notifications.id', 'jobs.attempts', 'jobs.last_error', 'jobs.locked_by'])
                .execute()
            ).map((r) => [r.id, r]),
          );
          const unexplained = duplicated
            .filter((p) => p.sends > 1 + p.inFlightAtKills)
            .map((p) => ({ ...p, ...sendsPerProvider(providers, p.id), job: jobs.get(p.id) }));
          expect(
            unexplained,
            fail(`pages sent twice without a kill: ${JSON.stringify(unexplained)}`),
          ).toEqual([]);

          await server.kill();
          await checks.close();
          checks = undefined;
          if (dialect === 'sqlite')
            expect(await sqliteIntegrity(database.url), fail('integrity at the end')).toBe('ok');
          const inFlight = kills.reduce((n, k) => n + k.sending.length, 0);
          summary.push(
            `crash ${dialect} seed ${seed}: ${sent.requests} requests from the sender process for ` +
              `${sent.deliveries} deliveries (+${sent.repeats} repeats), ${acknowledged.length} acknowledged; ` +
              `${KILLS} kills (after ${kills.map((k) => `${k.afterMs}+${k.deadMs}`).join(', ')} ms, ` +
              `acknowledged so far ${kills.map((k) => k.ackedBefore).join(', ')}); ${incidents} incidents, ` +
              `${callouts.length} of them callouts, ` +
              `${pages.length} pages; lost 0 deliveries, 0 pages; ${duplicated.length} pages sent twice ` +
              `(${inFlight} sends were in flight at a kill: the dead process cannot know whether the provider ` +
              `took them, so they go again); ${((Date.now() - started) / 1000).toFixed(1)} s`,
          );
        } finally {
          await sender.stop(5_000).catch(() => undefined);
          await server.kill();
          await checks?.close();
          await database.drop();
        }
      });
    }
  });
}
