/**
 * The bench's support desk in a fresh database: the reliability tests' desk (engineers on call around the
 * clock, closed days around today so every report is a callout and pages, an Alertmanager integration;
 * test/reliability/support/desk-fixture.ts), plus `customers` customers of tier `hog` with one contact
 * each, so that every bench call comes from a known caller and opens an incident of its own.
 * Also fresh database URLs: a temporary SQLite file, or a new database on BALLOU_BENCH_PG_URL's server.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase } from '../../src/db/database.js';
import { insertContact, insertCustomer, insertTier } from '../../src/db/repositories/customer.repository.js';
import { toDbInstant } from '../../src/db/instant.js';
import { prepareDesk } from '../../test/reliability/support/desk-fixture.js';

export type Engine = 'sqlite' | 'postgres';

/** The engines the server figures run on: SQLite always, PostgreSQL with BALLOU_BENCH_PG_URL. */
export function benchEngines(): Engine[] {
  const engines: Engine[] = process.env.BALLOU_BENCH_PG_URL ? ['sqlite', 'postgres'] : ['sqlite'];
  // BALLOU_BENCH_ENGINES=postgres measures only PostgreSQL (a diagnosis; the table needs both).
  const only = process.env.BALLOU_BENCH_ENGINES?.split(',').map((name) => name.trim());
  if (!only) return engines;
  const unknown = only.filter((name) => !engines.includes(name as Engine));
  if (unknown.length > 0)
    throw new Error(
      `BALLOU_BENCH_ENGINES: ${unknown.join(', ')} not measurable here (engines: ${engines.join(', ')}; ` +
        'postgres needs BALLOU_BENCH_PG_URL)',
    );
  return engines.filter((engine) => only.includes(engine));
}

export interface FreshDatabase {
  url: string;
  /** For SQLite: the directory the file is in (the ceiling's file goes beside it). */
  dir: string;
  drop(): Promise<void>;
}

export async function freshDatabase(engine: Engine, label: string): Promise<FreshDatabase> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `ballou-bench-${label}-`));
  if (engine === 'sqlite') {
    return {
      url: `sqlite:${path.join(dir, 'bench.sqlite')}`,
      dir,
      drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  }
  const server = process.env.BALLOU_BENCH_PG_URL as string;
  const name = `ballou_bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    dir,
    drop: async () => {
      const c = new pg.Client({ connectionString: server });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface BenchDesk {
  alertmanagerToken: string;
  /** One contact phone per seeded customer, in order. */
  phones: string[];
}

/** The phone of the i-th seeded customer's contact: +46 70 8xx xx xx, never one of the desk's own. */
export const contactPhone = (i: number) => `+46708${String(i).padStart(6, '0')}`;

export async function prepareBenchDesk(databaseUrl: string, customers: number): Promise<BenchDesk> {
  const desk = await prepareDesk(databaseUrl);
  const handle = openDatabase(databaseUrl);
  try {
    const now = toDbInstant(Date.now());
    const phones: string[] = [];
    // Straight into the tables in one transaction: thousands of audited use-case calls would take minutes.
    await handle.db.transaction().execute(async (trx) => {
      for (let i = 0; i < customers; i++) {
        const id = randomUUID();
        await insertCustomer(trx, {
          id,
          name: `Benchkund ${i} AB`,
          org_number: `55${String(7_000_000 + i).padStart(8, '0')}`,
          vat_number: null,
          address_street: null,
          address_postal_code: null,
          address_city: null,
          address_country: null,
          invoice_email: null,
          agreement_start: '2026-01-01',
          agreement_end: null,
          created_at: now,
          updated_at: now,
        });
        await insertTier(trx, {
          id: randomUUID(),
          customer_id: id,
          tier: 'hog',
          valid_from: '2026-01-01',
          valid_to: null,
          created_at: now,
        });
        const phone = contactPhone(i);
        await insertContact(trx, {
          id: randomUUID(),
          customer_id: id,
          name: `Kontakt ${i}`,
          phone,
          email: null,
          created_at: now,
        });
        phones.push(phone);
      }
    });
    return { alertmanagerToken: desk.alertmanagerToken, phones };
  } finally {
    await handle.close();
  }
}
