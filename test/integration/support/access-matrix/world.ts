/**
 * The world the access-control matrix runs in: two customers, A and B, each with everything a customer
 * owns (contacts, servers, application-level contacts, authorizations, incidents with work, consent
 * links and action runs, operations work, issued invoices with credit notes), the staff-side objects
 * every other route needs, and one principal per role (customer A twice: browser session and API token).
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { createBrowser } from '../../../stand-ins/push-service-stand-in.js';
import { closedIncident } from '../../billing-helpers.js';
import type { TestApp } from '../test-runtime.js';

export const PASSWORD = 'matris-lösenord-7Xq!2v';
export const HOST_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';
/** A month that has ended at TEST_NOW (2026-12-01): its invoice run has PDFs, UBL, CSV and SIE. */
export const BILLED_MONTH = '2026-11';

/** What one customer owns; the matrix fills route parameters from it. */
export interface TenantIds {
  customerId: string;
  contactId: string;
  appOncallId: string;
  serverId: string;
  /** The server named in a body under another parent (POST /incidents, running an action). */
  childServerId: string;
  authorizationId: string;
  incidentId: string;
  closedIncidentId: string;
  actionRunId: string;
  taskId: string;
  invoiceId: string;
  creditNoteId: string;
  linkToken: string;
  userEmail: string;
}

/** Objects with no customer (the roster, engineers, tokens, users, integrations). */
export interface GlobalIds {
  engineerId: string;
  /** The logged-in engineer, in every id set: an engineer may act only for themself (a 403 by design). */
  selfEngineerId: string;
  rotationId: string;
  overrideId: string;
  unavailabilityId: string;
  feedTokenId: string;
  feedToken: string;
  swapId: string;
  integrationId: string;
  apiTokenId: string;
  userId: string;
  pushSubscriptionId: string;
}

/**
 * `mixed`: A's customer, server and incidents with B's contact, application contact, authorization and
 * (in bodies) server: a child of B reached through a parent of A must answer 404 too, and change nothing.
 */
export type IdSetName = 'own' | 'other' | 'random' | 'mixed';
export type IdSet = TenantIds & GlobalIds & { name: IdSetName };

export type PrincipalName =
  | 'anonymous'
  | 'customerA-session'
  | 'customerA-token'
  | 'engineer-session'
  | 'manager'
  | 'billing'
  | 'admin';

export interface Principal {
  name: PrincipalName;
  role: 'customer' | 'engineer' | 'manager' | 'billing' | 'admin' | null;
  headers(method: string): Record<string, string>;
  /** A browser session (cookie + CSRF header), logged in again after the matrix logged it out. */
  session?: { reLogin(): Promise<void> };
}

export interface World {
  a: TenantIds;
  b: TenantIds;
  global: GlobalIds;
  /** Strings that belong to B alone: none may reach customer A. */
  markersOfB: string[];
  principals: Principal[];
  admin: string;
  idSets: Record<IdSetName, IdSet>;
}

async function ok(t: TestApp, token: string, method: string, url: string, body?: unknown, status = 201) {
  const res = await t.call(method as 'POST', url, token, body);
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(status);
  return res.json();
}

