import { describe, expect, it } from 'vitest';
import type { BoardItem } from './board.js';
import { compareForBoard, openDeadlineMs } from './board.js';

const MIN = 60_000;
const item = (id: string, over: Partial<BoardItem> = {}): BoardItem => ({
  id,
  tier: 'incident',
  reportedAtMs: 0,
  calledBackAtMs: null,
  responseDueMs: 15 * MIN,
  actionDueMs: null,
  ...over,
});
const order = (...items: BoardItem[]) => [...items].sort(compareForBoard).map((i) => i.id);

describe('openDeadlineMs', () => {
  it('is the response deadline until the call-back, then the action deadline until work starts', () => {
    expect(openDeadlineMs(item('a', { actionDueMs: 60 * MIN }))).toBe(15 * MIN);
    expect(openDeadlineMs(item('a', { calledBackAtMs: MIN, actionDueMs: 60 * MIN }))).toBe(60 * MIN);
    expect(openDeadlineMs(item('a', { calledBackAtMs: MIN }))).toBeNull();
    expect(
      openDeadlineMs(item('a', { calledBackAtMs: MIN, actionDueMs: 60 * MIN, actionStartedAtMs: 9 })),
    ).toBeNull();
  });
});

describe('compareForBoard', () => {
  it('orders by tier priority first', () => {
    expect(
      order(item('none', { tier: 'none', responseDueMs: 0 }), item('hog', { tier: 'hog' }), item('inc')),
    ).toEqual(['hog', 'inc', 'none']);
  });

  it('then by the nearest open deadline; none after some', () => {
    const response = item('response', { responseDueMs: 30 * MIN });
    const action = item('action', { calledBackAtMs: MIN, actionDueMs: 20 * MIN });
    const nothing = item('nothing', { calledBackAtMs: MIN, reportedAtMs: -MIN });
    expect(order(nothing, response, action)).toEqual(['action', 'response', 'nothing']);
  });

  it('then by report time, then id', () => {
    const older = item('b', { reportedAtMs: -MIN });
    expect(order(item('c'), item('a'), older)).toEqual(['b', 'a', 'c']);
    expect(compareForBoard(item('x'), item('x'))).toBe(0);
  });
});
