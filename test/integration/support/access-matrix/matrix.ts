/**
 * The access-control matrix: every registered route × every principal × A's ids, B's ids and random
 * ids. Each answer is judged against the route's declared `config.access` and the tenant rules; the
 * result is a list of violations (must be empty) and what was tried.
 */
import type { FastifyInstance, RouteOptions } from 'fastify';
import type { AppContext } from '../../../../src/app/app-context.js';
import type { RouteAccess } from '../../../../src/server/route-access.js';
import { openStream } from './http.js';
import { changedTables, fingerprint, markersIn, readableText } from './inspect.js';
import { specFor, urlFor, type RouteSpec } from './route-specs.js';
import type { IdSet, IdSetName, Principal, World } from './world.js';

export interface RegisteredRoute {
  method: string;
  url: string;
  access: RouteAccess | undefined;
}

/** Collects the routes as Fastify registers them (buildApp's onRoute observer). */
export function routeCollector(): { routes: RegisteredRoute[]; onRoute(route: RouteOptions): void } {
  const routes: RegisteredRoute[] = [];
  return {
    routes,
    onRoute(route) {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      for (const method of methods)
        routes.push({
          method: String(method).toUpperCase(),
          url: route.url,
          access: (route.config as { access?: RouteAccess } | undefined)?.access,
        });
    },
  };
}

interface Case {
  route: RegisteredRoute;
  spec: RouteSpec;
  principal: Principal;
  ids: IdSet;
}

interface Answer {
  status: number;
  contentType: string | undefined;
  body: Buffer;
}

export interface MatrixResult {
  routes: number;
  principals: number;
  idSets: number;
  /** Requests with A's parent and B's child ids (beyond routes × principals × id sets). */
  mixedCases: number;
  /** Cases judged; `sent` of them went to the server (the rest were reads identical to one already sent). */
  requests: number;
  sent: number;
  violations: string[];
  /** Requests per outcome, for the printout. */
  outcomes: Record<string, number>;
}

const WRITE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** A browser that logs out, or logs in again, leaves its old session behind: the principal logs in anew. */
const SESSION_ENDERS = new Set(['POST /api/v1/auth/logout', 'POST /api/v1/auth/login']);

function roleAllowed(route: RegisteredRoute, spec: RouteSpec, principal: Principal): boolean | 'any' {
  if (spec.static || spec.provider || spec.capability) return 'any';
  if (spec.feed) return principal.role !== null && principal.role !== 'customer';
  if (route.access === 'public' || route.access === 'provider') return 'any';
  if (!route.access) return false;
  return principal.role !== null && route.access.roles.includes(principal.role);
}

/** The rules one answer must keep; returns what it broke. */
function judge(c: Case, answer: Answer, text: string | null, world: World): string[] {
  const { route, spec, principal, ids } = c;
  const where = `${route.method} ${route.url} as ${principal.name} with ${ids.name} ids → ${answer.status}`;
  const out: string[] = [];
  const status = answer.status;
  if (status >= 500) out.push(`${where}: server error`);
  if (status === 0) out.push(`${where}: no answer`);
  if (route.url.startsWith('/api/v1/') && route.access === undefined)
    out.push(`${where}: no access declaration`);
  const allowed = roleAllowed(route, spec, principal);
  if (allowed === false) {
    const expected = principal.role === null ? 401 : 403;
    if (status !== expected) out.push(`${where}: expected ${expected}`);
  } else if (allowed === true) {
    const tokenOnSessionRoute =
      (spec.sessionOnly && !principal.session) ||
      (spec.engineerAccountOnly && principal.name !== 'engineer-session');
    if (status === 401 || (status === 403 && !tokenOnSessionRoute))
      out.push(`${where}: refused although the route admits role ${principal.role}`);
    if (
      principal.role === 'customer' &&
      spec.tenant &&
      ids.name !== 'own' &&
      ids.name !== 'random' &&
      status !== 404
    )
      out.push(`${where}: another customer's id must answer 404`);
    if (ids.name === 'mixed' && (status < 400 || status > 499))
      out.push(`${where}: B's object under A's must be refused (4xx)`);
    if (ids.name === 'random' && spec.params && !spec.static && status !== 404 && !tokenOnSessionRoute)
      out.push(`${where}: an unknown id must answer 404`);
    if (
      principal.role === 'customer' &&
      ids.name === 'own' &&
      spec.tenant &&
      route.method === 'GET' &&
      (status < 200 || status > 299)
    )
      out.push(`${where}: the customer's own data must answer 2xx`);
  } else if (spec.capability && ids.name === 'random' && spec.params && status !== 404) {
    out.push(`${where}: an unknown link must answer 404`);
  }
  // Nothing of B may reach A (or anyone unauthenticated), unless the request carried B's own credential.
  const mayHoldB = spec.capability && ids.name === 'other';
  if ((principal.role === 'customer' || principal.role === null) && !mayHoldB && text !== null) {
    const found = markersIn(text, world.markersOfB);
    if (found.length > 0) out.push(`${where}: shows customer B's ${found.slice(0, 5).join(', ')}`);
  }
  return out;
}

