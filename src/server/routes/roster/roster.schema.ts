import { Type } from 'typebox';
import { Id, Nullable } from '../../schemas/common.js';

export const Role = Type.Enum(['primary', 'secondary']);
const Instant = Type.String({
  minLength: 10,
  maxLength: 40,
  description: 'ISO 8601; without offset = Stockholm time',
});

export const RotationBody = Type.Object(
  {
    name: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
    role: Role,
    engineerIds: Type.Array(Id, { minItems: 1, maxItems: 100 }),
    start: Instant,
    shiftHours: Type.Integer({ minimum: 1, maximum: 672 }),
    handover: Type.Optional(
      Nullable(Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'HH:MM local' })),
    ),
    end: Type.Optional(Nullable(Instant)),
  },
  { additionalProperties: false },
);

export const RotationPatch = Type.Object(
  {
    name: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
    role: Type.Optional(Role),
    engineerIds: Type.Optional(Type.Array(Id, { minItems: 1, maxItems: 100 })),
    start: Type.Optional(Instant),
    shiftHours: Type.Optional(Type.Integer({ minimum: 1, maximum: 672 })),
    handover: Type.Optional(Nullable(Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' }))),
    end: Type.Optional(Nullable(Instant)),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const Rotation = Type.Object(
  {
    id: Type.String(),
    name: Nullable(Type.String()),
    role: Role,
    engineerIds: Type.Array(Type.String()),
    start: Type.String(),
    shiftHours: Type.Integer(),
    handover: Nullable(Type.String()),
    end: Nullable(Type.String()),
    createdAt: Type.String(),
  },
  { $id: 'Rotation' },
);

export const OverrideBody = Type.Object(
  {
    role: Role,
    engineerId: Id,
    start: Instant,
    end: Instant,
    reason: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
  },
  { additionalProperties: false },
);

export const OverridePatch = Type.Object(
  {
    role: Type.Optional(Role),
    engineerId: Type.Optional(Id),
    start: Type.Optional(Instant),
    end: Type.Optional(Instant),
    reason: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const Override = Type.Object(
  {
    id: Type.String(),
    role: Role,
    engineerId: Type.String(),
    start: Type.String(),
    end: Type.String(),
    reason: Nullable(Type.String()),
    createdAt: Type.String(),
  },
  { $id: 'Override' },
);

export const UnavailabilityBody = Type.Object(
  {
    engineerId: Id,
    start: Instant,
    end: Instant,
    note: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
  },
  { additionalProperties: false },
);

export const Unavailability = Type.Object({
  id: Type.String(),
  engineerId: Type.String(),
  start: Type.String(),
  end: Type.String(),
  note: Nullable(Type.String()),
  createdAt: Type.String(),
});

export const RangeQuery = Type.Object({ from: Instant, to: Instant });
export const OptionalRangeQuery = Type.Object({ from: Type.Optional(Instant), to: Type.Optional(Instant) });

const Holder = Type.Object({
  id: Type.String(),
  name: Type.String(),
  phone: Type.String(),
  email: Type.String(),
  manager: Type.Boolean(),
  active: Type.Boolean(),
  notifyChannel: Type.String(),
  phoneFailingSince: Nullable(Type.String()),
  createdAt: Type.String(),
  source: Type.Enum(['rotation', 'override', 'substitute']),
  rotationId: Nullable(Type.String()),
  overrideId: Nullable(Type.String()),
});

export const OnCall = Type.Object({
  at: Type.String(),
  primary: Nullable(Holder),
  secondary: Nullable(Holder),
});

export const Gap = Type.Object({
  start: Type.String(),
  end: Type.String(),
  reason: Type.String(),
  kind: Type.String(),
  engineerId: Nullable(Type.String()),
});

const Segment = Type.Object({
  role: Role,
  engineerId: Nullable(Type.String()),
  engineerName: Nullable(Type.String()),
  start: Type.String(),
  end: Type.String(),
  source: Type.Enum(['rotation', 'override', 'substitute', 'none']),
  rotationId: Nullable(Type.String()),
  overrideId: Nullable(Type.String()),
  scheduledEngineerId: Nullable(Type.String()),
});

export const Shifts = Type.Object({ primary: Type.Array(Segment), secondary: Type.Array(Segment) });

export const FeedToken = Type.Object({
  id: Type.String(),
  engineerId: Nullable(Type.String()),
  createdAt: Type.String(),
  revokedAt: Nullable(Type.String()),
});

export const SwapBody = Type.Object(
  {
    role: Role,
    start: Instant,
    end: Instant,
    engineerId: Type.Optional(Id),
    note: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
  },
  { additionalProperties: false },
);

export const Swap = Type.Object(
  {
    id: Type.String(),
    role: Role,
    start: Type.String(),
    end: Type.String(),
    offeredBy: Type.String(),
    takenBy: Nullable(Type.String()),
    status: Type.Enum(['offered', 'taken', 'cancelled']),
    overrideId: Nullable(Type.String()),
    note: Nullable(Type.String()),
    createdAt: Type.String(),
  },
  { $id: 'ShiftSwap' },
);
