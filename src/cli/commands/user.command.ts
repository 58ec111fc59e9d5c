import { Command } from 'commander';
import { createUser } from '../../app/auth/users.js';
import { CLI_PRINCIPAL, withRuntime } from '../cli-runtime.js';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** `ballou user create`: logins for staff and customers; the password is read from standard input. */
export function userCommand(): Command {
  const user = new Command('user').description('manage logins');
  user
    .command('create')
    .description('create a login; the password is read from standard input (never from the command line)')
    .requiredOption('--email <email>')
    .requiredOption('--name <name>')
    .requiredOption('--role <role>', 'admin | manager | engineer | billing | customer')
    .option('--customer <id>', 'the customer a customer login belongs to')
    .option('--engineer <id>', 'the engineer record of a staff login')
    .action(
      async (opts: { email: string; name: string; role: string; customer?: string; engineer?: string }) => {
        const password = await readStdin();
        const created = await withRuntime(({ ctx }) =>
          createUser(ctx, CLI_PRINCIPAL, {
            email: opts.email,
            name: opts.name,
            role: opts.role,
            password,
            customerId: opts.customer ?? null,
            engineerId: opts.engineer ?? null,
          }),
        );
        process.stdout.write(`${JSON.stringify(created, null, 2)}\n`);
      },
    );
  return user;
}
