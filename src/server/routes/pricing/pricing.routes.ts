import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../../app/app-context.js';
import { quotePrices } from '../../../app/pricing/quote-prices.js';
import { STAFF } from '../../route-access.js';
import { STANDARD_ERRORS } from '../../schemas/common.js';

const WorkEntryInput = Type.Object({
  start: Type.String({ description: 'ISO 8601; without offset = Stockholm time' }),
  end: Type.String(),
  engineer: Type.Optional(Type.String()),
  withinResponsibility: Type.Boolean(),
});

const ScenarioInput = Type.Object(
  {
    tier: Type.Enum(['hog', 'incident', 'none']),
    reportedAt: Type.String(),
    work: Type.Array(WorkEntryInput, { maxItems: 1000 }),
  },
  { description: 'an incident to price; extra fields (e.g. name) are ignored' },
);

/** Shared by /price-quotes and /incidents/{id}/price; registered once on the root app. */
export const Price = Type.Object(
  {
    callout: Type.Boolean(),
    currency: Type.Literal('SEK'),
    startFeeOre: Type.Integer(),
    blocks: Type.Array(
      Type.Object({
        start: Type.String(),
        factor: Type.Number(),
        amountOre: Type.Integer(),
        seconds: Type.Integer(),
      }),
    ),
    totalOre: Type.Integer({ description: 'excluding VAT' }),
    billableSeconds: Type.Integer(),
    includedSeconds: Type.Integer(),
  },
  { $id: 'Price' },
);

/** POST /price-quotes: what would this incident cost? (API.md "Scenario and price object"). */
export const pricingRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.post(
    '/price-quotes',
    {
      config: { access: { roles: STAFF } },
      schema: {
        tags: ['billing'],
        summary: 'Price a scenario or an array of scenarios by the tariff valid at each report time',
        // The domain parser validates and names the bad field (times, DST, durations); the schema
        // documents the shape and rejects what is not even an object or array.
        body: Type.Union([ScenarioInput, Type.Array(ScenarioInput, { maxItems: 10_000 })]),
        response: { 200: Type.Union([Type.Ref('Price'), Type.Array(Type.Ref('Price'))]), ...STANDARD_ERRORS },
      },
      validatorCompiler: () => () => true,
    },
    async (request) => quotePrices(ctx, request.body),
  );
};
