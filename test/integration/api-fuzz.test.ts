import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { casesFor, routesOf, type FuzzCase, type RouteSpec } from './support/fuzz/fuzz-cases.js';
import { Credentials, FUZZ_ENV, FuzzRunner, IdPools, type Finding } from './support/fuzz/fuzz-runner.js';
import type { JsonSchema } from './support/fuzz/schema-arbitrary.js';
import { DIALECTS, startTestApp, type TestApp } from './support/test-runtime.js';

/**
 * API fuzzing (issue 9): every route of the OpenAPI document the app serves, with valid-looking and
 * malformed bodies, path parameters, query strings, headers and credentials, as every role. Properties:
 * never a 5xx, every 4xx/5xx is application/problem+json of the documented shape, and a 4xx wrote
 * nothing (every table's row count and content hash, audit_log and jobs included, before and after).
 * BALLOU_FUZZ_SEED replays a run; BALLOU_FUZZ_RUNS sets the cases per route (default 12).
 */
const SEED = process.env.BALLOU_FUZZ_SEED ? Number(process.env.BALLOU_FUZZ_SEED) : Date.now() % 2 ** 31;
const RUNS = Number(process.env.BALLOU_FUZZ_RUNS ?? 12);

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
      const doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
      routes = routesOf(doc);
      components = doc.components?.schemas ?? {};
      const creds = new Credentials(t);
      await creds.setUp();
      known = await seedData(t, creds);
      runner = new FuzzRunner(t, creds, new IdPools(t, creds));
      await runner.start();
      console.log(`API fuzz on ${dialect}: set up in ${((Date.now() - setupStarted) / 1000).toFixed(1)} s`);
    }, 120_000);
    afterAll(async () => {
      runner?.close();
      await t?.close();
    });

    it('answers every route without a 5xx, with problem+json on errors and no write on a 4xx', async () => {
      console.log(
        `API fuzz on ${dialect}: seed ${SEED} (replay: BALLOU_FUZZ_SEED=${SEED}), ${RUNS} cases per route`,
      );
      const started = Date.now();
      const cases: FuzzCase[] = [];
      routes.forEach((route, i) => {
        cases.push(...fc.sample(casesFor(route, { components, known }), { seed: SEED + i, numRuns: RUNS }));
      });
      // Interleave routes so that what one case creates (incidents, invoices) feeds later cases.
      const order = fc.sample(fc.shuffledSubarray(cases, { minLength: cases.length }), {
        seed: SEED,
        numRuns: 1,
      })[0];
      for (const c of order ?? cases) await runner.run(c);
      const s = runner.stats;
      const byStatus = [...s.byStatus.entries()].sort((a, b) => a[0] - b[0]).map(([k, v]) => `${k}: ${v}`);
      console.log(
        [
          `API fuzz on ${dialect}: ${s.byRoute.size} routes × ${RUNS} = ${s.cases} cases in ${((Date.now() - started) / 1000).toFixed(1)} s` +
            (s.unsendable ? ` (${s.unsendable} unsendable, skipped)` : '') +
            ` (${(runner.fingerprintMs / 1000).toFixed(1)} s of it watching the database, ${runner.fingerprints} full fingerprints)`,
          `  answers: ${Object.entries(s.byClass)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')}  (${byStatus.join(', ')})`,
          `  5xx found: ${s.serverErrors.length} (must be 0)`,
          `  error answers not problem+json: ${s.notProblemJson.length} (must be 0)`,
          `  writes on 4xx: ${s.writesOn4xx.length} (must be 0; refused logins counted and audited on purpose: ${s.recordedAuthFailures})`,
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
  });
}

/**
 * A little of everything the fuzzer can point at (an incident, integrations, an invoice run, roster
 * changes, an operations task, an action authorization), and the real values it should sometimes use.
 */
async function seedData(t: TestApp, creds: Credentials): Promise<Record<string, unknown[]>> {
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
  await post('/api/v1/unavailability', { engineerId, start: '2026-12-10', end: '2026-12-12' });
  await post('/api/v1/oncall/feed-tokens', { engineerId });
  if (server) {
    await post(`/api/v1/servers/${server.id}/operations-tasks`, {
      kind: 'security_update',
      title: 'Patcha',
      inContract: false,
    });
    const action = actions[0]?.key;
    if (action) {
      await post(`/api/v1/servers/${server.id}/authorizations`, {
        action,
        automatic: false,
        withinResponsibility: true,
      });
      if (incident.statusCode < 300)
        await post(`/api/v1/incidents/${incident.json().id}/actions`, { action, serverId: server.id });
    }
  }
  const demo = t.runtime.demo?.logins ?? [];
  return {
    email: demo.map((l) => l.email),
    password: demo.map((l) => l.password),
    hostname: servers.map((s) => s.hostname),
    action: actions.map((a) => a.key),
    orgNumber: ['556036-0793', '556677-0011', '556900-7775', '212000-0142'],
    vatNumber: ['SE556036079301'],
    endpoint: ['https://push.fuzz.example/send/abc', 'http://push.fuzz.example/x'],
    summary: ['Webbservern svarar inte', 'Disken full på db1'],
  };
}
