import { Type } from 'typebox';
import { Id, Nullable } from '../../schemas/common.js';

const Base64Url = (description: string) =>
  Type.String({ minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9_-]+={0,2}$', description });

/** The browser's `PushSubscription.toJSON()`, posted as is. */
export const PushSubscriptionBody = Type.Object(
  {
    endpoint: Type.String({ minLength: 1, maxLength: 2048, description: "the push service's https URL" }),
    expirationTime: Type.Optional(
      Nullable(Type.Number({ description: 'ms since 1970, as browsers give it' })),
    ),
    keys: Type.Object(
      {
        p256dh: Base64Url('the browser P-256 public key, base64url (65 bytes)'),
        auth: Base64Url('the 16-byte auth secret, base64url'),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

export const PushSubscription = Type.Object({
  id: Id,
  endpoint: Type.String(),
  pushService: Type.String({ description: 'origin of the push service' }),
  userAgent: Nullable(Type.String()),
  expiresAt: Nullable(Type.String()),
  createdAt: Type.String(),
  lastSuccessAt: Nullable(Type.String()),
  failingSince: Nullable(Type.String()),
  lastError: Nullable(Type.String()),
});

export const PushPublicKey = Type.Object({
  publicKey: Type.String({
    description: 'VAPID public key, base64url: the applicationServerKey to subscribe with',
  }),
});

export const TestPushResult = Type.Object({
  sent: Type.Integer(),
  failed: Type.Integer(),
  removed: Type.Integer(),
  results: Type.Array(
    Type.Object({
      subscriptionId: Id,
      status: Type.Enum(['sent', 'failed', 'removed']),
      error: Nullable(Type.String()),
    }),
  ),
});
