import fc from 'fast-check';
import {
  arbitraryFor,
  IdRef,
  nastyText,
  tableForName,
  oddInstant,
  type JsonSchema,
  type SchemaContext,
} from './schema-arbitrary.js';

/** One operation of the OpenAPI document (plus the provider webhooks' unprefixed twins). */
export interface RouteSpec {
  method: string;
  path: string;
  bodySchema?: JsonSchema;
  pathParams: string[];
  query: Array<{ name: string; required: boolean; schema: JsonSchema }>;
  webhook?: 'elks' | 'twilio' | 'alertmanager' | 'pagerduty' | 'generic';
}

interface OpenApiDoc {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, JsonSchema> };
}
interface OpenApiOperation {
  parameters?: Array<{ in: string; name: string; required?: boolean; schema: JsonSchema }>;
  requestBody?: { content?: Record<string, { schema: JsonSchema }> };
}

function webhookKind(path: string): RouteSpec['webhook'] {
  if (path.includes('/webhooks/46elks/')) return 'elks';
  if (path.includes('/webhooks/twilio/')) return 'twilio';
  if (path.endsWith('/webhooks/alertmanager')) return 'alertmanager';
  if (path.includes('/webhooks/pagerduty/')) return 'pagerduty';
  if (path.endsWith('/webhooks/generic')) return 'generic';
  return undefined;
}

/** Every route and method of the document; API.md's webhook paths without /api/v1 are added too. */
export function routesOf(doc: OpenApiDoc): RouteSpec[] {
  const routes: RouteSpec[] = [];
  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(operations)) {
      const params = op.parameters ?? [];
      const route: RouteSpec = {
        method: method.toUpperCase(),
        path,
        bodySchema: op.requestBody?.content?.['application/json']?.schema,
        pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
        query: params
          .filter((p) => p.in === 'query')
          .map((p) => ({ name: p.name, required: p.required === true, schema: p.schema })),
        webhook: webhookKind(path),
      };
      routes.push(route);
      if (route.webhook) routes.push({ ...route, path: path.replace(/^\/api\/v1/, '') });
    }
  }
  return routes;
}

/** Huge text, made only when the request is sent. */
export class Huge {
  constructor(
    readonly size: number,
    readonly unit: string,
  ) {}
  text(): string {
    return this.unit.repeat(Math.ceil(this.size / this.unit.length)).slice(0, this.size);
  }
}

export type Body =
  | { kind: 'none' }
  | { kind: 'json'; value: unknown; contentType?: string }
  | { kind: 'form'; fields: Array<[string, unknown]>; contentType?: string }
  | { kind: 'raw'; text: string | Huge; contentType?: string };

/** Who the request claims to be; resolved against the credentials made for the run. */
export type AuthChoice =
  | 'anon'
  | `token:${string}`
  | `session:${string}`
  | `session-nocsrf:${string}`
  | `session-badcsrf:${string}`
  | 'bearer-garbage'
  | 'bearer-revoked'
  | 'bearer-empty'
  | 'basic'
  | 'cookie-garbage'
  | 'token+cookie';

export interface FuzzCase {
  route: RouteSpec;
  valid: boolean;
  /** What was done to the request: `valid` or the malformation. */
  label: string;
  method: string;
  auth: AuthChoice;
  /** Provider-side authentication of webhooks (basic auth, signature, integration token). */
  providerAuth: 'valid' | 'wrong' | 'none';
  pathValues: Record<string, IdRef | string | Huge>;
  rawPathValues?: boolean;
  /** Junk appended to the path of a route without parameters. */
  pathSuffix?: string;
  query: Array<[string, unknown]>;
  rawQuery?: string;
  body: Body;
  headers: Record<string, string | Huge>;
}

export const ROLES = ['admin', 'manager', 'engineer', 'billing', 'customer'] as const;

// Admin most often (most routes are open to it, so requests reach the use cases), every role sometimes.
const goodAuth: fc.Arbitrary<AuthChoice> = fc.oneof(
  { weight: 5, arbitrary: fc.constant<AuthChoice>('token:admin') },
  { weight: 2, arbitrary: fc.constant<AuthChoice>('session:admin') },
  { weight: 4, arbitrary: fc.constantFrom(...ROLES).map((r): AuthChoice => `token:${r}`) },
  { weight: 3, arbitrary: fc.constantFrom(...ROLES).map((r): AuthChoice => `session:${r}`) },
  { weight: 1, arbitrary: fc.constant<AuthChoice>('anon') },
);

