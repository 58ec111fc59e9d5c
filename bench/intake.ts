// Intake: incidents created per second through the 46elks voice webhook (form body, Basic auth) and the
// Alertmanager webhook (JSON, integration token), with p50/p99 latency; and the server's memory (RSS) at
// rest and under that load. The real server process (`node --import tsx src/cli/main.ts serve`) on a
// fresh database with demo data off and a desk whose customers' contacts make the calls, so each call
// opens an incident of its own and pages (test/reliability/support); the load comes from autocannon in a
// second process, 50 connections, unique call ids and alert groups. Ceiling: a bare Fastify process
// parsing the same bodies and writing one row each to the same kind of database, measured the same way.
import { sql } from 'kysely';
import { openDatabase } from '../src/db/database.js';
import { toDbInstant } from '../src/db/instant.js';
import { ELKS_WEBHOOK_SECRET, startProviders } from '../test/reliability/support/desk-fixture.js';
import { ServerProcess } from '../test/reliability/support/server-process.js';
import type { Figure } from './figure.js';
import { reportBug } from './support/bugs.js';
import { benchEngines, freshDatabase, prepareBenchDesk, type Engine } from './support/desk.js';
import type { LoadResult, LoadSettings } from './support/load-client.js';
import {
  benchProfileArgs,
  benchServerEnv,
  rssMiB,
  runLoadProcess,
  sampleRss,
  startBareServer,
} from './support/processes.js';

const CONNECTIONS = 50;
const SECONDS = Number(process.env.BALLOU_BENCH_INTAKE_SECONDS ?? 10);
const WARMUP_SECONDS = 3;
/** Customers seeded: more than a run can call at the ceiling's rate, so calls come from known callers. */
const CUSTOMERS = Number(process.env.BALLOU_BENCH_INTAKE_CUSTOMERS ?? 4000);
/**
 * The measured voice run's callers start after the warm-up's (every request the warm-up sent, with room for
 * those still in flight when it stopped): a second call from a customer with an open incident attaches to
 * it instead of opening one, and the incident count would fall short of the acknowledged requests.
 */
const firstMeasuredCaller = (warmUp: LoadResult) => warmUp.requests + CONNECTIONS;
const TARGET_RATIO = 0.5;
const TARGET_P99_MS = 50;
const VOICE_PATH = '/api/v1/webhooks/46elks/voice';
const ALERT_PATH = '/api/v1/webhooks/alertmanager';
const ELKS_AUTHORIZATION = `Basic ${Buffer.from(`46elks:${ELKS_WEBHOOK_SECRET}`).toString('base64')}`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const perSecond = (r: LoadResult) => (r.ok / r.elapsedMs) * 1000;

interface Measured {
  voice: LoadResult;
  alerts: LoadResult;
  /** Seconds from the end of each measured run until the paging it caused was done (the real server). */
  caughtUp?: { voice: number; alerts: number };
  restMiB: number;
  peakMiB: number;
  /** Acknowledged warm-up requests (each opened an incident too). */
  warmOk: number;
}

/** How long the server may take to page what one run reported before the bench calls it stuck. */
const CATCH_UP_LIMIT_S = 180;

/**
 * Waits until the server has done the paging a run caused (no job due and none running) and returns the
 * seconds that took. Each run then starts from a server that is not still paging the previous run's
 * incidents: measured, the Alertmanager run, which followed the voice run at once, shared the CPU and the
 * write lock with ~10 s of the voice run's pages and came out a quarter lower than alone.
 */
async function pagingCaughtUp(databaseUrl: string, engine: Engine, run: string): Promise<number> {
  const handle = openDatabase(databaseUrl);
  const started = performance.now();
  try {
    for (;;) {
      const now = toDbInstant(Date.now());
      const { n } = await handle.db
        .selectFrom('jobs')
        .select(sql<number>`count(*)`.as('n'))
        .where((eb) =>
          eb.or([
            eb.and([eb('status', '=', 'pending'), eb('due_at', '<=', now)]),
            eb('status', '=', 'running'),
          ]),
        )
        .executeTakeFirstOrThrow();
      const seconds = (performance.now() - started) / 1000;
      if (Number(n) === 0) return seconds;
      if (seconds > CATCH_UP_LIMIT_S) {
        reportBug(`intake (${engine}): ${n} jobs still due ${CATCH_UP_LIMIT_S} s after the ${run} run`);
        return seconds;
      }
      await sleep(250);
    }
  } finally {
    await handle.close();
  }
}

/**
 * Warm-up (not measured), then the voice and the Alertmanager runs, sampling the process's RSS. With
 * `caughtUp` (the real server), each run waits until the paging of the runs before it is done.
 */
async function measure(
  base: string,
  pid: number,
  token: string,
  label: string,
  caughtUp?: (run: string) => Promise<number>,
): Promise<Measured> {
  const run = (kind: LoadSettings['kind'], seconds: number, firstCustomer: number, runLabel: string) =>
    runLoadProcess({
      base,
      kind,
      authorization: kind === 'elks-voice' ? ELKS_AUTHORIZATION : `Bearer ${token}`,
      connections: CONNECTIONS,
      seconds,
      firstCustomer,
      label: `${label}${runLabel}`,
      path: kind === 'elks-voice' ? VOICE_PATH : ALERT_PATH,
    });
  await sleep(1_000);
  const restMiB = rssMiB(pid);
  const sampler = sampleRss(pid);
  const warmVoice = await run('elks-voice', WARMUP_SECONDS, 0, 'wv');
  const warmAlerts = await run('alertmanager', WARMUP_SECONDS, 0, 'wa');
  await caughtUp?.('warm-up');
  const voice = await run('elks-voice', SECONDS, firstMeasuredCaller(warmVoice), 'v');
  const voiceCaughtUp = await caughtUp?.('voice');
  const alerts = await run('alertmanager', SECONDS, 0, 'a');
  const alertsCaughtUp = await caughtUp?.('Alertmanager');
  return {
    voice,
    alerts,
    restMiB,
    peakMiB: sampler.stop(),
    warmOk: warmVoice.ok + warmAlerts.ok,
    ...(voiceCaughtUp !== undefined && alertsCaughtUp !== undefined
      ? { caughtUp: { voice: voiceCaughtUp, alerts: alertsCaughtUp } }
      : {}),
  };
}

