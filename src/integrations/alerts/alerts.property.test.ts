import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  alertmanagerPayload,
  pagerDutyTrigger,
  uptimeKumaPayload,
} from '../../../test/stand-ins/alert-senders.js';
import { AlertPayloadError } from './alert-payload-error.js';
import { parseAlertmanagerAlerts } from './alertmanager.js';
import { parseGenericAlert } from './generic.js';
import type { NormalizedAlert } from './normalized-alert.js';
import { parsePagerDutyAlert } from './pagerduty.js';
import { safeText } from './text-safety.js';

const ROUTING_KEY = 'a'.repeat(32);
const parsers: [string, (body: unknown) => unknown][] = [
  ['alertmanager', parseAlertmanagerAlerts],
  ['pagerduty', parsePagerDutyAlert],
  ['generic', parseGenericAlert],
];

/** Runs a parser: returns normally or throws AlertPayloadError, nothing else. */
function outcome(parse: (body: unknown) => unknown, body: unknown): 'ok' | 'refused' {
  try {
    parse(body);
    return 'ok';
  } catch (error) {
    if (error instanceof AlertPayloadError) return 'refused';
    throw error;
  }
}

// Text that tries everything: line breaks, controls, bidi overrides, lone surrogates, astral characters.
const nastyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({
    unit: fc.constantFrom(
      '\r',
      '\n',
      '\u2028',
      '\u2029',
      '\u0085',
      '\u202e',
      '\ud800',
      '\udc00',
      'a',
      ' ',
      '😀',
    ),
    maxLength: 40,
  }),
);

/** A valid body of each kind with `text` in its human fields. */
const bodies = {
  alertmanager: (text: string) =>
    alertmanagerPayload({
      alerts: [
        {
          labels: { alertname: text, instance: text, server: text, customer: text, [`x${text}`]: text },
          annotations: { summary: text },
        },
      ],
    }),
  pagerduty: (text: string) =>
    pagerDutyTrigger(ROUTING_KEY, { summary: `x${text}`.slice(0, 1024), source: `h${text}`, class: text }),
  generic: (text: string) => ({
    name: `n${text}`,
    status: 'firing',
    summary: text,
    server: text,
    customer: text,
  }),
  uptimeKuma: (text: string) => ({ ...uptimeKumaPayload({ name: text, status: 0, msg: text }), msg: text }),
};

function normalizedOf(kind: keyof typeof bodies, text: string): NormalizedAlert[] {
  const body = bodies[kind](text);
  if (kind === 'alertmanager') return parseAlertmanagerAlerts(body).alerts;
  if (kind === 'pagerduty') return [parsePagerDutyAlert(body).alert];
  const { alert } = parseGenericAlert(body);
  return alert ? [alert] : [];
}

/** Replaces the value at a random path of a JSON value with `replacement`. */
function mutate(value: unknown, path: number[], replacement: unknown): unknown {
  if (path.length === 0 || value === null || typeof value !== 'object') return replacement;
  const [step, ...rest] = path as [number, ...number[]];
  if (Array.isArray(value)) {
    if (value.length === 0) return replacement;
    const copy = [...value];
    const i = step % copy.length;
    copy[i] = mutate(copy[i], rest, replacement);
    return copy;
  }
  const keys = Object.keys(value);
  if (keys.length === 0) return replacement;
  const key = keys[step % keys.length]!;
  return { ...value, [key]: mutate((value as Record<string, unknown>)[key], rest, replacement) };
}

describe('properties', () => {
  it.each(parsers)(
    '%s: arbitrary JSON is parsed or refused with AlertPayloadError, never anything else',
    (_, parse) => {
      fc.assert(
        fc.property(fc.jsonValue(), (value) => {
          outcome(parse, value);
        }),
        { numRuns: 500 },
      );
    },
  );

  it.each(parsers)(
    '%s: valid bodies with one value replaced by arbitrary JSON never crash',
    (name, parse) => {
      const valid =
        name === 'alertmanager'
          ? bodies.alertmanager('web1')
          : name === 'pagerduty'
            ? bodies.pagerduty('web1')
            : bodies.uptimeKuma('web1');
      fc.assert(
        fc.property(
          fc.array(fc.nat(), { maxLength: 5 }),
          fc.jsonValue({ maxDepth: 3 }),
          (path, replacement) => {
            const body = JSON.parse(JSON.stringify(mutate(valid, path, replacement))) as unknown;
            outcome(parse, body);
          },
        ),
        { numRuns: 500 },
      );
    },
  );

  it('summaries and names never contain CR, LF or other controls, whatever the sender wrote', () => {
    // eslint-disable-next-line no-control-regex
    const forbidden = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
    fc.assert(
      fc.property(
        fc.constantFrom(...(Object.keys(bodies) as (keyof typeof bodies)[])),
        nastyText,
        (kind, text) => {
          for (const alert of normalizedOf(kind, text)) {
            for (const field of [
              alert.summary,
              alert.alertName,
              alert.serverHint ?? '',
              alert.customerHint ?? '',
            ])
              expect(field).not.toMatch(forbidden);
            for (const [k, v] of Object.entries(alert.labels)) {
              expect(k).not.toMatch(forbidden);
              expect(v).not.toMatch(forbidden);
            }
            expect(alert.summary).not.toMatch(
              /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/,
            );
            expect(alert.summary).not.toBe('');
            expect(alert.alertName).not.toBe('');
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('safeText never throws, never grows past its cap, never leaves line breaks', () => {
    fc.assert(
      fc.property(nastyText, fc.integer({ min: 1, max: 50 }), (text, max) => {
        const safe = safeText(text, max);
        expect(Array.from(safe).length).toBeLessThanOrEqual(max);
        expect(safe).not.toMatch(/[\r\n\u2028\u2029]/);
        expect(safeText(safe, max)).toBe(safe);
      }),
      { numRuns: 1000 },
    );
  });

  it('eventKey is a pure function of the body (a retry is always the same delivery)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...(Object.keys(bodies) as (keyof typeof bodies)[])),
        nastyText,
        (kind, text) => {
          const first = normalizedOf(kind, text).map((a) => a.eventKey);
          const again = normalizedOf(kind, text).map((a) => a.eventKey);
          expect(again).toEqual(first);
        },
      ),
      { numRuns: 200 },
    );
  });
});
