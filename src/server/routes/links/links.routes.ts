import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../../app/app-context.js';
import { describeActionLink, sendConsentLink, useActionLink } from '../../../app/incidents/action-links.js';
import { principalOf } from '../../plugins/auth.js';
import { Id, IdParams, Nullable, STANDARD_ERRORS } from '../../schemas/common.js';

const TokenParams = Type.Object({
  token: Type.String({ minLength: 20, maxLength: 100, pattern: '^[A-Za-z0-9_-]+$' }),
});
const LinkView = Type.Object({
  kind: Type.Enum(['ack', 'consent']),
  usable: Type.Boolean(),
  used: Type.Boolean(),
  expired: Type.Boolean(),
  incident: Type.Object({
    ref: Type.String(),
    customerName: Nullable(Type.String()),
    summary: Type.String(),
    tier: Type.String(),
    reportedAt: Type.String(),
    state: Type.String(),
  }),
  for: Nullable(Type.String()),
});
const tags = ['links'];

/** One-time links (the token is the credential): acknowledge a page, give or refuse consent. */
export const linksApiRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/links/:token',
    {
      config: { access: 'public' },
      schema: { tags, params: TokenParams, response: { 200: LinkView, ...STANDARD_ERRORS } },
    },
    async (req) => describeActionLink(ctx, req.params.token),
  );
  app.post(
    '/links/:token',
    {
      config: { access: 'public' },
      schema: {
        tags,
        params: TokenParams,
        body: Type.Optional(
          Type.Object({ granted: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        ),
        response: {
          200: Type.Object({
            kind: Type.String(),
            ref: Type.String(),
            granted: Type.Optional(Type.Boolean()),
          }),
          ...STANDARD_ERRORS,
        },
      },
    },
    async (req) => useActionLink(ctx, req.params.token, req.body ?? {}),
  );
  app.post(
    '/incidents/:id/consent-link',
    {
      config: { access: { roles: ['admin', 'manager', 'engineer'] } },
      schema: {
        tags: ['incidents'],
        summary: 'Send the customer a one-time link to approve or refuse billable work (SMS, 2 h)',
        params: IdParams,
        body: Type.Optional(
          Type.Object({ contactId: Type.Optional(Nullable(Id)) }, { additionalProperties: false }),
        ),
        response: {
          201: Type.Object({ url: Type.String(), expiresAt: Type.String(), sentTo: Type.String() }),
          ...STANDARD_ERRORS,
        },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await sendConsentLink(ctx, principalOf(req), req.params.id, req.body ?? {})),
  );
};
