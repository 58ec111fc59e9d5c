import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { casesFor, routesOf, type FuzzCase, type RouteSpec } from './support/fuzz/fuzz-cases.js';
import { sql } from 'kysely';
import { changedTables, DatabaseWatch } from './support/fuzz/db-fingerprint.js';
import { loadDemoData, type DemoLogins } from '../../src/app/demo/load-demo-data.js';
import {
  Credentials,
  FUZZ_ENV,
  FuzzRunner,
  IdPools,
  seededIds,
  type Finding,
} from './support/fuzz/fuzz-runner.js';
import type { JsonSchema } from './support/fuzz/schema-arbitrary.js';
import { DIALECTS, startTestApp, type TestApp } from './support/test-runtime.js';

/**
 * API fuzzing (issue 9): every route of the OpenAPI document the app serves, with valid-looking and
 * malformed bodies, path parameters, query strings, headers and credentials, as every role. Properties:
 * never a 5xx, every 4xx/5xx is application/problem+json of the documented shape, and a 4xx wrote
 * nothing (every table's row count and content hash, audit_log and jobs included, before and after),
 * except what is written on purpose: authentication's bookkeeping (a counted failed login, a token's
 * last use, a session's last activity) and the record of a refused action run (ADR 0017). Provider
 * wire formats are kept where the spec says so: PagerDuty's own 400 body on /v2/enqueue.
 *
 * The cases run in rounds, one case per route each, in a seeded order. By default up to 12 rounds, at
 * least 3, and no new round after BALLOU_FUZZ_SECONDS (default 20) so the run fits a busy CI machine.
 * BALLOU_FUZZ_SEED replays a run (with BALLOU_FUZZ_RUNS = the rounds it printed); BALLOU_FUZZ_RUNS=N runs
 * exactly N rounds, however long that takes. BALLOU_FUZZ_VERBOSE=1 lists, per route, the statuses its
 * valid-looking cases got (how deep they reached); BALLOU_FUZZ_DEBUG=1 prints each one refused.
 */
const SEED = process.env.BALLOU_FUZZ_SEED ? Number(process.env.BALLOU_FUZZ_SEED) : Date.now() % 2 ** 31;
const RUNS = Number(process.env.BALLOU_FUZZ_RUNS ?? 12);
const MIN_ROUNDS = process.env.BALLOU_FUZZ_RUNS ? RUNS : 3;
const SECONDS = process.env.BALLOU_FUZZ_RUNS ? Infinity : Number(process.env.BALLOU_FUZZ_SECONDS ?? 20);

const HOST_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';

function show(findings: Finding[]): string {
  return findings
    .slice(0, 25)
    .map((f) => `  ${f.status} ${f.route} [${f.label}; ${f.auth}] ${f.problem}\n      ${f.request}`)
    .join('\n');
}

