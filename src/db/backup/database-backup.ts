import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import SQLite from 'better-sqlite3';
import pg from 'pg';

/**
 * Copies of the whole database and their restore, per engine: SQLite through its online backup API
 * (a consistent copy while the server writes), PostgreSQL through pg_dump's custom format and
 * pg_restore. Only mechanics: the use case (src/app/backup) decides what is allowed.
 */

const run = promisify(execFile);
export type BackupEngine = 'sqlite' | 'postgres';

/** Tables every Ballou database has: a file without them is not one of our backups. */
const SIGNATURE_TABLES = ['audit_log', 'kysely_migration'];

/** What a backup file is, judged by its content, never by its name. */
export type BackupKind =
  { engine: BackupEngine; ballou: true } | { engine: BackupEngine | null; ballou: false };

export function sqliteFileOf(databaseUrl: string): string {
  return path.resolve(databaseUrl.slice('sqlite:'.length));
}

/** Writes `out` with owner-only permissions: a backup holds password hashes and TOTP secrets. */
function createPrivateFile(out: string): void {
  fs.writeFileSync(out, '', { mode: 0o600, flag: 'w' });
  fs.chmodSync(out, 0o600);
}

export async function inspectBackupFile(file: string): Promise<BackupKind> {
  const handle = fs.openSync(file, 'r');
  const head = Buffer.alloc(16);
  try {
    fs.readSync(handle, head, 0, 16, 0);
  } finally {
    fs.closeSync(handle);
  }
  if (head.toString('latin1').startsWith('SQLite format 3\0')) {
    const db = new SQLite(file, { readonly: true, fileMustExist: true });
    try {
      const names = new Set(
        (db.prepare("select name from sqlite_master where type = 'table'").all() as { name: string }[]).map(
          (r) => r.name,
        ),
      );
      return SIGNATURE_TABLES.every((t) => names.has(t))
        ? { engine: 'sqlite', ballou: true }
        : { engine: 'sqlite', ballou: false };
    } finally {
      db.close();
    }
  }
  if (head.toString('latin1').startsWith('PGDMP')) {
    let stdout: string;
    try {
      ({ stdout } = await run(pgTool('pg_restore'), ['--list', file], { maxBuffer: 64 * 1024 * 1024 }));
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOENT') throw error;
      return { engine: 'postgres', ballou: false }; // a damaged or foreign archive
    }
    const ballou = SIGNATURE_TABLES.every((t) => new RegExp(`\\bTABLE [^\\n]* ${t}\\b`).test(stdout));
    return ballou ? { engine: 'postgres', ballou: true } : { engine: 'postgres', ballou: false };
  }
  return { engine: null, ballou: false };
}

// ---------------------------------------------------------------------------------------------- SQLite

/**
 * The rest of the pages in one step: one read snapshot, so writes by the server meanwhile cannot make the
 * backup start over (in steps of 100 pages a busy database could keep it restarting for ever).
 */
const ALL_PAGES = () => 0x7fffffff;

/** A consistent copy of a live SQLite database (other processes may go on writing), to `out`. */
export async function backupSqlite(databaseUrl: string, out: string): Promise<void> {
  const source = new SQLite(sqliteFileOf(databaseUrl), { readonly: true, fileMustExist: true });
  try {
    createPrivateFile(out);
    await source.backup(out, { progress: ALL_PAGES });
  } finally {
    source.close();
  }
}

/** Replaces the database's content with the backup's, through SQLite's backup API (its WAL included). */
export async function restoreSqlite(from: string, databaseUrl: string): Promise<void> {
  const source = new SQLite(from, { readonly: true, fileMustExist: true });
  try {
    await source.backup(sqliteFileOf(databaseUrl), { progress: ALL_PAGES });
  } finally {
    source.close();
  }
}

/**
 * Process ids (other than ours) that have the SQLite file, its WAL or shared memory open, from
 * /proc. `undefined` where /proc cannot tell (not Linux): the caller must then assume it is in use.
 */
export function sqliteUsers(databaseUrl: string): number[] | undefined {
  const file = sqliteFileOf(databaseUrl);
  const targets = new Set([file, `${file}-wal`, `${file}-shm`]);
  let pids: string[];
  try {
    pids = fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return undefined;
  }
  const users: number[] = [];
  for (const pid of pids) {
    if (Number(pid) === process.pid) continue;
    let fds: string[];
    try {
      fds = fs.readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // gone, or another user's process we may not look into
    }
    for (const fd of fds) {
      try {
        if (targets.has(fs.readlinkSync(`/proc/${pid}/fd/${fd}`))) {
          users.push(Number(pid));
          break;
        }
      } catch {
        // the descriptor closed meanwhile
      }
    }
  }
  return users;
}

