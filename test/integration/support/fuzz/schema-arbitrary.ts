import fc from 'fast-check';

/** A JSON schema as the OpenAPI document carries it (TypeBox output, converted by @fastify/swagger). */
export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  $ref?: string;
  [k: string]: unknown;
};

/**
 * A reference to a real row, resolved only when the request is sent (the rows change while the fuzzer
 * runs): `pick` chooses among the ids present then.
 */
export class IdRef {
  constructor(
    readonly table: string,
    readonly pick: number,
  ) {}
}

/** Which table an `…Id` field or a path segment points at. */
export function tableForName(name: string): string | undefined {
  const base = name.replace(/Ids?$/, '');
  const map: Record<string, string> = {
    customer: 'customers',
    customers: 'customers',
    server: 'servers',
    servers: 'servers',
    engineer: 'engineers',
    engineers: 'engineers',
    contact: 'contacts',
    contacts: 'contacts',
    'app-oncall': 'contacts',
    authorization: 'action_authorizations',
    authorizations: 'action_authorizations',
    line: 'invoice_lines',
    rotation: 'rotations',
    rotations: 'rotations',
    overrides: 'overrides',
    unavailability: 'unavailability',
    'feed-tokens': 'calendar_feed_tokens',
    'shift-swaps': 'shift_swaps',
    incident: 'incidents',
    incidents: 'incidents',
    integrations: 'integrations',
    'action-runs': 'action_runs',
    invoice: 'invoices',
    invoices: 'invoices',
    'operations-tasks': 'operations_tasks',
    'push-subscriptions': 'push_subscriptions',
    users: 'users',
    user: 'users',
    tokens: 'api_tokens',
  };
  return map[base];
}

const TIME_FIELDS = new Set([
  'at',
  'start',
  'end',
  'from',
  'to',
  'reportedAt',
  'validFrom',
  'agreementStart',
  'agreementEnd',
  'startsAt',
  'endsAt',
  'expirationTime',
  'after',
]);

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Instants the API reads: dates, local Stockholm times (some on DST edges), times with offsets. */
const plausibleInstant: fc.Arbitrary<string> = fc
  .record({
    y: fc.constantFrom(2026, 2026, 2025, 2027),
    m: fc.constantFrom(11, 12, 12, 1, 3, 10, 6),
    d: fc.integer({ min: 1, max: 28 }),
    h: fc.integer({ min: 0, max: 23 }),
    min: fc.constantFrom(0, 15, 30, 59),
    style: fc.constantFrom(
      'local',
      'local',
      'utc',
      'utc',
      'offset',
      'offset',
      'date',
      'dst-gap',
      'dst-fold',
      'month',
    ),
  })
  .map(({ y, m, d, h, min, style }) => {
    const date = `${y}-${pad(m)}-${pad(d)}`;
    switch (style) {
      case 'date':
        return date;
      case 'local':
        return `${date}T${pad(h)}:${pad(min)}`;
      case 'utc':
        return `${date}T${pad(h)}:${pad(min)}:00.000Z`;
      case 'offset':
        return `${date}T${pad(h)}:${pad(min)}:00+01:00`;
      case 'dst-gap':
        return '2026-03-29T02:30';
      case 'dst-fold':
        return '2026-10-25T02:30';
      default:
        return `${y}-${pad(m)}`;
    }
  });

/** Instants at the edges of what a Date can hold, and calendar nonsense that still looks like a time. */
export const oddInstant: fc.Arbitrary<string> = fc.constantFrom(
  '0000-01-01T00:00',
  '0001-01-01',
  '9999-12-31T23:59:59.999Z',
  '+275760-09-13T00:00:00Z',
  '-271821-04-20T00:00:00Z',
  '2026-02-30T10:00',
  '2026-12-01T24:00',
  '2026-12-01T10:00+14:00',
  '2026-12-01T10:00-23:59',
  '2026-12-01T10:00+99:99',
  '2026-13-01T10:00',
  '2026-12-01T10:00:60',
  '2026-12-01T10:00:00.123456789Z',
  '2026-W49-2',
  '20261201T100000Z',
  '1e12',
  '2026-12-01 10:00',
);

export const instantText: fc.Arbitrary<string> = fc.oneof(
  { weight: 9, arbitrary: plausibleInstant },
  { weight: 1, arbitrary: oddInstant },
);

const monthText = fc
  .record({
    y: fc.constantFrom(2026, 2026, 2025, 2027),
    m: fc.oneof(fc.integer({ min: 1, max: 12 }), fc.constantFrom(0, 13)),
  })
  .map(({ y, m }) => `${pad(y, 4)}-${pad(m)}`);

const phoneText = fc
  .oneof(
    fc.stringMatching(/^\+4670\d{7}$/),
    fc.stringMatching(/^07\d{8}$/),
    fc.constantFrom('+46701234567', '', '+', 'anonymous'),
  )
  .map((s) => s);

