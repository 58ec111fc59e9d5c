/**
 * Two real server processes on one PostgreSQL database (ADR 0001: several nodes need PostgreSQL), each
 * with its own job worker, alerts sent to both. Escalation runs on its real timers, shortened: the
 * secondary after 8 s, the managers after 16 s.
 *
 * 1. Both nodes up: every page goes out exactly once (counted at the SMS stand-in): per callout the
 *    primary gets 3 SMS (steps 0, 1, 2), the secondary 2 and the manager 1.
 * 2. A node is killed with SIGKILL while it holds claimed jobs (the SMS provider answers slowly then):
 *    the other node runs those jobs once their lease has passed, and the remaining steps: the pages still
 *    reach everyone, exactly once, except a message whose provider call the dead node had started, which
 *    may go twice (at least once, never lost).
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
  duplicatedCustomerIncidents,
  duplicatedIncidentKeys,
  eventually,
} from './support/checks.js';
import {
  openForChecks,
  PHONES,
  prepareDesk,
  smsFor,
  startProviders,
  type Desk,
  type Providers,
} from './support/desk-fixture.js';
import { killAllServers, ServerProcess } from './support/server-process.js';
import { History, type Delivery } from './support/traffic.js';

const SECONDARY_AFTER_S = 8;
const MANAGER_AFTER_S = 16;
const LEASE_SECONDS = 15;
/** Pages per callout when nobody acknowledges before the managers' step. */
const EXPECTED = { primary: 3, secondary: 2, manager: 1 } as const;
type Role = keyof typeof EXPECTED;
const ROLES = Object.keys(EXPECTED) as Role[];

const onPostgres = DIALECTS.includes('postgres');

