import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../../app/app-context.js';
import { getSlaReport } from '../../../app/reports/sla-report.js';
import { principalOf } from '../../plugins/auth.js';
import { Id, Nullable, STANDARD_ERRORS } from '../../schemas/common.js';

const Month = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}$', description: 'YYYY-MM (Stockholm month)' });
const TierEnum = Type.Enum(['hog', 'incident', 'none']);
const ClockStats = Type.Object({
  decided: Type.Integer({ description: 'clocks stopped, or past their deadline while running' }),
  met: Type.Integer(),
  breaches: Type.Integer(),
  medianSeconds: Nullable(Type.Integer()),
  p90Seconds: Nullable(Type.Integer()),
  targetSeconds: Nullable(Type.Integer({ description: 'the median target of the clocks counted' })),
});
const PerTier = Type.Object({ hog: Type.Integer(), incident: Type.Integer(), none: Type.Integer() });

const SlaReport = Type.Object(
  {
    from: Type.String(),
    to: Type.String(),
    customerId: Nullable(Type.String()),
    months: Type.Array(Type.Object({ month: Type.String(), callouts: PerTier, incidents: Type.Integer() })),
    response: ClockStats,
    action: ClockStats,
    byTier: Type.Array(Type.Object({ tier: TierEnum, response: ClockStats, action: ClockStats })),
    customers: Type.Array(
      Type.Object({
        customerId: Nullable(Type.String()),
        customerName: Nullable(Type.String()),
        incidents: Type.Integer(),
        responseBreaches: Type.Integer(),
        actionBreaches: Type.Integer(),
        compliance: Nullable(Type.Number({ description: 'clocks met ÷ clocks decided, 0..1' })),
      }),
    ),
  },
  { $id: 'SlaReport' },
);

/** Reports for the duty planner, billing and the customer (its own organisation only). */
export const reportsRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.addSchema(SlaReport);
  app.get(
    '/reports/sla',
    {
      config: { access: { roles: ['admin', 'manager', 'billing', 'customer'] } },
      schema: {
        tags: ['reports'],
        summary:
          'Callouts per month and tier, response and action times against targets (median, p90, breaches), SLA compliance per customer',
        querystring: Type.Object(
          { from: Month, to: Month, customerId: Type.Optional(Id) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Ref('SlaReport'), ...STANDARD_ERRORS },
      },
    },
    async (req) =>
      getSlaReport(ctx, principalOf(req), {
        from: req.query.from,
        to: req.query.to,
        ...(req.query.customerId ? { customerId: req.query.customerId } : {}),
      }),
  );
};
