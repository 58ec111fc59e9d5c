import { Command } from 'commander';
import { createApiToken, listApiTokens, revokeApiToken } from '../../app/auth/api-tokens.js';
import { CLI_PRINCIPAL, withRuntime } from '../cli-runtime.js';

/** `ballou token create|list|revoke`: API tokens for integrations and scripts. */
export function tokenCommand(): Command {
  const token = new Command('token').description('manage API tokens (stored hashed; shown once)');
  token
    .command('create')
    .description('create a token and print it on standard output')
    .requiredOption('--role <role>', 'admin | manager | engineer | billing | customer')
    .requiredOption('--name <name>', 'what the token is for, e.g. "alertmanager"')
    .option('--customer <id>', 'the customer a customer token belongs to')
    .option('--json', 'print the whole token record as JSON')
    .action(async (opts: { role: string; name: string; customer?: string; json?: boolean }) => {
      const created = await withRuntime(({ ctx }) =>
        createApiToken(ctx, CLI_PRINCIPAL, {
          name: opts.name,
          role: opts.role,
          customerId: opts.customer ?? null,
        }),
      );
      process.stdout.write(opts.json ? `${JSON.stringify(created, null, 2)}\n` : `${created.token}\n`);
    });
  token
    .command('list')
    .description('list tokens (never their secrets)')
    .action(async () => {
      const tokens = await withRuntime(({ ctx }) => listApiTokens(ctx, CLI_PRINCIPAL));
      process.stdout.write(`${JSON.stringify(tokens, null, 2)}\n`);
    });
  token
    .command('revoke')
    .argument('<id>', 'token id (from token list)')
    .description('revoke a token at once')
    .action(async (id: string) => {
      const revoked = await withRuntime(({ ctx }) => revokeApiToken(ctx, CLI_PRINCIPAL, id));
      process.stdout.write(`revoked ${revoked.id} (${revoked.name})\n`);
    });
  return token;
}
