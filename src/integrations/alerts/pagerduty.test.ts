import { describe, expect, it } from 'vitest';
import { AlertPayloadError } from './alert-payload-error.js';
import {
  generatedDedupKey,
  pagerDutyInvalidEventBody,
  pagerDutySuccessBody,
  parsePagerDutyAlert,
  parsePagerDutyEvent,
} from './pagerduty.js';

const ROUTING_KEY = 'R0123456789abcdefABCDEF012345678';

/** The trigger example of PagerDuty's "Send an Alert Event" docs (integrations.md A4). */
function trigger(): Record<string, unknown> {
  return {
    payload: {
      summary: 'DISK at 99% on machine prod-datapipe03.example.com',
      timestamp: '2015-07-17T08:42:58.315+0000',
      severity: 'critical',
      source: 'prod-datapipe03.example.com',
      component: 'mysql',
      group: 'prod-datapipe',
      class: 'disk',
      custom_details: { free_space: '1%', ping_time: '1500ms', customer: '556677-8899' },
    },
    routing_key: ROUTING_KEY,
    dedup_key: 'srv01/mysql',
    event_action: 'trigger',
    client: 'Sample Monitoring Service',
    client_url: 'https://monitoring.service.com',
    links: [{ href: 'http://pagerduty.example.com', text: 'An example link.' }],
    images: [
      {
        src: 'https://chart.example.com/image',
        href: 'https://example.com/',
        alt: 'An example link with an image',
      },
    ],
  };
}

function invalid(body: unknown): string[] {
  try {
    parsePagerDutyEvent(body);
  } catch (error) {
    expect(error).toBeInstanceOf(AlertPayloadError);
    return pagerDutyInvalidEventBody(error as AlertPayloadError).errors;
  }
  throw new Error('expected the event to be refused');
}

