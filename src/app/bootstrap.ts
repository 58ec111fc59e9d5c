import fs from 'node:fs';
import { Agent } from 'node:https';
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import { openDatabase, type DatabaseHandle } from '../db/database.js';
import { toDbInstant } from '../db/instant.js';
import { migrateToLatest } from '../db/migrate.js';
import { claimSystemState } from '../db/repositories/system-state.repository.js';
import { adoptSharedWriteTurns } from '../db/sqlite-write-turns.js';
import { createSmtpEmailSender } from '../integrations/email/smtp.js';
import { DeliveryError, type EmailSender } from '../integrations/messaging.js';
import { createTelephony } from '../integrations/telephony/create-telephony.js';
import { createWebPushSender } from '../integrations/push/web-push.js';
import { resolveVapidKeys, type ResolvedVapidKeys } from './push/vapid-keys.js';
import { systemClock } from './system-clock.js';
import type { AppContext } from './app-context.js';
import type { Messaging } from './messaging/messaging.js';
import { loadDemoData, type DemoLogins } from './demo/load-demo-data.js';
import { generateRecentHistory } from './demo/large-demo-data.js';
import { invoiceDemoMonths } from './demo/demo-invoices.js';
import { ensureReferenceData } from './demo/reference-data.js';
import { syncActionCatalogue } from './actions/action-catalogue.js';
import { timeOrderedId } from './time-ordered-id.js';

export interface Runtime {
  ctx: AppContext;
  database: DatabaseHandle;
  demo?: DemoLogins;
}

/**
 * Opens the database, brings the schema up to date, fills the price list's reference data and, on the
 * first server start of a new database (unless BALLOU_DEMO_DATA=0), the demo company. CLI commands pass
 * loadDemo: false.
 */
export async function bootstrap(
  config: Config,
  logger: Logger,
  opts: {
    loadDemo?: boolean;
    /** `ballou serve`: SQLite's WAL is checkpointed on a thread of its own (docs/decisions/0020). */
    walCheckpointThread?: boolean;
  } = {},
): Promise<Runtime> {
  const database = openLoggedDatabase(config, logger, opts.walCheckpointThread ? 'thread' : 'auto');
  const result = await migrateToLatest(database.db);
  const applied = (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated');
  const ctx = await createContext(database, config, logger);
  await ensureReferenceData(ctx);
  await syncActionCatalogue(ctx);
  const runtime: Runtime = { ctx, database };
  if (opts.loadDemo !== false) {
    // Decided once per database, on the first server start (CLI commands before it do not count).
    const decision = config.demoData ? 'loaded' : 'declined';
    if (await claimSystemState(ctx.db, 'demo_data', decision, toDbInstant(ctx.clock.now()))) {
      if (config.demoData) {
        runtime.demo = await loadDemoData(ctx);
        const history = await generateRecentHistory(ctx);
        const invoiced = await invoiceDemoMonths(ctx, { fromMs: history.fromMs });
        logger.info({ pastIncidents: history.incidents, invoicedMonths: invoiced }, 'demo data loaded');
      }
    }
  }
  return runtime;
}

/** For the job runner: the memory its thread shares with this one, and a flag a dead thread left up. */
export { clearWriteTurnFlag, sharedWriteTurnsMemory } from '../db/sqlite-write-turns.js';

/**
 * Joins a database that bootstrap has already brought up to date, with a connection and messaging of its
 * own: the job thread of `ballou serve` (src/server/job-thread.ts). No migrations, no reference or demo data.
 */
export async function openRuntime(
  config: Config,
  logger: Logger,
  /** The server thread's memory for SQLite write turns (sharedWriteTurnsMemory), given to the thread. */
  writeTurns: SharedArrayBuffer,
): Promise<Runtime> {
  // Before the database opens: its driver takes turns for the write lock with the server thread's.
  adoptSharedWriteTurns(writeTurns);
  // The server thread's connection runs the checkpoint thread (bootstrap with walCheckpointThread).
  const database = openLoggedDatabase(config, logger, 'elsewhere');
  return { ctx: await createContext(database, config, logger), database };
}

function openLoggedDatabase(
  config: Config,
  logger: Logger,
  walCheckpoints: 'auto' | 'thread' | 'elsewhere',
): DatabaseHandle {
  return openDatabase(
    config.databaseUrl,
    (error) => logger.warn({ err: error.message }, 'database connection lost; reconnecting'),
    {
      preparedStatements: config.pgPreparedStatements,
      walCheckpoints,
      onError: (error) =>
        logger.error(
          { err: error.message },
          'WAL checkpoint thread failed; the connection checkpoints itself',
        ),
    },
  );
}

async function createContext(database: DatabaseHandle, config: Config, logger: Logger): Promise<AppContext> {
  const vapid = await resolveVapidKeys(database.db, config, systemClock.now());
  // Read when a page is sent, so a test that sets its own clock on the context drives the messaging too.
  const now = () => ctx.clock.now();
  const ctx: AppContext = {
    db: database.db,
    dbKind: database.kind,
    clock: systemClock,
    config,
    logger,
    messaging: createMessaging(config, logger, vapid, now),
    newId: () => timeOrderedId(),
  };
  return ctx;
}

/** SMS and calls through 46elks with Twilio as fallback (as configured); e-mail over SMTP; web push. */
function createMessaging(
  config: Config,
  logger: Logger,
  vapid: ResolvedVapidKeys,
  now: () => number,
): Messaging {
  const telephony = createTelephony(config, {
    timeoutMs: config.providerTimeoutMs,
    onFailover: (error) =>
      logger.warn({ err: error.message }, 'telephony: first provider failed, trying the next'),
    ...(config.providerHangSkipSeconds > 0
      ? {
          hangBreaker: {
            openMs: config.providerHangSkipSeconds * 1000,
            now,
            onChange: (operation, change) =>
              change.open
                ? logger.error(
                    {
                      operation,
                      timeouts: change.timeouts,
                      retryAt: new Date(change.retryAtMs ?? 0).toISOString(),
                    },
                    'telephony: first provider does not answer; skipped, pages go to the next provider',
                  )
                : logger.info({ operation }, 'telephony: first provider answers again'),
          },
        }
      : {}),
  });
  const email: EmailSender = config.smtpUrl
    ? createSmtpEmailSender(config)
    : {
        send: async () => {
          throw new DeliveryError('no SMTP server is configured (BALLOU_SMTP_URL)', {
            provider: 'smtp',
            code: 'NOT_CONFIGURED',
            retryable: false,
          });
        },
      };
  // Production trusts the system CAs; BALLOU_WEB_PUSH_CA_FILE (tests) trusts only a stand-in's.
  const caFile = config.webPush.caFile;
  const push = createWebPushSender({
    vapid,
    ...(caFile ? { agent: new Agent({ ca: fs.readFileSync(caFile) }) } : {}),
  });
  return { sms: telephony, voice: telephony, email, push };
}
