import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Authorization } from './authorization.js';
import { decideRun, runsInLastDay, type RunStatus } from './decide-run.js';

const DAY_MS = 86_400_000;

function authorization(maxRunsPerDay: number | null): Authorization {
  return {
    id: 'a',
    serverId: 's',
    actionKey: 'restart-web',
    manual: true,
    automatic: true,
    alertNames: [],
    maxRunsPerDay,
    notifyCustomer: false,
    withinResponsibility: true,
    revokedAtMs: null,
  };
}

describe('the daily limit', () => {
  it('never lets more than N runs into any 24 hours, and refuses only when N have run', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        // Requests at increasing times over a few days, each manual or automatic.
        fc.array(fc.tuple(fc.integer({ min: 0, max: 6 * 3_600_000 }), fc.boolean()), { maxLength: 60 }),
        (limit, steps) => {
          const runs: { status: RunStatus; createdAtMs: number }[] = [];
          let now = 0;
          for (const [gap, manual] of steps) {
            now += gap;
            const counted = runsInLastDay(runs, now);
            const decision = decideRun({
              trigger: manual ? 'manual' : 'automatic',
              authorization: authorization(limit),
              tier: 'hog',
              runsInLastDay: counted,
            });
            expect(decision.allowed).toBe(counted < limit);
            runs.push({ status: decision.allowed ? 'succeeded' : 'refused', createdAtMs: now });
          }
          const allowed = runs.filter((r) => r.status !== 'refused').map((r) => r.createdAtMs);
          for (const start of allowed) {
            const inWindow = allowed.filter((t) => t >= start && t < start + DAY_MS).length;
            expect(inWindow).toBeLessThanOrEqual(limit);
          }
        },
      ),
    );
  });

  it('without a limit refuses nothing that is authorized', () => {
    fc.assert(
      fc.property(fc.nat({ max: 10_000 }), (count) => {
        expect(
          decideRun({
            trigger: 'automatic',
            authorization: authorization(null),
            tier: 'hog',
            runsInLastDay: count,
          }).allowed,
        ).toBe(true);
      }),
    );
  });
});
