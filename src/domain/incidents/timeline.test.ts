import { describe, expect, it } from 'vitest';
import type { Actor } from './timeline.js';
import { appendEvent, INCIDENT_EVENT_TYPES, isIncidentEventType } from './timeline.js';

const actor: Actor = { type: 'engineer', id: 'anna', name: 'Anna' };

describe('timeline', () => {
  it('knows its event types', () => {
    expect(INCIDENT_EVENT_TYPES).toHaveLength(17);
    expect(isIncidentEventType('called_back')).toBe(true);
    expect(isIncidentEventType('reopened')).toBe(false);
    expect(isIncidentEventType(3)).toBe(false);
  });

  it('appendEvent numbers after the highest seq and copies the data', () => {
    const data = { engineerId: 'anna' };
    const one = appendEvent([], { type: 'acknowledged', atMs: 5, data }, actor);
    expect(one).toEqual([{ seq: 1, type: 'acknowledged', atMs: 5, actor, data: { engineerId: 'anna' } }]);
    expect(one[0]!.data).not.toBe(data);
    const gap = [{ ...one[0]!, seq: 7 }];
    expect(appendEvent(gap, { type: 'resolved', atMs: 9, data: {} }, actor)[1]!.seq).toBe(8);
  });
});
