import i18next, { type TFunction } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../api/types';
import en from '../i18n/en.json';
import sv from '../i18n/sv.json';
import { timelineDetail } from './timeline-detail';

const names: Record<string, string> = { e1: 'Anna Andersson', e2: 'Bo Berglund' };
const staff = (id: string) => names[id];
const customer = () => undefined;

const event = (type: string, data: Record<string, unknown>, actorName = 'Anna Andersson'): TimelineEvent => ({
  seq: 1,
  type,
  at: '2026-11-21T01:38:00.000Z',
  actor: { type: 'engineer', id: 'e1', name: actorName },
  data,
});

let t: TFunction;
let tEn: TFunction;
beforeAll(async () => {
  const options = {
    fallbackLng: false as const,
    interpolation: { escapeValue: false },
    showSupportNotice: false,
  };
  const i = i18next.createInstance();
  t = await i.init({ ...options, lng: 'sv', resources: { sv: { translation: sv } } });
  const e = i18next.createInstance();
  tEn = await e.init({ ...options, lng: 'en', resources: { en: { translation: en } } });
});

describe('the timeline says what each event recorded', () => {
  it('names who was paged to staff, and only counts them for a customer', () => {
    const paged = event('paged', { step: 0, engineerIds: ['e1', 'e2'] });
    expect(timelineDetail(paged, t, 'sv', staff)).toEqual(['Till Anna Andersson, Bo Berglund']);
    expect(timelineDetail(paged, t, 'sv', customer)).toEqual(['Till 2 tekniker']);
    expect(timelineDetail(paged, tEn, 'en', customer)).toEqual(['To 2 engineers']);
  });

  it("records the customer's decision on chargeable work, by whom and how", () => {
    const granted = event('consent_recorded', { granted: true, by: 'Per Lindqvist', via: 'portal' });
    expect(timelineDetail(granted, t, 'sv', staff)).toEqual(['Godkänt av Per Lindqvist (portalen)']);
    const refused = event('consent_recorded', { granted: false, by: 'Per Lindqvist', via: 'phone' });
    expect(timelineDetail(refused, t, 'sv', staff)).toEqual(['Nekat av Per Lindqvist (telefon)']);
  });

  it('gives the work its Stockholm times and minutes, naming a colleague who logged for someone else', () => {
    const startMs = Date.parse('2026-11-21T02:17:00Z');
    const work = { startMs, endMs: startMs + 23 * 60_000, engineerId: 'e1' };
    expect(timelineDetail(event('work_logged', work), t, 'sv', staff)).toEqual(['03:17–03:40, 23 min']);
    expect(timelineDetail(event('work_logged', work, 'Bo Berglund'), t, 'sv', staff)).toEqual([
      '03:17–03:40, 23 min · Anna Andersson',
    ]);
  });

  it('says which deadline passed and when it was due', () => {
    const breached = event('sla_breached', { clock: 'response', dueMs: Date.parse('2026-11-21T01:53:00Z') });
    expect(timelineDetail(breached, t, 'sv', staff)).toEqual(['Svarstid: gräns 02:53']);
  });

  it("shows an attached report's summary and the time its reporter gave, a note's text, a delivery's outcome", () => {
    const attached = event('attached', {
      summary: 'Fortfarande nere',
      reportedAt: '2026-11-21T01:20:00.000Z',
    });
    expect(timelineDetail(attached, t, 'sv', staff)).toEqual([
      'Fortfarande nere',
      'Uppgiven tid: 2026-11-21 02:20',
    ]);
    expect(timelineDetail(event('note', { text: '3 larm har upphört' }), t, 'sv', staff)).toEqual([
      '3 larm har upphört',
    ]);
    const delivery = event('page_delivery', { status: 'no-answer', channel: 'voice', engineerId: 'e2' });
    expect(timelineDetail(delivery, t, 'sv', staff)).toEqual(['Inget svar (samtal) · Bo Berglund']);
  });

  it('adds nothing where the title says it all, and ignores data of the wrong shape', () => {
    expect(timelineDetail(event('acknowledged', { engineerId: 'e1' }), t, 'sv', staff)).toEqual([]);
    expect(timelineDetail(event('paged', { engineerIds: 'e1' }), t, 'sv', staff)).toEqual([]);
    expect(timelineDetail(event('work_logged', { startMs: 'x' }), t, 'sv', staff)).toEqual([]);
  });
});
