import { Command } from 'commander';
import { listActions } from '../../app/actions/action-catalogue.js';
import { CLI_PRINCIPAL, withRuntime } from '../cli-runtime.js';

/**
 * `ballou actions list`: the action catalogue as configured (BALLOU_ACTIONS_FILE or the built-in one),
 * as JSON on standard output. A broken catalogue file fails here exactly as it would fail the server.
 */
export function actionsCommand(): Command {
  const actions = new Command('actions').description('pre-authorized actions');
  actions
    .command('list')
    .description('print the action catalogue (key, titles, fixed command, check, timeout) as JSON')
    .action(async () => {
      const catalogue = await withRuntime(({ ctx }) => listActions(ctx, CLI_PRINCIPAL));
      process.stdout.write(`${JSON.stringify(catalogue, null, 2)}\n`);
    });
  return actions;
}
