import fs from 'node:fs';
import type { Trx } from '../../db/database.js';
import { appendAudit } from '../../db/repositories/audit.repository.js';
import {
  findAuthorization,
  findCatalogueEntry,
  findRun,
  moveRun,
} from '../../db/repositories/action.repository.js';
import { findServer, listContacts } from '../../db/repositories/customer.repository.js';
import { findEngineer } from '../../db/repositories/engineer.repository.js';
import { insertWorkEntry } from '../../db/repositories/incident.repository.js';
import { fromDbBool, fromDbInstant, toDbBool, toDbInstant } from '../../db/instant.js';
import type { ActionCatalogueRow, ActionRunRow } from '../../db/tables/action.table.js';
import type { ServerRow } from '../../db/tables/customer.table.js';
import type { RunStatus } from '../../domain/actions/decide-run.js';
import { resolveAt } from '../../domain/oncall/resolve.js';
import { runOverSsh, type SshRunResult } from '../../integrations/ssh/ssh-executor.js';
import type { AppContext } from '../app-context.js';
import { appendIncidentEvent, loadIncident, SYSTEM_ACTOR } from '../incidents/incident-state.js';
import type { JobHandler } from '../jobs/job-worker.js';
import { enqueueMessage } from '../messaging/enqueue-message.js';
import { loadRoster } from '../roster/roster-data.js';
import type { RunActor } from './run-view.js';

/** How long to wait for the server to answer and authenticate. */
export const SSH_CONNECT_TIMEOUT_MS = 15_000;
/** Output kept per command (the audit log also gets its size and SHA-256). */
export const MAX_OUTPUT_BYTES = 16 * 1024;
/** The check after the action gets at most this long. */
const MAX_CHECK_TIMEOUT_MS = 30_000;

/** The longest a run can take; a run still `running` after this lost its node (it is then `interrupted`). */
function runBudgetMs(timeoutSeconds: number): number {
  return SSH_CONNECT_TIMEOUT_MS + timeoutSeconds * 1000 + MAX_CHECK_TIMEOUT_MS + 30_000;
}

/** What came of a run, ready to record. */
interface Outcome {
  status: RunStatus;
  reason: string | null;
  hostKeyFingerprint: string | null;
  exitCode: number | null;
  signal: string | null;
  output: string | null;
  outputBytes: number | null;
  outputSha256: string | null;
  checkCommand: string | null;
  checkExitCode: number | null;
  checkOutput: string | null;
  durationMs: number;
  /** The command reached the server (so it is work done, and the customer may be told). */
  ran: boolean;
}

/**
 * The `action.run` job: carries out one queued run over SSH and records the result. The queued → running
 * move is a compare-and-set, so of two workers holding the same job (a lease that ran out during a long
 * command) only one ever connects; the other waits for the result, and marks the run `interrupted` if
 * its node died. Nothing is ever retried on the server: a run happens at most once.
 */
export const runActionJob: JobHandler = async (ctx, rawPayload) => {
  const { runId } = rawPayload as { runId: string };
  const run = await findRun(ctx.db, runId);
  if (!run) return;
  const [server, action] = await Promise.all([
    findServer(ctx.db, run.server_id),
    findCatalogueEntry(ctx.db, run.action_key),
  ]);
  if (!server || !action) return;
  if (run.status === 'running') {
    const startedMs = fromDbInstant(run.started_at ?? run.created_at);
    if (ctx.clock.now() < startedMs + runBudgetMs(action.timeout_seconds)) {
      throw new Error(`action run ${run.id} is still running on another node`);
    }
    await record(ctx, run, server, action, startedMs, {
      ...emptyOutcome(
        'interrupted',
        'the node running it stopped before recording a result; the outcome is unknown',
      ),
      hostKeyFingerprint: run.host_key_fingerprint,
      ran: true,
    });
    return;
  }
  if (run.status !== 'queued') return;

  const startedMs = ctx.clock.now();
  const claimed = await ctx.db.transaction().execute(async (trx) => {
    if (!(await moveRun(trx, run.id, 'queued', { status: 'running', started_at: toDbInstant(startedMs) })))
      return false;
    // Written before connecting: what is about to run, where, and which host key it must present.
    await appendAudit(trx, {
      atMs: startedMs,
      actor: SYSTEM_ACTOR,
      action: 'action.run_started',
      entityType: 'action_run',
      entityId: run.id,
      customerId: server.customer_id,
      data: {
        runId: run.id,
        incidentId: run.incident_id,
        action: run.action_key,
        command: run.command,
        checkCommand: action.check_command,
        timeoutSeconds: action.timeout_seconds,
        target: { host: server.ssh_host, port: server.ssh_port, user: server.ssh_user },
        pinnedHostKeyFingerprint: run.host_key_fingerprint,
        trigger: run.trigger_type,
      },
    });
    return true;
  });
  if (!claimed) return;
  const outcome = await execute(ctx, run, server, action);
  await record(ctx, run, server, action, startedMs, outcome);
};

