import { describe, expect, it } from 'vitest';
import { buildPagePushPayload, type PagePushFacts } from './page-push.js';

const facts: PagePushFacts = {
  incidentId: '0b6f6c52-8f1e-4f5e-9d59-3c1a3f0e2b7d',
  ref: 'INC-2026-00042',
  step: 0,
  customerName: 'Kund AB',
  callerNumber: null,
  tier: 'hog',
  hostname: 'web1.kund.se',
  summary: 'Webbservern svarar inte',
  // 03:15 Stockholm (UTC+1 in December)
  responseDueMs: Date.parse('2026-12-02T02:15:00Z'),
  url: 'https://jour.ballou.example/l/tok',
  ackUrl: 'https://jour.ballou.example/l/tok',
};

describe('the page as a push payload', () => {
  it('says what the page SMS says: customer, tier, server, summary and the call-back deadline', () => {
    const payload = buildPagePushPayload(facts);
    expect(payload).toEqual({
      title: 'INC-2026-00042: nytt ärende',
      body: 'Kund AB (Hög) web1.kund.se: Webbservern svarar inte. Ring upp senast ons 2 dec. 03:15.',
      incidentId: facts.incidentId,
      ref: 'INC-2026-00042',
      url: facts.url,
      ackUrl: facts.ackUrl,
      tag: `incident-${facts.incidentId}`,
      requireInteraction: true,
    });
  });

  it('calls a later step a reminder, and names an unknown caller by number', () => {
    const payload = buildPagePushPayload({
      ...facts,
      step: 2,
      customerName: null,
      callerNumber: '+46701234567',
      tier: 'none',
      hostname: null,
    });
    expect(payload.title).toBe('INC-2026-00042: ej kvitterat, påminnelse');
    expect(payload.body).toMatch(/^okänd uppringare \+46701234567 \(Utan avtal\): Webbservern/);
  });

  it('keeps the payload small: the summary is cut at 200 characters', () => {
    const payload = buildPagePushPayload({ ...facts, summary: 'x'.repeat(5000) });
    expect(payload.body).toContain(`${'x'.repeat(200)}.`);
    expect(payload.body).not.toContain('x'.repeat(201));
    expect(Buffer.byteLength(JSON.stringify(payload))).toBeLessThan(1000);
  });
});