const badAuth: fc.Arbitrary<AuthChoice> = fc.oneof(
  fc.constantFrom<AuthChoice>(
    'anon',
    'bearer-garbage',
    'bearer-revoked',
    'bearer-empty',
    'basic',
    'cookie-garbage',
    'token+cookie',
  ),
  fc.constantFrom(...ROLES).map((r): AuthChoice => `session-nocsrf:${r}`),
  fc.constantFrom(...ROLES).map((r): AuthChoice => `session-badcsrf:${r}`),
);

const phone = fc.constantFrom('+46701234567', '+46812345678', '+46700000000', '0701234567', 'anonymous', '');
const providerText = fc.oneof(
  fc.string({ maxLength: 20 }),
  nastyText,
  fc.constantFrom('OK', 'ok', '1', 'KVITTERA'),
);

/** Form fields 46elks and Twilio send, with plausible and odd values. */
function providerForm(kind: 'elks' | 'twilio'): fc.Arbitrary<Array<[string, unknown]>> {
  const fields: Record<string, fc.Arbitrary<unknown>> = kind === 'elks'
    ? {
        callid: fc.oneof(fc.uuid(), fc.string({ maxLength: 12 })),
        id: fc.oneof(fc.uuid(), fc.string({ maxLength: 12 })),
        from: phone,
        to: phone,
        direction: fc.constantFrom('incoming', 'outgoing', 'x'),
        created: fc.constantFrom('2026-12-01T10:59:00.000000', 'yesterday', ''),
        message: providerText,
        status: fc.constantFrom('delivered', 'failed', 'sent', 'x'),
        delivered: fc.constantFrom('2026-12-01T11:00:00.000000', ''),
        result: fc.constantFrom('1', '2', 'failed', ''),
        state: fc.constantFrom('success', 'failed', 'busy'),
        duration: fc.constantFrom('0', '12', '-1', 'x'),
      }
    : {
        CallSid: fc.stringMatching(/^CA[0-9a-f]{6}$/),
        MessageSid: fc.stringMatching(/^SM[0-9a-f]{6}$/),
        AccountSid: fc.constantFrom('ACfuzz', ''),
        From: phone,
        To: phone,
        Body: providerText,
        CallStatus: fc.constantFrom('ringing', 'completed', 'no-answer', 'x'),
        MessageStatus: fc.constantFrom('delivered', 'undelivered', 'failed', 'x'),
        DialCallStatus: fc.constantFrom('completed', 'no-answer', 'busy', 'x'),
        Digits: fc.constantFrom('1', '2', '#', ''),
        ErrorCode: fc.constantFrom('30003', '', 'x'),
      };
  // Every field a provider may send (each webhook reads its own); sometimes one is left out.
  const names = Object.keys(fields);
  return fc
    .tuple(
      fc.tuple(...names.map((n) => fields[n] as fc.Arbitrary<unknown>)),
      fc.option(fc.nat(), { freq: 4 }),
    )
    .map(([values, drop]) =>
      names
        .map((n, i): [string, unknown] => [n, values[i]])
        .filter((_f, i) => drop === null || i !== drop % names.length),
    );
}

const alertJson = (kind: 'alertmanager' | 'pagerduty' | 'generic'): fc.Arbitrary<unknown> => {
  const labels = fc.record(
    {
      alertname: fc.constantFrom('HostDown', 'DiskFull', 'x'),
      instance: fc.constantFrom('web1.nordhamn.example', 'db1', ''),
    },
    { requiredKeys: [] },
  );
  if (kind === 'alertmanager')
    return fc.record({
      version: fc.constant('4'),
      groupKey: fc.string({ minLength: 1, maxLength: 20 }),
      receiver: fc.constantFrom('ballou', ''),
      status: fc.constantFrom('firing', 'resolved'),
      alerts: fc.array(
        fc.record({
          status: fc.constantFrom('firing', 'resolved'),
          labels,
          annotations: fc.record({ summary: providerText }, { requiredKeys: [] }),
          startsAt: fc.constantFrom('2026-12-01T10:58:00Z', '2026-12-01T11:00:00.123+01:00', '2026-12-01'),
          fingerprint: fc.string({ maxLength: 16 }),
        }),
        { maxLength: 3 },
      ),
    });
  if (kind === 'pagerduty')
    return fc.record({
      routing_key: fc.constant('__ROUTING_KEY__'),
      event_action: fc.constantFrom('trigger', 'acknowledge', 'resolve', 'x'),
      dedup_key: fc.string({ maxLength: 16 }),
      payload: fc.record({
        summary: providerText,
        source: fc.constantFrom('web1.nordhamn.example', 'db1.nordhamn.example', 'unknown.example', ''),
        severity: fc.constantFrom('critical', 'error', 'warning', 'info', 'x'),
      }),
    });
  return fc.record(
    {
      name: fc.constantFrom('HostDown', 'Disk full', ''),
      title: providerText,
      status: fc.constantFrom('down', 'up', 'firing', 'resolved', 'PROBLEM', 'OK'),
      host: fc.constantFrom('web1.nordhamn.example', 'db1', ''),
      id: fc.string({ maxLength: 16 }),
      message: providerText,
    },
    { requiredKeys: [] },
  );
};

