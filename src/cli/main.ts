#!/usr/bin/env -S node --max-semi-space-size=32
import { Command } from 'commander';
import { loadConfig } from '../config/config.js';
import { startServer } from '../server/main.js';
import { reportError, withRuntime } from './cli-runtime.js';
import { invoiceCommand } from './commands/invoice.command.js';
import { priceCommand } from './commands/price.command.js';
import { rosterCommand } from './commands/roster.command.js';
import { tokenCommand } from './commands/token.command.js';
import { userCommand } from './commands/user.command.js';
import { actionsCommand } from './commands/actions.command.js';
import { backupCommands } from './commands/backup.command.js';
import { demoCommand } from './commands/demo.command.js';

const program = new Command('ballou')
  .description('Ballou Server Assistans: after-hours support desk, roster, actions and billing')
  .showHelpAfterError();

program
  .command('serve')
  .description('run the HTTP server and job worker (migrates first; demo data on a new database)')
  .action(async () => startServer(loadConfig()));

program
  .command('migrate')
  .description('bring the database schema up to date')
  .action(async () => {
    await withRuntime(async () => undefined);
    process.stdout.write('database is up to date\n');
  });

program.addCommand(tokenCommand());
program.addCommand(priceCommand());
program.addCommand(invoiceCommand());
program.addCommand(rosterCommand());
program.addCommand(userCommand());
program.addCommand(actionsCommand());
for (const command of backupCommands()) program.addCommand(command);
program.addCommand(demoCommand());

program.parseAsync(process.argv).catch(reportError);
