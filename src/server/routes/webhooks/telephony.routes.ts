import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../../app/app-context.js';
import {
  answerElksCall,
  answerElksDeliveryReport,
  answerElksHangup,
  answerElksPageKeypress,
  answerElksSms,
  answerTwilioAfterDial,
  answerTwilioCall,
  answerTwilioPageKeypress,
  answerTwilioSms,
  answerTwilioStatus,
  type WebhookAnswer,
} from '../../../app/intake/telephony-webhooks.js';
import { sendProblem } from '../../plugins/error-handler.js';
import { acceptFormBodies } from './form-body.js';

function send(request: FastifyRequest, reply: FastifyReply, answer: WebhookAnswer): FastifyReply {
  if (answer.kind === 'refused')
    return sendProblem(reply, request, answer.status, answer.code, answer.detail);
  return reply
    .code(answer.status)
    .type(answer.contentType)
    .send(answer.body ?? undefined);
}

/** 46elks and Twilio: incoming calls and SMS, each authenticated as its provider does it. */
export const telephonyWebhookRoutes: FastifyPluginAsync<{
  ctx: AppContext;
  prefix: string;
  hidden?: boolean;
}> = async (app, { ctx, hidden }) => {
  acceptFormBodies(app);
  // Each provider authenticates itself (basic auth, signature), so no session or bearer is asked for.
  const opts = {
    config: { access: 'provider' as const },
    schema: { tags: ['webhooks'], hide: hidden === true },
  };
  const asRequest = (req: FastifyRequest) => ({ headers: req.headers, body: req.body, url: req.url });

  app.post('/webhooks/46elks/voice', opts, async (req, reply) =>
    send(req, reply, await answerElksCall(ctx, asRequest(req))),
  );
  app.post('/webhooks/46elks/sms', opts, async (req, reply) =>
    send(req, reply, await answerElksSms(ctx, asRequest(req))),
  );
  app.post('/webhooks/twilio/voice', opts, async (req, reply) =>
    send(req, reply, await answerTwilioCall(ctx, asRequest(req))),
  );
  app.post('/webhooks/twilio/voice/after-dial', opts, async (req, reply) => {
    const step = (req.query as { step?: string }).step === 'secondary' ? 'secondary' : 'primary';
    return send(req, reply, await answerTwilioAfterDial(ctx, asRequest(req), step));
  });
  app.post('/webhooks/twilio/sms', opts, async (req, reply) =>
    send(req, reply, await answerTwilioSms(ctx, asRequest(req))),
  );
  // Delivery reports and call outcomes of what we sent, and the keypress that acknowledges a page call.
  app.post('/webhooks/46elks/dlr', opts, async (req, reply) =>
    send(req, reply, await answerElksDeliveryReport(ctx, asRequest(req))),
  );
  app.post('/webhooks/46elks/hangup', opts, async (req, reply) =>
    send(req, reply, await answerElksHangup(ctx, asRequest(req))),
  );
  app.post('/webhooks/46elks/page-ack', opts, async (req, reply) =>
    send(req, reply, await answerElksPageKeypress(ctx, asRequest(req))),
  );
  app.post('/webhooks/twilio/status', opts, async (req, reply) =>
    send(req, reply, await answerTwilioStatus(ctx, asRequest(req))),
  );
  app.post('/webhooks/twilio/page-ack', opts, async (req, reply) =>
    send(req, reply, await answerTwilioPageKeypress(ctx, asRequest(req))),
  );
};
