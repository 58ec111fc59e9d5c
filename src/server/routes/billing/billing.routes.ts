import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../../app/app-context.js';
import { createCreditNote } from '../../../app/billing/credit-notes.js';
import {
  getInvoice,
  invoicePdf,
  invoicesCsv,
  invoiceUbl,
  listInvoices,
  sieExport,
} from '../../../app/billing/invoice-queries.js';
import { previewInvoicePdf, previewInvoiceRun } from '../../../app/billing/invoice-preview.js';
import { runInvoiceMonth } from '../../../app/billing/invoice-run.js';
import {
  createOperationsTask,
  listServerOperationsTasks,
  listTaskWork,
  logOperationsWork,
} from '../../../app/billing/operations.js';
import { principalOf } from '../../plugins/auth.js';
import { EVERYONE } from '../../route-access.js';
import { IdParams, STANDARD_ERRORS } from '../../schemas/common.js';
import {
  CreditNoteBody,
  Invoice,
  InvoiceLine,
  InvoiceListQuery,
  InvoicePreview,
  InvoicePreviewPdfQuery,
  InvoiceRun,
  InvoiceRunPreview,
  InvoiceRunBody,
  MonthQuery,
  OperationsTask,
  OperationsTaskBody,
  OperationsWork,
  OperationsWorkBody,
  Party,
  Seller,
} from './billing.schema.js';

const BILLING = { roles: ['admin', 'billing'] } as const;
const READ_INVOICES = { roles: ['admin', 'billing', 'customer'] } as const;
const FILE = { 200: Type.String({ description: 'file contents' }), ...STANDARD_ERRORS };

