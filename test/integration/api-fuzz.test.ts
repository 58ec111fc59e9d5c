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

    beforeAll(async () => {
      const setupStarted = Date.now();
      t = await startTestApp(dialect, FUZZ_ENV);
      const doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
      routes = routesOf(doc);
      components = doc.components?.schemas ?? {};
      const creds = new Credentials(t);
      await creds.setUp();
      await seedData(t, creds);
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
        cases.push(...fc.sample(casesFor(route, { components }), { seed: SEED + i, numRuns: RUNS }));
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
      expect(s.byRoute.size, 'every route was tried').toBe(routes.length);
      expect.soft(s.serverErrors, `5xx answers:\n${show(s.serverErrors)}`).toEqual([]);
      expect.soft(s.notProblemJson, `not problem+json:\n${show(s.notProblemJson)}`).toEqual([]);
      expect(s.writesOn4xx, `writes on 4xx:\n${show(s.writesOn4xx)}`).toEqual([]);
    }, 600_000);
  });
}

/** A little of everything the fuzzer can point at: an incident, integrations, an invoice run. */
async function seedData(t: TestApp, creds: Credentials): Promise<void> {
  const admin = creds.tokens.get('admin')?.token ?? '';
  const post = (url: string, body: unknown) => t.call('POST', url, admin, body);
  await post('/api/v1/incidents', { customerId: creds.customerId, summary: 'Webbservern svarar inte' });
  for (const kind of ['alertmanager', 'pagerduty', 'generic'] as const) {
    const res = await post('/api/v1/integrations', {
      kind,
      name: `fuzz ${kind}`,
      customerId: creds.customerId,
    });
    creds.integrationTokens.set(kind, res.json().token);
  }
  await post('/api/v1/invoice-runs', { month: '2026-11' });
}
