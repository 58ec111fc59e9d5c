import type { FastifyInstance } from 'fastify';

/**
 * Providers post webhooks form-encoded. The parser is registered inside the webhook plugins only, so
 * the JSON API keeps refusing form bodies (415). The body stays a URLSearchParams: Twilio signs every
 * parameter, repeated ones included.
 */
export function acceptFormBodies(app: FastifyInstance, bodyLimit = 64 * 1024): void {
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit },
    (_req, body, done) => {
      done(null, new URLSearchParams(body as string));
    },
  );
}