async function seedTenant(
  t: TestApp,
  admin: string,
  engineerId: string,
  letter: 'A' | 'B',
  orgNumber: string,
): Promise<{ ids: TenantIds; markers: string[] }> {
  const tag = letter === 'A' ? 'Alfa' : 'Beta';
  const n = letter === 'A' ? '1' : '2';
  const customer = await ok(t, admin, 'POST', '/api/v1/customers', {
    name: `${tag}gruppen Matris AB`,
    orgNumber,
    tier: 'incident',
    agreementStart: '2026-01-01',
    invoiceEmail: `faktura@${tag.toLowerCase()}-matris.example`,
  });
  const c = `/api/v1/customers/${customer.id}`;
  const contact = await ok(t, admin, 'POST', `${c}/contacts`, {
    name: `${tag} Kontaktsson`,
    phone: `+4670${n}111222`,
    email: `kontakt@${tag.toLowerCase()}-matris.example`,
  });
  const appOncall = await ok(t, admin, 'POST', `${c}/app-oncall`, {
    name: `${tag} Appjoursson`,
    phone: `+4670${n}333444`,
  });
  const server = await ok(t, admin, 'POST', `${c}/servers`, {
    hostname: `${tag.toLowerCase()}-web1.matris.example`,
    ssh: { host: '192.0.2.10', port: 22, user: 'ballou', hostKey: HOST_KEY },
  });
  const authorization = await ok(t, admin, 'POST', `/api/v1/servers/${server.id}/authorizations`, {
    action: 'restart-web',
    automatic: false,
    withinResponsibility: true,
  });
  const task = await ok(t, admin, 'POST', `/api/v1/servers/${server.id}/operations-tasks`, {
    kind: 'tape_change',
    title: `${tag} bandbyte`,
    inContract: false,
  });
  await ok(t, admin, 'POST', `/api/v1/operations-tasks/${task.id}/work`, {
    start: '2026-11-12T10:00',
    end: '2026-11-12T11:00',
    engineerId,
  });
  // A callout in the billed month (acknowledged, consented, worked, closed) and one open now.
  const closed = await closedIncident(
    t,
    admin,
    customer.id,
    { anna: engineerId },
    {
      name: `${tag} diskfel november`,
      tier: 'incident',
      reportedAt: '2026-11-10T03:00',
      work: [
        {
          start: '2026-11-10T03:10',
          end: '2026-11-10T04:40',
          engineer: 'anna',
          withinResponsibility: false,
        },
      ],
    },
  );
  const open = await ok(t, admin, 'POST', '/api/v1/incidents', {
    customerId: customer.id,
    serverId: server.id,
    summary: `${tag} webbserver svarar inte`,
    channel: 'phone',
  });
  await ok(
    t,
    admin,
    'POST',
    `/api/v1/incidents/${open.id}/work`,
    {
      start: '2026-12-01T11:10',
      end: '2026-12-01T11:40',
      engineerId,
      withinResponsibility: true,
      note: `${tag} loggade in`,
    },
    201,
  );
  const link = await ok(t, admin, 'POST', `/api/v1/incidents/${open.id}/consent-link`, {
    contactId: contact.id,
  });
  const run = await ok(
    t,
    admin,
    'POST',
    `/api/v1/incidents/${open.id}/actions`,
    { action: 'restart-web', serverId: server.id },
    202,
  );
  const userEmail = `kund@${tag.toLowerCase()}-matris.example`;
  await ok(t, admin, 'POST', '/api/v1/users', {
    email: userEmail,
    name: `${tag} Kundanvändare`,
    password: PASSWORD,
    role: 'customer',
    customerId: customer.id,
  });
  const ids: TenantIds = {
    customerId: customer.id,
    contactId: contact.id,
    appOncallId: appOncall.id,
    serverId: server.id,
    childServerId: server.id,
    authorizationId: authorization.id,
    incidentId: open.id,
    closedIncidentId: closed.id,
    actionRunId: run.id,
    taskId: task.id,
    invoiceId: '',
    creditNoteId: '',
    linkToken: String(link.url).split('/').at(-1) as string,
    userEmail,
  };
  const markers = [
    customer.id,
    customer.name,
    orgNumber,
    contact.id,
    contact.name,
    contact.phone,
    appOncall.id,
    appOncall.name,
    server.id,
    server.hostname,
    authorization.id,
    task.id,
    task.title,
    open.id,
    open.ref,
    open.summary,
    closed.id,
    closed.ref,
    run.id,
    userEmail,
    `${tag.toLowerCase()}-matris.example`,
  ];
  return { ids, markers };
}

