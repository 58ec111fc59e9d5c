import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { AppContext } from '../../../app/app-context.js';
import { toDomainError } from '../../../app/errors.js';
import { describeActionLink, useActionLink } from '../../../app/incidents/action-links.js';
import { acceptFormBodies } from '../webhooks/form-body.js';

const escapeHtml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

function page(reply: FastifyReply, status: number, title: string, body: string): FastifyReply {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .send(
      `<!doctype html><html lang="sv"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
        `<title>${escapeHtml(title)}</title><style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem}` +
        `button{font-size:1.2rem;padding:.8rem 1.2rem;margin:.3rem}</style></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`,
    );
}

/**
 * The pages behind the short links in SMS: GET shows what the link is for and a button (a preview bot
 * that fetches the link changes nothing); POST does it. Plain HTML, no script: works on any phone.
 */
export const linkPages: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  acceptFormBodies(app, 4096);
  const TOKEN = /^[A-Za-z0-9_-]{20,100}$/;

  app.get('/l/:token', { schema: { hide: true } }, async (req, reply) => {
    const { token } = req.params as { token: string };
    if (!TOKEN.test(token)) return page(reply, 404, 'Okänd länk', '<p>Länken finns inte.</p>');
    try {
      const link = await describeActionLink(ctx, token);
      const about = `<p><strong>${escapeHtml(link.incident.ref)}</strong> ${escapeHtml(link.incident.customerName ?? '')}<br>${escapeHtml(link.incident.summary)}<br>Anmält ${escapeHtml(link.incident.reportedAt)}</p>`;
      if (!link.usable) {
        return page(
          reply,
          410,
          'Länken kan inte användas',
          `${about}<p>${link.used ? 'Den har redan använts.' : 'Den har gått ut.'}</p>`,
        );
      }
      const form =
        link.kind === 'ack'
          ? `<form method="post"><button name="decision" value="ack">Kvittera</button></form>`
          : `<p>Godkänner ni att Ballou påbörjar debiterbart arbete enligt prislistan?</p><form method="post"><button name="decision" value="yes">Ja, påbörja arbetet</button><button name="decision" value="no">Nej</button></form>`;
      return page(reply, 200, link.kind === 'ack' ? 'Kvittera larm' : 'Godkännande av arbete', about + form);
    } catch (error) {
      if (toDomainError(error)?.code === 'NOT_FOUND')
        return page(reply, 404, 'Okänd länk', '<p>Länken finns inte.</p>');
      throw error;
    }
  });

  app.post('/l/:token', { schema: { hide: true } }, async (req, reply) => {
    const { token } = req.params as { token: string };
    if (!TOKEN.test(token)) return page(reply, 404, 'Okänd länk', '<p>Länken finns inte.</p>');
    const decision = req.body instanceof URLSearchParams ? req.body.get('decision') : null;
    try {
      const done = await useActionLink(
        ctx,
        token,
        decision === 'yes' ? { granted: true } : decision === 'no' ? { granted: false } : {},
      );
      const text =
        done.kind === 'ack'
          ? `Du har kvitterat ${done.ref}. Ring upp kunden.`
          : done.granted
            ? `Tack. Ballou påbörjar arbetet med ${done.ref}.`
            : `Tack. Ballou påbörjar inget debiterbart arbete med ${done.ref}.`;
      return page(reply, 200, 'Klart', `<p>${escapeHtml(text)}</p>`);
    } catch (error) {
      const domain = toDomainError(error);
      if (domain?.code === 'NOT_FOUND') return page(reply, 404, 'Okänd länk', '<p>Länken finns inte.</p>');
      if (domain && domain.code !== 'INTERNAL')
        return page(reply, 409, 'Det gick inte', `<p>${escapeHtml(domain.message)}</p>`);
      throw error;
    }
  });
};