for (const dialect of DIALECTS) {
  describe(`API fuzzing on ${dialect}`, () => {
    let t: TestApp;
    let routes: RouteSpec[];
    let components: Record<string, JsonSchema>;
    let runner: FuzzRunner;
    let known: Record<string, unknown[]>;

    beforeAll(async () => {
      const setupStarted = Date.now();
      t = await startTestApp(dialect, FUZZ_ENV);
      t.ctx.newId = seededIds(SEED);
      const demo = await loadDemoData(t.ctx);
      const doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
      routes = routesOf(doc);
      components = doc.components?.schemas ?? {};
      const creds = new Credentials(t);
      await creds.setUp(demo);
      known = await seedData(t, creds, demo);
      runner = new FuzzRunner(t, creds, new IdPools(t, creds));
      await runner.start();
      console.log(`API fuzz on ${dialect}: set up in ${((Date.now() - setupStarted) / 1000).toFixed(1)} s`);
    }, 120_000);
    afterAll(async () => {
      runner?.close();
      await t?.close();
    });

    it('allows a refused action run its record (ADR 0017) and nothing more', async () => {
      if (!refusable) throw new Error('the seed made no incident with an SSH server');
      const route = routes.find((r) => r.method === 'POST' && r.path === '/api/v1/incidents/{id}/actions');
      if (!route) throw new Error('POST /api/v1/incidents/{id}/actions is not in the OpenAPI document');
      const s = runner.stats;
      const before = {
        refused: s.byStatus.get(403) ?? 0,
        recorded: s.recordedRefusals,
        writes: s.writesOn4xx.length,
      };
      const refused: FuzzCase = {
        route,
        valid: true,
        label: 'unauthorized action',
        method: 'POST',
        auth: 'token:admin',
        providerAuth: 'none',
        pathValues: { id: refusable.incidentId },
        query: [],
        body: { kind: 'json', value: { action: refusable.action, serverId: refusable.serverId } },
        headers: {},
      };
      await runner.run(refused);
      expect(s.byStatus.get(403)).toBe(before.refused + 1);
      expect(s.recordedRefusals).toBe(before.recorded + 1);
      expect(s.writesOn4xx.length).toBe(before.writes);
    });

    it('answers every route without a 5xx, with problem+json on errors and no write on a 4xx', async () => {
      console.log(`API fuzz on ${dialect}: seed ${SEED} (replay: BALLOU_FUZZ_SEED=${SEED})`);
      const started = Date.now();
      const perRoute = routes.map((route, i) =>
        fc.sample(casesFor(route, { components, known }), { seed: SEED + i, numRuns: RUNS }),
      );
      let rounds = 0;
      while (rounds < RUNS && (rounds < MIN_ROUNDS || Date.now() - started < SECONDS * 1000)) {
        // Time moves on between rounds, so tokens and sessions record their use again (on refused
        // requests too: that bookkeeping is the one write a 4xx may make, besides counting a failed login).
        t.clock.advance(61_000);
        const round = perRoute.map((cases) => cases[rounds] as FuzzCase);
        // Routes interleaved, so that what one case creates (incidents, invoices) feeds later ones.
        const order = fc.sample(fc.shuffledSubarray(round, { minLength: round.length }), {
          seed: SEED + rounds,
          numRuns: 1,
        })[0];
        for (const c of order ?? round) await runner.run(c);
        rounds++;
      }
      const s = runner.stats;
      const byStatus = [...s.byStatus.entries()].sort((a, b) => a[0] - b[0]).map(([k, v]) => `${k}: ${v}`);
      console.log(
        [
          `API fuzz on ${dialect}: ${s.byRoute.size} routes × ${rounds} rounds = ${s.cases} cases in ${((Date.now() - started) / 1000).toFixed(1)} s` +
            (s.unsendable ? ` (${s.unsendable} unsendable, skipped)` : '') +
            ` (${(runner.fingerprintMs / 1000).toFixed(1)} s of it watching the database, ${runner.fingerprints} full fingerprints)`,
          `  answers: ${Object.entries(s.byClass)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')}  (${byStatus.join(', ')})`,
          `  5xx found: ${s.serverErrors.length} (must be 0)`,
          `  error answers not problem+json: ${s.notProblemJson.length} (must be 0)`,
          `  writes on 4xx: ${s.writesOn4xx.length} (must be 0; refused logins counted and audited on purpose: ${s.recordedAuthFailures}, credential use recorded: ${s.recordedCredentialUse}, refused action runs recorded (ADR 0017): ${s.recordedRefusals})`,
        ].join('\n'),
      );
      if (process.env.BALLOU_FUZZ_VERBOSE === '1')
        for (const [route, statuses] of s.validStatuses)
          console.log(
            `  ${statuses.some((x) => x < 300) ? ' ' : '!'} ${route}: ${statuses.sort().join(' ')}`,
          );
      expect(s.byRoute.size, 'every route was tried').toBe(routes.length);
      expect.soft(s.serverErrors, `5xx answers:\n${show(s.serverErrors)}`).toEqual([]);
      expect.soft(s.notProblemJson, `not problem+json:\n${show(s.notProblemJson)}`).toEqual([]);
      expect(s.writesOn4xx, `writes on 4xx:\n${show(s.writesOn4xx)}`).toEqual([]);
    }, 600_000);

    it('would notice a write: a new audit row, a job, or one changed field in any table', async () => {
      const watch = new DatabaseWatch(t.ctx, t.databaseUrl);
      try {
        await watch.start();
        expect(watch.tables).toEqual(expect.arrayContaining(['audit_log', 'jobs', 'incidents', 'users']));
        const before = await watch.fingerprint();
        const marker = await watch.marker();
        expect(changedTables(before, await watch.fingerprint())).toEqual([]);
        // Same row count, one character different: only the content hash can tell.
        await sql`update engineers set name = name || '.' where id = (select min(id) from engineers)`.execute(
          t.ctx.db,
        );
        expect(await watch.marker()).not.toBe(marker);
        const after = await watch.fingerprint();
        expect(changedTables(before, after)).toEqual(['engineers']);
        await sql`update users set failed_logins = failed_logins + 1 where id = (select min(id) from users)`.execute(
          t.ctx.db,
        );
        // A counted login failure changes users but not users~core (what the allowance relies on)...
        const counted = await watch.fingerprint();
        expect(changedTables(after, counted)).toEqual(['users']);
        // ...while any other change of a user shows in users~core too.
        await sql`update users set name = name || '.' where id = (select min(id) from users)`.execute(
          t.ctx.db,
        );
        expect(changedTables(counted, await watch.fingerprint()).sort()).toEqual(['users', 'users~core']);
      } finally {
        watch.close();
      }
    });
  });
}

