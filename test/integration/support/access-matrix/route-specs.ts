/**
 * How to call each route with an id set: its path parameters, query and a valid body, so that a request
 * gets past validation to the use case's own checks (a 400 would hide a missing tenant check). The
 * table must name every route the server registers: a new route without an entry fails the matrix.
 * Who may call a route is NOT here: that is read from the route's own `config.access`.
 */
import { randomUUID } from 'node:crypto';
import { BILLED_MONTH, PASSWORD, type IdSet } from './world.js';

export interface RouteSpec {
  params?: (s: IdSet) => Record<string, string>;
  query?: (s: IdSet) => Record<string, string>;
  body?: (s: IdSet) => unknown;
  /**
   * The id set decides which customer's data the request is about (path, query or body ids); for a
   * customer principal B's ids must answer 404 and change nothing.
   */
  tenant?: boolean;
  /** The route's own credential is in the request (a one-time link, a calendar token, B's password): whoever holds B's credential may see B's data. */
  capability?: boolean;
  /** Public, but authenticated by the provider's signature or basic auth (webhooks): no role rules. */
  provider?: boolean;
  /** Public, with its own check: a calendar link token, or else a staff login. */
  feed?: boolean;
  /** Works only for a browser session (a login's, not a token's): a token may get 400/403 here. */
  sessionOnly?: boolean;
  /**
   * Works only for a signed-in user linked to an engineer (My contact details): other staff may get 403
   * here; the engineer's own session must not.
   */
  engineerAccountOnly?: boolean;
  /** A server-sent-events stream (never ends): opened over HTTP, not app.inject. */
  stream?: boolean;
  /** Static files (the web app, the API docs, the telephony prompts): public by design. */
  static?: boolean;
}

