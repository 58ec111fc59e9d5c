import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/app/auth/api-tokens.js';
import { markServerRunning, restoreDatabase } from '../../src/app/backup/backup.js';
import { bootstrap, type Runtime } from '../../src/app/bootstrap.js';
import { loadConfig } from '../../src/config/config.js';
import { buildApp } from '../../src/server/build-app.js';
import { tableFingerprints } from './table-fingerprint.js';
import { DIALECTS, freshDatabaseUrl, SYSTEM, type Dialect } from './support/test-runtime.js';

/**
 * `ballou backup` and `ballou restore` by round trip on each engine: seed, back up while the server has
 * the database open, change and destroy data, be refused while the server runs, restore, and find every
 * table as it was; then a server starts on the restored database.
 */

const execFileP = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ballou-backup-'));
/** Each engine's backup, so the other engine can be shown it and refuse it. */
const backups: Partial<Record<Dialect, string>> = {};

async function ballou(
  args: string[],
  databaseUrl: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileP(
      path.join(ROOT, 'node_modules/.bin/tsx'),
      [path.join(ROOT, 'src/cli/main.ts'), ...args],
      { cwd: ROOT, env: { ...process.env, BALLOU_DATABASE_URL: databaseUrl, BALLOU_LOG_LEVEL: 'warn' } },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

interface Server {
  runtime: Runtime;
  app: FastifyInstance;
  db: Kysely<unknown>;
  close(): Promise<void>;
}

async function startServer(databaseUrl: string): Promise<Server> {
  const config = loadConfig({ BALLOU_DATABASE_URL: databaseUrl, BALLOU_DEMO_DATA: '0' }, os.tmpdir());
  // As `ballou serve` does (src/server/main.ts).
  const running = await markServerRunning(config);
  const runtime = await bootstrap(config, pino({ level: process.env.BALLOU_TEST_LOG_LEVEL ?? 'silent' }));
  const app = await buildApp({ ctx: runtime.ctx });
  await app.ready();
  return {
    runtime,
    app,
    db: runtime.ctx.db as unknown as Kysely<unknown>,
    close: async () => {
      await app.close();
      await running.release();
      await runtime.database.close();
    },
  };
}

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** The n-th valid Swedish organisation number 556xxxxxx-C (Luhn check digit), all distinct. */
function orgNumber(n: number): string {
  const body = `556${String(100_000 + n).padStart(6, '0')}`;
  const sum = [...body].reduce((acc, d, i) => {
    const v = Number(d) * (i % 2 === 0 ? 2 : 1);
    return acc + (v > 9 ? v - 9 : v);
  }, 0);
  return `${body.slice(0, 6)}-${body.slice(6)}${(10 - (sum % 10)) % 10}`;
}

for (const dialect of DIALECTS) {
  describe(`backup and restore on ${dialect}`, () => {
    let databaseUrl: string;
    let drop: () => Promise<void>;
    let server: Server | undefined;
    let token: string;
    const file = path.join(work, `ballou-${dialect}.backup`);

    const call = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) =>
      (server as Server).app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${token}` },
        ...(payload === undefined ? {} : { payload: payload as object }),
      });

    beforeAll(async () => {
      ({ url: databaseUrl, drop } = await freshDatabaseUrl(dialect));
      server = await startServer(databaseUrl);
      token = (await createApiToken(server.runtime.ctx, SYSTEM, { name: 'backup-test', role: 'admin' }))
        .token;
      // Enough of everything to notice a lost row: customers with tiers, contacts, servers, engineers,
      // a roster, an incident with its timeline and jobs, and the audit log of all of it.
      const engineers: string[] = [];
      for (const [i, name] of ['Anna', 'Bo', 'Cecilia'].entries())
        engineers.push(
          (
            await call('POST', '/api/v1/engineers', {
              name,
              phone: `+4670900000${i + 1}`,
              email: `${name.toLowerCase()}@ballou.example`,
            })
          ).json().id,
        );
      await call('POST', '/api/v1/rotations', {
        role: 'primary',
        engineerIds: engineers,
        start: '2026-11-30T08:00',
        shiftHours: 24,
        handover: '08:00',
      });
      for (const [i, tier] of (['hog', 'incident', 'none'] as const).entries()) {
        const id = (
          await call('POST', '/api/v1/customers', {
            name: `Kund ${i} AB`,
            orgNumber: ['556036-0793', '556677-0029', '559012-3450'][i],
            tier,
            agreementStart: '2026-01-01',
          })
        ).json().id;
        await call('POST', `/api/v1/customers/${id}/contacts`, {
          name: `Kontakt ${i}`,
          phone: `+4670123450${i}`,
        });
        await call('POST', `/api/v1/customers/${id}/servers`, { hostname: `web${i}.kund${i}.se` });
        expect(
          (
            await call('POST', '/api/v1/incidents', {
              customerId: id,
              summary: `Nere ${i}`,
              channel: 'phone',
            })
          ).statusCode,
        ).toBe(201);
      }
    });
    afterAll(async () => {
      await server?.close();
      await drop?.();
    });

    it('backs up while the server runs, refuses to restore under it, and restores every table as it was', async () => {
      const s = server as Server;
      const before = await tableFingerprints(s.db, { withMigrations: true, except: ['audit_log'] });
      const auditBefore = await s.db
        .selectFrom('audit_log' as never)
        .selectAll()
        .execute();
      expect(Object.keys(before).length).toBeGreaterThan(20);

      const backedUp = await ballou(['backup', '--out', file], databaseUrl);
      expect(backedUp.stderr).toBe('');
      expect(backedUp.code).toBe(0);
      expect(backedUp.stdout).toMatch(new RegExp(`backed up the ${dialect} database to .*\\(\\d+ bytes\\)`));
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      backups[dialect] = file;
      const noted = await s.db
        .selectFrom('audit_log' as never)
        .selectAll()
        .where('action' as never, '=', 'database.backed_up' as never)
        .execute();
      // Recorded on PostgreSQL; on SQLite the backup only reads (the server is the one writer).
      expect(noted).toHaveLength(dialect === 'postgres' ? 1 : 0);

      // Change and destroy: new rows, edited rows, deleted rows.
      const customers = (await call('GET', '/api/v1/customers')).json().items as { id: string }[];
      await call('PATCH', `/api/v1/customers/${customers[0]?.id}`, { name: 'Omdöpt AB' });
      await call('POST', '/api/v1/customers', {
        name: 'Efter backup AB',
        orgNumber: '556677-0011',
        tier: 'hog',
        agreementStart: '2026-01-01',
      });
      await s.db.deleteFrom('contacts' as never).execute();
      const changed = await tableFingerprints(s.db, { withMigrations: true, except: ['audit_log'] });
      expect(changed).not.toEqual(before);

      const refused = await ballou(['restore', '--from', file], databaseUrl);
      expect(refused.code).toBe(3);
      expect(refused.stderr).toMatch(
        /restore refused: .*\(a running server\?\): stop it, or restore with --force/,
      );
      expect(await tableFingerprints(s.db, { withMigrations: true, except: ['audit_log'] })).toEqual(changed);

      await s.close();
      server = undefined;
      const restored = await ballou(['restore', '--from', file], databaseUrl);
      expect(restored.stderr).toBe('');
      expect(restored.code).toBe(0);
      expect(restored.stdout).toContain(`restored the ${dialect} database from ${file}`);

      // The server starts on the restored database and serves the data as it was at the backup.
      server = await startServer(databaseUrl);
      const after = await tableFingerprints(server.db, { withMigrations: true, except: ['audit_log'] });
      const changedTables = Object.keys(before).filter(
        (t) => JSON.stringify(before[t]) !== JSON.stringify(after[t]),
      );
      console.log(
        `${dialect}: ${Object.keys(before).length} tables, ${Object.values(before).reduce((n, t) => n + t.rows, 0)} rows backed up; differing after restore: ${changedTables.length}`,
      );
      expect(after).toEqual(before);
      const auditAfter = await server.db
        .selectFrom('audit_log' as never)
        .selectAll()
        .execute();
      expect(auditAfter.slice(0, auditBefore.length)).toEqual(auditBefore);
      expect(auditAfter.slice(auditBefore.length)).toMatchObject([
        { action: 'database.restored', actor_name: expect.stringMatching(/^cli:/) },
      ]);
      expect((await server.app.inject({ url: '/api/v1/health' })).json()).toEqual({
        status: 'ok',
        database: dialect,
      });
      const names = ((await call('GET', '/api/v1/customers')).json().items as { name: string }[]).map(
        (c) => c.name,
      );
      expect(names.sort()).toEqual(['Kund 0 AB', 'Kund 1 AB', 'Kund 2 AB']);
    }, 240_000);

    it('takes a consistent copy while customers are being created: each one whole, with its tier and audit record', async () => {
      const during = path.join(work, `during-${dialect}.backup`);
      let created = 0;
      let backingUp = true;
      const backup = ballou(['backup', '--out', during], databaseUrl).finally(() => {
        backingUp = false;
      });
      // Writes go on for the whole backup: one customer (customer, tier period, audit row) per transaction.
      while (backingUp) {
        const res = await call('POST', '/api/v1/customers', {
          name: `Under backup ${created}`,
          orgNumber: orgNumber(created),
          tier: 'incident',
          agreementStart: '2026-01-01',
        });
        expect(res.statusCode, res.body).toBe(201);
        created += 1;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      expect((await backup).code).toBe(0);
      // Restore the copy into a scratch database and look inside.
      const scratch = await freshDatabaseUrl(dialect);
      try {
        await restoreDatabase(loadConfig({ BALLOU_DATABASE_URL: scratch.url }, os.tmpdir()), SYSTEM, during);
        const copy = await startServer(scratch.url);
        try {
          const db = copy.db as Kysely<Record<string, Record<string, string>>>;
          const names = (await db.selectFrom('customers').select('name').execute()).map((r) => r.name);
          const inCopy = names.filter((n) => n.startsWith('Under backup ')).length;
          const tiers = await db.selectFrom('customer_tiers').select('customer_id').execute();
          const audited = await db
            .selectFrom('audit_log')
            .select('entity_id')
            .where('action', '=', 'customer.created')
            .execute();
          const ids = (await db.selectFrom('customers').select('id').execute()).map((r) => r.id);
          console.log(`${dialect}: ${created} customers created during the backup, ${inCopy} in the copy`);
          for (const id of ids) {
            expect(tiers.some((r) => r.customer_id === id)).toBe(true);
            expect(audited.some((r) => r.entity_id === id)).toBe(true);
          }
          expect(audited.length).toBe(ids.length);
          // A prefix of the creations: whatever committed before the copy's moment, nothing torn.
          expect(
            names
              .filter((n) => n.startsWith('Under backup '))
              .sort((a, b) => a.localeCompare(b, 'en', { numeric: true })),
          ).toEqual(Array.from({ length: inCopy }, (_, i) => `Under backup ${i}`));
        } finally {
          await copy.close();
        }
      } finally {
        await scratch.drop();
      }
    }, 240_000);

    it('refuses a file that is not a backup of this engine, naming why, and changes nothing', async () => {
      const s = server as Server;
      const before = await tableFingerprints(s.db, { withMigrations: true });
      const junk = path.join(work, `junk-${dialect}.txt`);
      fs.writeFileSync(junk, 'not a backup at all\n');
      const notBackup = await ballou(['restore', '--from', junk, '--force'], databaseUrl);
      expect(notBackup.code).toBe(2);
      expect(notBackup.stderr).toContain('is not a backup made by ballou backup');
      const config = loadConfig({ BALLOU_DATABASE_URL: databaseUrl }, os.tmpdir());
      await expect(restoreDatabase(config, SYSTEM, path.join(work, 'nothing.backup'))).rejects.toThrow(
        /--from: .*nothing\.backup does not exist/,
      );
      const foreign = path.join(work, `foreign-${dialect}.sqlite`);
      const other = await freshDatabaseUrl('sqlite');
      // An SQLite database that is not ours: the right header, none of our tables.
      const { default: SQLite } = await import('better-sqlite3');
      const raw = new SQLite(foreign);
      raw.exec('create table t (x integer)');
      raw.close();
      await expect(restoreDatabase(config, SYSTEM, foreign, { force: true })).rejects.toThrow(
        dialect === 'sqlite'
          ? /is not a backup made by ballou backup/
          : /is a SQLite backup, but the database is PostgreSQL/,
      );
      const otherEngine = backups[dialect === 'sqlite' ? 'postgres' : 'sqlite'];
      if (otherEngine)
        await expect(restoreDatabase(config, SYSTEM, otherEngine, { force: true })).rejects.toThrow(
          dialect === 'sqlite'
            ? /is a PostgreSQL backup, but the database is SQLite/
            : /is a SQLite backup, but the database is PostgreSQL/,
        );
      await other.drop();
      expect(await tableFingerprints(s.db, { withMigrations: true })).toEqual(before);
    }, 120_000);
  });
}