// ------------------------------------------------------------------------------------------ PostgreSQL

/**
 * Debian's newest client binaries (/usr/lib/postgresql/<version>/bin, as scripts/pg-throwaway.sh finds
 * initdb), else the one on PATH. pg_dump must be at least the server's version.
 */
export function pgTool(name: 'pg_dump' | 'pg_restore'): string {
  let dirs: string[] = [];
  try {
    dirs = fs
      .readdirSync('/usr/lib/postgresql')
      .filter((v) => /^\d+(\.\d+)?$/.test(v))
      .sort((a, b) => Number(b) - Number(a))
      .map((v) => `/usr/lib/postgresql/${v}/bin`);
  } catch {
    // not Debian's layout
  }
  const found = dirs.map((d) => path.join(d, name)).find((p) => fs.existsSync(p));
  return found ?? name;
}

/** The URL without its password (for the command line) and the password (for PGPASSWORD). */
function splitPassword(databaseUrl: string): { url: string; env: NodeJS.ProcessEnv } {
  const url = new URL(databaseUrl);
  const password = decodeURIComponent(url.password);
  url.password = '';
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.PGPASSWORD;
  if (password) env.PGPASSWORD = password;
  return { url: url.toString(), env };
}

async function runPgTool(name: 'pg_dump' | 'pg_restore', args: string[], env: NodeJS.ProcessEnv) {
  try {
    await run(pgTool(name), args, { env, maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const e = error as { code?: string | number; stderr?: string; message: string };
    if (e.code === 'ENOENT')
      throw new Error(
        `${name} was not found: install Debian's postgresql-client (apt-get install postgresql-client)`,
        { cause: error },
      );
    throw new Error(`${name} failed: ${(e.stderr ?? e.message).trim().split('\n').slice(-3).join(' / ')}`, {
      cause: error,
    });
  }
}

export async function backupPostgres(databaseUrl: string, out: string): Promise<void> {
  const { url, env } = splitPassword(databaseUrl);
  createPrivateFile(out);
  await runPgTool(
    'pg_dump',
    ['--format=custom', '--no-owner', '--no-privileges', `--file=${out}`, `--dbname=${url}`],
    env,
  );
}

/** Drops and recreates every object of the backup in one transaction: on an error nothing changes. */
export async function restorePostgres(from: string, databaseUrl: string): Promise<void> {
  const { url, env } = splitPassword(databaseUrl);
  await runPgTool(
    'pg_restore',
    [
      '--clean',
      '--if-exists',
      '--single-transaction',
      '--exit-on-error',
      '--no-owner',
      '--no-privileges',
      `--dbname=${url}`,
      from,
    ],
    env,
  );
}

/** The advisory lock a running server holds shared and a restore takes exclusive ("ball" in ASCII). */
const SERVER_LOCK_KEY = 0x62616c6c;

/**
 * Marks the database as used by a running server for as long as the returned release is not called:
 * a shared advisory lock on a connection of its own (two nodes may hold it at once).
 */
export async function holdPostgresServerLock(databaseUrl: string): Promise<() => Promise<void>> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'ballou-server-lock' });
  // A lost connection only loses the marker; the server's pool reports real trouble.
  client.on('error', () => undefined);
  await client.connect();
  await client.query('select pg_advisory_lock_shared($1)', [SERVER_LOCK_KEY]);
  return async () => {
    await client.end().catch(() => undefined);
  };
}

/**
 * Runs `fn` holding the server lock exclusively, so no server starts meanwhile (it waits). `inUse` says
 * whether a running server holds it; `fn` then decides whether to go on without the lock.
 */
export async function withPostgresServerLockExclusive<T>(
  databaseUrl: string,
  fn: (inUse: boolean) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'ballou-restore' });
  await client.connect();
  try {
    const { rows } = await client.query<{ locked: boolean }>('select pg_try_advisory_lock($1) as locked', [
      SERVER_LOCK_KEY,
    ]);
    return await fn(!rows[0]?.locked);
  } finally {
    await client.end();
  }
}
