import { Type } from 'typebox';
import { Id, IsoDate, Nullable } from '../../schemas/common.js';

export const Month = Type.String({
  pattern: '^[0-9]{4}-[0-9]{2}$',
  description: 'YYYY-MM',
  examples: ['2026-11'],
});

export const Party = Type.Object(
  {
    name: Type.String(),
    orgNumber: Type.String(),
    vatNumber: Nullable(Type.String()),
    street: Nullable(Type.String()),
    postalCode: Nullable(Type.String()),
    city: Nullable(Type.String()),
    country: Nullable(Type.String({ description: 'ISO 3166-1 alpha-2' })),
    email: Nullable(Type.String()),
  },
  { $id: 'InvoiceParty', description: 'the buyer as printed on the invoice (a snapshot taken when issued)' },
);

export const Seller = Type.Object(
  {
    name: Type.String(),
    orgNumber: Type.String(),
    vatNumber: Nullable(Type.String()),
    street: Nullable(Type.String()),
    postalCode: Nullable(Type.String()),
    city: Nullable(Type.String()),
    country: Nullable(Type.String()),
    email: Nullable(Type.String()),
    phone: Nullable(Type.String()),
    bankgiro: Type.String(),
    fSkatt: Type.String({ description: '"Godkänd för F-skatt"' }),
  },
  { $id: 'InvoiceSeller', description: 'the seller (BALLOU_SELLER_*) as printed on the invoice when issued' },
);

export const InvoiceLine = Type.Object(
  {
    id: Type.String(),
    position: Type.Integer({ minimum: 1 }),
    kind: Type.Enum(['monthly_fee', 'start_fee', 'hours', 'operations', 'credit']),
    description: Type.String({ description: 'Swedish text as printed' }),
    incidentId: Nullable(Type.String()),
    incidentRef: Nullable(Type.String({ examples: ['INC-2026-00012'] })),
    serviceDate: Nullable(IsoDate),
    quantity: Type.Number({ description: 'negative on credit notes' }),
    unit: Type.Enum(['month', 'day', 'h', 'st']),
    unitPriceOre: Type.Integer(),
    baseQuantity: Type.Integer({
      description: 'the unit price is per this many units (prorated fee: days in month)',
    }),
    factor: Type.Number({ description: '1 or 1.5 (weekend/holiday)' }),
    amountOre: Type.Integer({ description: 'excluding VAT' }),
    vatPercent: Type.Integer(),
    account: Type.String({ description: 'BAS sales account' }),
    creditsLineId: Nullable(Type.String()),
  },
  { $id: 'InvoiceLine' },
);

export const Invoice = Type.Object(
  {
    id: Type.String(),
    number: Type.String({ description: 'gap-free, one series for invoices and credit notes' }),
    kind: Type.Enum(['invoice', 'credit_note']),
    status: Type.Literal('issued'),
    customerId: Type.String(),
    month: Month,
    runId: Nullable(Type.String()),
    issueDate: IsoDate,
    dueDate: IsoDate,
    ocr: Type.String({ description: 'bankgiro OCR reference: number, length digit, Luhn check digit' }),
    currency: Type.Literal('SEK'),
    netOre: Type.Integer({ description: 'sum of the lines, excluding VAT' }),
    vatOre: Type.Integer({ description: '25 % of netOre, rounded half-up to the öre' }),
    roundingOre: Type.Integer({ description: 'öresavrundning to whole kronor' }),
    totalOre: Type.Integer({ description: 'what the customer pays (negative on credit notes)' }),
    vat: Type.Array(
      Type.Object({ percent: Type.Integer(), taxableOre: Type.Integer(), vatOre: Type.Integer() }),
    ),
    seller: Type.Ref('InvoiceSeller'),
    buyer: Type.Ref('InvoiceParty'),
    lines: Type.Array(Type.Ref('InvoiceLine')),
    creditsInvoiceId: Nullable(Type.String()),
    creditsInvoiceNumber: Nullable(Type.String()),
    reason: Nullable(Type.String()),
    createdAt: Type.String(),
  },
  { $id: 'Invoice', description: 'an issued invoice or credit note; immutable' },
);

export const InvoiceRunBody = Type.Object(
  { month: Month },
  { additionalProperties: false, description: 'a month that has ended' },
);

export const InvoiceRun = Type.Object({
  runId: Type.String(),
  month: Month,
  created: Type.Integer({
    description: 'invoices issued by this call; 0 when the month was already invoiced',
  }),
  invoices: Type.Array(Type.Ref('Invoice')),
});

export const InvoicePreview = Type.Object(
  {
    ...Type.Omit(Invoice, ['id', 'number', 'status', 'ocr', 'runId', 'lines']).properties,
    id: Type.Null(),
    number: Type.Null({ description: 'no number: the run takes it when it issues the invoice' }),
    status: Type.Literal('preview'),
    ocr: Type.Null(),
    runId: Type.Null(),
    lines: Type.Array(Type.Object({ ...Type.Omit(InvoiceLine, ['id']).properties, id: Type.Null() })),
  },
  {
    $id: 'InvoicePreview',
    description:
      'an invoice the run would issue now (dated today), not stored: no id, number or OCR reference',
  },
);

export const InvoiceRunPreview = Type.Object({
  month: Month,
  invoices: Type.Array(Type.Ref('InvoicePreview')),
});

export const InvoicePreviewPdfQuery = Type.Object({ month: Month, customerId: Id });

export const InvoiceListQuery = Type.Object({
  month: Type.Optional(Month),
  customerId: Type.Optional(Id),
  kind: Type.Optional(Type.Enum(['invoice', 'credit_note'])),
  after: Type.Optional(Type.String({ maxLength: 20, description: 'the previous page nextAfter' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
});

export const MonthQuery = Type.Object({ month: Month });

export const CreditNoteBody = Type.Object(
  {
    reason: Type.String({ minLength: 1, maxLength: 500 }),
    lines: Type.Optional(
      Type.Array(
        Type.Object(
          {
            lineId: Id,
            amountOre: Type.Optional(
              Type.Integer({
                minimum: 1,
                description: 'excluding VAT; default: all that remains of the line',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        { minItems: 1, maxItems: 500 },
      ),
    ),
  },
  { additionalProperties: false, description: 'no lines: credit all that remains of the invoice' },
);

export const OperationsTask = Type.Object(
  {
    id: Type.String(),
    serverId: Type.String(),
    kind: Type.Enum(['tape_change', 'security_update', 'other']),
    title: Type.String(),
    inContract: Type.Boolean(),
    intervalDays: Nullable(Type.Integer()),
    createdAt: Type.String(),
  },
  { $id: 'OperationsTask' },
);

export const OperationsTaskBody = Type.Object(
  {
    kind: Type.Enum(['tape_change', 'security_update', 'other']),
    title: Type.String({ minLength: 1, maxLength: 200 }),
    inContract: Type.Boolean({ description: 'covered by the contract (listed at 0) or billed on account' }),
    intervalDays: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 366 }))),
  },
  { additionalProperties: false },
);

export const OperationsWork = Type.Object(
  {
    id: Type.String(),
    taskId: Type.String(),
    engineerId: Type.String(),
    start: Type.String(),
    end: Type.String(),
    note: Nullable(Type.String()),
    invoiceLineId: Nullable(Type.String()),
  },
  { $id: 'OperationsWork' },
);

export const OperationsWorkBody = Type.Object(
  {
    start: Type.String({ description: 'ISO 8601; without offset = Stockholm time' }),
    end: Type.String(),
    engineerId: Id,
    note: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  },
  { additionalProperties: false },
);
