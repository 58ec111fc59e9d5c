import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../../app/app-context.js';
import {
  authorizeFeed,
  createFeedToken,
  listCalendarFeeds,
  renderRosterFeed,
  revokeCalendarFeed,
} from '../../../app/roster/calendar-feed.js';
import { coverageGaps, parseRange, rosterShifts, whoIsOnCall } from '../../../app/roster/oncall-queries.js';
import {
  createOverride,
  deleteOverride,
  listOverrides,
  updateOverride,
} from '../../../app/roster/overrides.js';
import {
  createRotation,
  deleteRotation,
  getRotation,
  listRotations,
  updateRotation,
} from '../../../app/roster/rotations.js';
import { cancelSwap, listShiftSwaps, offerShift, takeShift } from '../../../app/roster/shift-swaps.js';
import {
  addUnavailability,
  listUnavailability,
  removeUnavailability,
} from '../../../app/roster/unavailability.js';
import { principalOf } from '../../plugins/auth.js';
import { STAFF } from '../../route-access.js';
import { Id, IdParams, Nullable, STANDARD_ERRORS } from '../../schemas/common.js';
import {
  FeedToken,
  Gap,
  OnCall,
  Override,
  OverrideBody,
  OverridePatch,
  RangeQuery,
  OptionalRangeQuery,
  Rotation,
  RotationBody,
  RotationPatch,
  Shifts,
  Swap,
  SwapBody,
  Unavailability,
  UnavailabilityBody,
} from './roster.schema.js';

const MANAGE = { roles: ['admin', 'manager'] } as const;
const READ = { roles: STAFF } as const;
const ENGINEERS = { roles: ['admin', 'manager', 'engineer'] } as const;
const DONE = { 204: Type.Null({ description: 'done, no body' }), ...STANDARD_ERRORS };