describe.skipIf(!onPostgres)('two server processes on one PostgreSQL database', () => {
  let providers: Providers;
  let tmp: string;
  let database: { url: string; drop(): Promise<void> };
  let desk: Desk;
  let checks: DatabaseHandle;
  const nodes: ServerProcess[] = [];

  beforeAll(async () => {
    providers = await startProviders();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ballou-two-nodes-'));
    database = await freshDatabaseUrl('postgres');
    desk = await prepareDesk(database.url);
    const env = {
      ...providers.env,
      BALLOU_DATABASE_URL: database.url,
      BALLOU_ESCALATE_SECONDARY_AFTER: String(SECONDARY_AFTER_S),
      BALLOU_ESCALATE_MANAGER_AFTER: String(MANAGER_AFTER_S),
      BALLOU_JOB_LEASE_SECONDS: String(LEASE_SECONDS),
      // One job per claim, so that a burst is shared by both nodes rather than drained by whichever polls first.
      BALLOU_JOB_BATCH_SIZE: '1',
    };
    nodes.push(
      ...(await Promise.all(
        ['node-a', 'node-b'].map((name) => ServerProcess.start({ name, env, logDir: tmp })),
      )),
    );
    checks = openForChecks(database.url);
  });
  afterAll(async () => {
    await killAllServers();
    await checks?.close();
    await database?.drop();
    await providers?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  const logs = () => nodes.map((n) => n.logTail(25)).join('\n');

  /** A batch of deliveries spread over the nodes that are up, sent all at once; all must be acknowledged. */
  async function sendBatch(history: History, targets: ServerProcess[], count: number): Promise<Delivery[]> {
    const batch: Delivery[] = [];
    for (let i = 0; i < count; i += 1) {
      if (i % 3 === 0) batch.push(history.alertmanager());
      else if (i % 3 === 1) batch.push(...history.pagerDuty(2));
      else batch.push(history.elksCall(), history.elksCall(true));
    }
    await Promise.all(batch.map((d, i) => history.deliver(d, targets[i % targets.length]!.url)));
    expect(
      batch.filter((d) => !d.acknowledged).map((d) => d.outcomes),
      logs(),
    ).toEqual([]);
    return batch;
  }

  /** The callouts a batch opened, by reference. */
  async function calloutsOf(batch: readonly Delivery[]): Promise<{ id: string; ref: string }[]> {
    const markers = batch.map((d) => d.marker);
    const events = await checks.db
      .selectFrom('incident_events')
      .select(['incident_id', 'data'])
      .where('type', '=', 'reported')
      .execute();
    const ids = new Set(
      events.filter((e) => markers.some((m) => e.data.includes(m))).map((e) => e.incident_id),
    );
    return (await calloutIncidents(checks.db)).filter((i) => ids.has(i.id));
  }

  const counts = (ref: string): Record<Role, number> =>
    Object.fromEntries(ROLES.map((role) => [role, smsFor(providers.elks, ref, PHONES[role])])) as Record<
      Role,
      number
    >;

  it('sends every page of a callout once when both nodes work the queue', async () => {
    const history = new History(desk, 'both');
    // The provider answers in 150 ms: a node cannot send the whole first step before the other polls (1 s).
    providers.elks.delayNext(40, 150);
    const batch = await sendBatch(history, nodes, 9);
    const callouts = await calloutsOf(batch);
    expect(callouts.length).toBeGreaterThanOrEqual(7);
    const complete = () => callouts.every((c) => counts(c.ref).manager >= EXPECTED.manager);
    expect(await eventually((MANAGER_AFTER_S + 30) * 1000, complete), logs()).toBe(true);
    // A little longer: a page sent twice would show up now.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    for (const c of callouts) expect({ ref: c.ref, ...counts(c.ref) }).toEqual({ ref: c.ref, ...EXPECTED });
    expect(await duplicatedIncidentKeys(checks.db)).toEqual([]);
    expect(await duplicatedCustomerIncidents(checks.db)).toEqual([]);
    const once = await deliveriesNotOnce(checks.db, batch);
    expect([once.lost, once.doubled]).toEqual([[], []]);
    // Both workers took part in the paging: escalation steps or sends. (Sends alone are not enough: on a
    // loaded machine one node's worker may claim the other's first steps, and a step claims its own sends.)
    const workers = await checks.db
      .selectFrom('jobs')
      .select('locked_by')
      .distinct()
      .where('kind', 'in', ['message.send', 'incident.escalate'])
      .where('status', '=', 'done')
      .execute();
    const pids = new Set(workers.map((w) => String(w.locked_by).split('-')[0]));
    expect([...pids].sort(), logs()).toEqual(nodes.map((n) => String(n.pid)).sort());
  });

  it('lets the surviving node take over the jobs of a node killed mid-escalation, losing no page', async () => {
    const history = new History(desk, 'kill');
    const batch = await sendBatch(history, nodes, 9);
    const callouts = await calloutsOf(batch);
    const firstPaged = () => callouts.every((c) => counts(c.ref).primary >= 1);
    expect(await eventually(30_000, firstPaged), logs()).toBe(true);

    // Once step 0 is sent out, the provider becomes slow (600 ms a request) for the sends of step 1: a
    // node sending one holds its claimed message job long enough to be killed holding it. 16 requests,
    // so that even one node's whole batch of them stays well inside its lease.
    const idle = async () =>
      (
        await checks.db
          .selectFrom('jobs')
          .select('id')
          .where('kind', '=', 'message.send')
          .where('status', 'in', ['pending', 'running'])
          .execute()
      ).length === 0;
    expect(await eventually(30_000, idle), logs()).toBe(true);
    providers.elks.delayNext(16, 600);
    let victim: ServerProcess | undefined;
    let held: { id: string; kind: string; dedupe_key: string | null; lease_until: string | null }[] = [];
    const found = await eventually(SECONDARY_AFTER_S * 1000 + 20_000, async () => {
      for (const node of nodes) {
        const running = await checks.db
          .selectFrom('jobs')
          .select(['id', 'kind', 'dedupe_key'])
          .where('status', '=', 'running')
          .where('locked_by', 'like', `${node.pid}-%`)
          .where('kind', '=', 'message.send')
          .execute();
        if (running.length > 0) {
          victim = node;
          return true;
        }
      }
      return false;
    });
    expect(found, `no node ever held a job\n${logs()}`).toBe(true);
    await victim!.kill();
    const survivor = nodes.find((n) => n !== victim)!;
    held = await checks.db
      .selectFrom('jobs')
      .select(['id', 'kind', 'dedupe_key', 'lease_until'])
      .where('status', '=', 'running')
      .where('locked_by', 'like', `${victim!.pid}-%`)
      .execute();
    expect(held.length, `the killed node held no job any more\n${logs()}`).toBeGreaterThan(0);

    // Every page of the batch still goes out; the jobs the dead node held are run by the survivor. Each
    // role counted: sends run concurrently, so the managers' SMS may arrive before a secondary's.
    const complete = () =>
      callouts.every((c) => ROLES.every((role) => counts(c.ref)[role] >= EXPECTED[role]));
    expect(await eventually((MANAGER_AFTER_S + LEASE_SECONDS + 30) * 1000, complete), logs()).toBe(true);
    // The survivor may still be finishing a taken-over send (the provider is slow): wait for it, bounded.
    const heldJobs = () =>
      checks.db
        .selectFrom('jobs')
        .select(['id', 'status', 'locked_by', 'updated_at'])
        .where(
          'id',
          'in',
          held.map((j) => j.id),
        )
        .execute();
    await eventually(30_000, async () => (await heldJobs()).every((j) => j.status === 'done'));
    const after = await heldJobs();
    for (const job of after) {
      const before = held.find((j) => j.id === job.id)!;
      expect(job.status, JSON.stringify(job)).toBe('done');
      expect(String(job.locked_by).startsWith(`${survivor.pid}-`), JSON.stringify(job)).toBe(true);
      // Taken over only once the dead node's lease had run out.
      expect(Date.parse(job.updated_at), JSON.stringify({ before, job })).toBeGreaterThanOrEqual(
        Date.parse(before.lease_until!),
      );
    }

    // Exactly once, except an SMS whose sending the dead node had started (at least once, at most twice).
    const engineers = await checks.db.selectFrom('engineers').select(['id', 'phone']).execute();
    const roleOf = new Map(
      engineers.map((e) => [e.id, ROLES.find((r) => PHONES[r] === e.phone) as Role | undefined]),
    );
    const inFlight = (incidentId: string, role: Role) =>
      held.filter((j) => {
        const [kind, incident, , engineer, channel] = (j.dedupe_key ?? '').split(':');
        return (
          kind === 'page' && incident === incidentId && channel === 'sms' && roleOf.get(engineer!) === role
        );
      }).length;
    for (const c of callouts) {
      const got = counts(c.ref);
      for (const role of ROLES) {
        const what = `${c.ref} ${role}: ${got[role]} SMS, ${inFlight(c.id, role)} in flight at the kill`;
        expect(got[role], what).toBeGreaterThanOrEqual(EXPECTED[role]);
        expect(got[role], what).toBeLessThanOrEqual(EXPECTED[role] + inFlight(c.id, role));
      }
    }
    expect(await duplicatedIncidentKeys(checks.db)).toEqual([]);
    expect(await duplicatedCustomerIncidents(checks.db)).toEqual([]);
    process.stdout.write(
      `\ntwo nodes: killed ${victim!.name} holding ${held.length} jobs (${held.map((j) => j.kind).join(', ')}); ` +
        `${callouts.length} callouts paged through\n`,
    );
  });
});

describe.skipIf(onPostgres)('two server processes', () => {
  it.skip('need PostgreSQL (several nodes on one SQLite file is not supported): set BALLOU_TEST_PG_URL', () => {});
});
