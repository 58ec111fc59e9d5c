// Incident numbers (INC-<year>-<n>): unique and in order under concurrent reports on both engines, carried
// on from a database numbered before (the number_sequences row) and from bulk-loaded refs, and moved
// forward by a bulk load (ballou demo --incidents).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/app/incidents/incident-state.js';
import { reportIncident } from '../../src/app/incidents/report-incident.js';
import {
  advanceIncidentNumbers,
  readNextIncidentNumbers,
} from '../../src/db/repositories/incident-number.repository.js';
import { DIALECTS, TEST_NOW, type TestApp, startTestApp } from './support/test-runtime.js';

const YEAR = new Date(TEST_NOW).getUTCFullYear();
const ref = (n: number) => `INC-${YEAR}-${String(n).padStart(5, '0')}`;

describe.each(DIALECTS)('incident numbers (%s)', (dialect) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp(dialect);
  });
  afterEach(async () => t?.close());

  /** One new incident (a unique dedup key, so nothing attaches), in its own transaction. */
  const report = (key: string) =>
    t.ctx.db.transaction().execute(async (trx) => {
      const outcome = await reportIncident(trx, t.ctx, SYSTEM_ACTOR, {
        summary: `numbering ${key}`,
        reportedAtMs: TEST_NOW,
        channel: 'api',
        dedupKey: `numbering-${key}`,
      });
      expect(outcome.created).toBe(true);
      return outcome.incident.row.ref;
    });

  it('gives 40 concurrent reports 40 different numbers, 1 to 40, the first of the year included', async () => {
    const refs = await Promise.all(Array.from({ length: 40 }, (_, i) => report(`c${i}`)));
    expect([...refs].sort()).toEqual(Array.from({ length: 40 }, (_, i) => ref(i + 1)));
    expect((await readNextIncidentNumbers(t.ctx.db)).get(`incident-${YEAR}`)).toBe(41);
  });

  it('carries on after the numbers a database used before, from its counter or its refs', async () => {
    await t.ctx.db
      .insertInto('number_sequences')
      .values({ name: `incident-${YEAR}`, next_value: 43 })
      .execute();
    expect(await report('after-counter')).toBe(ref(43));
    expect(await report('next')).toBe(ref(44));
  });

  it('moves forward past a bulk load and never back', async () => {
    expect(await report('first')).toBe(ref(1));
    await t.ctx.db.transaction().execute((trx) => advanceIncidentNumbers(trx, `incident-${YEAR}`, 500));
    expect(await report('after-bulk')).toBe(ref(500));
    await t.ctx.db.transaction().execute((trx) => advanceIncidentNumbers(trx, `incident-${YEAR}`, 10));
    expect(await report('not-back')).toBe(ref(501));
    expect((await readNextIncidentNumbers(t.ctx.db)).get(`incident-${YEAR}`)).toBe(502);
  });

  // PostgreSQL's sequence for a new year starts after what is stored; SQLite counts in its row alone.
  it.runIf(dialect === 'postgres')(
    'starts a year whose counter is missing after the highest ref of that year already stored',
    async () => {
      expect(await report('seed')).toBe(ref(1));
      const next = YEAR + 1;
      // A bulk load wrote next year's refs without a counter (as a restore of an old dump could leave it).
      const seeded = await t.ctx.db.selectFrom('incidents').selectAll().executeTakeFirstOrThrow();
      await t.ctx.db
        .insertInto('incidents')
        .values({ ...seeded, id: t.ctx.newId(), ref: `INC-${next}-00077`, dedup_key: null })
        .execute();
      const later = Date.UTC(next, 5, 1, 10);
      const refOfNextYear = await t.ctx.db.transaction().execute(async (trx) => {
        const outcome = await reportIncident(trx, t.ctx, SYSTEM_ACTOR, {
          summary: 'next year',
          reportedAtMs: later,
          channel: 'api',
          dedupKey: 'numbering-next-year',
        });
        return outcome.incident.row.ref;
      });
      expect(refOfNextYear).toBe(`INC-${next}-00078`);
    },
  );
});
