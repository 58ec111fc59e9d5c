import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../../config/config.js';
import {
  backupPostgres,
  backupSqlite,
  inspectBackupFile,
  holdPostgresServerLock,
  restorePostgres,
  restoreSqlite,
  sqliteUsers,
  withPostgresServerLockExclusive,
  type BackupEngine,
} from '../../db/backup/database-backup.js';
import { openDatabase } from '../../db/database.js';
import { appendAudit } from '../../db/repositories/audit.repository.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { Principal } from '../../domain/shared/roles.js';
import { auditActor } from '../access.js';
import { systemClock } from '../system-clock.js';

/** A restore was refused because a server (or another session) is using the database. */
export class DatabaseInUseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseInUseError';
  }
}

export interface BackupResult {
  engine: BackupEngine;
  file: string;
  bytes: number;
}

const ENGINE_NAME: Record<BackupEngine, string> = { sqlite: 'SQLite', postgres: 'PostgreSQL' };

async function audit(
  databaseUrl: string,
  principal: Principal,
  action: string,
  data: Record<string, unknown>,
) {
  const database = openDatabase(databaseUrl);
  try {
    await appendAudit(database.db, {
      atMs: systemClock.now(),
      actor: auditActor(principal),
      action,
      entityType: 'database',
      entityId: null,
      data,
    });
  } finally {
    await database.close();
  }
}

/**
 * `ballou backup`: a consistent copy of the configured database while the server may keep running,
 * written to a temporary file beside `out` and renamed into place, so `out` is whole or untouched. On
 * PostgreSQL the live database's audit log records it.
 */
export async function backupDatabase(
  config: Config,
  principal: Principal,
  out: string,
  logger?: Logger,
): Promise<BackupResult> {
  const file = path.resolve(out);
  if (!fs.existsSync(path.dirname(file)))
    throw new DomainError('VALIDATION_FAILED', `--out: the folder ${path.dirname(file)} does not exist`, [
      { path: '--out', message: 'folder does not exist' },
    ]);
  const engine = config.databaseKind;
  const partial = `${file}.partial-${process.pid}`;
  try {
    if (engine === 'sqlite') await backupSqlite(config.databaseUrl, partial);
    else await backupPostgres(config.databaseUrl, partial);
    fs.renameSync(partial, file);
  } finally {
    fs.rmSync(partial, { force: true });
  }
  const bytes = fs.statSync(file).size;
  // On SQLite the running server is the one writer: a second process writing beside it under load made
  // its requests time out on the lock, so there the backup only reads (and says so on standard output).
  if (engine === 'postgres')
    await audit(config.databaseUrl, principal, 'database.backed_up', { engine, file, bytes });
  logger?.info({ engine, file, bytes }, 'database backed up');
  return { engine, file, bytes };
}

/**
 * `ballou restore`: replaces the configured database's content with a backup of the same engine. Refused
 * while a server uses the database, unless forced (the server would keep serving from what it cached
 * and then write into the restored data). The restored database's audit log records the restore.
 */
export async function restoreDatabase(
  config: Config,
  principal: Principal,
  from: string,
  opts: { force?: boolean } = {},
): Promise<{ engine: BackupEngine; file: string }> {
  const file = path.resolve(from);
  if (!fs.existsSync(file) || !fs.statSync(file).isFile())
    throw new DomainError('VALIDATION_FAILED', `--from: ${file} does not exist`, [
      { path: '--from', message: 'no such file' },
    ]);
  const engine = config.databaseKind;
  const kind = await inspectBackupFile(file);
  if (kind.engine !== null && kind.engine !== engine)
    throw new DomainError(
      'VALIDATION_FAILED',
      `--from: ${file} is a ${ENGINE_NAME[kind.engine]} backup, but the database is ${ENGINE_NAME[engine]}`,
      [{ path: '--from', message: `a ${ENGINE_NAME[kind.engine]} backup` }],
    );
  if (!kind.ballou)
    throw new DomainError('VALIDATION_FAILED', `--from: ${file} is not a backup made by ballou backup`, [
      { path: '--from', message: 'not a Ballou backup' },
    ]);

  const refuse = (why: string) => {
    throw new DatabaseInUseError(`${why} (a running server?): stop it, or restore with --force`);
  };
  if (engine === 'sqlite') {
    const users = sqliteUsers(config.databaseUrl);
    if (!opts.force && users === undefined)
      throw new DatabaseInUseError(
        'cannot tell whether a server uses the database on this system: stop it, then restore with --force',
      );
    if (!opts.force && users && users.length > 0)
      refuse(`the database is open in process ${users.join(', ')}`);
    await restoreSqlite(file, config.databaseUrl);
  } else {
    await withPostgresServerLockExclusive(config.databaseUrl, async (inUse) => {
      if (inUse && !opts.force) refuse('a server holds the database');
      await restorePostgres(file, config.databaseUrl);
    });
  }
  await audit(config.databaseUrl, principal, 'database.restored', {
    engine,
    file,
    forced: opts.force === true,
  });
  return { engine, file };
}

/**
 * Called by `ballou serve`: marks the database as used by a running server until released, so
 * `ballou restore` refuses to replace it. On SQLite the open file is the mark (found through /proc).
 */
export async function markServerRunning(config: Config): Promise<{ release(): Promise<void> }> {
  if (config.databaseKind !== 'postgres') return { release: async () => undefined };
  return { release: await holdPostgresServerLock(config.databaseUrl) };
}
