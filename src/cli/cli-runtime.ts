import { bootstrap, type Runtime } from '../app/bootstrap.js';
import { loadConfig } from '../config/config.js';
import { createLogger } from '../config/logger.js';
import { DomainError } from '../domain/shared/domain-error.js';
import type { Principal } from '../domain/shared/roles.js';

/** The CLI acts as the operator at the machine: a system principal with admin rights, named in the audit log. */
export const CLI_PRINCIPAL: Principal = {
  kind: 'system',
  id: 'system',
  role: 'admin',
  customerId: null,
  name: `cli:${process.env.USER ?? 'unknown'}`,
};

/** Opens and migrates the database for one command, runs it, and closes the database again. */
export async function withRuntime<T>(fn: (runtime: Runtime) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const logger = createLogger(process.env.BALLOU_LOG_LEVEL ?? 'warn');
  const runtime = await bootstrap(config, logger, { loadDemo: false });
  try {
    return await fn(runtime);
  } finally {
    await runtime.database.close();
  }
}

/** Exit status 2 and a one-line message for bad input (the same codes the HTTP API maps to 4xx). */
export function reportError(error: unknown): never {
  if (error instanceof DomainError) {
    process.stderr.write(`ballou: ${error.message}\n`);
    for (const e of error.errors)
      if (!error.message.includes(e.path)) process.stderr.write(`  ${e.path}: ${e.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`ballou: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
