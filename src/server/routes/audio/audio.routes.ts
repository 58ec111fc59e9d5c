import type { FastifyPluginAsync } from 'fastify';
import { promptAt } from '../../../app/audio/prompts.js';

/**
 * The bundled Swedish telephony prompts (46elks fetches and caches them): public, and immutable because
 * each name carries a hash of its content.
 */
export const audioRoutes: FastifyPluginAsync = async (app) => {
  app.get('/audio/sv/:file', { schema: { hide: true } }, async (req, reply) => {
    const prompt = promptAt(req.url.split('?')[0] ?? '');
    if (!prompt) return reply.code(404).type('text/plain; charset=utf-8').send('Not found');
    return reply
      .header('cache-control', 'public, max-age=31536000, immutable')
      .type(prompt.contentType)
      .send(prompt.bytes);
  });
};
