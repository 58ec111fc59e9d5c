import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from './database.js';
import { startWalCheckpointer, type CheckpointResult } from './sqlite-wal-checkpointer.js';
import { sql } from 'kysely';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ballou-ckpt-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A WAL database whose own connection never checkpoints, with `pages` worth of rows written. */
function walDatabase(file: string): SQLite.Database {
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  db.pragma('wal_autocheckpoint = 0');
  db.exec('create table t (id integer primary key, body text)');
  return db;
}

function writeRows(db: SQLite.Database, n: number): void {
  const insert = db.prepare('insert into t (body) values (?)');
  db.transaction(() => {
    for (let i = 0; i < n; i++) insert.run('x'.repeat(2000));
  })();
}

const until = async (check: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

describe('WAL checkpoints on their own thread', () => {
  it('copies every committed page into the database file while the writer never checkpoints', async () => {
    const file = path.join(dir, 'a.db');
    const db = walDatabase(file);
    const results: CheckpointResult[] = [];
    const checkpointer = startWalCheckpointer(file, { intervalMs: 10, onCheckpoint: (r) => results.push(r) });
    try {
      writeRows(db, 500);
      const walFrames = () => results.at(-1)?.log ?? 0;
      await until(() => walFrames() > 0 && results.at(-1)?.checkpointed === walFrames());
      // The rows are in the main file: a reader of the file alone (WAL gone) would see them.
      db.close();
      await checkpointer.stop();
      const copy = path.join(dir, 'copy.db');
      fs.copyFileSync(file, copy);
      const reader = new SQLite(copy, { readonly: true });
      expect(reader.prepare('select count(*) as n from t').get()).toEqual({ n: 500 });
      reader.close();
    } finally {
      if (db.open) db.close();
      await checkpointer.stop();
    }
  });

  it('reports a database it cannot open, and stops cleanly', async () => {
    const errors: Error[] = [];
    const checkpointer = startWalCheckpointer(path.join(dir, 'missing.db'), {
      intervalMs: 10,
      onError: (e) => errors.push(e),
    });
    await until(() => errors.length > 0);
    expect(errors[0]?.message).toMatch(/missing\.db|unable to open|does not exist/i);
    await checkpointer.stop();
  });

  it("openDatabase with walCheckpoints 'thread': the connection stops checkpointing itself, and the thread does", async () => {
    const file = path.join(dir, 'b.db');
    const handle = openDatabase(`sqlite:${file}`, () => undefined, { walCheckpoints: 'thread' });
    try {
      await sql`create table t (id integer primary key, body text)`.execute(handle.db);
      const autocheckpoint = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(
        handle.db,
      );
      expect(autocheckpoint.rows[0]?.wal_autocheckpoint).toBe(0);
      for (let i = 0; i < 20; i++) {
        await sql`insert into t (body) values (${'y'.repeat(4000)})`.execute(handle.db);
      }
      // The writer alone would leave every page in the WAL; the thread copies them into the file.
      await until(() => fs.statSync(file).size > 20 * 4000);
    } finally {
      await handle.close();
    }
  });
});
