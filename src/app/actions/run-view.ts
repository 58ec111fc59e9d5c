import { fromDbInstant } from '../../db/instant.js';
import type { ActionRunRow } from '../../db/tables/action.table.js';
import type { RunStatus, RunTrigger } from '../../domain/actions/decide-run.js';
import { formatInstant } from '../../domain/calendar/instant.js';

/** Who or what started a run, as recorded with it. */
export interface RunActor {
  type: string;
  id: string | null;
  name: string | null;
  engineerId?: string | null;
}

/** A run as the API shows it (API.md `GET /action-runs/{id}`, with the audit facts besides). */
export interface ActionRunView {
  id: string;
  incidentId: string | null;
  action: string;
  serverId: string;
  trigger: RunTrigger;
  triggeredBy: RunActor | null;
  alertName: string | null;
  status: RunStatus;
  /** Why it was refused, or what went wrong around the command. */
  reason: string | null;
  command: string;
  hostKeyFingerprint: string | null;
  exitCode: number | null;
  output: string | null;
  checkExitCode: number | null;
  checkOutput: string | null;
  durationMs: number | null;
  workEntryId: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

const at = (text: string | null) => (text === null ? null : formatInstant(fromDbInstant(text)));

export function toRunView(row: ActionRunRow): ActionRunView {
  return {
    id: row.id,
    incidentId: row.incident_id,
    action: row.action_key,
    serverId: row.server_id,
    trigger: row.trigger_type as RunTrigger,
    triggeredBy: row.triggered_by ? (JSON.parse(row.triggered_by) as RunActor) : null,
    alertName: row.alert_name,
    status: row.status as RunStatus,
    reason: row.reason,
    command: row.command,
    hostKeyFingerprint: row.host_key_fingerprint,
    exitCode: row.exit_code,
    output: row.output,
    checkExitCode: row.check_exit_code,
    checkOutput: row.check_output,
    durationMs: row.duration_ms,
    workEntryId: row.work_entry_id,
    createdAt: formatInstant(fromDbInstant(row.created_at)),
    startedAt: at(row.started_at),
    finishedAt: at(row.finished_at),
  };
}