/** Month-end billing: invoice runs, invoices in JSON/PDF/UBL/CSV, credit notes, SIE export, operations work. */
export const billingRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.addSchema(Party);
  app.addSchema(Seller);
  app.addSchema(InvoiceLine);
  app.addSchema(Invoice);
  app.addSchema(InvoicePreview);
  app.addSchema(OperationsTask);
  app.addSchema(OperationsWork);

  app.post(
    '/invoice-runs',
    {
      config: { access: BILLING },
      schema: {
        tags: ['billing'],
        summary:
          'Invoice a month that has ended: one issued invoice per customer with anything to bill; again: the same invoices',
        body: InvoiceRunBody,
        response: { 201: InvoiceRun, ...STANDARD_ERRORS },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await runInvoiceMonth(ctx, principalOf(request), request.body.month)),
  );

  app.post(
    '/invoice-runs/preview',
    {
      config: { access: BILLING },
      schema: {
        tags: ['billing'],
        summary:
          'The invoices a run of the month would issue now, without number; writes nothing (review before issuing)',
        body: InvoiceRunBody,
        response: { 200: InvoiceRunPreview, ...STANDARD_ERRORS },
      },
    },
    async (request) => previewInvoiceRun(ctx, principalOf(request), request.body.month),
  );

  app.get(
    '/invoice-runs/preview.pdf',
    {
      config: { access: BILLING },
      schema: {
        tags: ['billing'],
        summary:
          "One customer's would-be invoice as PDF, marked FÖRHANDSGRANSKNING – EJ FAKTURA, no number; writes nothing",
        querystring: InvoicePreviewPdfQuery,
        produces: ['application/pdf'],
        response: FILE,
      },
    },
    async (request, reply) => {
      const { month, customerId } = request.query;
      const pdf = await previewInvoicePdf(ctx, principalOf(request), month, customerId);
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="forhandsgranskning-${month}.pdf"`)
        .send(pdf);
    },
  );

  app.get(
    '/invoices',
    {
      config: { access: READ_INVOICES },
      schema: {
        tags: ['billing'],
        summary: 'Issued invoices and credit notes by number (a customer sees its own)',
        querystring: InvoiceListQuery,
        response: {
          200: Type.Object({
            items: Type.Array(Type.Ref('Invoice')),
            nextAfter: Type.Union([Type.String(), Type.Null()]),
          }),
          ...STANDARD_ERRORS,
        },
      },
    },
    async (request) => {
      const q = request.query;
      return listInvoices(ctx, principalOf(request), {
        month: q.month,
        customerId: q.customerId,
        kind: q.kind,
        after: q.after,
        limit: q.limit ?? 100,
      });
    },
  );

  app.get(
    '/invoices.csv',
    {
      config: { access: READ_INVOICES },
      schema: {
        tags: ['billing'],
        summary: "The month's invoices and credit notes as CSV (semicolons, decimal commas, UTF-8)",
        querystring: MonthQuery,
        produces: ['text/csv'],
        response: FILE,
      },
    },
    async (request, reply) =>
      reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="fakturor-${request.query.month}.csv"`)
        .send(await invoicesCsv(ctx, principalOf(request), request.query.month)),
  );

  app.get(
    '/invoices/:id.pdf',
    {
      config: { access: READ_INVOICES },
      schema: {
        tags: ['billing'],
        summary: 'The invoice as PDF',
        params: IdParams,
        produces: ['application/pdf'],
        response: FILE,
      },
    },
    async (request, reply) => {
      const { number, pdf } = await invoicePdf(ctx, principalOf(request), request.params.id);
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="faktura-${number}.pdf"`)
        .send(pdf);
    },
  );

  app.get(
    '/invoices/:id.xml',
    {
      config: { access: READ_INVOICES },
      schema: {
        tags: ['billing'],
        summary: 'The invoice (or credit note) as Peppol BIS Billing 3.0 UBL',
        params: IdParams,
        produces: ['application/xml'],
        response: FILE,
      },
    },
    async (request, reply) => {
      const { number, xml } = await invoiceUbl(ctx, principalOf(request), request.params.id);
      return reply
        .type('application/xml; charset=utf-8')
        .header('content-disposition', `inline; filename="faktura-${number}.xml"`)
        .send(xml);
    },
  );

  app.get(
    '/invoices/:id',
    {
      config: { access: READ_INVOICES },
      schema: {
        tags: ['billing'],
        params: IdParams,
        response: { 200: Type.Ref('Invoice'), ...STANDARD_ERRORS },
      },
    },
    async (request) => getInvoice(ctx, principalOf(request), request.params.id),
  );

  app.post(
    '/invoices/:id/credit-notes',
    {
      config: { access: BILLING },
      schema: {
        tags: ['billing'],
        summary:
          'Correct an issued invoice with a credit note (all that remains, or chosen lines and amounts)',
        params: IdParams,
        body: CreditNoteBody,
        response: { 201: Type.Ref('Invoice'), ...STANDARD_ERRORS },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await createCreditNote(ctx, principalOf(request), request.params.id, request.body)),
  );

  app.get(
    '/exports/sie',
    {
      config: { access: BILLING },
      schema: {
        tags: ['billing'],
        summary: "SIE 4 (CP437) of the month's invoices and credit notes as vouchers",
        querystring: MonthQuery,
        produces: ['text/plain'],
        response: FILE,
      },
    },
    async (request, reply) => {
      const { fileName, bytes } = await sieExport(ctx, principalOf(request), request.query.month);
      return reply
        .type('text/plain; charset=IBM437')
        .header('content-disposition', `attachment; filename="${fileName}"`)
        .send(bytes);
    },
  );

  app.post(
    '/servers/:id/operations-tasks',
    {
      config: { access: { roles: ['admin', 'manager', 'billing'] } },
      schema: {
        tags: ['billing'],
        summary:
          'A recurring operations service on a server (tape change, security update), in contract or on account',
        params: IdParams,
        body: OperationsTaskBody,
        response: { 201: Type.Ref('OperationsTask'), ...STANDARD_ERRORS },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await createOperationsTask(ctx, principalOf(request), request.params.id, request.body)),
  );

  app.get(
    '/servers/:id/operations-tasks',
    {
      config: { access: { roles: EVERYONE } },
      schema: {
        tags: ['billing'],
        params: IdParams,
        response: { 200: Type.Array(Type.Ref('OperationsTask')), ...STANDARD_ERRORS },
      },
    },
    async (request) => listServerOperationsTasks(ctx, principalOf(request), request.params.id),
  );

  app.post(
    '/operations-tasks/:id/work',
    {
      // The use case lets the desk log work, not billing: the route says the same.
      config: { access: { roles: ['admin', 'manager', 'engineer'] } },
      schema: {
        tags: ['billing'],
        summary: 'Log work on an operations task (billed per started hour unless in contract)',
        params: IdParams,
        body: OperationsWorkBody,
        response: { 201: Type.Ref('OperationsWork'), ...STANDARD_ERRORS },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await logOperationsWork(ctx, principalOf(request), request.params.id, request.body)),
  );

  app.get(
    '/operations-tasks/:id/work',
    {
      config: { access: { roles: EVERYONE } },
      schema: {
        tags: ['billing'],
        params: IdParams,
        response: { 200: Type.Array(Type.Ref('OperationsWork')), ...STANDARD_ERRORS },
      },
    },
    async (request) => listTaskWork(ctx, principalOf(request), request.params.id),
  );
};