/** A valid Swedish organisation number that no seed uses (Luhn check digit). */
function orgNumber(): string {
  const body = `55${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
  let sum = 0;
  for (let k = 0; k < 9; k++) {
    let d = Number(body[k]) * (k % 2 === 0 ? 2 : 1);
    if (d > 9) d -= 9;
    sum += d;
  }
  return `${body.slice(0, 6)}-${body.slice(6)}${(10 - (sum % 10)) % 10}`;
}

const unique = () => randomUUID().slice(0, 8);
const phone = () => `+46708${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
const id = (key: keyof IdSet) => (s: IdSet) => ({ id: String(s[key]) });
const month = () => ({ month: BILLED_MONTH });

const API: Record<string, RouteSpec> = {
  // system
  'GET /health': {},
  'GET /openapi.json': {},
  // auth
  'POST /auth/login': {
    capability: true,
    body: (s) => ({ email: s.userEmail, password: s.name === 'random' ? 'fel-lösenord-1234567' : PASSWORD }),
  },
  'POST /auth/login/totp': { body: () => ({ challenge: randomUUID(), code: '123456' }) },
  'POST /auth/logout': { sessionOnly: true },
  'GET /auth/me': {},
  'GET /auth/totp': { sessionOnly: true },
  'POST /auth/totp/enrol': { sessionOnly: true, body: () => ({}) },
  'POST /auth/totp/confirm': { sessionOnly: true, body: () => ({ code: '123456' }) },
  'POST /auth/totp/disable': { sessionOnly: true, body: () => ({ password: PASSWORD, code: '123456' }) },
  'POST /auth/totp/recovery-codes': { sessionOnly: true, body: () => ({ code: '123456' }) },
  'POST /users/:id/totp/reset': { params: id('userId'), body: () => ({}) },
  // A wrong current password: refused by the use case itself, so the matrix's accounts keep theirs.
  'POST /auth/password': {
    sessionOnly: true,
    body: () => ({ currentPassword: 'inte-det-rätta-lösenordet', newPassword: 'ett-nytt-långt-lösenord-9' }),
  },
  'POST /auth/password-reset': { body: (s) => ({ email: s.userEmail }) },
  'POST /auth/password-reset/confirm': {
    body: () => ({ token: randomUUID(), password: 'ett-nytt-långt-lösenord-9' }),
  },
  // admin
  'POST /tokens': { body: () => ({ name: `matris-${unique()}`, role: 'engineer' }) },
  'GET /tokens': {},
  'DELETE /tokens/:id': { params: id('apiTokenId') },
  'POST /users': {
    body: () => ({
      email: `ny-${unique()}@ballou.example`,
      name: 'Ny Användare',
      password: PASSWORD,
      role: 'billing',
    }),
  },
  'GET /users': {},
  'GET /audit': {},
  'POST /integrations': { body: () => ({ kind: 'generic', name: `Matris ${unique()}` }) },
  'GET /integrations': {},
  'DELETE /integrations/:id': { params: id('integrationId') },
  // customers
  'POST /customers': {
    body: () => ({
      name: `Ny Kund ${unique()} AB`,
      orgNumber: orgNumber(),
      tier: 'none',
      agreementStart: '2026-12-01',
    }),
  },
  'GET /customers': {},
  'GET /customers/:id': { tenant: true, params: id('customerId') },
  'PATCH /customers/:id': {
    tenant: true,
    params: id('customerId'),
    body: () => ({ invoiceEmail: `ny-${unique()}@matris.example` }),
  },
  'POST /customers/:id/tiers': {
    tenant: true,
    params: id('customerId'),
    body: () => ({ tier: 'hog', validFrom: '2027-01-01' }),
  },
  'POST /customers/:id/contacts': {
    tenant: true,
    params: id('customerId'),
    body: () => ({ name: `Ny Kontakt ${unique()}`, phone: phone() }),
  },
  'GET /customers/:id/contacts': { tenant: true, params: id('customerId') },
  'DELETE /customers/:id/contacts/:contactId': {
    tenant: true,
    params: (s) => ({ id: s.customerId, contactId: s.contactId }),
  },
  'POST /customers/:id/servers': {
    tenant: true,
    params: id('customerId'),
    body: () => ({ hostname: `ny-${unique()}.matris.example` }),
  },
  'GET /customers/:id/servers': { tenant: true, params: id('customerId') },
  'GET /servers/:id': { tenant: true, params: id('serverId') },
  'POST /customers/:id/app-oncall': {
    tenant: true,
    params: id('customerId'),
    body: () => ({ name: `Ny Appjour ${unique()}`, phone: phone() }),
  },
  'DELETE /customers/:id/app-oncall/:contactId': {
    tenant: true,
    params: (s) => ({ id: s.customerId, contactId: s.appOncallId }),
  },
  // engineers
  'POST /engineers': {
    body: () => ({
      name: `Ny Ingenjör ${unique()}`,
      phone: phone(),
      email: `ing-${unique()}@ballou.example`,
    }),
  },
  'GET /engineers': {},
  'GET /engineers/:id': { params: id('engineerId') },
  'PATCH /engineers/:id': { params: id('engineerId'), body: () => ({ name: 'Matris Ingenjör' }) },
  // pricing
  'POST /price-quotes': {
    body: () => ({
      tier: 'incident',
      reportedAt: '2026-11-10T03:00',
      work: [{ start: '2026-11-10T03:10', end: '2026-11-10T04:00', withinResponsibility: false }],
    }),
  },
  // roster
  'POST /rotations': {
    body: (s) => ({
      role: 'secondary',
      engineerIds: [s.selfEngineerId],
      start: '2027-02-01T08:00',
      shiftHours: 24,
      handover: '08:00',
    }),
  },
  'GET /rotations': {},
  'GET /rotations/:id': { params: id('rotationId') },
  'PATCH /rotations/:id': { params: id('rotationId'), body: () => ({ name: 'Matris primär' }) },
  'DELETE /rotations/:id': { params: id('rotationId') },
  'POST /overrides': {
    body: (s) => ({
      role: 'secondary',
      engineerId: s.selfEngineerId,
      start: '2027-01-03T20:00',
      end: '2027-01-04T06:00',
    }),
  },
  'GET /overrides': {},
  'PATCH /overrides/:id': { params: id('overrideId'), body: () => ({ reason: 'Matris' }) },
  'DELETE /overrides/:id': { params: id('overrideId') },
  'POST /unavailability': {
    body: (s) => ({ engineerId: s.selfEngineerId, start: '2027-03-01T00:00', end: '2027-03-02T00:00' }),
  },
  'GET /unavailability': {},
  'DELETE /unavailability/:id': { params: id('unavailabilityId') },
  'GET /oncall': {},
  'GET /oncall/gaps': { query: () => ({ from: '2026-12-01T00:00', to: '2026-12-08T00:00' }) },
  'GET /oncall/shifts': { query: () => ({ from: '2026-12-01T00:00', to: '2026-12-08T00:00' }) },
  'GET /oncall/calendar.ics': { feed: true },
  'POST /oncall/feed-tokens': { body: (s) => ({ engineerId: s.selfEngineerId }) },
  'GET /oncall/feed-tokens': {},
  'DELETE /oncall/feed-tokens/:id': { params: id('feedTokenId') },
  'POST /shift-swaps': {
    body: (s) => ({
      role: 'primary',
      start: '2026-12-06T08:00',
      end: '2026-12-07T08:00',
      engineerId: s.selfEngineerId,
    }),
  },
  'GET /shift-swaps': {},
  'POST /shift-swaps/:id/take': { params: id('swapId'), body: (s) => ({ engineerId: s.selfEngineerId }) },
  'POST /shift-swaps/:id/cancel': { params: id('swapId') },
  // incidents
  'POST /incidents': {
    tenant: true,
    body: (s) => ({ customerId: s.customerId, serverId: s.childServerId, summary: 'Matris: disken är full' }),
  },
  'GET /incidents': { tenant: true, query: (s) => ({ customerId: s.customerId }) },
  'GET /incidents/stream': { stream: true },
  'GET /incidents/board': {},
  'GET /incidents/:id': { tenant: true, params: id('incidentId') },
  'POST /incidents/:id/ack': {
    tenant: true,
    params: id('incidentId'),
    body: (s) => ({ engineerId: s.selfEngineerId }),
  },
  'POST /incidents/:id/callback': { tenant: true, params: id('incidentId'), body: () => ({}) },
  'POST /incidents/:id/triage': {
    tenant: true,
    params: id('incidentId'),
    body: () => ({ withinResponsibility: true }),
  },
  'POST /incidents/:id/consent': {
    tenant: true,
    params: id('incidentId'),
    body: () => ({ granted: true, by: 'Matris Kund', via: 'portal' }),
  },
  'POST /incidents/:id/work': {
    tenant: true,
    params: id('incidentId'),
    body: (s) => ({
      start: '2026-12-01T11:45',
      end: '2026-12-01T11:50',
      engineerId: s.selfEngineerId,
      withinResponsibility: true,
    }),
  },
  'POST /incidents/:id/resolve': { tenant: true, params: id('incidentId'), body: () => ({}) },
  'POST /incidents/:id/close': { tenant: true, params: id('incidentId'), body: () => ({}) },
  'GET /incidents/:id/price': { tenant: true, params: id('closedIncidentId') },
  'POST /incidents/:id/consent-link': {
    tenant: true,
    params: id('incidentId'),
    body: (s) => ({ contactId: s.contactId }),
  },
  // actions
  'GET /actions': {},
  'POST /servers/:id/authorizations': {
    tenant: true,
    params: id('serverId'),
    body: () => ({ action: 'restart-db', automatic: false, withinResponsibility: true }),
  },
  'GET /servers/:id/authorizations': { tenant: true, params: id('serverId') },
  'PATCH /servers/:id/authorizations/:authorizationId': {
    tenant: true,
    params: (s) => ({ id: s.serverId, authorizationId: s.authorizationId }),
    body: () => ({ notifyCustomer: false }),
  },
  'DELETE /servers/:id/authorizations/:authorizationId': {
    tenant: true,
    params: (s) => ({ id: s.serverId, authorizationId: s.authorizationId }),
  },
  'POST /incidents/:id/actions': {
    tenant: true,
    params: id('incidentId'),
    body: (s) => ({ action: 'restart-web', serverId: s.childServerId }),
  },
  'GET /incidents/:id/action-runs': { tenant: true, params: id('incidentId') },
  'GET /action-runs/:id': { tenant: true, params: id('actionRunId') },
  // links (the token is the credential)
  'GET /links/:token': { capability: true, params: (s) => ({ token: s.linkToken }) },
  'POST /links/:token': {
    capability: true,
    params: (s) => ({ token: s.linkToken }),
    body: () => ({ granted: false }),
  },
  // billing
  'POST /invoice-runs': { body: month },
  'POST /invoice-runs/preview': { body: month },
  'GET /invoice-runs/preview.pdf': {
    tenant: true,
    query: (s) => ({ month: BILLED_MONTH, customerId: s.customerId }),
  },
  'GET /invoices': { tenant: true, query: (s) => ({ customerId: s.customerId }) },
  'GET /invoices.csv': { query: month },
  'GET /invoices/:id.pdf': { tenant: true, params: id('invoiceId') },
  'GET /invoices/:id.xml': { tenant: true, params: id('creditNoteId') },
  'GET /invoices/:id': { tenant: true, params: id('invoiceId') },
  'POST /invoices/:id/credit-notes': {
    tenant: true,
    params: id('invoiceId'),
    body: () => ({ reason: 'Matris kreditering igen' }),
  },
  'GET /exports/sie': { query: month },
  'POST /servers/:id/operations-tasks': {
    tenant: true,
    params: id('serverId'),
    body: () => ({ kind: 'security_update', title: 'Matris uppdatering', inContract: true }),
  },
  'GET /servers/:id/operations-tasks': { tenant: true, params: id('serverId') },
  'POST /operations-tasks/:id/work': {
    tenant: true,
    params: id('taskId'),
    body: (s) => ({ start: '2026-11-20T10:00', end: '2026-11-20T10:30', engineerId: s.selfEngineerId }),
  },
  'GET /operations-tasks/:id/work': { tenant: true, params: id('taskId') },
  // reports
  'GET /reports/sla': {
    tenant: true,
    query: (s) => ({ from: BILLED_MONTH, to: BILLED_MONTH, customerId: s.customerId }),
  },
  // web push (a login's browsers)
  'GET /push/public-key': {},
  'GET /me/push-subscriptions': { sessionOnly: true },
  'POST /me/push-subscriptions': {
    sessionOnly: true,
    body: () => ({
      endpoint: 'https://push.matris.example/send/abc',
      expirationTime: null,
      keys: {
        p256dh: 'BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM',
        auth: 'tBHItJI5svbpez7KI4CCXg',
      },
    }),
  },
  'POST /me/push-subscriptions/test': { sessionOnly: true },
  'GET /me/contact': { engineerAccountOnly: true },
  'PATCH /me/contact': {
    engineerAccountOnly: true,
    body: () => ({ notifyChannel: 'sms', currentPassword: 'inte-det-rätta-lösenordet' }),
  },
  'POST /me/contact/test': { engineerAccountOnly: true },
  'DELETE /me/push-subscriptions/:id': { sessionOnly: true, params: id('pushSubscriptionId') },
};

const WEBHOOKS = [
  '46elks/voice',
  '46elks/sms',
  '46elks/dlr',
  '46elks/hangup',
  '46elks/page-ack',
  'twilio/voice',
  'twilio/voice/after-dial',
  'twilio/sms',
  'twilio/status',
  'twilio/page-ack',
  'alertmanager',
  'pagerduty/v2/enqueue',
  'generic',
];

/** Every known route, `METHOD /path` as Fastify registered it (HEAD shares its GET's entry). */
export const ROUTE_SPECS: Record<string, RouteSpec> = {
  ...Object.fromEntries(
    Object.entries(API).map(([key, spec]) => {
      const [method, path] = key.split(' ');
      return [`${method} /api/v1${path}`, spec];
    }),
  ),
  ...Object.fromEntries(
    WEBHOOKS.flatMap((w) => [
      [`POST /webhooks/${w}`, { provider: true, body: () => ({}) }],
      [`POST /api/v1/webhooks/${w}`, { provider: true, body: () => ({}) }],
    ]),
  ),
  // One-time link pages (the token in the URL is the credential).
  'GET /l/:token': { capability: true, params: (s) => ({ token: s.linkToken }) },
  'POST /l/:token': { capability: true, params: (s) => ({ token: s.linkToken }), body: () => 'decision=no' },
  'GET /audio/sv/:file': { static: true, params: () => ({ file: 'okand.wav' }) },
  // Prometheus's scrape, with its own bearer token (BALLOU_METRICS_TOKEN), not an API token or a session.
  'GET /metrics': { provider: true },
};

/** The files of the stand-in web app the matrix serves (fastify-static registers a route per file). */
export const WEB_FILES: Record<string, string> = {
  'index.html': '<!doctype html><title>Ballou</title>',
  'assets/app-matris.js': 'console.log("ballou");',
};

/** Static files registered by plugins (swagger-ui, the web app's files): public by design. */
export function isStaticRoute(method: string, url: string): boolean {
  if (method !== 'GET' && method !== 'HEAD') return false;
  return url.startsWith('/api/docs') || url === '/' || Object.keys(WEB_FILES).some((f) => url === `/${f}`);
}

export function specFor(method: string, url: string): RouteSpec | undefined {
  const key = `${method === 'HEAD' ? 'GET' : method} ${url}`;
  return ROUTE_SPECS[key] ?? (isStaticRoute(method, url) ? { static: true } : undefined);
}

/** The concrete URL of a route for an id set. */
export function urlFor(url: string, spec: RouteSpec, s: IdSet): string {
  const params = spec.params?.(s) ?? {};
  let path = url.replace(/:([A-Za-z]+)/g, (_m, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`no value for :${name} in ${url}`);
    return encodeURIComponent(value);
  });
  if (path.endsWith('*')) path = `${path.slice(0, -1)}index.html`;
  const query = spec.query?.(s);
  return query ? `${path}?${new URLSearchParams(query).toString()}` : path;
}
