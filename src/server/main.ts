import { fileURLToPath } from 'node:url';
import path from 'node:path';
import fs from 'node:fs';
import { bootstrap } from '../app/bootstrap.js';
import { markServerRunning } from '../app/backup/backup.js';
import { formatDemoLogins } from '../app/demo/load-demo-data.js';
import type { Config } from '../config/config.js';
import { createLogger } from '../config/logger.js';
import { buildApp } from './build-app.js';
import { scheduleHousekeeping } from '../app/jobs/job-handlers.js';
import { IncidentChangeRelay } from '../app/incidents/incident-change-relay.js';
import { startJobRunner, type JobRunner } from './job-runner.js';
import { scheduleRosterJobs } from '../app/roster/roster-jobs.js';
import { scheduleSlaCheck } from '../app/incidents/sla-job.js';
import { telephonyStartupNotes } from '../app/messaging/telephony-callbacks.js';

/** The built web app lives next to the compiled server: dist/web. */
function findWebRoot(): string | undefined {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const candidate of [path.resolve(here, '../../web'), path.resolve(here, '../../dist/web')]) {
    if (fs.existsSync(path.join(candidate, 'index.html'))) return candidate;
  }
  return undefined;
}

/** `ballou serve`: migrate, start the HTTP server and the job worker, stop cleanly on SIGINT/SIGTERM. */
export async function startServer(config: Config): Promise<void> {
  const logger = createLogger(config.logLevel);
  // `ballou restore` refuses to replace a database a server is using (and a restore under way makes
  // this wait), so the mark comes before the migrations.
  const running = await markServerRunning(config);
  const runtime = await bootstrap(config, logger, { walCheckpointThread: true });
  // E.g. without BALLOU_PUBLIC_URL no receipts are asked for and 46elks pages by SMS only.
  for (const note of telephonyStartupNotes(config)) logger.warn(note);
  if (runtime.demo) {
    // Shown once, as plain text on the terminal rather than as a structured log field, on the first start
    // of a new demo database: there is no default password (ASVS 2.5.4). The log names the e-mails only.
    logger.info({ emails: runtime.demo.logins.map((l) => l.email) }, 'demo logins created');
    process.stdout.write(formatDemoLogins(runtime.demo.logins));
  }
  // The job runner starts once the server listens; a scrape before that gets the server's metrics only.
  const started: { jobs?: JobRunner } = {};
  // Live boards hear of a change as soon as it commits, here or (PostgreSQL) on another node.
  const incidentChanges = new IncidentChangeRelay(runtime.database, config.databaseUrl, logger);
  const app = await buildApp({
    ctx: runtime.ctx,
    webRoot: findWebRoot(),
    jobMetrics: () => started.jobs?.metrics() ?? Promise.resolve([]),
    incidentChanges: (listener) => incidentChanges.subscribe(listener),
  });
  await app.listen({ port: config.port, host: config.host });
  await scheduleHousekeeping(runtime.ctx);
  await scheduleRosterJobs(runtime.ctx);
  await scheduleSlaCheck(runtime.ctx);
  const jobs = startJobRunner(runtime, config, logger);
  jobs.onIncidentsChanged(() => incidentChanges.changedHere());
  started.jobs = jobs;
  logger.info(
    { database: runtime.database.kind, url: config.publicUrl },
    'Ballou Server Assistans is running',
  );

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    await jobs.stop();
    await app.close();
    await incidentChanges.close();
    await running.release();
    await runtime.database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}