describe('parsePagerDutyEvent', () => {
  it('accepts the documented trigger', () => {
    const event = parsePagerDutyEvent(trigger());
    expect(event).toMatchObject({
      routing_key: ROUTING_KEY,
      event_action: 'trigger',
      dedup_key: 'srv01/mysql',
      dedupKeyGenerated: false,
      payload: {
        summary: 'DISK at 99% on machine prod-datapipe03.example.com',
        severity: 'critical',
        class: 'disk',
      },
      client: 'Sample Monitoring Service',
      links: [{ href: 'http://pagerduty.example.com', text: 'An example link.' }],
    });
  });

  it('accepts acknowledge and resolve with a dedup_key and no payload', () => {
    for (const action of ['acknowledge', 'resolve']) {
      const event = parsePagerDutyEvent({
        routing_key: ROUTING_KEY,
        event_action: action,
        dedup_key: 'srv01/mysql',
      });
      expect(event).toMatchObject({ event_action: action, dedup_key: 'srv01/mysql' });
      expect(event.payload).toBeUndefined();
    }
  });

  it('trigger needs payload, summary, source and severity', () => {
    const noPayload = trigger();
    delete noPayload.payload;
    expect(invalid(noPayload)).toEqual(["'payload' is missing or blank"]);
    expect(invalid({ ...trigger(), payload: {} })).toEqual([
      "'payload.summary' is missing or blank",
      "'payload.source' is missing or blank",
      "'payload.severity' is missing or blank",
    ]);
    expect(invalid({ ...trigger(), payload: { summary: ' ', source: 5, severity: null } })).toEqual([
      "'payload.summary' is missing or blank",
      "'payload.source' is missing or blank",
      "'payload.severity' is missing or blank",
    ]);
  });

  it('refuses an invalid severity with PagerDuty’s message', () => {
    expect(invalid({ ...trigger(), payload: { summary: 's', source: 'h', severity: 'high' } })).toEqual([
      "'payload.severity' is invalid (must be one of the following: 'critical', 'warning', 'error' or 'info')",
    ]);
  });

  it('refuses a summary over 1024 characters', () => {
    const body = trigger();
    (body.payload as Record<string, unknown>).summary = 'x'.repeat(1025);
    expect(invalid(body)).toEqual(["'payload.summary' is too long (maximum is 1024 characters)"]);
    (body.payload as Record<string, unknown>).summary = 'x'.repeat(1024);
    expect(() => parsePagerDutyEvent(body)).not.toThrow();
  });

  it('acknowledge and resolve need a dedup_key', () => {
    for (const action of ['acknowledge', 'resolve'])
      expect(invalid({ routing_key: ROUTING_KEY, event_action: action })).toEqual([
        "'dedup_key' is missing or blank",
      ]);
  });

  it('checks the routing_key like PagerDuty: present, 32 characters, alphanumeric', () => {
    const body = trigger();
    delete body.routing_key;
    expect(invalid(body)).toEqual(["'routing_key' is missing or blank"]);
    expect(invalid({ ...trigger(), routing_key: 12345 })).toEqual(["'routing_key' is missing or blank"]);
    expect(invalid({ ...trigger(), routing_key: 'short' })).toEqual([
      "Length of 'routing_key' is incorrect (should be 32 characters)",
    ]);
    expect(invalid({ ...trigger(), routing_key: 'e+23rschqsESqk9Q6_-g' })).toEqual([
      "Length of 'routing_key' is incorrect (should be 32 characters)",
      "'routing_key' cannot contain non-alphanumeric characters.",
    ]);
  });

  it('checks event_action and dedup_key', () => {
    const body = trigger();
    delete body.event_action;
    expect(invalid(body)).toEqual(["'event_action' is missing or blank"]);
    expect(invalid({ ...trigger(), event_action: 'escalate' })).toEqual([
      "'event_action' is invalid (must be one of the following: 'trigger', 'acknowledge' or 'resolve')",
    ]);
    expect(invalid({ ...trigger(), dedup_key: 'k'.repeat(256) })).toEqual([
      "'dedup_key' is too long (maximum is 255 characters)",
    ]);
    expect(invalid({ ...trigger(), dedup_key: 42 })).toEqual(["'dedup_key' is invalid (must be a string)"]);
  });

  it('lists every problem at once, with JSON Pointer paths', () => {
    try {
      parsePagerDutyEvent({ routing_key: 'x', event_action: 'trigger', payload: { severity: 'bad' } });
      expect.unreachable();
    } catch (error) {
      expect((error as AlertPayloadError).errors.map((e) => e.path)).toEqual([
        '/routing_key',
        '/payload/summary',
        '/payload/source',
        '/payload/severity',
      ]);
    }
  });

  it('refuses a body that is not an object', () => {
    for (const body of [null, 'x', [], 1])
      expect(invalid(body)).toEqual(['Event object is not a JSON object']);
  });

  it('ignores optional fields of the wrong type instead of losing the page', () => {
    const event = parsePagerDutyEvent({
      ...trigger(),
      links: 'nope',
      images: [5, { src: 3 }],
      client: 7,
      payload: { ...(trigger().payload as object), component: 5, timestamp: 'not a time' },
    });
    expect(event.links).toEqual([]);
    expect(event.images).toEqual([]);
    expect(event.client).toBeUndefined();
    expect(event.payload?.component).toBeUndefined();
    expect(
      parsePagerDutyAlert({ ...trigger(), payload: { ...(trigger().payload as object), timestamp: 'x' } })
        .alert.startsAtMs,
    ).toBeNull();
  });

  it('derives a dedup_key for a trigger without one, the same for a retry', () => {
    const body = trigger();
    delete body.dedup_key;
    const first = parsePagerDutyEvent(body);
    const retry = parsePagerDutyEvent(structuredClone(body));
    expect(first.dedupKeyGenerated).toBe(true);
    expect(first.dedup_key).toMatch(/^[0-9a-f]{32}$/);
    expect(retry.dedup_key).toBe(first.dedup_key);
    expect(first.dedup_key).toBe(generatedDedupKey(ROUTING_KEY, body.payload));
    const other = parsePagerDutyEvent({
      ...body,
      payload: { ...(body.payload as object), summary: 'other' },
    });
    expect(other.dedup_key).not.toBe(first.dedup_key);
  });
});