/** Text that breaks naive code: control characters, NUL, CRLF, RTL marks, emoji, SQL and HTML. */
export const nastyText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '\u0000',
    'a\u0000b',
    'line\r\nInjected: yes',
    '\r\n\r\n',
    "'; drop table customers; --",
    '<script>alert(1)</script>',
    '\u202Egnp.exe',
    '😀👍🏽‍🔥',
    '\uD800',
    '\uFFFF\uFFFE',
    '%00',
    '../../etc/passwd',
    '${jndi:ldap://x}',
    '{{7*7}}',
    ' ',
    '',
    '\t',
    'null',
    'undefined',
    '__proto__',
    'ÅÄÖ åäö',
    '1e309',
    '-0',
  ),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
);

function textFor(schema: JsonSchema, name: string | undefined): fc.Arbitrary<string> {
  if (schema.format === 'email' || (name && /email/i.test(name))) return fc.emailAddress();
  if (name === 'month') return monthText;
  if (schema.pattern) {
    try {
      return fc.stringMatching(new RegExp(schema.pattern));
    } catch {
      // An ECMAScript-incompatible pattern: fall through to plain text.
    }
  }
  if (name === 'agreementStart' || name === 'agreementEnd')
    return fc
      .date({ min: new Date('2025-01-01'), max: new Date('2027-12-31'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
  if (name && TIME_FIELDS.has(name)) return instantText;
  if (name && /phone/i.test(name)) return phoneText;
  const minLength = schema.minLength ?? 0;
  const maxLength = Math.max(minLength, Math.min(schema.maxLength ?? 40, 40));
  return fc.oneof(
    { weight: 4, arbitrary: fc.string({ minLength, maxLength }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength, maxLength }) },
  );
}

export interface SchemaContext {
  /** components.schemas of the document, for $ref. */
  components: Record<string, JsonSchema>;
  /** Real values by field name (demo logins' e-mails and passwords, action keys, hostnames). */
  known?: Record<string, unknown[]>;
}

function deref(schema: JsonSchema, c: SchemaContext): JsonSchema {
  if (schema.$ref) {
    const name = schema.$ref.split('/').pop() as string;
    return c.components[name] ?? {};
  }
  return schema;
}

/**
 * A valid-looking value for a schema: within its types, enums, patterns and bounds, with real ids in
 * `…Id` fields and plausible instants in time fields. Not always valid (cross-field rules, unknown ids):
 * close enough that requests get past validation into the use cases.
 */
export function arbitraryFor(
  rawSchema: JsonSchema,
  c: SchemaContext,
  name?: string,
  depth = 0,
): fc.Arbitrary<unknown> {
  const schema = deref(rawSchema, c);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((s) => arbitraryFor(s, c, name, depth + 1)));
  if (schema.allOf) return arbitraryFor(Object.assign({}, ...schema.allOf) as JsonSchema, c, name, depth);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  const table = name ? tableForName(name) : undefined;
  const known = name ? c.known?.[name] : undefined;
  switch (type) {
    case 'string': {
      const generic = textFor(schema, name);
      const text = known?.length
        ? fc.oneof(
            { weight: 3, arbitrary: fc.constantFrom(...(known as string[])) },
            { weight: 1, arbitrary: generic },
          )
        : generic;
      if (table && /Id$/.test(name ?? ''))
        return fc.oneof(
          { weight: 6, arbitrary: fc.nat().map((pick) => new IdRef(table, pick)) },
          { weight: 1, arbitrary: fc.uuid() },
          { weight: 1, arbitrary: text },
        );
      return text;
    }
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1000, max: schema.maximum ?? 100_000 });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1000, max: schema.maximum ?? 100_000, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const itemName = name?.endsWith('Ids') ? name.slice(0, -1) : undefined;
      return fc.array(arbitraryFor(schema.items ?? {}, c, itemName, depth + 1), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.max(schema.minItems ?? 0, Math.min(schema.maxItems ?? 3, 3)),
      });
    }
    case 'object': {
      const props = schema.properties ?? {};
      if (depth > 6 || Object.keys(props).length === 0) return fc.constant({});
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, sub] of Object.entries(props)) record[key] = arbitraryFor(sub, c, key, depth + 1);
      const required = (schema.required ?? []).filter((k) => k in props);
      const made = fc.record(record, { requiredKeys: required });
      // A period usually ends after it starts, so the request gets past that check into the use case.
      return 'start' in props && 'end' in props ? made.map(orderPeriod) : made;
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function orderPeriod(value: Record<string, unknown>): Record<string, unknown> {
  const { start, end } = value;
  if (typeof start === 'string' && typeof end === 'string' && end < start)
    return { ...value, start: end, end: start };
  return value;
}
