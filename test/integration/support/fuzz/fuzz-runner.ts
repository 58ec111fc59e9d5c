import { createHash } from 'node:crypto';
import type { InjectOptions } from 'fastify';
import { sql } from 'kysely';
import { createApiToken, revokeApiToken } from '../../../../src/app/auth/api-tokens.js';
import { login, type LoginResult } from '../../../../src/app/auth/sessions.js';
import type { DemoLogins } from '../../../../src/app/demo/load-demo-data.js';
import { sessionCookieName } from '../../../../src/server/plugins/auth.js';
import { computeTwilioSignature } from '../../../../src/integrations/telephony/twilio-signature.js';
import { SYSTEM, type TestApp } from '../test-runtime.js';
import { BOOKKEEPING_COLUMNS, changedTables, DatabaseWatch, type Fingerprint } from './db-fingerprint.js';
import { Huge, percentEncode, ROLES, type AuthChoice, type FuzzCase } from './fuzz-cases.js';
import { IdRef } from './schema-arbitrary.js';

export const ELKS_SECRET = 'fuzz-elks-secret';
export const TWILIO_TOKEN = 'fuzz-twilio-token';
export const PUBLIC_URL = 'https://desk.fuzz.example';

/** The environment of the app under fuzz: providers configured, so webhooks get past authentication. */
export const FUZZ_ENV: Record<string, string> = {
  // The demo data is loaded by the fuzzer itself, after it made ids reproducible (seededIds).
  BALLOU_DEMO_DATA: '0',
  BALLOU_46ELKS_WEBHOOK_SECRET: ELKS_SECRET,
  BALLOU_TWILIO_AUTH_TOKEN: TWILIO_TOKEN,
  BALLOU_TWILIO_ACCOUNT_SID: 'ACfuzz',
  BALLOU_PUBLIC_URL: PUBLIC_URL,
  BALLOU_LOGIN_RATE_LIMIT: '60',
};

/**
 * Ids the app makes, derived from the seed: the same seed picks the same rows again, so a run replays.
 */