function emptyOutcome(status: RunStatus, reason: string): Outcome {
  return {
    status,
    reason,
    hostKeyFingerprint: null,
    exitCode: null,
    signal: null,
    output: null,
    outputBytes: null,
    outputSha256: null,
    checkCommand: null,
    checkExitCode: null,
    checkOutput: null,
    durationMs: 0,
    ran: false,
  };
}

async function execute(
  ctx: AppContext,
  run: ActionRunRow,
  server: ServerRow,
  action: ActionCatalogueRow,
): Promise<Outcome> {
  if (!server.ssh_host || !server.ssh_user || !server.ssh_host_key) {
    return emptyOutcome('error', `${server.hostname} has no SSH access registered`);
  }
  if (!ctx.config.sshKeyFile) return emptyOutcome('error', 'no SSH key is configured (BALLOU_SSH_KEY_FILE)');
  let privateKey: Buffer;
  try {
    privateKey = fs.readFileSync(ctx.config.sshKeyFile);
  } catch (error) {
    return emptyOutcome('error', `the SSH key cannot be read: ${(error as Error).message}`);
  }
  const timeoutMs = action.timeout_seconds * 1000;
  const commands = [{ command: run.command, timeoutMs }];
  if (action.check_command) {
    commands.push({ command: action.check_command, timeoutMs: Math.min(timeoutMs, MAX_CHECK_TIMEOUT_MS) });
  }
  const result: SshRunResult = await runOverSsh(
    {
      host: server.ssh_host,
      port: server.ssh_port ?? 22,
      username: server.ssh_user,
      pinnedHostKey: server.ssh_host_key,
    },
    { privateKey, connectTimeoutMs: SSH_CONNECT_TIMEOUT_MS, maxOutputBytes: MAX_OUTPUT_BYTES, commands },
  );
  if (result.kind === 'host_key_mismatch') {
    return {
      ...emptyOutcome(
        'host_key_mismatch',
        `the server presented host key ${result.presentedFingerprint ?? '(none)'}, not the pinned ${result.pinnedFingerprint}; nothing was run`,
      ),
      hostKeyFingerprint: result.presentedFingerprint,
    };
  }
  if (result.kind === 'connect_failed') {
    return {
      ...emptyOutcome('error', `could not connect: ${result.message}`),
      durationMs: result.durationMs,
    };
  }
  const [main, check] = result.results;
  if (!main) return emptyOutcome('error', 'no result from the server');
  return {
    status: main.timedOut ? 'timed_out' : main.exitCode === 0 ? 'succeeded' : 'failed',
    reason: main.timedOut
      ? `stopped after the action's timeout of ${action.timeout_seconds} s`
      : main.exitCode === null
        ? `ended without an exit status${main.signal ? ` (signal ${main.signal})` : ''}`
        : null,
    hostKeyFingerprint: result.hostKeyFingerprint,
    exitCode: main.exitCode,
    signal: main.signal,
    output: main.output,
    outputBytes: main.outputBytes,
    outputSha256: main.outputSha256,
    checkCommand: check ? action.check_command : null,
    checkExitCode: check ? check.exitCode : null,
    checkOutput: check ? check.output : null,
    durationMs: result.durationMs,
    ran: true,
  };
}

const STATUS_SV: Record<RunStatus, string> = {
  queued: 'köad',
  running: 'pågår',
  succeeded: 'lyckades',
  failed: 'misslyckades',
  timed_out: 'avbröts (tidsgräns)',
  error: 'kunde inte köras',
  host_key_mismatch: 'stoppad: fel värdnyckel',
  interrupted: 'okänt utfall (avbruten)',
  refused: 'nekad',
};

