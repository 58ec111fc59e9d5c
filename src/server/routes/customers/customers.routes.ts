import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../../app/app-context.js';
import { addAppOncallContact, removeAppOncallContact } from '../../../app/customers/app-oncall-contacts.js';
import { changeCustomerTier } from '../../../app/customers/change-customer-tier.js';
import { addContact, listContacts, removeContact } from '../../../app/customers/contacts.js';
import { createCustomer } from '../../../app/customers/create-customer.js';
import { getCustomer } from '../../../app/customers/get-customer.js';
import { listCustomers } from '../../../app/customers/list-customers.js';
import { addServer, getServer, listServers } from '../../../app/customers/servers.js';
import { updateCustomer } from '../../../app/customers/update-customer.js';
import { principalOf } from '../../plugins/auth.js';
import { EVERYONE } from '../../route-access.js';
import { IdParams, PageQuery, pageOf, STANDARD_ERRORS } from '../../schemas/common.js';
import {
  AppOnCallBody,
  AppOnCallContact,
  Contact,
  ContactBody,
  CreateCustomerBody,
  Customer,
  CustomerContactParams,
  Server,
  ServerBody,
  TierChangeBody,
  UpdateCustomerBody,
} from './customers.schema.js';

const MANAGE = { roles: ['admin', 'manager'] } as const;
const MANAGE_BILLING = { roles: ['admin', 'manager', 'billing'] } as const;
const READ = { roles: EVERYONE } as const;
const EDIT_CONTACTS = { roles: ['admin', 'manager', 'engineer', 'customer'] } as const;
const EDIT_APP_ONCALL = { roles: ['admin', 'manager', 'customer'] } as const;

/** Customers, their contacts, servers and application-level on-call contacts (API.md). */
export const customersRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.addSchema(Customer);
  app.addSchema(Contact);
  app.addSchema(Server);

  app.post(
    '/customers',
    {
      config: { access: MANAGE },
      schema: {
        tags: ['customers'],
        summary: 'Create a customer with its agreement tier',
        body: CreateCustomerBody,
        response: { 201: Type.Ref('Customer'), ...STANDARD_ERRORS },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createCustomer(ctx, principalOf(request), request.body)),
  );

  app.get(
    '/customers',
    {
      config: { access: READ },
      schema: {
        tags: ['customers'],
        summary: 'A page of customers (a customer user sees only its own)',
        querystring: PageQuery,
        response: { 200: pageOf(Type.Ref('Customer')), ...STANDARD_ERRORS },
      },
    },
    async (request) =>
      listCustomers(ctx, principalOf(request), {
        limit: request.query.limit ?? 50,
        ...(request.query.cursor ? { cursor: request.query.cursor } : {}),
      }),
  );

  app.get(
    '/customers/:id',
    {
      config: { access: READ },
      schema: {
        tags: ['customers'],
        params: IdParams,
        response: { 200: Type.Ref('Customer'), ...STANDARD_ERRORS },
      },
    },
    async (request) => getCustomer(ctx, principalOf(request), request.params.id),
  );

  app.patch(
    '/customers/:id',
    {
      config: { access: MANAGE_BILLING },
      schema: {
        tags: ['customers'],
        summary: "Change a customer's details (tier changes go to /tiers)",
        params: IdParams,
        body: UpdateCustomerBody,
        response: { 200: Type.Ref('Customer'), ...STANDARD_ERRORS },
      },
    },
    async (request) => updateCustomer(ctx, principalOf(request), request.params.id, request.body),
  );

  app.post(
    '/customers/:id/tiers',
    {
      config: { access: MANAGE_BILLING },
      schema: {
        tags: ['customers'],
        summary: 'Move the customer to another tier from a date (history is kept)',
        params: IdParams,
        body: TierChangeBody,
        response: { 201: Type.Ref('Customer'), ...STANDARD_ERRORS },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await changeCustomerTier(ctx, principalOf(request), request.params.id, request.body)),
  );

  app.post(
    '/customers/:id/contacts',
    {
      config: { access: EDIT_CONTACTS },
      schema: {
        tags: ['customers'],
        summary: 'Add a contact; the phone number identifies the caller',
        params: IdParams,
        body: ContactBody,
        response: { 201: Type.Ref('Contact'), ...STANDARD_ERRORS },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await addContact(ctx, principalOf(request), request.params.id, request.body)),
  );

  app.get(
    '/customers/:id/contacts',
    {
      config: { access: READ },
      schema: {
        tags: ['customers'],
        params: IdParams,
        response: { 200: Type.Array(Type.Ref('Contact')), ...STANDARD_ERRORS },
      },
    },
    async (request) => listContacts(ctx, principalOf(request), request.params.id),
  );

  app.delete(
    '/customers/:id/contacts/:contactId',
    {
      config: { access: EDIT_CONTACTS },
      schema: {
        tags: ['customers'],
        params: CustomerContactParams,
        response: { 204: Type.Null({ description: 'done, no body' }), ...STANDARD_ERRORS },
      },
    },
    async (request, reply) => {
      await removeContact(ctx, principalOf(request), request.params.id, request.params.contactId);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/customers/:id/servers',
    {
      config: { access: MANAGE },
      schema: {
        tags: ['customers'],
        summary: "Register a customer's server (with its pinned SSH host key for actions)",
        params: IdParams,
        body: ServerBody,
        response: { 201: Type.Ref('Server'), ...STANDARD_ERRORS },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await addServer(ctx, principalOf(request), request.params.id, request.body)),
  );

  app.get(
    '/customers/:id/servers',
    {
      config: { access: READ },
      schema: {
        tags: ['customers'],
        params: IdParams,
        response: { 200: Type.Array(Type.Ref('Server')), ...STANDARD_ERRORS },
      },
    },
    async (request) => listServers(ctx, principalOf(request), request.params.id),
  );

  app.get(
    '/servers/:id',
    {
      config: { access: READ },
      schema: {
        tags: ['customers'],
        params: IdParams,
        response: { 200: Type.Ref('Server'), ...STANDARD_ERRORS },
      },
    },
    async (request) => getServer(ctx, principalOf(request), request.params.id),
  );

  app.post(
    '/customers/:id/app-oncall',
    {
      config: { access: EDIT_APP_ONCALL },
      schema: {
        tags: ['customers'],
        summary: "Add the customer's application-level on-call contact (hand-over target)",
        params: IdParams,
        body: AppOnCallBody,
        response: { 201: AppOnCallContact, ...STANDARD_ERRORS },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await addAppOncallContact(ctx, principalOf(request), request.params.id, request.body)),
  );

  app.delete(
    '/customers/:id/app-oncall/:contactId',
    {
      config: { access: EDIT_APP_ONCALL },
      schema: {
        tags: ['customers'],
        params: CustomerContactParams,
        response: { 204: Type.Null({ description: 'done, no body' }), ...STANDARD_ERRORS },
      },
    },
    async (request, reply) => {
      await removeAppOncallContact(ctx, principalOf(request), request.params.id, request.params.contactId);
      return reply.code(204).send(null);
    },
  );
};