async function loginSession(t: TestApp, email: string): Promise<{ cookie: string; csrf: string }> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email, password: PASSWORD },
  });
  expect(res.statusCode, res.body).toBe(200);
  const raw = res.headers['set-cookie'];
  const line = (Array.isArray(raw) ? raw[0] : raw) as string;
  return { cookie: line.split(';')[0] as string, csrf: res.json().csrfToken };
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export async function seedWorld(t: TestApp): Promise<World> {
  const admin = await t.token('admin');
  const engineer = await ok(t, admin, 'POST', '/api/v1/engineers', {
    name: 'Matris Ingenjör',
    phone: '+46709555000',
    email: 'ingenjor@ballou.example',
  });
  const A = await seedTenant(t, admin, engineer.id, 'A', '556036-0793');
  const B = await seedTenant(t, admin, engineer.id, 'B', '556677-0011');

  // Month end: one invoice per customer (PDF, UBL, CSV, SIE), then a credit note on each.
  const run = await ok(t, admin, 'POST', '/api/v1/invoice-runs', { month: BILLED_MONTH });
  for (const tenant of [A, B]) {
    const invoice = (run.invoices as { id: string; number: string; customerId: string }[]).find(
      (i) => i.customerId === tenant.ids.customerId,
    );
    expect(invoice, 'each customer has an invoice').toBeDefined();
    tenant.ids.invoiceId = invoice!.id;
    // Invoice numbers are short integers (they would match any amount): the ids and names mark B.
    tenant.markers.push(invoice!.id);
    const credit = await ok(t, admin, 'POST', `/api/v1/invoices/${invoice!.id}/credit-notes`, {
      reason: 'Matris kreditering',
    });
    tenant.ids.creditNoteId = credit.id;
    tenant.markers.push(credit.id);
  }

  const rotation = await ok(t, admin, 'POST', '/api/v1/rotations', {
    role: 'primary',
    engineerIds: [engineer.id],
    start: '2026-11-30T08:00',
    shiftHours: 168,
    handover: '08:00',
  });
  const override = await ok(t, admin, 'POST', '/api/v1/overrides', {
    role: 'primary',
    engineerId: engineer.id,
    start: '2026-12-03T20:00',
    end: '2026-12-04T06:00',
  });
  const unavailability = await ok(t, admin, 'POST', '/api/v1/unavailability', {
    engineerId: engineer.id,
    start: '2026-12-20T00:00',
    end: '2026-12-27T00:00',
  });
  const feed = await ok(t, admin, 'POST', '/api/v1/oncall/feed-tokens', { engineerId: engineer.id });
  const swap = await ok(t, admin, 'POST', '/api/v1/shift-swaps', {
    role: 'primary',
    start: '2026-12-05T08:00',
    end: '2026-12-06T08:00',
    engineerId: engineer.id,
  });
  const integration = await ok(t, admin, 'POST', '/api/v1/integrations', {
    kind: 'alertmanager',
    name: 'Matris Prometheus',
  });
  const spareToken = await ok(t, admin, 'POST', '/api/v1/tokens', { name: 'matris-spare', role: 'engineer' });
  await ok(t, admin, 'POST', '/api/v1/users', {
    email: 'ingenjor@ballou.example',
    name: 'Matris Ingenjör',
    password: PASSWORD,
    role: 'engineer',
    engineerId: engineer.id,
  });
  // The account the admin routes act on (a TOTP reset ends its sessions: not a principal's).
  const staffUser = await ok(t, admin, 'POST', '/api/v1/users', {
    email: 'ekonomi@ballou.example',
    name: 'Matris Ekonomi',
    password: PASSWORD,
    role: 'billing',
  });
  const global: GlobalIds = {
    engineerId: engineer.id,
    selfEngineerId: engineer.id,
    rotationId: rotation.id,
    overrideId: override.id,
    unavailabilityId: unavailability.id,
    feedTokenId: feed.id,
    feedToken: feed.token,
    swapId: swap.id,
    integrationId: integration.id,
    apiTokenId: spareToken.id,
    userId: staffUser.id,
    pushSubscriptionId: '',
  };

  const browser = async (name: PrincipalName, role: 'customer' | 'engineer', email: string) => {
    let session = await loginSession(t, email);
    return {
      name,
      role,
      headers: (method: string) => ({
        cookie: session.cookie,
        ...(UNSAFE.has(method) ? { 'x-csrf-token': session.csrf } : {}),
      }),
      session: {
        reLogin: async () => {
          session = await loginSession(t, email);
        },
      },
    } satisfies Principal;
  };
  const customerToken = await t.token('customer', A.ids.customerId);
  const bearer = (token: string) => () => ({ authorization: `Bearer ${token}` });
  // The engineer logs in (its account is the engineer's, as on the phone); the others use API tokens.
  const principals: Principal[] = [
    { name: 'anonymous', role: null, headers: () => ({}) },
    await browser('customerA-session', 'customer', A.ids.userEmail),
    { name: 'customerA-token', role: 'customer', headers: bearer(customerToken) },
    await browser('engineer-session', 'engineer', 'ingenjor@ballou.example'),
  ];
  // The engineer's phone subscribes to web push (an unreachable endpoint: a test push fails at once).
  const engineerBrowser = principals.at(-1)!;
  const subscribed = await t.app.inject({
    method: 'POST',
    url: '/api/v1/me/push-subscriptions',
    headers: engineerBrowser.headers('POST'),
    payload: createBrowser().subscription('https://127.0.0.1:9/matris/ingenjor'),
  });
  expect(subscribed.statusCode, subscribed.body).toBe(201);
  global.pushSubscriptionId = subscribed.json().id;
  for (const role of ['manager', 'billing', 'admin'] as const)
    principals.push({ name: role, role, headers: bearer(role === 'admin' ? admin : await t.token(role)) });

  const randomServer = randomUUID();
  const random = (): TenantIds => ({
    customerId: randomUUID(),
    contactId: randomUUID(),
    appOncallId: randomUUID(),
    serverId: randomServer,
    childServerId: randomServer,
    authorizationId: randomUUID(),
    incidentId: randomUUID(),
    closedIncidentId: randomUUID(),
    actionRunId: randomUUID(),
    taskId: randomUUID(),
    invoiceId: randomUUID(),
    creditNoteId: randomUUID(),
    linkToken: randomUUID().replaceAll('-', ''),
    userEmail: `ingen-${randomUUID()}@matris.example`,
  });
  const randomGlobal: GlobalIds = {
    engineerId: randomUUID(),
    selfEngineerId: engineer.id,
    rotationId: randomUUID(),
    overrideId: randomUUID(),
    unavailabilityId: randomUUID(),
    feedTokenId: randomUUID(),
    feedToken: randomUUID().replaceAll('-', ''),
    swapId: randomUUID(),
    integrationId: randomUUID(),
    apiTokenId: randomUUID(),
    userId: randomUUID(),
    pushSubscriptionId: randomUUID(),
  };
  return {
    a: A.ids,
    b: B.ids,
    global,
    markersOfB: B.markers.filter((m) => m.length >= 6 && !A.markers.includes(m)),
    principals,
    admin,
    idSets: {
      own: { ...A.ids, ...global, name: 'own' },
      other: { ...B.ids, ...global, name: 'other' },
      random: { ...random(), ...randomGlobal, name: 'random' },
      mixed: {
        ...A.ids,
        ...global,
        name: 'mixed',
        contactId: B.ids.contactId,
        appOncallId: B.ids.appOncallId,
        authorizationId: B.ids.authorizationId,
        childServerId: B.ids.serverId,
      },
    },
  };
}
