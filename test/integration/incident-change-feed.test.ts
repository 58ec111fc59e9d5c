/**
 * The per-node feed behind the live boards (src/app/incidents/incident-change-feed.ts), on the real
 * databases: a change that becomes visible after a later-stamped one was read (a slow transaction, another
 * node's clock) still reaches the board; a burst larger than one page arrives whole and once; a customer's
 * board only gets its own incidents.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { IncidentChangeFeed } from '../../src/app/incidents/incident-change-feed.js';
import type { IncidentChange } from '../../src/app/incidents/incident-changes.js';
import { toDbInstant } from '../../src/db/instant.js';
import type { Principal } from '../../src/domain/shared/roles.js';
import { eventually } from './support/eventually.js';
import { DIALECTS, startTestApp, SYSTEM, type TestApp } from './support/test-runtime.js';

const STAFF: Principal = SYSTEM;

/** A valid organisation number from its first nine digits (Luhn check digit). */
function orgNumber(nine: string): string {
  const sum = [...nine].reduce((acc, ch, i) => {
    const d = Number(ch) * (i % 2 === 0 ? 2 : 1);
    return acc + (d > 9 ? d - 9 : d);
  }, 0);
  return `${nine.slice(0, 6)}-${nine.slice(6)}${(10 - (sum % 10)) % 10}`;
}

for (const dialect of DIALECTS) {
  describe(`incident change feed (${dialect})`, () => {
    let t: TestApp | undefined;
    afterEach(async () => {
      await t?.close();
      t = undefined;
    });

    async function setUp() {
      t = await startTestApp(dialect);
      const admin = await t.token('admin');
      const customer = async (name: string, orgNumber: string) =>
        (
          await t!.call('POST', '/api/v1/customers', admin, {
            name,
            orgNumber,
            tier: 'hog',
            agreementStart: '2026-01-01',
          })
        ).json().id as string;
      const a = await customer('Nordhamn AB', '556677-0011');
      const b = await customer('Annat Bolag AB', '556900-7775');
      // One open incident per customer (a new report attaches to it): more customers for more incidents.
      const others: string[] = [];
      for (let i = 0; i < 9; i += 1) others.push(await customer(`Kund ${i} AB`, orgNumber(`55660000${i}`)));
      const report = async (customerId: string, summary: string) => {
        t!.clock.advance(1);
        const res = await t!.call('POST', '/api/v1/incidents', admin, { customerId, summary });
        expect([200, 201]).toContain(res.statusCode);
        return res.json().id as string;
      };
      const acknowledge = async (id: string) => {
        t!.clock.advance(1);
        expect((await t!.call('POST', `/api/v1/incidents/${id}/ack`, admin, {})).statusCode).toBe(200);
      };
      return { t, a, b, others, report, acknowledge };
    }

    function listen(feed: IncidentChangeFeed, principal: Principal) {
      const got: IncidentChange[] = [];
      const unsubscribe = feed.subscribe(principal, (changes) => got.push(...changes));
      return { got, unsubscribe };
    }

    it('delivers a change that commits after a later-stamped one was already read', async () => {
      const { t, a, b, report } = await setUp();
      const feed = new IncidentChangeFeed(t.ctx, { pollMs: 60_000, lookbackMs: 10_000 });
      const board = listen(feed, STAFF);
      try {
        const late = await report(a, 'Stämplad först, synlig sist');
        t.clock.advance(3_000);
        const early = await report(b, 'Stämplad sist, synlig först');
        // Make `late` look as if it had not committed yet at the first read (out of sight), then let it
        // appear with its own, earlier stamp after the feed has read past it.
        const stampedAt = (await t.ctx.db
          .selectFrom('incidents')
          .select('updated_at')
          .where('id', '=', late)
          .executeTakeFirstOrThrow())!.updated_at;
        await t.ctx.db
          .updateTable('incidents')
          .set({ updated_at: toDbInstant(Date.parse('2020-01-01T00:00:00Z')) })
          .where('id', '=', late)
          .execute();
        await feed.poll();
        expect(board.got.map((c) => c.id)).toEqual([early]);
        await t.ctx.db
          .updateTable('incidents')
          .set({ updated_at: stampedAt })
          .where('id', '=', late)
          .execute();
        await feed.poll();
        expect(board.got.map((c) => c.id)).toEqual([early, late]);
        // Read again: nothing twice.
        await feed.poll();
        expect(board.got).toHaveLength(2);
      } finally {
        board.unsubscribe();
      }
    });

    it('looks at once when told a change committed, not at its next poll, and once for a burst', async () => {
      const { t, a, b, others, report } = await setUp();
      let commitsTold = 0;
      const feed = new IncidentChangeFeed(t.ctx, {
        pollMs: 60_000,
        nudgeMs: 200,
        changes: (listener) =>
          t.runtime.database.onIncidentsCommitted(() => {
            commitsTold += 1;
            listener();
          }),
      });
      const board = listen(feed, STAFF);
      const arrived = async (ids: string[]) => {
        const got = (id: string) => board.got.some((c) => c.id === id);
        await eventually(() => ids.every(got), 5_000);
        return ids.filter(got);
      };
      try {
        const first = await report(a, 'Webbservern svarar inte');
        expect(await arrived([first])).toEqual([first]);
        // A burst: every commit tells the feed, and every incident arrives, without a poll of the timer.
        const burst: string[] = [];
        for (const customerId of [b, ...others]) burst.push(await report(customerId, `Larm ${customerId}`));
        expect(await arrived(burst)).toEqual(burst);
        expect(commitsTold).toBeGreaterThanOrEqual(burst.length + 1);
        // A rolled-back transaction that wrote an incident tells nobody.
        const told = commitsTold;
        await t.ctx.db
          .transaction()
          .execute(async (trx) => {
            await trx.updateTable('incidents').set({ summary: 'ångrad' }).where('id', '=', first).execute();
            throw new Error('rolled back');
          })
          .catch(() => undefined);
        expect(commitsTold).toBe(told);
      } finally {
        board.unsubscribe();
      }
    });

    it('delivers a burst larger than a page whole and once, and a customer only its own', async () => {
      const { t, a, b, others, report, acknowledge } = await setUp();
      const feed = new IncidentChangeFeed(t.ctx, { pollMs: 60_000, pageSize: 4 });
      const staff = listen(feed, STAFF);
      const customerA = listen(feed, {
        kind: 'token',
        id: 'portal',
        role: 'customer',
        customerId: a,
        name: 'portal',
      });
      try {
        const all: string[] = [];
        for (const customerId of [b, ...others]) all.push(await report(customerId, `Larm ${customerId}`));
        const ofA = await report(a, 'Nordhamns larm');
        all.push(ofA);
        await acknowledge(ofA);
        await acknowledge(all[0]!);
        await feed.poll();
        // Every incident once, as it is now (a board wants the latest state, not each step it missed).
        expect(staff.got.map((c) => c.id).sort()).toEqual([...all].sort());
        expect(staff.got.filter((c) => c.state === 'acknowledged').map((c) => c.id)).toEqual(
          expect.arrayContaining([ofA, all[0]]),
        );
        expect(customerA.got.map((c) => `${c.id} ${c.state}`)).toEqual([`${ofA} acknowledged`]);
        // Later changes come as they happen.
        const second = await report(a, 'Nordhamn igen');
        expect(second).toBe(ofA); // attached to the open incident: the row changes, the board hears of it
        await feed.poll();
        expect(customerA.got).toHaveLength(2);
        expect(staff.got).toHaveLength(all.length + 1);
      } finally {
        staff.unsubscribe();
        customerA.unsubscribe();
      }
    });
  });
}