/** Records the outcome in one transaction: the run, the timeline, the audit log, billing and the pages. */
async function record(
  ctx: AppContext,
  run: ActionRunRow,
  server: ServerRow,
  action: ActionCatalogueRow,
  startedMs: number,
  outcome: Outcome,
): Promise<void> {
  const finishedMs = startedMs + outcome.durationMs;
  await ctx.db.transaction().execute(async (trx) => {
    const authorization = run.authorization_id
      ? await findAuthorization(trx, run.authorization_id)
      : undefined;
    const triggeredBy = run.triggered_by ? (JSON.parse(run.triggered_by) as RunActor) : null;
    const moved = await moveRun(trx, run.id, 'running', {
      status: outcome.status,
      reason: outcome.reason,
      host_key_fingerprint: outcome.hostKeyFingerprint ?? run.host_key_fingerprint,
      exit_code: outcome.exitCode,
      output: outcome.output,
      check_exit_code: outcome.checkExitCode,
      check_output: outcome.checkOutput,
      duration_ms: outcome.durationMs,
      finished_at: toDbInstant(finishedMs),
    });
    if (!moved) return; // recorded by another node meanwhile: nothing more to do
    const workEntryId =
      outcome.ran && authorization && !fromDbBool(authorization.within_responsibility) && run.incident_id
        ? await billAsWork(trx, ctx, run, action, triggeredBy, startedMs, finishedMs)
        : null;
    if (workEntryId) await moveRun(trx, run.id, outcome.status, { work_entry_id: workEntryId });
    await appendAudit(trx, {
      atMs: ctx.clock.now(),
      actor: SYSTEM_ACTOR,
      action: 'action.run_finished',
      entityType: 'action_run',
      entityId: run.id,
      customerId: server.customer_id,
      data: {
        runId: run.id,
        incidentId: run.incident_id,
        action: run.action_key,
        trigger: run.trigger_type,
        triggeredBy,
        alertName: run.alert_name,
        command: run.command,
        hostKeyFingerprint: outcome.hostKeyFingerprint,
        status: outcome.status,
        reason: outcome.reason,
        exitCode: outcome.exitCode,
        signal: outcome.signal,
        durationMs: outcome.durationMs,
        output: outcome.output,
        outputBytes: outcome.outputBytes,
        outputSha256: outcome.outputSha256,
        checkCommand: outcome.checkCommand,
        checkExitCode: outcome.checkExitCode,
        checkOutput: outcome.checkOutput,
        workEntryId,
      },
    });
    if (!run.incident_id) return;
    const incident = await loadIncident(trx, ctx, run.incident_id, true);
    const summary =
      `Åtgärden ”${action.title_sv}” på ${server.hostname} ${STATUS_SV[outcome.status]}` +
      (outcome.exitCode !== null
        ? ` (exit ${outcome.exitCode}, ${Math.round(outcome.durationMs / 1000)} s)`
        : '') +
      (outcome.checkCommand
        ? `; kontroll: ${firstLine(outcome.checkOutput)} (exit ${outcome.checkExitCode ?? '–'})`
        : '') +
      (outcome.reason && !outcome.ran ? `: ${outcome.reason}` : '');
    // An action that reached the server is an action started (SPEC.md 5: it stops the action clock);
    // a host key mismatch or a connection failure is only a note: nothing was done.
    await appendIncidentEvent(trx, ctx, incident, {
      type: outcome.ran ? 'action_run' : 'note',
      atMs: outcome.ran ? startedMs : finishedMs,
      actor: SYSTEM_ACTOR,
      data: {
        ...(outcome.ran ? {} : { text: summary, kind: `action_${outcome.status}` }),
        runId: run.id,
        action: run.action_key,
        serverId: server.id,
        trigger: run.trigger_type,
        status: outcome.status,
        exitCode: outcome.exitCode,
        checkExitCode: outcome.checkExitCode,
        durationMs: outcome.durationMs,
        command: run.command,
        hostKeyFingerprint: outcome.hostKeyFingerprint,
        ...(outcome.status === 'host_key_mismatch'
          ? { pinnedHostKeyFingerprint: run.host_key_fingerprint }
          : {}),
        ...(workEntryId ? { workEntryId } : {}),
      },
    });
    const text = `[Ballou] ${incident.row.ref}: ${summary}.`;
    if (run.trigger_type === 'automatic' || outcome.status === 'host_key_mismatch') {
      await pageOnCall(
        trx,
        ctx,
        run,
        incident.row.id,
        `${text} Kördes automatiskt vid larmet ${run.alert_name ?? ''}.`,
      );
    }
    if (outcome.ran && authorization && fromDbBool(authorization.notify_customer)) {
      for (const contact of await listContacts(trx, server.customer_id)) {
        if (!contact.email) continue;
        await enqueueMessage(trx, ctx, {
          channel: 'email',
          to: contact.email,
          subject: `Ballou: ${action.title_sv} på ${server.hostname} (${incident.row.ref})`,
          body: `${summary}.\n\nÅtgärden kördes enligt era förhandsgodkännanden. Ärende ${incident.row.ref}.`,
          incidentId: incident.row.id,
          dedupeKey: `action-customer:${run.id}:${contact.id}`,
        });
      }
    }
  });
}