async function send(app: FastifyInstance, base: string, c: Case): Promise<Answer> {
  const url = urlFor(c.route.url, c.spec, c.ids);
  const headers = c.principal.headers(c.route.method);
  if (c.spec.stream && roleAllowed(c.route, c.spec, c.principal) === true) {
    // Admitted to a stream that never ends: the status and the first bytes are enough here.
    const stream = await openStream(base, url, headers, c.route.method, 300);
    await new Promise((r) => setTimeout(r, 30));
    stream.close();
    return { status: stream.status, contentType: stream.contentType, body: Buffer.from(stream.text()) };
  }
  const body = c.spec.body?.(c.ids);
  const res = await app.inject({
    method: c.route.method as 'GET',
    url,
    headers: {
      ...headers,
      ...(typeof body === 'string' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    },
    ...(body === undefined ? {} : { payload: body as string }),
  });
  return { status: res.statusCode, contentType: res.headers['content-type'] as string, body: res.rawPayload };
}

/** Runs the whole matrix. Reads first, then writes ordered so that refused writes can be proven inert. */
export async function runMatrix(
  app: FastifyInstance,
  base: string,
  ctx: AppContext,
  routes: RegisteredRoute[],
  world: World,
): Promise<MatrixResult> {
  const idSetNames: IdSetName[] = ['own', 'other', 'random'];
  const cases: Case[] = [];
  const idsOfB = Object.values(world.b);
  let mixedCases = 0;
  for (const route of routes) {
    const spec = specFor(route.method, route.url);
    if (!spec) continue; // the completeness test reports it
    for (const principal of world.principals) {
      // HEAD runs its GET's handler: by default each principal tries it once (BALLOU_MATRIX_FULL=1: every id set).
      const names =
        route.method === 'HEAD' && process.env.BALLOU_MATRIX_FULL !== '1' ? ['own' as const] : idSetNames;
      for (const name of names) cases.push({ route, spec, principal, ids: world.idSets[name] });
      // A's parent with B's child: only where the request then names something of B.
      const mixed = world.idSets.mixed;
      const request = spec.tenant
        ? `${urlFor(route.url, spec, mixed)} ${JSON.stringify(spec.body?.(mixed) ?? '')}`
        : '';
      if (idsOfB.some((id) => request.includes(id))) {
        cases.push({ route, spec, principal, ids: mixed });
        mixedCases += 1;
      }
    }
  }
  const isWrite = (c: Case) => WRITE.has(c.route.method);
  const admitted = (c: Case) => roleAllowed(c.route, c.spec, c.principal) !== false;
  const customerProbe = (c: Case) =>
    c.principal.role === 'customer' && c.ids.name !== 'own' && admitted(c) && c.spec.tenant === true;
  const phases: { cases: Case[]; inert: 'each' | 'all' | 'no' }[] = [
    { cases: cases.filter((c) => !isWrite(c)), inert: 'no' },
    { cases: cases.filter((c) => isWrite(c) && !admitted(c)), inert: 'all' },
    { cases: cases.filter((c) => isWrite(c) && customerProbe(c)), inert: 'each' },
    {
      cases: cases.filter((c) => isWrite(c) && admitted(c) && c.ids.name === 'mixed' && !customerProbe(c)),
      inert: 'all',
    },
    {
      cases: cases.filter(
        (c) =>
          isWrite(c) &&
          admitted(c) &&
          !customerProbe(c) &&
          c.principal.role === 'customer' &&
          c.ids.name !== 'mixed',
      ),
      inert: 'no',
    },
    {
      cases: cases.filter(
        (c) => isWrite(c) && admitted(c) && c.principal.role !== 'customer' && c.ids.name !== 'mixed',
      ),
      inert: 'no',
    },
  ];
  const violations: string[] = [];
  const outcomes: Record<string, number> = {};
  const trace = process.env.BALLOU_MATRIX_TRACE === '1';
  let requests = 0;
  const timing = new Map<string, number>();
  const reads = new Map<string, Answer>();
  let sent = 0;
  for (const phase of phases) {
    // Per request with BALLOU_MATRIX_TRACE=1 (names the culprit), else once per phase (fast).
    const perCase = phase.inert === 'each' && trace;
    const phaseBefore = phase.inert !== 'no' && !perCase ? await fingerprint(ctx) : null;
    for (const c of phase.cases) {
      const before = perCase ? await fingerprint(ctx) : null;
      const sentAt = Date.now();
      // A read whose URL no id changes (lists, boards, docs) answers the same for each id set: asked once.
      const readKey = WRITE.has(c.route.method)
        ? null
        : `${c.principal.name} ${c.route.method} ${urlFor(c.route.url, c.spec, c.ids)}`;
      const cached = readKey ? reads.get(readKey) : undefined;
      const answer = cached ?? (await send(app, base, c));
      if (!cached) sent += 1;
      if (readKey && !c.spec.stream) reads.set(readKey, answer);
      requests += 1;
      if (trace) {
        const key = `${c.route.method} ${c.route.url}`;
        timing.set(key, (timing.get(key) ?? 0) + Date.now() - sentAt);
      }
      if (trace && Date.now() - sentAt > 200)
        console.log(`slow ${Date.now() - sentAt} ms: ${c.route.method} ${c.route.url} ${c.principal.name}`);
      const outcome = [401, 403, 404].includes(answer.status)
        ? String(answer.status)
        : `${Math.floor(answer.status / 100)}xx`;
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
      const ok = answer.status >= 200 && answer.status < 300;
      // Only what a customer or an anonymous caller receives is searched for B (staff may see B).
      const watched = c.principal.role === 'customer' || c.principal.role === null;
      const text =
        ok && watched && c.route.method !== 'HEAD'
          ? await readableText(answer.contentType, answer.body)
          : null;
      violations.push(...judge(c, answer, text, world));
      if (before) {
        const changed = changedTables(before, await fingerprint(ctx));
        if (changed.length > 0)
          violations.push(
            `${c.route.method} ${c.route.url} as ${c.principal.name} with ${c.ids.name} ids → ${answer.status}: changed ${changed.join(', ')}`,
          );
      }
      if (SESSION_ENDERS.has(`${c.route.method} ${c.route.url}`) && ok) await c.principal.session?.reLogin();
    }
    if (phaseBefore) {
      const changed = changedTables(phaseBefore, await fingerprint(ctx));
      if (changed.length > 0)
        violations.push(
          `${phase.inert === 'all' ? 'refused writes' : "customer A's writes on B's or unknown ids"} changed ${changed.join(', ')} (BALLOU_MATRIX_TRACE=1 names the request)`,
        );
    }
  }
  if (trace)
    console.log(
      [...timing.entries()]
        .sort((x, y) => y[1] - x[1])
        .slice(0, 25)
        .map(([k, ms]) => `${ms} ms ${k}`)
        .join('\n'),
    );
  return {
    routes: new Set(routes.map((r) => `${r.method} ${r.url}`)).size,
    principals: world.principals.length,
    idSets: idSetNames.length,
    mixedCases,
    requests,
    sent,
    violations,
    outcomes,
  };
}
