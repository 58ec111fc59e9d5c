import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../../app/app-context.js';
import {
  acknowledgeIncident,
  closeIncident,
  logWork,
  recordCallBack,
  recordConsent,
  resolveIncident,
  triageIncident,
} from '../../../app/incidents/incident-commands.js';
import {
  createIncident,
  getIncident,
  getIncidentPrice,
  incidentBoard,
  listIncidents,
} from '../../../app/incidents/incident-queries.js';
import { IncidentChangeFeed } from '../../../app/incidents/incident-change-feed.js';
import { incidentChangesSince, type IncidentChange } from '../../../app/incidents/incident-changes.js';
import { principalOf } from '../../plugins/auth.js';
import { EVERYONE } from '../../route-access.js';
import { Id, IdParams, Nullable, STANDARD_ERRORS } from '../../schemas/common.js';

const Instant = Type.String({
  minLength: 10,
  maxLength: 40,
  description: 'ISO 8601; without offset = Stockholm time',
});
const Clock = Type.Enum(['pending', 'near_breach', 'breached', 'met', 'missed']);

const Incident = Type.Object(
  {
    id: Type.String(),
    ref: Type.String(),
    customerId: Nullable(Type.String()),
    customerName: Nullable(Type.String()),
    serverId: Nullable(Type.String()),
    hostname: Nullable(Type.String()),
    summary: Type.String(),
    channel: Type.String(),
    callerNumber: Nullable(Type.String()),
    unknownCaller: Type.Boolean(),
    tier: Type.Enum(['hog', 'incident', 'none']),
    callout: Type.Boolean(),
    state: Type.Enum(['open', 'acknowledged', 'in_progress', 'resolved', 'closed']),
    reportedAt: Type.String(),
    responseDue: Type.String(),
    actionDue: Nullable(Type.String()),
    acknowledgedAt: Nullable(Type.String()),
    calledBackAt: Nullable(Type.String()),
    triage: Nullable(Type.Object({ withinResponsibility: Type.Boolean(), at: Type.String() })),
    consentRequired: Type.Boolean(),
    consent: Nullable(
      Type.Object({ granted: Type.Boolean(), by: Type.String(), via: Type.String(), at: Type.String() }),
    ),
    resolvedAt: Nullable(Type.String()),
    closedAt: Nullable(Type.String()),
    sla: Type.Object({ response: Clock, action: Nullable(Clock) }),
    timeline: Type.Array(
      Type.Object({
        seq: Type.Integer(),
        type: Type.String(),
        at: Type.String(),
        actor: Type.Object({
          type: Type.String(),
          id: Nullable(Type.String()),
          name: Nullable(Type.String()),
        }),
        data: Type.Record(Type.String(), Type.Unknown()),
      }),
    ),
    work: Type.Array(
      Type.Object({
        id: Type.String(),
        engineerId: Type.String(),
        start: Type.String(),
        end: Type.String(),
        withinResponsibility: Type.Boolean(),
        note: Nullable(Type.String()),
      }),
    ),
  },
  { $id: 'Incident' },
);

const Note = Type.Object(
  { note: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))) },
  { additionalProperties: false },
);
const RESPOND = { roles: ['admin', 'manager', 'engineer'] } as const;

/**
 * Pages of incidents are written with JSON.stringify: the views are built field by field to the schema
 * (incident-view.ts), and the schema serializer's many nullable unions cost more than the queries at 50
 * incidents with their timelines. The schema still documents the answer.
 */
function sendViews(reply: FastifyReply, body: object): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(JSON.stringify(body));
}
const tags = ['incidents'];