/** The first line of a command's output for a page or an e-mail: the server's text, so printable only. */
const firstLine = (text: string | null) =>
  [...((text ?? '').trim().split('\n')[0] ?? '')]
    .map((c) => (c.charCodeAt(0) < 0x20 || (c.charCodeAt(0) >= 0x7f && c.charCodeAt(0) < 0xa0) ? '?' : c))
    .join('')
    .slice(0, 80);

/** Pages the primary on call with a run's result (SMS, e-mail if the SMS cannot go). */
async function pageOnCall(trx: Trx, ctx: AppContext, run: ActionRunRow, incidentId: string, text: string) {
  const nowMs = ctx.clock.now();
  const onCall = resolveAt(await loadRoster(trx, nowMs, nowMs + 1), nowMs);
  const engineerId = onCall.primary?.engineerId ?? onCall.secondary?.engineerId;
  const engineer = engineerId ? await findEngineer(trx, engineerId) : undefined;
  if (!engineer) {
    ctx.logger.error({ runId: run.id }, 'action run result: nobody on call to page');
    return;
  }
  await enqueueMessage(trx, ctx, {
    channel: 'sms',
    to: engineer.phone,
    body: text,
    engineerId: engineer.id,
    incidentId,
    dedupeKey: `action-result:${run.id}:${engineer.id}`,
    fallback: {
      channel: 'email',
      to: engineer.email,
      subject: text.slice(0, 150),
      body: text,
      engineerId: engineer.id,
      incidentId,
    },
  });
}

/**
 * Work outside Ballou's responsibility done by an action is billed like any work (SPEC.md 8): a work
 * entry from the run's start to its end (at least one second), priced per started hour by the pricing
 * engine. It is the engineer who ran it, or for an automatic run the engineer on call. It is not a
 * `work_logged` event: an automatic action must not count as someone having taken the incident.
 */
async function billAsWork(
  trx: Trx,
  ctx: AppContext,
  run: ActionRunRow,
  action: ActionCatalogueRow,
  triggeredBy: RunActor | null,
  startedMs: number,
  finishedMs: number,
): Promise<string | null> {
  let engineerId = triggeredBy?.engineerId ?? null;
  if (!engineerId) {
    const onCall = resolveAt(await loadRoster(trx, startedMs, startedMs + 1), startedMs);
    engineerId = onCall.primary?.engineerId ?? onCall.secondary?.engineerId ?? null;
  }
  if (!engineerId) {
    ctx.logger.error({ runId: run.id }, 'action outside responsibility: no engineer to book the work on');
    return null;
  }
  const id = ctx.newId();
  await insertWorkEntry(trx, {
    id,
    incident_id: run.incident_id,
    engineer_id: engineerId,
    start_at: toDbInstant(startedMs),
    end_at: toDbInstant(Math.max(finishedMs, startedMs + 1000)),
    within_responsibility: toDbBool(false),
    note: `Åtgärd ${action.key} (körning ${run.id})`,
    source: 'action',
    created_at: toDbInstant(ctx.clock.now()),
  });
  return id;
}