describe('normalizePagerDutyEvent', () => {
  it('normalises a trigger', () => {
    const { alert } = parsePagerDutyAlert(trigger());
    expect(alert).toMatchObject({
      source: 'pagerduty',
      format: 'pagerduty',
      problemKey: 'srv01/mysql',
      status: 'firing',
      alertName: 'disk',
      summary: 'DISK at 99% on machine prod-datapipe03.example.com',
      severity: 'critical',
      startsAtMs: Date.UTC(2015, 6, 17, 8, 42, 58, 315),
      endsAtMs: null,
      serverHint: 'prod-datapipe03.example.com',
      customerHint: '556677-8899',
      labels: {
        severity: 'critical',
        source: 'prod-datapipe03.example.com',
        component: 'mysql',
        group: 'prod-datapipe',
        class: 'disk',
      },
      links: ['http://pagerduty.example.com/', 'https://example.com/', 'https://monitoring.service.com/'],
      groupKey: null,
    });
    expect(alert.description).toContain('"free_space":"1%"');
    expect(alert.eventKey).not.toContain(ROUTING_KEY);
  });

  it('maps acknowledge and resolve, matching the source host with a port', () => {
    const ack = parsePagerDutyAlert({
      routing_key: ROUTING_KEY,
      event_action: 'acknowledge',
      dedup_key: 'k',
    }).alert;
    expect(ack).toMatchObject({ status: 'acknowledged', problemKey: 'k', severity: null, serverHint: null });
    expect(ack.summary).toBe('PagerDuty acknowledge: k');
    const res = parsePagerDutyAlert({
      routing_key: ROUTING_KEY,
      event_action: 'resolve',
      dedup_key: 'k',
    }).alert;
    expect(res.status).toBe('resolved');
    const withPort = trigger();
    (withPort.payload as Record<string, unknown>).source = 'Web1.Acme.se:443';
    expect(parsePagerDutyAlert(withPort).alert.serverCandidates).toEqual(['web1.acme.se']);
  });

  it('eventKey: stable for a retry, different per action and per changed content', () => {
    const a = parsePagerDutyAlert(trigger()).alert;
    const retry = parsePagerDutyAlert(structuredClone(trigger())).alert;
    const resolve = parsePagerDutyAlert({
      routing_key: ROUTING_KEY,
      event_action: 'resolve',
      dedup_key: 'srv01/mysql',
    }).alert;
    const changed = trigger();
    (changed.payload as Record<string, unknown>).summary = 'DISK at 100%';
    expect(retry.eventKey).toBe(a.eventKey);
    expect(resolve.eventKey).not.toBe(a.eventKey);
    expect(parsePagerDutyAlert(changed).alert.eventKey).not.toBe(a.eventKey);
    expect(resolve.problemKey).toBe(a.problemKey);
  });

  it('strips control characters from the summary', () => {
    const body = trigger();
    (body.payload as Record<string, unknown>).summary = 'Disk full\r\nSubject: spoof';
    expect(parsePagerDutyAlert(body).alert.summary).toBe('Disk full Subject: spoof');
  });
});

describe('answers', () => {
  it('builds PagerDuty’s success and invalid-event bodies', () => {
    expect(pagerDutySuccessBody('srv01/mysql')).toEqual({
      status: 'success',
      message: 'Event processed',
      dedup_key: 'srv01/mysql',
    });
    const body = invalid({ ...trigger(), payload: { summary: 's', source: 'h' } });
    expect(body).toEqual(["'payload.severity' is missing or blank"]);
    try {
      parsePagerDutyEvent({ ...trigger(), payload: { summary: 's', source: 'h' } });
    } catch (error) {
      expect(pagerDutyInvalidEventBody(error as AlertPayloadError)).toEqual({
        status: 'invalid event',
        message: 'Event object is invalid',
        errors: ["'payload.severity' is missing or blank"],
      });
    }
  });
});