export function seededIds(seed: number): () => string {
  let n = 0;
  return () => {
    const h = createHash('sha256').update(`${seed}:${n++}`).digest('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[parseInt(h[16] as string, 16) % 4]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  };
}

interface Session {
  email: string;
  password: string;
  cookie: string;
  csrf: string;
}

/** Tokens and sessions of every role, kept alive: a case that ends one (logout, revoke) gets it back. */
export class Credentials {
  tokens = new Map<string, { id: string; token: string }>();
  sessions = new Map<string, Session>();
  revokedToken = '';
  integrationTokens = new Map<string, string>();
  customerId = '';

  constructor(private readonly t: TestApp) {}

  async setUp(demo: DemoLogins): Promise<void> {
    const customerUser = await this.t.ctx.db
      .selectFrom('users')
      .select('customer_id')
      .where('role', '=', 'customer')
      .executeTakeFirstOrThrow();
    this.customerId = customerUser.customer_id as string;
    for (const role of ROLES) await this.renewToken(role);
    for (const l of demo.logins)
      this.sessions.set(l.role, { email: l.email, password: l.password, cookie: '', csrf: '' });
    for (const role of ROLES) await this.renewSession(role);
    const revoked = await createApiToken(this.t.ctx, SYSTEM, {
      name: 'fuzz-revoked',
      role: 'admin',
      customerId: null,
    });
    await revokeApiToken(this.t.ctx, SYSTEM, revoked.id);
    this.revokedToken = revoked.token;
  }

  /** Ids of the integrations whose tokens the webhooks use. */
  integrationIds: string[] = [];

  /** Ids the fuzzer must not revoke (DELETE /tokens/{id}, /integrations/{id}): its own credentials. */
  protectedIds(): Set<string> {
    return new Set([...[...this.tokens.values()].map((v) => v.id), ...this.integrationIds]);
  }

  async renewToken(role: string): Promise<void> {
    const made = await createApiToken(this.t.ctx, SYSTEM, {
      name: `fuzz-${role}`,
      role: role as (typeof ROLES)[number],
      customerId: role === 'customer' ? this.customerId : null,
    });
    this.tokens.set(role, { id: made.id, token: made.token });
    // The first use records last_used_at (once a minute; the clock stands still): done here, not in a case.
    await this.t.call('GET', '/api/v1/auth/me', made.token);
  }

  async renewSession(role: string): Promise<void> {
    const s = this.sessions.get(role);
    if (!s) return;
    const result = (await login(this.t.ctx, { email: s.email, password: s.password })) as LoginResult;
    if (!('sessionToken' in result)) throw new Error(`the demo ${role} login asks for a second factor`);
    s.cookie = `${sessionCookieName(this.t.config.cookieSecure)}=${result.sessionToken}`;
    s.csrf = result.csrfToken;
  }

  headersFor(auth: AuthChoice): Record<string, string> {
    const [kind, role = ''] = auth.split(':') as [string, string?];
    const token = this.tokens.get(role)?.token ?? '';
    const session = this.sessions.get(role);
    switch (kind) {
      case 'token':
        return { authorization: `Bearer ${token}` };
      case 'session':
        return { cookie: session?.cookie ?? '', 'x-csrf-token': session?.csrf ?? '' };
      case 'session-nocsrf':
        return { cookie: session?.cookie ?? '' };
      case 'session-badcsrf':
        return { cookie: session?.cookie ?? '', 'x-csrf-token': `${session?.csrf ?? ''}x` };
      case 'bearer-garbage':
        return { authorization: 'Bearer bst_not-a-real-token' };
      case 'bearer-revoked':
        return { authorization: `Bearer ${this.revokedToken}` };
      case 'bearer-empty':
        return { authorization: 'Bearer ' };
      case 'basic':
        return { authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` };
      case 'cookie-garbage':
        return {
          cookie: `${sessionCookieName(this.t.config.cookieSecure)}=bss_garbage`,
          'x-csrf-token': 'x',
        };
      case 'token+cookie':
        return { authorization: 'Bearer nope', cookie: this.sessions.get('admin')?.cookie ?? '' };
      default:
        return {};
    }
  }
}

/** Real ids per table, refreshed after every write. */
export class IdPools {
  private pools = new Map<string, string[]>();
  constructor(
    private readonly t: TestApp,
    private readonly credentials: Credentials,
  ) {}

  async refresh(tables: Iterable<string>): Promise<void> {
    const keep = this.credentials.protectedIds();
    for (const table of new Set(tables)) {
      try {
        const rows = await sql<{ id: string }>`select id from ${sql.raw(`"${table}"`)} order by id`.execute(
          this.t.ctx.db,
        );
        this.pools.set(
          table,
          rows.rows.map((r) => String(r.id)).filter((id) => !keep.has(id)),
        );
      } catch {
        this.pools.set(table, []);
      }
    }
  }

  resolve(ref: IdRef): string {
    const pool = this.pools.get(ref.table) ?? [];
    return pool.length === 0
      ? '00000000-0000-4000-8000-000000000000'
      : (pool[ref.pick % pool.length] as string);
  }
}

function resolveValue(v: unknown, ids: IdPools, creds: Credentials): unknown {
  if (v instanceof IdRef) return ids.resolve(v);
  if (v instanceof Huge) return v.text();
  if (v === '__ROUTING_KEY__') return creds.integrationTokens.get('pagerduty') ?? 'none';
  if (Array.isArray(v)) return v.map((x) => resolveValue(x, ids, creds));
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = resolveValue(x, ids, creds);
    return out;
  }
  return v;
}

const text = (v: unknown): string => (typeof v === 'string' ? v : (JSON.stringify(v) ?? ''));

/** The case as the HTTP request light-my-request sends. */
export function toRequest(c: FuzzCase, ids: IdPools, creds: Credentials): InjectOptions {
  let path = c.route.path + (c.pathSuffix ?? '');
  for (const [name, value] of Object.entries(c.pathValues)) {
    const v = text(resolveValue(value, ids, creds));
    path = path.replace(`{${name}}`, c.rawPathValues ? v : percentEncode(v));
  }
  const params = new URLSearchParams();
  for (const [name, value] of c.query) {
    const v = resolveValue(value, ids, creds);
    for (const one of Array.isArray(v) ? v : [v]) params.append(name, text(one));
  }
  const query = c.rawQuery ?? params.toString();
  const url = query ? `${path}?${query}` : path;
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(c.headers)) headers[k] = v instanceof Huge ? v.text() : v;
  let payload: string | undefined;
  if (c.body.kind === 'json') {
    const v = resolveValue(c.body.value, ids, creds);
    if (c.body.contentType === 'application/x-www-form-urlencoded' && v && typeof v === 'object')
      payload = new URLSearchParams(
        Object.entries(v).map(([k, x]): [string, string] => [k, text(x)]),
      ).toString();
    else payload = JSON.stringify(v) ?? 'null';
    headers['content-type'] = c.body.contentType ?? 'application/json';
  } else if (c.body.kind === 'form') {
    const form = new URLSearchParams();
    for (const [k, v] of c.body.fields) form.append(k, text(resolveValue(v, ids, creds)));
    payload = form.toString();
    headers['content-type'] = c.body.contentType ?? 'application/x-www-form-urlencoded';
    if (c.route.webhook === 'twilio' && c.providerAuth === 'valid') {
      const fields: Record<string, string | string[]> = {};
      for (const name of new Set(form.keys())) {
        const all = form.getAll(name);
        fields[name] = all.length === 1 ? (all[0] as string) : all;
      }
      headers['x-twilio-signature'] = computeTwilioSignature(
        TWILIO_TOKEN,
        new URL(url, PUBLIC_URL).toString(),
        fields,
      );
    }
  } else if (c.body.kind === 'raw') {
    payload = c.body.text instanceof Huge ? c.body.text.text() : c.body.text;
    if (c.body.contentType) headers['content-type'] = c.body.contentType;
  }
  if (c.route.webhook === 'elks' && c.providerAuth !== 'none')
    headers.authorization = `Basic ${Buffer.from(`46elks:${c.providerAuth === 'valid' ? ELKS_SECRET : 'wrong'}`).toString('base64')}`;
  if (c.route.webhook === 'twilio' && c.providerAuth === 'wrong') headers['x-twilio-signature'] = 'AAAA';
  if ((c.route.webhook === 'alertmanager' || c.route.webhook === 'generic') && c.providerAuth !== 'none')
    headers.authorization = `Bearer ${c.providerAuth === 'valid' ? (creds.integrationTokens.get(c.route.webhook) ?? '') : 'wrong'}`;
  Object.assign(headers, c.route.webhook ? {} : creds.headersFor(c.auth), c.headers);
  return {
    method: c.method as InjectOptions['method'],
    url,
    headers,
    ...(payload === undefined ? {} : { payload }),
  };
}

export interface Finding {
  route: string;
  label: string;
  auth: string;
  status: number;
  problem: string;
  request: string;
}

export interface FuzzStats {
  cases: number;
  byRoute: Map<string, number>;
  byClass: Record<string, number>;
  byStatus: Map<number, number>;
  /** Per route, the statuses its valid-looking cases got (how deep the fuzzer reached). */
  validStatuses: Map<string, number[]>;
  serverErrors: Finding[];
  notProblemJson: Finding[];
  writesOn4xx: Finding[];
  /** Refused logins and second factors, counted and audited on purpose (ASVS 2.2.1): not a violation. */
  recordedAuthFailures: number;
  /** Refused action runs, recorded on purpose (ADR 0017). */
  recordedRefusals: number;
  /** A token's last use or a session's last activity, recorded before the request was refused. */
  recordedCredentialUse: number;
  unsendable: number;
}

export function newStats(): FuzzStats {
  return {
    cases: 0,
    byRoute: new Map(),
    byClass: { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 },
    byStatus: new Map(),
    validStatuses: new Map(),
    serverErrors: [],
    notProblemJson: [],
    writesOn4xx: [],
    recordedAuthFailures: 0,
    recordedCredentialUse: 0,
    recordedRefusals: 0,
    unsendable: 0,
  };
}

/** What a problem+json answer must look like (src/server/plugins/error-handler.ts, RFC 9457). */
export function problemShapeError(
  status: number,
  contentType: string | undefined,
  body: string,
): string | undefined {
  if (!contentType?.startsWith('application/problem+json')) return `content-type ${contentType ?? '(none)'}`;
  let p: Record<string, unknown>;
  try {
    p = JSON.parse(body) as Record<string, unknown>;
  } catch {
    return 'body is not JSON';
  }
  for (const k of ['type', 'title', 'detail', 'code', 'instance', 'requestId'])
    if (typeof p[k] !== 'string') return `${k} missing or not a string`;
  if (p.status !== status) return `status ${String(p.status)} ≠ ${status}`;
  if (
    p.errors !== undefined &&
    !(
      Array.isArray(p.errors) &&
      p.errors.every(
        (e: unknown) =>
          typeof (e as { path?: unknown }).path === 'string' &&
          typeof (e as { message?: unknown }).message === 'string',
      )
    )
  )
    return 'errors is not [{path, message}]';
  return undefined;
}

/**
 * The PagerDuty-compatible endpoint answers a bad event as PagerDuty itself does (integrations.md A4:
 * "identical codes/body"), so senders built for PagerDuty understand it: the one documented exception.
 */
function isPagerDutyRefusal(status: number, body: string): boolean {
  try {
    const b = JSON.parse(body) as { status?: unknown; message?: unknown; errors?: unknown };
    return (
      status === 400 &&
      b.status === 'invalid event' &&
      typeof b.message === 'string' &&
      Array.isArray(b.errors) &&
      b.errors.every((e) => typeof e === 'string')
    );
  } catch {
    return false;
  }
}

const AUTH_FAILURE_ACTIONS = new Set(['auth.login_failed', 'auth.totp_disable_refused']);

/** Runs cases one after another against the app, checking each answer and the database around it. */
export class FuzzRunner {
  readonly stats = newStats();
  private readonly watch: DatabaseWatch;
  private before: Fingerprint = new Map();
  private marker = '';
  /** Full fingerprints taken (after each request that may have written). */
  fingerprints = 0;
  private lastAuditSeq = 0;
  /** Time spent fingerprinting the database, for the report. */
  fingerprintMs = 0;

  constructor(
    private readonly t: TestApp,
    private readonly creds: Credentials,
    readonly ids: IdPools,
  ) {
    this.watch = new DatabaseWatch(t.ctx, t.databaseUrl);
  }

  async start(): Promise<void> {
    await this.watch.start();
    await this.ids.refresh(this.idTables());
    await this.rebase();
  }

  close(): void {
    this.watch.close();
  }

  /** The state the next request is compared against. */
  private async rebase(): Promise<void> {
    this.before = await this.watch.fingerprint();
    this.marker = await this.watch.marker();
    this.lastAuditSeq = await this.auditSeq();
  }

  private idTables(): string[] {
    const wanted = [
      'customers',
      'servers',
      'engineers',
      'contacts',
      'action_authorizations',
      'invoice_lines',
      'rotations',
      'overrides',
      'unavailability',
      'calendar_feed_tokens',
      'shift_swaps',
      'incidents',
      'integrations',
      'action_runs',
      'invoices',
      'operations_tasks',
      'push_subscriptions',
      'users',
      'api_tokens',
    ];
    return wanted.filter((w) => this.watch.tables.includes(w));
  }

  private async auditSeq(): Promise<number> {
    const row = await this.t.ctx.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .executeTakeFirst();
    return Number(row?.seq ?? 0);
  }

  async run(c: FuzzCase): Promise<void> {
    const s = this.stats;
    const routeKey = `${c.route.method} ${c.route.path}`;
    let request: InjectOptions;
    let res;
    try {
      request = toRequest(c, this.ids, this.creds);
      res = await this.t.app.inject(
        c.route.path.endsWith('/incidents/stream') ? { ...request, payloadAsStream: true } : request,
      );
    } catch (error) {
      // light-my-request refuses what no HTTP client could send (e.g. CR/LF in a header value).
      if (error instanceof TypeError || (error as { code?: string }).code?.startsWith('ERR_')) {
        s.unsendable++;
        return;
      }
      throw error;
    }
    let body: string;
    if (res.stream && c.route.path.endsWith('/incidents/stream')) {
      const stream = res.stream();
      if (res.statusCode < 300) {
        stream.destroy();
        body = '';
      } else {
        const chunks: Buffer[] = [];
        for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
        body = Buffer.concat(chunks).toString('utf8');
      }
    } else body = res.body;
    s.cases++;
    s.byRoute.set(routeKey, (s.byRoute.get(routeKey) ?? 0) + 1);
    s.byStatus.set(res.statusCode, (s.byStatus.get(res.statusCode) ?? 0) + 1);
    if (process.env.BALLOU_FUZZ_DEBUG === '1' && c.valid && res.statusCode >= 400)
      console.log(
        `${res.statusCode} ${c.auth} ${request.method} ${request.url} ${String(request.payload).slice(0, 300)}\n   ${body.slice(0, 300)}`,
      );
    if (c.valid) s.validStatuses.set(routeKey, [...(s.validStatuses.get(routeKey) ?? []), res.statusCode]);
    const cls = `${Math.floor(res.statusCode / 100)}xx`;
    s.byClass[cls] = (s.byClass[cls] ?? 0) + 1;
    const describe = (problem: string): Finding => ({
      route: routeKey,
      label: c.label,
      auth: c.auth,
      status: res.statusCode,
      problem,
      request: `${request.method} ${String(request.url).slice(0, 200)} ${String(request.payload ?? '').slice(0, 300)}`,
    });
    if (res.statusCode >= 500) s.serverErrors.push(describe(body.slice(0, 300)));
    if (res.statusCode >= 400 && c.method !== 'HEAD') {
      const shape = problemShapeError(
        res.statusCode,
        res.headers['content-type'] as string | undefined,
        body,
      );
      if (shape && !(c.route.webhook === 'pagerduty' && isPagerDutyRefusal(res.statusCode, body)))
        s.notProblemJson.push(describe(`${shape}: ${body.slice(0, 120)}`));
    }
    const fpStart = performance.now();
    // Nothing committed since the last look: the fingerprint is unchanged (no need to hash it again).
    const marker = await this.watch.marker();
    let changed: string[] = [];
    if (marker !== this.marker) {
      const after = await this.watch.fingerprint();
      this.fingerprints++;
      changed = changedTables(this.before, after);
      this.before = after;
      this.marker = marker;
    }
    this.fingerprintMs += performance.now() - fpStart;
    if (res.statusCode >= 400 && res.statusCode < 500 && changed.length > 0) {
      const kind = await this.classifyWrite(changed, c, res.statusCode);
      if (kind === 'auth-failure') s.recordedAuthFailures++;
      else if (kind === 'recorded-refusal') s.recordedRefusals++;
      else if (kind === 'credential-use') s.recordedCredentialUse++;
      else s.writesOn4xx.push(describe(`changed ${changed.join(', ')}`));
    }
    if (changed.length > 0) {
      this.lastAuditSeq = await this.auditSeq();
      await this.ids.refresh(this.idTables());
    }
    await this.keepCredentialsAlive(c, res.statusCode);
  }

  /**
   * What a refused request may write: authentication's own bookkeeping (BOOKKEEPING_COLUMNS: a counted
   * login failure, a token's last use, a session's last activity) with the audit rows of refused logins,
   * the record of a refused action run (ADR 0017: a `refused` run, its audit row and timeline note), and
   * a 403's own `access.refused` audit row. Anything else is a violation.
   */
  private async classifyWrite(
    changed: string[],
    c: FuzzCase,
    status: number,
  ): Promise<'violation' | 'auth-failure' | 'credential-use' | 'recorded-refusal'> {
    const refusedRun =
      c.method === 'POST' &&
      c.route.path.endsWith('/incidents/{id}/actions') &&
      (status === 403 || status === 409);
    const allowed = new Set([
      'audit_log',
      ...Object.keys(BOOKKEEPING_COLUMNS),
      ...(refusedRun ? ['action_runs', 'incident_events', 'incidents'] : []),
    ]);
    if (!changed.every((t) => allowed.has(t))) return 'violation';
    if (changed.includes('audit_log')) {
      const added = await this.t.ctx.db
        .selectFrom('audit_log')
        .select('action')
        .where('seq', '>', this.lastAuditSeq)
        .execute();
      const ok = (a: string) =>
        AUTH_FAILURE_ACTIONS.has(a) ||
        (refusedRun && a === 'action.run_refused') ||
        // A signed-in principal's refused request is on record (access-refusals.ts), and only that.
        (status === 403 && a === 'access.refused');
      if (!added.every((a) => ok(a.action))) return 'violation';
    }
    if (changed.includes('action_runs')) return 'recorded-refusal';
    return changed.includes('audit_log') || changed.includes('users') ? 'auth-failure' : 'credential-use';
  }

  /** After a logout, a revoked token or a reset account, make the credential anew (outside any check). */
  private async keepCredentialsAlive(c: FuzzCase, status: number): Promise<void> {
    const [kind, role = ''] = c.auth.split(':');
    const ended =
      (status === 401 && (kind === 'token' || kind === 'session')) ||
      (status < 300 && (c.route.path.endsWith('/auth/logout') || c.route.path.includes('/totp/')));
    if (!ended) return;
    if (kind === 'token') await this.creds.renewToken(role);
    if (kind?.startsWith('session')) await this.creds.renewSession(role);
    await this.ids.refresh(this.idTables());
    await this.rebase();
  }
}
