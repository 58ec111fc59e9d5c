import { Command } from 'commander';
import { backupDatabase, DatabaseInUseError, restoreDatabase } from '../../app/backup/backup.js';
import { loadConfig } from '../../config/config.js';
import { createLogger } from '../../config/logger.js';
import { CLI_PRINCIPAL, reportError } from '../cli-runtime.js';

/**
 * `ballou backup --out FILE` and `ballou restore --from FILE [--force]`. They open the database
 * themselves (no migration, no demo data): a backup must copy what is there, and a restore must not
 * touch the database before it knows the file is good. Exit status: 0 done, 2 bad file or option,
 * 3 restore refused because a server uses the database, 1 anything else (e.g. pg_dump missing).
 */
export function backupCommands(): Command[] {
  const backup = new Command('backup')
    .description(
      'copy the whole database to a file (SQLite online backup or pg_dump); safe while the server runs',
    )
    .requiredOption('--out <file>', 'the backup file to write (owner-only permissions)')
    .action(async (opts: { out: string }) => {
      const config = loadConfig();
      const logger = createLogger(process.env.BALLOU_LOG_LEVEL ?? 'warn');
      const done = await backupDatabase(config, CLI_PRINCIPAL, opts.out, logger);
      process.stdout.write(`backed up the ${done.engine} database to ${done.file} (${done.bytes} bytes)\n`);
    });
  const restore = new Command('restore')
    .description('replace the database with a backup of the same engine (stop the server first)')
    .requiredOption('--from <file>', 'a file written by ballou backup')
    .option('--force', 'restore even though a server or another session uses the database')
    .action(async (opts: { from: string; force?: boolean }) => {
      try {
        const done = await restoreDatabase(loadConfig(), CLI_PRINCIPAL, opts.from, { force: opts.force });
        process.stdout.write(`restored the ${done.engine} database from ${done.file}\n`);
      } catch (error) {
        if (error instanceof DatabaseInUseError) {
          process.stderr.write(`ballou: restore refused: ${error.message}\n`);
          process.exit(3);
        }
        reportError(error);
      }
    });
  return [backup, restore];
}