function pathValueArb(route: RouteSpec, param: string): fc.Arbitrary<IdRef | string> {
  const segments = route.path.split('/');
  const at = segments.findIndex((s) => s.includes(`{${param}}`));
  const table = tableForName(param) ?? tableForName(segments[at - 1] ?? '');
  if (!table) return fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{8,43}$/), fc.uuid());
  return fc.oneof(
    { weight: 5, arbitrary: fc.nat().map((pick) => new IdRef(table, pick)) },
    { weight: 1, arbitrary: fc.uuid() },
  );
}

function validCase(route: RouteSpec, c: SchemaContext): fc.Arbitrary<FuzzCase> {
  const pathValues = fc.record(Object.fromEntries(route.pathParams.map((p) => [p, pathValueArb(route, p)])));
  const query = fc
    .tuple(
      ...route.query.map((q) =>
        fc
          .tuple(fc.boolean(), arbitraryFor(q.schema, c, q.name))
          .map(([include, value]) =>
            include || q.required ? ([[q.name, value]] as Array<[string, unknown]>) : [],
          ),
      ),
    )
    .map((parts) => parts.flat());
  let body: fc.Arbitrary<Body> = fc.constant({ kind: 'none' });
  if (route.bodySchema) body = arbitraryFor(route.bodySchema, c).map((value) => ({ kind: 'json', value }));
  else if (route.webhook === 'elks' || route.webhook === 'twilio')
    body = providerForm(route.webhook).map((fields) => ({ kind: 'form', fields }));
  else if (route.webhook) body = alertJson(route.webhook).map((value) => ({ kind: 'json', value }));
  return fc
    .record({
      auth: route.webhook ? fc.constant<AuthChoice>('anon') : goodAuth,
      providerAuth: fc.constantFrom<FuzzCase['providerAuth']>('valid', 'valid', 'valid', 'wrong'),
      pathValues,
      query,
      body,
    })
    .map((r) => ({ route, valid: true, label: 'valid', method: route.method, headers: {}, ...r }));
}

const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.constant({}),
  fc.string({ maxLength: 5 }),
  fc.constant(-1),
  fc.constant(Number.MAX_SAFE_INTEGER),
  fc.constant(1e308),
);

const brokenJson = fc.oneof(
  fc.constantFrom(
    '{',
    '{"a":}',
    '{"a":1,}',
    "{'a':1}",
    '[1,2',
    'null',
    '"just a string"',
    '\uFEFF{}',
    '{"a":1}{"b":2}',
    '{"a":NaN}',
    '{"a":1e999}',
    '{"a":"\\ud800"}',
    '{"a":"\\u0000"}',
    '',
    ' ',
    'undefined',
    '{"__proto__":{"role":"admin"}}',
    '{"constructor":{"prototype":{"role":"admin"}}}',
  ),
  fc.string({ maxLength: 40 }),
);

