import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { listActions } from '../../../app/actions/action-catalogue.js';
import {
  createAuthorization,
  listAuthorizations,
  revokeAuthorization,
  updateAuthorization,
} from '../../../app/actions/authorizations.js';
import { runActionManually } from '../../../app/actions/request-run.js';
import { getActionRun, listIncidentActionRuns } from '../../../app/actions/run-queries.js';
import type { AppContext } from '../../../app/app-context.js';
import { principalOf } from '../../plugins/auth.js';
import { EVERYONE } from '../../route-access.js';
import { IdParams, STANDARD_ERRORS } from '../../schemas/common.js';
import {
  Action,
  ActionRun,
  Authorization,
  CreateAuthorizationBody,
  RunAccepted,
  RunActionBody,
  ServerAuthorizationParams,
  UpdateAuthorizationBody,
} from './actions.schema.js';

const READ = { roles: EVERYONE } as const;
const MANAGE = { roles: ['admin', 'manager', 'engineer', 'customer'] } as const;
const RUN = { roles: ['admin', 'manager', 'engineer'] } as const;
const tags = ['actions'];

/** Pre-authorized actions (SPEC.md 7): the catalogue, per-server authorizations, runs. */
export const actionsRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.addSchema(Action);
  app.addSchema(Authorization);
  app.addSchema(ActionRun);

  app.get(
    '/actions',
    {
      config: { access: READ },
      schema: {
        tags,
        summary: 'The action catalogue (configuration): each key with its fixed command',
        response: { 200: Type.Array(Type.Ref('Action')), ...STANDARD_ERRORS },
      },
    },
    async (request) => listActions(ctx, principalOf(request)),
  );

  app.post(
    '/servers/:id/authorizations',
    {
      config: { access: MANAGE },
      schema: {
        tags,
        summary: 'Authorize a catalogue action on a server (automatic only for tier hog)',
        params: IdParams,
        body: CreateAuthorizationBody,
        response: { 201: Type.Ref('ActionAuthorization'), ...STANDARD_ERRORS },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await createAuthorization(ctx, principalOf(request), request.params.id, request.body)),
  );

  app.get(
    '/servers/:id/authorizations',
    {
      config: { access: READ },
      schema: {
        tags,
        summary: "A server's authorizations (revoked ones too with includeRevoked=true)",
        params: IdParams,
        querystring: Type.Object({ includeRevoked: Type.Optional(Type.Boolean()) }),
        response: { 200: Type.Array(Type.Ref('ActionAuthorization')), ...STANDARD_ERRORS },
      },
    },
    async (request) =>
      listAuthorizations(ctx, principalOf(request), request.params.id, {
        includeRevoked: request.query.includeRevoked === true,
      }),
  );

  app.patch(
    '/servers/:id/authorizations/:authorizationId',
    {
      config: { access: MANAGE },
      schema: {
        tags,
        summary: "Change an authorization's terms",
        params: ServerAuthorizationParams,
        body: UpdateAuthorizationBody,
        response: { 200: Type.Ref('ActionAuthorization'), ...STANDARD_ERRORS },
      },
    },
    async (request) =>
      updateAuthorization(
        ctx,
        principalOf(request),
        request.params.id,
        request.params.authorizationId,
        request.body,
      ),
  );

  app.delete(
    '/servers/:id/authorizations/:authorizationId',
    {
      config: { access: MANAGE },
      schema: {
        tags,
        summary: 'Revoke an authorization (kept for the record)',
        params: ServerAuthorizationParams,
        response: { 200: Type.Ref('ActionAuthorization'), ...STANDARD_ERRORS },
      },
    },
    async (request) =>
      revokeAuthorization(ctx, principalOf(request), request.params.id, request.params.authorizationId),
  );

  app.post(
    '/incidents/:id/actions',
    {
      config: { access: RUN },
      schema: {
        tags,
        summary: "Run an authorized action on the incident's server (carried out in the background)",
        params: IdParams,
        body: RunActionBody,
        response: { 202: RunAccepted, ...STANDARD_ERRORS },
      },
    },
    async (request, reply) =>
      reply
        .code(202)
        .send(await runActionManually(ctx, principalOf(request), request.params.id, request.body)),
  );

  app.get(
    '/incidents/:id/action-runs',
    {
      config: { access: READ },
      schema: {
        tags,
        summary: "An incident's action runs and refusals, oldest first",
        params: IdParams,
        response: { 200: Type.Array(Type.Ref('ActionRun')), ...STANDARD_ERRORS },
      },
    },
    async (request) => listIncidentActionRuns(ctx, principalOf(request), request.params.id),
  );

  app.get(
    '/action-runs/:id',
    {
      config: { access: READ },
      schema: {
        tags,
        summary: 'One action run: trigger, exact command, host key, exit status, output, duration',
        params: IdParams,
        response: { 200: Type.Ref('ActionRun'), ...STANDARD_ERRORS },
      },
    },
    async (request) => getActionRun(ctx, principalOf(request), request.params.id),
  );
};