/**
 * A little of everything the fuzzer can point at (an incident, integrations, an invoice run, roster
 * changes, an operations task, an action authorization), and the real values it should sometimes use.
 */
/** An incident, a server with SSH and a catalogue action not authorized there: a run is refused. */
let refusable: { incidentId: string; serverId: string; action: string } | undefined;

async function seedData(
  t: TestApp,
  creds: Credentials,
  demo: DemoLogins,
): Promise<Record<string, unknown[]>> {
  const admin = creds.tokens.get('admin')?.token ?? '';
  const post = async (url: string, body: unknown) => {
    const res = await t.call('POST', url, admin, body);
    if (res.statusCode >= 300)
      console.log(`fuzz seed: ${url} answered ${res.statusCode} ${res.body.slice(0, 200)}`);
    return res;
  };
  const customerId = creds.customerId;
  const servers = await t.ctx.db.selectFrom('servers').select(['id', 'hostname', 'customer_id']).execute();
  const engineers = await t.ctx.db.selectFrom('engineers').select('id').execute();
  const actions = await t.ctx.db.selectFrom('action_catalogue').select('key').execute();
  const server = servers.find((s) => s.customer_id === customerId) ?? servers[0];
  const incident = await post('/api/v1/incidents', {
    customerId,
    summary: 'Webbservern svarar inte',
    serverId: server?.id,
  });
  for (const kind of ['alertmanager', 'pagerduty', 'generic'] as const) {
    const res = await post('/api/v1/integrations', { kind, name: `fuzz ${kind}`, customerId });
    creds.integrationTokens.set(kind, res.json().token);
    creds.integrationIds.push(res.json().id);
  }
  await post('/api/v1/invoice-runs', { month: '2026-11' });
  const engineerId = engineers[0]?.id;
  await post('/api/v1/overrides', {
    role: 'primary',
    engineerId,
    start: '2026-12-03T08:00',
    end: '2026-12-03T20:00',
  });
  await post('/api/v1/unavailability', { engineerId, start: '2026-12-10T00:00', end: '2026-12-12T00:00' });
  await post('/api/v1/oncall/feed-tokens', { engineerId });
  if (server) {
    await post(`/api/v1/servers/${server.id}/operations-tasks`, {
      kind: 'security_update',
      title: 'Patcha',
      inContract: false,
    });
    const action = actions[0]?.key;
    // A server with SSH access (a documentation address: the run stays a queued job, nothing connects).
    const sshServer = await post(`/api/v1/customers/${customerId}/servers`, {
      hostname: 'app1.nordhamn.example',
      ssh: { host: '192.0.2.10', port: 22, user: 'ballou', hostKey: HOST_KEY },
    });
    if (action && sshServer.statusCode < 300) {
      const serverId = sshServer.json().id;
      await post(`/api/v1/servers/${serverId}/authorizations`, {
        action,
        automatic: false,
        withinResponsibility: true,
      });
      if (incident.statusCode < 300) {
        const incidentId = incident.json().id;
        await post(`/api/v1/incidents/${incidentId}/ack`, { engineerId });
        await post(`/api/v1/incidents/${incidentId}/actions`, { action, serverId });
        refusable = { incidentId, serverId, action: actions[1]?.key ?? 'none' };
      }
    }
  }
  return {
    email: demo.logins.map((l) => l.email),
    password: demo.logins.map((l) => l.password),
    hostname: servers.map((s) => s.hostname),
    action: actions.map((a) => a.key),
    orgNumber: ['556036-0793', '556677-0011', '556900-7775', '212000-0142'],
    vatNumber: ['SE556036079301'],
    endpoint: ['https://push.fuzz.example/send/abc', 'http://push.fuzz.example/x'],
    summary: ['Webbservern svarar inte', 'Disken full på db1'],
  };
}