/** Every acknowledged request must have opened exactly one incident, and none may have been refused. */
async function checkIncidents(databaseUrl: string, engine: Engine, app: Measured): Promise<void> {
  for (const [what, r] of [
    ['46elks voice', app.voice],
    ['Alertmanager', app.alerts],
  ] as const) {
    if (r.non2xx > 0 || r.errors > 0)
      reportBug(`intake (${engine}): ${what}: ${r.non2xx} non-2xx answers, ${r.errors} errors under load`);
  }
  const handle = openDatabase(databaseUrl);
  try {
    const rows = await handle.db
      .selectFrom('incidents')
      .select(['channel', sql<number>`count(*)`.as('n')])
      .groupBy('channel')
      .execute();
    const total = rows.reduce((sum, r) => sum + Number(r.n), 0);
    const acknowledged = app.warmOk + app.voice.ok + app.alerts.ok;
    if (total < acknowledged)
      reportBug(`intake (${engine}): ${total} incidents for ${acknowledged} acknowledged webhook requests`);
  } finally {
    await handle.close();
  }
}

async function intakeOn(engine: Engine): Promise<Figure[]> {
  const database = await freshDatabase(engine, 'intake');
  const providers = await startProviders();
  let app: Measured;
  let token: string;
  try {
    const desk = await prepareBenchDesk(database.url, CUSTOMERS);
    token = desk.alertmanagerToken;
    const server = await ServerProcess.start({
      name: `intake-${engine}`,
      env: { BALLOU_DATABASE_URL: database.url, ...providers.env, ...benchServerEnv() },
      nodeArgs: benchProfileArgs(),
      logDir: database.dir,
    });
    try {
      app = await measure(server.url, server.pid as number, token, 'app', (run) =>
        pagingCaughtUp(database.url, engine, run),
      );
    } finally {
      await server.stop();
    }
    await checkIncidents(database.url, engine, app);
  } finally {
    await providers.close();
  }
  const bare = await startBareServer({
    databaseUrl: engine === 'sqlite' ? `sqlite:${database.dir}/ceiling.sqlite` : database.url,
    elksAuthorization: ELKS_AUTHORIZATION,
    bearer: token,
  });
  let ceiling: Measured;
  try {
    ceiling = await measure(bare.url, bare.pid, token, 'bare');
  } finally {
    await bare.stop();
    await database.drop();
  }
  const bareLabel = 'bare Fastify, 1 row';
  const figures: Figure[] = [];
  for (const [what, key] of [
    ['46elks voice webhook', 'voice'],
    ['Alertmanager webhook', 'alerts'],
  ] as const) {
    const [a, c] = [app[key], ceiling[key]];
    figures.push(
      {
        name: `intake: ${what} (${engine})`,
        value: perSecond(a),
        unit: 'incidents/s',
        better: 'higher',
        ceiling: { value: perSecond(c), label: bareLabel },
        target: { kind: 'ratio', value: TARGET_RATIO },
        ...(key === 'voice'
          ? {
              note:
                `${SECONDS} s runs after ${WARMUP_SECONDS} s warm-ups, autocannon ${CONNECTIONS} connections from ` +
                `a second process, unique call ids and alert groups: every request a new incident that pages; ` +
                `each run starts once the server has sent the pages of the runs before it`,
            }
          : {}),
      },
      {
        name: `intake: ${what} p50 (${engine})`,
        value: a.p50Ms,
        unit: 'ms',
        better: 'lower',
        ceiling: { value: c.p50Ms, label: bareLabel },
      },
      {
        name: `intake: ${what} p99 (${engine})`,
        value: a.p99Ms,
        unit: 'ms',
        better: 'lower',
        ceiling: { value: c.p99Ms, label: bareLabel },
        target: { kind: 'absolute', value: TARGET_P99_MS },
      },
    );
    if (app.caughtUp)
      figures.push({
        name: `intake: ${what}, pages all sent after the run (${engine})`,
        value: app.caughtUp[key],
        unit: 's',
        better: 'lower',
        ...(key === 'voice'
          ? {
              note:
                'seconds from the end of the run until no job was due or running: every incident of the run ' +
                'paged (SMS, call, push), the paging that ran alongside the run included',
            }
          : {}),
      });
  }
  figures.push(
    {
      name: `server memory at rest, RSS (${engine})`,
      value: app.restMiB,
      unit: 'MiB',
      better: 'lower',
      ceiling: { value: ceiling.restMiB, label: 'bare Fastify process' },
      note: 'VmRSS of the server process from /proc, 1 s after start (tsx-loaded sources)',
    },
    {
      name: `server memory under intake load, peak RSS (${engine})`,
      value: app.peakMiB,
      unit: 'MiB',
      better: 'lower',
      ceiling: { value: ceiling.peakMiB, label: 'bare Fastify process' },
      note: 'the highest VmRSS sampled every 100 ms during the intake runs (paging jobs running alongside)',
    },
  );
  return figures;
}

export async function benchIntake(): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const engine of benchEngines()) figures.push(...(await intakeOn(engine)));
  return figures;
}
