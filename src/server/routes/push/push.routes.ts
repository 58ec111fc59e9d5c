import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../../app/app-context.js';
import {
  deleteMyPushSubscription,
  listMyPushSubscriptions,
  pushPublicKey,
  sendTestPush,
  subscribeToPush,
} from '../../../app/push/push-subscriptions.js';
import { principalOf } from '../../plugins/auth.js';
import { STAFF } from '../../route-access.js';
import { IdParams, STANDARD_ERRORS } from '../../schemas/common.js';
import { PushPublicKey, PushSubscription, PushSubscriptionBody, TestPushResult } from './push.schema.js';

const tags = ['push'];
const access = { roles: STAFF };

/** Web push: the VAPID key to subscribe with, and each user's own browsers (a login's, not a token's). */
export const pushRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/push/public-key',
    {
      config: { access },
      schema: {
        tags,
        summary: 'The VAPID public key for pushManager.subscribe({applicationServerKey})',
        response: { 200: PushPublicKey, ...STANDARD_ERRORS },
      },
    },
    async (req) => pushPublicKey(ctx, principalOf(req)),
  );

  app.get(
    '/me/push-subscriptions',
    {
      config: { access },
      schema: {
        tags,
        summary: 'The browsers the logged-in user receives notifications on',
        response: { 200: Type.Object({ items: Type.Array(PushSubscription) }), ...STANDARD_ERRORS },
      },
    },
    async (req) => ({ items: await listMyPushSubscriptions(ctx, principalOf(req)) }),
  );

  app.post(
    '/me/push-subscriptions',
    {
      config: { access },
      schema: {
        tags,
        summary: "Register this browser's PushSubscription (idempotent on the endpoint)",
        body: PushSubscriptionBody,
        response: { 200: PushSubscription, 201: PushSubscription, ...STANDARD_ERRORS },
      },
    },
    async (req, reply) => {
      const userAgent = req.headers['user-agent'] ?? null;
      const { subscription, created } = await subscribeToPush(ctx, principalOf(req), req.body, userAgent);
      return reply.code(created ? 201 : 200).send(subscription);
    },
  );

  app.post(
    '/me/push-subscriptions/test',
    {
      config: { access, rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: {
        tags,
        summary: "Send a test notification to each of the user's browsers now",
        response: { 200: TestPushResult, ...STANDARD_ERRORS },
      },
    },
    async (req) => sendTestPush(ctx, principalOf(req)),
  );

  app.delete(
    '/me/push-subscriptions/:id',
    {
      config: { access },
      schema: {
        tags,
        summary: 'Stop notifications to one of your browsers',
        params: IdParams,
        response: { 204: Type.Null({ description: 'done, no body' }), ...STANDARD_ERRORS },
      },
    },
    async (req, reply) => {
      await deleteMyPushSubscription(ctx, principalOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  );
};
