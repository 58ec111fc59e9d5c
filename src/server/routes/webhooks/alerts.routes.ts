import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../../app/app-context.js';
import {
  answerAlertmanager,
  answerGenericAlert,
  answerPagerDuty,
  type AlertWebhookAnswer,
} from '../../../app/intake/alert-webhooks.js';
import { sendProblem } from '../../plugins/error-handler.js';
import { acceptFormBodies } from './form-body.js';

function send(request: FastifyRequest, reply: FastifyReply, answer: AlertWebhookAnswer): FastifyReply {
  if (answer.kind === 'refused')
    return sendProblem(reply, request, answer.status, answer.code, answer.detail, answer.errors);
  return reply.code(answer.status).send(answer.body);
}

/** Monitoring systems: Alertmanager, PagerDuty Events v2 and generic JSON (Zabbix, Uptime Kuma). */
export const alertWebhookRoutes: FastifyPluginAsync<{
  ctx: AppContext;
  prefix: string;
  hidden?: boolean;
}> = async (app, { ctx, hidden }) => {
  // Alert storms are large: 1 MiB per delivery (Alertmanager groups many alerts into one).
  acceptFormBodies(app, ctx.config.bodyLimitBytes);
  const opts = {
    config: { access: 'provider' as const },
    schema: { tags: ['webhooks'], hide: hidden === true },
  };
  app.post('/webhooks/alertmanager', opts, async (req, reply) =>
    send(req, reply, await answerAlertmanager(ctx, { headers: req.headers, body: req.body })),
  );
  app.post('/webhooks/pagerduty/v2/enqueue', opts, async (req, reply) =>
    send(req, reply, await answerPagerDuty(ctx, req.body)),
  );
  app.post('/webhooks/generic', opts, async (req, reply) =>
    send(req, reply, await answerGenericAlert(ctx, { headers: req.headers, body: req.body })),
  );
};
