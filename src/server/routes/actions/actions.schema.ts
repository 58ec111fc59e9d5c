import { Type } from 'typebox';
import { Id, Nullable } from '../../schemas/common.js';

export const Action = Type.Object(
  {
    key: Type.String(),
    title: Type.String({ description: 'Swedish title' }),
    titleSv: Type.String(),
    titleEn: Type.String(),
    command: Type.String({ description: 'the fixed command run over SSH (from configuration only)' }),
    checkCommand: Nullable(Type.String()),
    timeoutSeconds: Type.Integer(),
  },
  { $id: 'Action' },
);

export const Authorization = Type.Object(
  {
    id: Type.String(),
    serverId: Type.String(),
    action: Type.String(),
    manual: Type.Boolean(),
    automatic: Type.Boolean(),
    alertNames: Type.Array(Type.String()),
    maxRunsPerDay: Nullable(Type.Integer()),
    notifyCustomer: Type.Boolean(),
    withinResponsibility: Type.Boolean(),
    createdAt: Type.String(),
    revokedAt: Nullable(Type.String()),
  },
  { $id: 'ActionAuthorization' },
);

const ActionKey = Type.String({ minLength: 1, maxLength: 64, description: 'a catalogue key (GET /actions)' });
const AlertNames = Type.Array(Type.String({ minLength: 1, maxLength: 200 }), {
  maxItems: 50,
  description: 'alert names that run it automatically; empty or absent = any alert on the server',
});
const MaxRuns = Nullable(Type.Integer({ minimum: 1, maximum: 100 }));

// No field takes a command: the command comes from the catalogue only, and unknown fields are refused.
export const CreateAuthorizationBody = Type.Object(
  {
    action: ActionKey,
    automatic: Type.Boolean(),
    manual: Type.Optional(Type.Boolean({ description: 'default true' })),
    alertNames: Type.Optional(AlertNames),
    maxRunsPerDay: Type.Optional(MaxRuns),
    notifyCustomer: Type.Optional(Type.Boolean({ description: 'default true' })),
    withinResponsibility: Type.Boolean(),
  },
  { additionalProperties: false },
);

export const UpdateAuthorizationBody = Type.Object(
  {
    automatic: Type.Optional(Type.Boolean()),
    manual: Type.Optional(Type.Boolean()),
    alertNames: Type.Optional(AlertNames),
    maxRunsPerDay: Type.Optional(MaxRuns),
    notifyCustomer: Type.Optional(Type.Boolean()),
    withinResponsibility: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const RunActionBody = Type.Object(
  { action: ActionKey, serverId: Id },
  { additionalProperties: false },
);

const RunStatus = Type.Enum([
  'queued',
  'running',
  'succeeded',
  'failed',
  'timed_out',
  'error',
  'host_key_mismatch',
  'interrupted',
  'refused',
]);

export const RunAccepted = Type.Object({ id: Type.String(), status: RunStatus });

export const ActionRun = Type.Object(
  {
    id: Type.String(),
    incidentId: Nullable(Type.String()),
    action: Type.String(),
    serverId: Type.String(),
    trigger: Type.Enum(['manual', 'automatic']),
    triggeredBy: Nullable(
      Type.Object({
        type: Type.String(),
        id: Nullable(Type.String()),
        name: Nullable(Type.String()),
        engineerId: Type.Optional(Nullable(Type.String())),
      }),
    ),
    alertName: Nullable(Type.String()),
    status: RunStatus,
    reason: Nullable(Type.String()),
    command: Type.String(),
    hostKeyFingerprint: Nullable(Type.String()),
    exitCode: Nullable(Type.Integer()),
    output: Nullable(Type.String()),
    checkExitCode: Nullable(Type.Integer()),
    checkOutput: Nullable(Type.String()),
    durationMs: Nullable(Type.Integer()),
    workEntryId: Nullable(Type.String()),
    createdAt: Type.String(),
    startedAt: Nullable(Type.String()),
    finishedAt: Nullable(Type.String()),
  },
  { $id: 'ActionRun' },
);

export const ServerAuthorizationParams = Type.Object({ id: Id, authorizationId: Id });