/** The on-call roster (SPEC.md section 6): rotations, overrides, who is on call, gaps, feeds, swaps. */
export const rosterRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.addSchema(Rotation);
  app.addSchema(Override);
  app.addSchema(Swap);
  const tags = ['roster'];

  app.post(
    '/rotations',
    {
      config: { access: MANAGE },
      schema: { tags, body: RotationBody, response: { 201: Type.Ref('Rotation'), ...STANDARD_ERRORS } },
    },
    async (req, reply) => reply.code(201).send(await createRotation(ctx, principalOf(req), req.body)),
  );
  app.get(
    '/rotations',
    {
      config: { access: READ },
      schema: { tags, response: { 200: Type.Array(Type.Ref('Rotation')), ...STANDARD_ERRORS } },
    },
    async (req) => listRotations(ctx, principalOf(req)),
  );
  app.get(
    '/rotations/:id',
    {
      config: { access: READ },
      schema: { tags, params: IdParams, response: { 200: Type.Ref('Rotation'), ...STANDARD_ERRORS } },
    },
    async (req) => getRotation(ctx, principalOf(req), req.params.id),
  );
  app.patch(
    '/rotations/:id',
    {
      config: { access: MANAGE },
      schema: {
        tags,
        params: IdParams,
        body: RotationPatch,
        response: { 200: Type.Ref('Rotation'), ...STANDARD_ERRORS },
      },
    },
    async (req) => updateRotation(ctx, principalOf(req), req.params.id, req.body),
  );
  app.delete(
    '/rotations/:id',
    { config: { access: MANAGE }, schema: { tags, params: IdParams, response: DONE } },
    async (req, reply) => {
      await deleteRotation(ctx, principalOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/overrides',
    {
      config: { access: MANAGE },
      schema: {
        tags,
        summary: 'A person takes a role for an interval',
        body: OverrideBody,
        response: { 201: Type.Ref('Override'), ...STANDARD_ERRORS },
      },
    },
    async (req, reply) => reply.code(201).send(await createOverride(ctx, principalOf(req), req.body)),
  );
  app.get(
    '/overrides',
    {
      config: { access: READ },
      schema: {
        tags,
        querystring: OptionalRangeQuery,
        response: { 200: Type.Array(Type.Ref('Override')), ...STANDARD_ERRORS },
      },
    },
    async (req) => listOverrides(ctx, principalOf(req), req.query),
  );
  app.patch(
    '/overrides/:id',
    {
      config: { access: MANAGE },
      schema: {
        tags,
        params: IdParams,
        body: OverridePatch,
        response: { 200: Type.Ref('Override'), ...STANDARD_ERRORS },
      },
    },
    async (req) => updateOverride(ctx, principalOf(req), req.params.id, req.body),
  );
  app.delete(
    '/overrides/:id',
    { config: { access: MANAGE }, schema: { tags, params: IdParams, response: DONE } },
    async (req, reply) => {
      await deleteOverride(ctx, principalOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/unavailability',
    {
      config: { access: ENGINEERS },
      schema: {
        tags,
        summary: 'Vacation or leave: rotations skip the engineer',
        body: UnavailabilityBody,
        response: { 201: Unavailability, ...STANDARD_ERRORS },
      },
    },
    async (req, reply) => reply.code(201).send(await addUnavailability(ctx, principalOf(req), req.body)),
  );
  app.get(
    '/unavailability',
    {
      config: { access: READ },
      schema: { tags, response: { 200: Type.Array(Unavailability), ...STANDARD_ERRORS } },
    },
    async (req) => listUnavailability(ctx, principalOf(req)),
  );
  app.delete(
    '/unavailability/:id',
    { config: { access: ENGINEERS }, schema: { tags, params: IdParams, response: DONE } },
    async (req, reply) => {
      await removeUnavailability(ctx, principalOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/oncall',
    {
      config: { access: READ },
      schema: {
        tags,
        summary: 'Who holds each role at an instant (now by default)',
        querystring: Type.Object({ at: Type.Optional(Type.String({ maxLength: 40 })) }),
        response: { 200: OnCall, ...STANDARD_ERRORS },
      },
    },
    async (req) => whoIsOnCall(ctx, principalOf(req), req.query.at),
  );
  app.get(
    '/oncall/gaps',
    {
      config: { access: READ },
      schema: {
        tags,
        summary: 'On-call time with fewer than two people who can be paged',
        querystring: RangeQuery,
        response: { 200: Type.Array(Gap), ...STANDARD_ERRORS },
      },
    },
    async (req) => {
      const { fromMs, toMs } = parseRange(req.query.from, req.query.to);
      return coverageGaps(ctx, principalOf(req), fromMs, toMs);
    },
  );
  app.get(
    '/oncall/shifts',
    {
      config: { access: READ },
      schema: {
        tags,
        summary: 'The roster of a period, per role',
        querystring: RangeQuery,
        response: { 200: Shifts, ...STANDARD_ERRORS },
      },
    },
    async (req) => {
      const { fromMs, toMs } = parseRange(req.query.from, req.query.to);
      return rosterShifts(ctx, principalOf(req), fromMs, toMs);
    },
  );
  app.get(
    '/oncall/calendar.ics',
    {
      // Phones' calendar apps cannot log in: a revocable secret token in the URL stands in for a session.
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'iCalendar feed of shifts (RFC 5545), per engineer or the whole roster',
        querystring: Type.Object({
          engineerId: Type.Optional(Id),
          token: Type.Optional(Type.String({ maxLength: 200 })),
        }),
      },
    },
    async (req, reply) => {
      const engineerId = await authorizeFeed(ctx, req.principal, req.query.token, req.query.engineerId);
      const body = await renderRosterFeed(ctx, engineerId);
      return reply
        .header('cache-control', 'private, max-age=300')
        .header('content-disposition', 'inline; filename="jour.ics"')
        .type('text/calendar; charset=utf-8')
        .send(body);
    },
  );

  app.post(
    '/oncall/feed-tokens',
    {
      config: { access: ENGINEERS },
      schema: {
        tags,
        summary: 'A secret calendar link for a phone (shown once)',
        body: Type.Object({ engineerId: Type.Optional(Nullable(Id)) }, { additionalProperties: false }),
        response: {
          201: Type.Intersect([FeedToken, Type.Object({ token: Type.String(), url: Type.String() })]),
          ...STANDARD_ERRORS,
        },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await createFeedToken(ctx, principalOf(req), req.body.engineerId ?? null)),
  );
  app.get(
    '/oncall/feed-tokens',
    {
      config: { access: ENGINEERS },
      schema: { tags, response: { 200: Type.Array(FeedToken), ...STANDARD_ERRORS } },
    },
    async (req) => listCalendarFeeds(ctx, principalOf(req)),
  );
  app.delete(
    '/oncall/feed-tokens/:id',
    { config: { access: ENGINEERS }, schema: { tags, params: IdParams, response: DONE } },
    async (req, reply) => {
      await revokeCalendarFeed(ctx, principalOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/shift-swaps',
    {
      config: { access: ENGINEERS },
      schema: {
        tags,
        summary: 'Offer a stretch of your shift to colleagues',
        body: SwapBody,
        response: { 201: Type.Ref('ShiftSwap'), ...STANDARD_ERRORS },
      },
    },
    async (req, reply) => reply.code(201).send(await offerShift(ctx, principalOf(req), req.body)),
  );
  app.get(
    '/shift-swaps',
    {
      config: { access: READ },
      schema: {
        tags,
        querystring: Type.Object({ status: Type.Optional(Type.Enum(['offered', 'taken', 'cancelled'])) }),
        response: { 200: Type.Array(Type.Ref('ShiftSwap')), ...STANDARD_ERRORS },
      },
    },
    async (req) => listShiftSwaps(ctx, principalOf(req), req.query.status),
  );
  app.post(
    '/shift-swaps/:id/take',
    {
      config: { access: ENGINEERS },
      schema: {
        tags,
        summary: 'Take an offered shift; it becomes an override',
        params: IdParams,
        body: Type.Optional(Type.Object({ engineerId: Type.Optional(Id) }, { additionalProperties: false })),
        response: {
          200: Type.Object({ swap: Type.Ref('ShiftSwap'), override: Type.Ref('Override') }),
          ...STANDARD_ERRORS,
        },
      },
    },
    async (req) => takeShift(ctx, principalOf(req), req.params.id, req.body ?? {}),
  );
  app.post(
    '/shift-swaps/:id/cancel',
    {
      config: { access: ENGINEERS },
      schema: { tags, params: IdParams, response: { 200: Type.Ref('ShiftSwap'), ...STANDARD_ERRORS } },
    },
    async (req) => cancelSwap(ctx, principalOf(req), req.params.id),
  );
};
