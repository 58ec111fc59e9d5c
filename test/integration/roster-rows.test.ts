import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertEngineer, listEngineers } from '../../src/db/repositories/engineer.repository.js';
import {
  insertOverride,
  insertRotation,
  insertUnavailability,
  listOverrides,
  listRotations,
  listUnavailability,
  loadRosterRows,
  type RosterWindows,
} from '../../src/db/repositories/roster.repository.js';
import { DIALECTS, startTestApp, type TestApp } from './support/test-runtime.js';

// The roster read of an escalation step is one JSON statement on PostgreSQL and plain selects on SQLite:
// both must give exactly the rows (columns, types, nulls, order, windows) the plain reads give.
const WINDOWS: RosterWindows = {
  overrides: { from: '2026-12-01T00:00:00.000Z', to: '2026-12-03T00:00:00.000Z' },
  unavailability: { from: '2026-11-20T00:00:00.000Z', to: '2026-12-10T00:00:00.000Z' },
};
const CREATED = '2026-11-01T10:00:00.000Z';

for (const dialect of DIALECTS) {
  describe(`roster rows on ${dialect}`, () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await startTestApp(dialect);
      const db = t.ctx.db;
      for (const [id, name, manager, active, failing] of [
        ['e-b', 'Östen', 0, 1, null],
        ['e-a', 'Anna', 1, 1, '2026-11-30T03:00:00.000Z'],
        ['e-c', 'Bo', 0, 0, null],
      ] as const) {
        await insertEngineer(db, {
          id,
          name,
          phone: '+46709000001',
          email: `${id}@example.se`,
          is_manager: manager,
          active,
          notify_channel: 'sms',
          phone_failing_since: failing,
          created_at: CREATED,
        });
      }
      await insertRotation(
        db,
        {
          id: 'r-2',
          name: null,
          role: 'secondary',
          start_at: '2026-10-19T06:00:00.000Z',
          shift_hours: 168,
          handover: '08:00',
          end_at: null,
          created_at: CREATED,
        },
        ['e-c', 'e-a'],
      );
      await insertRotation(
        db,
        {
          id: 'r-1',
          name: 'Jour',
          role: 'primary',
          start_at: '2026-10-12T06:00:00.000Z',
          shift_hours: 24,
          handover: null,
          end_at: '2027-01-01T00:00:00.000Z',
          created_at: CREATED,
        },
        ['e-a', 'e-b', 'e-c'],
      );
      for (const [id, start, end, created] of [
        ['o-in-late', '2026-12-02T00:00:00.000Z', '2026-12-02T12:00:00.000Z', '2026-11-02T00:00:00.000Z'],
        ['o-in-early', '2026-11-30T00:00:00.000Z', '2026-12-01T06:00:00.000Z', '2026-11-01T00:00:00.000Z'],
        ['o-before', '2026-11-29T00:00:00.000Z', '2026-12-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z'],
        ['o-after', '2026-12-03T00:00:00.000Z', '2026-12-04T00:00:00.000Z', '2026-11-01T00:00:00.000Z'],
      ] as const) {
        await insertOverride(db, {
          id,
          role: 'primary',
          engineer_id: 'e-b',
          start_at: start,
          end_at: end,
          reason: id === 'o-in-late' ? null : 'byte',
          created_by: null,
          created_at: created,
        });
      }
      for (const [id, start, end] of [
        ['u-in', '2026-11-25T00:00:00.000Z', '2026-11-26T00:00:00.000Z'],
        ['u-out', '2026-12-10T00:00:00.000Z', '2026-12-11T00:00:00.000Z'],
      ] as const) {
        await insertUnavailability(db, {
          id,
          engineer_id: 'e-a',
          start_at: start,
          end_at: end,
          note: null,
          created_at: CREATED,
        });
      }
    });
    afterAll(async () => {
      await t?.close();
    });

    it('reads what the plain selects read, in their order and only inside the windows', async () => {
      const db = t.ctx.db;
      const rows = await loadRosterRows(db, WINDOWS);
      expect(rows).toStrictEqual({
        rotations: await listRotations(db),
        overrides: await listOverrides(db, WINDOWS.overrides),
        unavailability: await listUnavailability(db, WINDOWS.unavailability),
        engineers: await listEngineers(db),
      });
      expect(rows.overrides.map((o) => o.id)).toEqual(['o-in-early', 'o-in-late']);
      expect(rows.unavailability.map((u) => u.id)).toEqual(['u-in']);
      expect(rows.rotations.map((r) => [r.id, r.engineer_ids])).toEqual([
        ['r-1', ['e-a', 'e-b', 'e-c']],
        ['r-2', ['e-c', 'e-a']],
      ]);
    });

    it('reads an empty roster as empty lists, inside a transaction too', async () => {
      const empty = await t.ctx.db.transaction().execute((trx) =>
        loadRosterRows(trx, {
          overrides: { from: '2030-01-01T00:00:00.000Z', to: '2030-01-02T00:00:00.000Z' },
          unavailability: { from: '2030-01-01T00:00:00.000Z', to: '2030-01-02T00:00:00.000Z' },
        }),
      );
      expect(empty.overrides).toEqual([]);
      expect(empty.unavailability).toEqual([]);
      expect(empty.engineers).toHaveLength(3);
    });
  });
}