/** The incident desk (SPEC.md section 5): report, acknowledge, call back, triage, consent, work, resolve, close. */
export const incidentsRoutes: FastifyPluginAsyncTypebox<{
  ctx: AppContext;
  /** Tells the live boards that incidents may have changed (see BuildAppOptions). */
  incidentChanges?: (listener: () => void) => () => void;
}> = async (app, { ctx, incidentChanges }) => {
  app.addSchema(Incident);
  // Live streams never end on their own: end them before the server closes, or closing would wait for ever.
  const openStreams = new Set<() => void>();
  // One poller for all live boards on this node (any node may have made the changes).
  const changeFeed = new IncidentChangeFeed(ctx, {
    pollMs: ctx.config.boardPollMs,
    ...(incidentChanges ? { changes: incidentChanges } : {}),
  });
  app.addHook('preClose', async () => {
    for (const end of [...openStreams]) end();
  });
  const IncidentRef = Type.Ref('Incident');
  const ok = { 200: IncidentRef, ...STANDARD_ERRORS };

  app.post(
    '/incidents',
    {
      config: { access: { roles: ['admin', 'manager', 'engineer', 'customer'] } },
      schema: {
        tags,
        summary: "Report an incident (attaches to the customer's open incident on the same server)",
        body: Type.Object(
          {
            customerId: Id,
            summary: Type.String({ minLength: 1, maxLength: 2000 }),
            serverId: Type.Optional(Nullable(Id)),
            reportedAt: Type.Optional(Instant),
            channel: Type.Optional(Type.Enum(['phone', 'sms', 'portal', 'api', 'email'])),
          },
          { additionalProperties: false },
        ),
        response: { 201: IncidentRef, 200: IncidentRef, ...STANDARD_ERRORS },
      },
    },
    async (req, reply) => {
      const { incident, created } = await createIncident(ctx, principalOf(req), req.body);
      return reply.code(created ? 201 : 200).send(incident);
    },
  );

  app.get(
    '/incidents',
    {
      config: { access: { roles: EVERYONE } },
      schema: {
        tags,
        summary:
          'Incidents newest first (reported at, then id), filtered by state and customer, a page at a time',
        description:
          "Keyset pagination: pass the previous page's `nextCursor` as `cursor` for the next page; " +
          '`nextCursor` is null on the last page. Pages stay consistent while incidents are reported: a new ' +
          'incident sorts before the first page and never shifts the pages after it. Filters combine (AND); ' +
          'keep the same filters when following a cursor. A customer user sees only its own organisation.',
        querystring: Type.Object({
          state: Type.Optional(
            Type.String({
              pattern:
                '^(open|acknowledged|in_progress|resolved|closed)(,(open|acknowledged|in_progress|resolved|closed))*$',
              description: 'One state or several separated by commas, e.g. `open,acknowledged`',
            }),
          ),
          customerId: Type.Optional(Id),
          cursor: Type.Optional(
            Type.String({
              maxLength: 500,
              description: "Opaque: the previous page's `nextCursor`; anything else is a 400 naming /cursor",
            }),
          ),
          limit: Type.Optional(
            Type.Integer({ minimum: 1, maximum: 200, default: 50, description: 'Incidents per page' }),
          ),
        }),
        response: {
          200: Type.Object({
            items: Type.Array(IncidentRef),
            nextCursor: Nullable(
              Type.String({ description: 'The cursor of the next page; null on the last' }),
            ),
          }),
          ...STANDARD_ERRORS,
        },
      },
    },
    async (req, reply) => {
      const page = await listIncidents(ctx, principalOf(req), {
        limit: req.query.limit ?? 50,
        ...(req.query.state ? { state: req.query.state } : {}),
        ...(req.query.customerId ? { customerId: req.query.customerId } : {}),
        ...(req.query.cursor ? { cursor: req.query.cursor } : {}),
      });
      return sendViews(reply, page);
    },
  );

  app.get(
    '/incidents/stream',
    {
      config: { access: { roles: EVERYONE } },
      schema: {
        tags,
        summary:
          'Server-sent events: every change of an incident, for live boards (resumes with Last-Event-ID)',
      },
    },
    async (req, reply) => {
      const principal = principalOf(req);
      const lastEventId = req.headers['last-event-id'];
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      // HEAD has no body: Node holds the headers back until the end, so a stream would never answer.
      if (req.method === 'HEAD') {
        res.end();
        return;
      }
      res.write('retry: 3000\n\n');
      const send = (changes: IncidentChange[]) => {
        for (const change of changes)
          res.write(`id: ${change.updatedAt}\nevent: incident\ndata: ${JSON.stringify(change)}\n\n`);
      };
      const heartbeat = setInterval(() => res.write(': ping\n\n'), 15_000);
      // Listen first, then catch up from Last-Event-ID: a change in between comes twice, never not at all.
      const unsubscribe = changeFeed.subscribe(principal, send);
      const stop = () => {
        unsubscribe();
        clearInterval(heartbeat);
        openStreams.delete(end);
      };
      const end = () => {
        stop();
        res.end();
      };
      openStreams.add(end);
      req.raw.on('close', stop);
      if (typeof lastEventId === 'string') {
        try {
          send(await incidentChangesSince(ctx, principal, lastEventId));
        } catch (error) {
          req.log.warn({ err: error }, 'incident stream resume failed');
        }
      }
    },
  );

  app.get(
    '/incidents/board',
    {
      config: { access: { roles: EVERYONE } },
      schema: {
        tags,
        summary: 'Open incidents by priority: tier, then the nearest open deadline',
        response: { 200: Type.Array(IncidentRef), ...STANDARD_ERRORS },
      },
    },
    async (req, reply) => sendViews(reply, await incidentBoard(ctx, principalOf(req))),
  );

  app.get(
    '/incidents/:id',
    { config: { access: { roles: EVERYONE } }, schema: { tags, params: IdParams, response: ok } },
    async (req) => getIncident(ctx, principalOf(req), req.params.id),
  );

  app.post(
    '/incidents/:id/ack',
    {
      config: { access: RESPOND },
      schema: {
        tags,
        summary: 'Acknowledge: stops the escalation',
        params: IdParams,
        body: Type.Optional(
          Type.Object({ engineerId: Type.Optional(Nullable(Id)) }, { additionalProperties: false }),
        ),
        response: ok,
      },
    },
    async (req) => acknowledgeIncident(ctx, principalOf(req), req.params.id, req.body ?? {}),
  );

  app.post(
    '/incidents/:id/callback',
    {
      config: { access: RESPOND },
      schema: {
        tags,
        summary: 'The customer was called back: ends the response clock',
        params: IdParams,
        body: Type.Optional(Type.Object({ at: Type.Optional(Instant) }, { additionalProperties: false })),
        response: ok,
      },
    },
    async (req) => recordCallBack(ctx, principalOf(req), req.params.id, req.body ?? {}),
  );

  app.post(
    '/incidents/:id/triage',
    {
      config: { access: RESPOND },
      schema: {
        tags,
        summary: "Within Ballou's responsibility, or hand over to the customer's application-level contact",
        params: IdParams,
        body: Type.Object(
          {
            withinResponsibility: Type.Boolean(),
            note: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
          },
          { additionalProperties: false },
        ),
        response: ok,
      },
    },
    async (req) => triageIncident(ctx, principalOf(req), req.params.id, req.body),
  );

  app.post(
    '/incidents/:id/consent',
    {
      config: { access: { roles: ['admin', 'manager', 'engineer', 'customer'] } },
      schema: {
        tags,
        summary: "The customer's decision on billable work (tiers incident and none)",
        params: IdParams,
        body: Type.Object(
          {
            granted: Type.Boolean(),
            by: Type.String({ minLength: 1, maxLength: 200 }),
            via: Type.Enum(['phone', 'portal']),
          },
          { additionalProperties: false },
        ),
        response: ok,
      },
    },
    async (req) => recordConsent(ctx, principalOf(req), req.params.id, req.body),
  );

  app.post(
    '/incidents/:id/work',
    {
      config: { access: RESPOND },
      schema: {
        tags,
        summary: 'Log a work entry (≤ 24 h, no overlap with the same engineer on this incident)',
        params: IdParams,
        body: Type.Object(
          {
            start: Instant,
            end: Instant,
            engineerId: Id,
            withinResponsibility: Type.Boolean(),
            note: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({ workEntryId: Type.String(), incident: IncidentRef }),
          ...STANDARD_ERRORS,
        },
      },
    },
    async (req, reply) => {
      const { incident, workEntryId } = await logWork(ctx, principalOf(req), req.params.id, req.body);
      return reply.code(201).send({ workEntryId, incident });
    },
  );

  app.post(
    '/incidents/:id/resolve',
    {
      config: { access: RESPOND },
      schema: { tags, params: IdParams, body: Type.Optional(Note), response: ok },
    },
    async (req) => resolveIncident(ctx, principalOf(req), req.params.id, req.body ?? {}),
  );

  app.post(
    '/incidents/:id/close',
    {
      config: { access: RESPOND },
      schema: { tags, params: IdParams, body: Type.Optional(Note), response: ok },
    },
    async (req) => closeIncident(ctx, principalOf(req), req.params.id, req.body ?? {}),
  );

  app.get(
    '/incidents/:id/price',
    {
      config: { access: { roles: EVERYONE } },
      schema: {
        tags,
        summary: 'The price by the tariff valid at the report time',
        params: IdParams,
        response: { 200: Type.Ref('Price'), ...STANDARD_ERRORS },
      },
    },
    async (req) => getIncidentPrice(ctx, principalOf(req), req.params.id),
  );
};