/** Percent-encodes any text, lone surrogates included (encodeURIComponent throws on those). */
export function percentEncode(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return [...Buffer.from(text, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
  }
}

const junkPath = fc.oneof(
  nastyText.map((s) => percentEncode(s)),
  fc.constantFrom(
    '%',
    '%zz',
    '%00',
    '..%2F..%2Fetc',
    '%E0%A4%A',
    '%C0%AF',
    '0',
    '-1',
    'null',
    '🙂',
    '%F0%9F%99%82',
  ),
  fc.constant(new Huge(5000, 'a')),
  fc.constant(new Huge(100_000, '9')),
);

const junkQuery = fc.oneof(
  fc.constantFrom(
    '%zz=1',
    'limit=abc',
    'limit=-5',
    'limit=99999999999999999999',
    'limit=1&limit=2',
    'from=2026-02-30&to=2026-01-01',
    'from=2026-03-29T02:30&to=2026-03-29T02:30',
    'month=2026-13',
    'month=0000-00',
    'cursor=%00',
    'cursor=not-a-cursor',
    '__proto__[role]=admin',
    'a[b][c]=1',
    'at=yesterday',
    'customerId=%27%20or%201%3D1',
    'state=open&state=closed',
    'token=',
    'engineerId=x&token=y',
    'kind=%0d%0a',
    '&&&==&',
    'includeRevoked=maybe',
  ),
  fc.string({ maxLength: 30 }).map((s) => `x=${percentEncode(s)}`),
);

const weirdHeaders: fc.Arbitrary<Record<string, string | Huge>> = fc.oneof(
  fc.constantFrom<Record<string, string>>(
    { accept: 'application/xml' },
    { accept: '*/*;q=abc' },
    { 'accept-language': 'xx-ÅÄ;q=2' },
    { 'x-forwarded-for': '999.999.999.999, ::g' },
    { 'last-event-id': '2026-99-99T99:99' },
    { 'last-event-id': 'x'.repeat(200) },
    { 'if-none-match': '*' },
    { range: 'bytes=5-1' },
    { 'content-encoding': 'gzip' },
    { 'x-csrf-token': '' },
    { cookie: ';;;=;ballou_session=;__Host-ballou_session=%' },
    { 'x-http-method-override': 'DELETE' },
    { origin: 'https://evil.example' },
  ),
  fc.constant({ 'x-fuzz-long': new Huge(16_000, 'h') }),
);

type Mutation = (c: FuzzCase) => FuzzCase;

const TIME_KEY = /^(at|start|end|from|to|month|after)$|At$|Start$|End$|From$/;

/** A body field to damage: a key of the top-level object (the request's own fields). */
function keysOf(c: FuzzCase): string[] {
  if (
    c.body.kind === 'json' &&
    c.body.value &&
    typeof c.body.value === 'object' &&
    !Array.isArray(c.body.value)
  )
    return Object.keys(c.body.value as object);
  return [];
}

function setField(c: FuzzCase, key: string | undefined, value: unknown, label: string): FuzzCase {
  if (c.body.kind !== 'json' || key === undefined)
    return {
      ...c,
      label: `${label}(no body: extra field)`,
      body: { kind: 'json', value: { [label]: value } },
    };
  return { ...c, label, body: { kind: 'json', value: { ...(c.body.value as object), [key]: value } } };
}

function mutation(route: RouteSpec): fc.Arbitrary<Mutation> {
  const pick = <T>(xs: T[], n: number): T | undefined => (xs.length === 0 ? undefined : xs[n % xs.length]);
  const required = route.bodySchema?.required ?? [];
  const all: Array<fc.Arbitrary<Mutation>> = [
    fc.nat().map((n) => (c: FuzzCase) => {
      const key = pick(required, n);
      if (c.body.kind !== 'json' || key === undefined) return { ...c, label: 'drop-required(none)' };
      const { [key]: _dropped, ...rest } = c.body.value as Record<string, unknown>;
      return { ...c, label: 'drop-required', body: { kind: 'json', value: rest } };
    }),
    fc.tuple(fc.nat(), wrongValue).map(
      ([n, v]) =>
        (c: FuzzCase) =>
          setField(c, pick(keysOf(c), n), v, 'wrong-type'),
    ),
    fc.tuple(fc.string({ minLength: 1, maxLength: 12 }), fc.jsonValue({ maxDepth: 1 })).map(
      ([k, v]) =>
        (c: FuzzCase) =>
          setField(c, `x${k}`, v, 'extra-field'),
    ),
    fc
      .tuple(
        fc.nat(),
        fc.constantFrom(3000, 70_000, 600_000),
        fc.constantFrom('a', 'å', '😀', '\u0000', '\r\n'),
      )
      .map(
        ([n, size, unit]) =>
          (c: FuzzCase) =>
            setField(c, pick(keysOf(c), n), new Huge(size, unit), 'huge-string'),
      ),
    fc.tuple(fc.nat(), nastyText).map(
      ([n, s]) =>
        (c: FuzzCase) =>
          setField(c, pick(keysOf(c), n), s, 'nasty-string'),
    ),
    fc.tuple(fc.nat(), oddInstant).map(([n, s]) => (c: FuzzCase) => {
      const timeKeys = keysOf(c).filter((k) => TIME_KEY.test(k));
      const q = pick(
        route.query.filter((p) => TIME_KEY.test(p.name)),
        n,
      );
      if (timeKeys.length === 0 && q)
        return {
          ...c,
          label: 'odd-time(query)',
          query: [...c.query.filter(([k]) => k !== q.name), [q.name, s]],
        };
      return setField(c, pick(timeKeys, n), s, 'odd-time');
    }),
    fc
      .oneof(
        fc.integer(),
        fc.string(),
        fc.constant(null),
        fc.boolean(),
        fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 2 }),
      )
      .map((v) => (c: FuzzCase) => ({ ...c, label: 'not-an-object', body: { kind: 'json', value: v } })),
    brokenJson.map((text) => (c: FuzzCase) => ({
      ...c,
      label: 'broken-json',
      body: { kind: 'raw', text, contentType: 'application/json' },
    })),
    fc.constantFrom(2000, 50_000).map((depth) => (c: FuzzCase) => ({
      ...c,
      label: 'deep-json',
      body: {
        kind: 'raw',
        text: `${'['.repeat(depth)}${']'.repeat(depth)}`,
        contentType: 'application/json',
      },
    })),
    fc.constantFrom(1024 * 1024 + 10, 3 * 1024 * 1024).map((size) => (c: FuzzCase) => ({
      ...c,
      label: 'oversized',
      body: {
        kind: 'raw',
        text: new Huge(size, '{"a":1}'),
        contentType:
          c.route.webhook === 'elks' || c.route.webhook === 'twilio'
            ? 'application/x-www-form-urlencoded'
            : 'application/json',
      },
    })),
    fc
      .constantFrom(
        'application/x-www-form-urlencoded',
        'text/plain',
        'multipart/form-data; boundary=fuzz',
        'application/xml',
        'application/json; charset=utf-16',
        'application/jsonx',
        'APPLICATION/JSON',
        'application/merge-patch+json',
        'application/json; boundary=",;"',
        'application/octet-stream',
        '*/*',
      )
      .map((contentType) => (c: FuzzCase) => {
        if (c.body.kind === 'json')
          return { ...c, label: `content-type ${contentType}`, body: { ...c.body, contentType } };
        if (c.body.kind === 'form')
          return { ...c, label: `content-type ${contentType}`, body: { ...c.body, contentType } };
        return {
          ...c,
          label: `content-type ${contentType}`,
          body: { kind: 'raw', text: 'a=1&b=2', contentType },
        };
      }),
    fc
      .jsonValue({ maxDepth: 1 })
      .map((v) => (c: FuzzCase) => ({ ...c, label: 'unexpected-body', body: { kind: 'json', value: v } })),
    fc.tuple(fc.nat(), junkPath).map(([n, v]) => (c: FuzzCase) => {
      const param = pick(route.pathParams, n);
      if (!param)
        return { ...c, label: 'path-suffix junk', pathSuffix: `/${typeof v === 'string' ? v : '%00'}` };
      return { ...c, label: 'path-junk', rawPathValues: true, pathValues: { ...c.pathValues, [param]: v } };
    }),
    junkQuery.map((rawQuery) => (c: FuzzCase) => ({ ...c, label: 'query-junk', rawQuery })),
    fc.tuple(fc.nat(), wrongValue).map(([n, v]) => (c: FuzzCase) => {
      const q = pick(route.query, n);
      return q
        ? { ...c, label: 'query-wrong-type', query: [[q.name, Array.isArray(v) ? v : JSON.stringify(v)]] }
        : { ...c, label: 'query-unknown', query: [['unknown', v]] };
    }),
    badAuth.map((auth) => (c: FuzzCase) => ({ ...c, label: `auth ${auth}`, auth, providerAuth: 'wrong' })),
    fc.constantFrom<FuzzCase['providerAuth']>('wrong', 'none').map((providerAuth) => (c: FuzzCase) => ({
      ...c,
      label: `provider-auth ${providerAuth}`,
      providerAuth,
    })),
    weirdHeaders.map((headers) => (c: FuzzCase) => ({
      ...c,
      label: `headers ${Object.keys(headers).join(',')}`,
      headers,
    })),
    fc
      .constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS')
      .filter((m) => m !== route.method)
      .map((method) => (c: FuzzCase) => ({ ...c, label: `method ${method}`, method })),
  ];
  return fc.oneof(...all);
}

/** Requests for one route: valid-looking ones, and the same with one thing broken. */
export function casesFor(route: RouteSpec, c: SchemaContext): fc.Arbitrary<FuzzCase> {
  const valid = validCase(route, c);
  return fc.oneof(
    { weight: 2, arbitrary: valid },
    { weight: 3, arbitrary: fc.tuple(valid, mutation(route)).map(([v, m]) => ({ ...m(v), valid: false })) },
  );
}
