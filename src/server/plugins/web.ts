import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { sendProblem } from './error-handler.js';

/**
 * Serves the built web app at `/` with a single-page fallback; anything under /api that matched no
 * route is a problem+json 404.
 */
export async function registerWeb(app: FastifyInstance, webRoot: string | undefined): Promise<void> {
  const index = webRoot ? path.join(webRoot, 'index.html') : undefined;
  const hasWeb = index !== undefined && fs.existsSync(index);
  if (hasWeb) {
    await app.register(fastifyStatic, {
      root: webRoot as string,
      prefix: '/',
      wildcard: false,
      index: ['index.html'],
      // scripts/build.mjs writes .br and .gz beside the assets: the first screen loads in a fraction.
      preCompressed: true,
      setHeaders: (reply, filePath) => {
        // Vite names the assets by their content hash: a new build has new names, so they never change.
        if (filePath.includes(`${path.sep}assets${path.sep}`))
          reply.header('Cache-Control', 'public, max-age=31536000, immutable');
        // The push service worker (web/public/sw.js): always revalidated so a fix reaches every phone,
        // and allowed to control the whole site.
        if (path.basename(filePath) === 'sw.js') {
          reply.header('Cache-Control', 'no-cache');
          reply.header('Service-Worker-Allowed', '/');
        }
      },
    });
  }
  app.setNotFoundHandler((request, reply) => {
    if (request.url.startsWith('/api/') || request.method !== 'GET' || !hasWeb) {
      return sendProblem(
        reply,
        request,
        404,
        'NOT_FOUND',
        `no route ${request.method} ${request.url.split('?')[0]}`,
      );
    }
    return reply.type('text/html').sendFile('index.html');
  });
}
