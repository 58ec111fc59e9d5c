import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../../app/app-context.js';
import {
  createEngineer,
  getEngineer,
  listEngineers,
  updateEngineer,
} from '../../../app/engineers/engineers.js';
import { getMyContact, sendMyTestPage, updateMyContact } from '../../../app/engineers/my-contact.js';
import { principalOf } from '../../plugins/auth.js';
import { STAFF } from '../../route-access.js';
import { Email, IdParams, Name, Nullable, Phone, STANDARD_ERRORS } from '../../schemas/common.js';

const NotifyChannel = Type.Enum(['sms', 'email'], { description: 'how shift reminders reach the engineer' });

const Engineer = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    phone: Type.String(),
    email: Type.String(),
    manager: Type.Boolean(),
    active: Type.Boolean(),
    notifyChannel: NotifyChannel,
    phoneFailingSince: Nullable(Type.String()),
    createdAt: Type.String(),
  },
  { $id: 'Engineer' },
);

const CreateEngineerBody = Type.Object(
  {
    name: Name,
    phone: Phone,
    email: Email,
    manager: Type.Optional(Type.Boolean()),
    notifyChannel: Type.Optional(NotifyChannel),
  },
  { additionalProperties: false },
);

const UpdateEngineerBody = Type.Object(
  {
    name: Type.Optional(Name),
    phone: Type.Optional(Phone),
    email: Type.Optional(Email),
    manager: Type.Optional(Type.Boolean()),
    active: Type.Optional(Type.Boolean()),
    notifyChannel: Type.Optional(NotifyChannel),
  },
  { additionalProperties: false, minProperties: 1 },
);

const UpdateMyContactBody = Type.Object(
  {
    phone: Type.Optional(Phone),
    email: Type.Optional(Email),
    notifyChannel: Type.Optional(NotifyChannel),
    currentPassword: Type.String({ minLength: 1, maxLength: 1000, description: 'my password, as at login' }),
  },
  { additionalProperties: false, minProperties: 2 },
);

const TestPageResult = Type.Object({ to: Type.String({ description: 'the number the test SMS goes to' }) });

const MANAGE = { roles: ['admin', 'manager'] } as const;

/** Engineers: the people on the roster who get paged. */
export const engineersRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.addSchema(Engineer);

  app.post(
    '/engineers',
    {
      config: { access: MANAGE },
      schema: {
        tags: ['engineers'],
        body: CreateEngineerBody,
        response: { 201: Type.Ref('Engineer'), ...STANDARD_ERRORS },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createEngineer(ctx, principalOf(request), request.body)),
  );

  app.get(
    '/engineers',
    {
      config: { access: { roles: STAFF } },
      schema: {
        tags: ['engineers'],
        response: { 200: Type.Array(Type.Ref('Engineer')), ...STANDARD_ERRORS },
      },
    },
    async (request) => listEngineers(ctx, principalOf(request)),
  );

  app.get(
    '/engineers/:id',
    {
      config: { access: { roles: STAFF } },
      schema: {
        tags: ['engineers'],
        params: IdParams,
        response: { 200: Type.Ref('Engineer'), ...STANDARD_ERRORS },
      },
    },
    async (request) => getEngineer(ctx, principalOf(request), request.params.id),
  );

  app.patch(
    '/engineers/:id',
    {
      config: { access: MANAGE },
      schema: {
        tags: ['engineers'],
        params: IdParams,
        body: UpdateEngineerBody,
        response: { 200: Type.Ref('Engineer'), ...STANDARD_ERRORS },
      },
    },
    async (request) => updateEngineer(ctx, principalOf(request), request.params.id, request.body),
  );

  // My own on-call details (an engineer's account): what pages use, changed and tested by their owner.
  const mine = ['my contact details'];
  app.get(
    '/me/contact',
    {
      config: { access: { roles: STAFF } },
      schema: {
        tags: mine,
        summary:
          'My on-call phone, page e-mail and reminder channel (an engineer signed in to their account)',
        response: { 200: Type.Ref('Engineer'), ...STANDARD_ERRORS },
      },
    },
    async (request) => getMyContact(ctx, principalOf(request)),
  );

  app.patch(
    '/me/contact',
    {
      // A password is checked here: limited like the login.
      config: {
        access: { roles: STAFF },
        rateLimit: { max: ctx.config.loginRateLimitPerMinute, timeWindow: '1 minute' },
      },
      schema: {
        tags: mine,
        summary:
          'Change my on-call phone, page e-mail or reminder channel, giving my password; the old and new number and my e-mail are told',
        body: UpdateMyContactBody,
        response: { 200: Type.Ref('Engineer'), ...STANDARD_ERRORS },
      },
    },
    async (request) => updateMyContact(ctx, principalOf(request), { ...request.body, requestId: request.id }),
  );

  app.post(
    '/me/contact/test',
    {
      // Each one is an SMS that costs money.
      config: { access: { roles: STAFF }, rateLimit: { max: 3, timeWindow: '10 minutes' } },
      schema: {
        tags: mine,
        summary: 'Send a test SMS to my on-call phone now, the way pages go',
        response: { 200: TestPageResult, ...STANDARD_ERRORS },
      },
    },
    async (request) => sendMyTestPage(ctx, principalOf(request)),
  );
};
