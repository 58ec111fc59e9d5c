import type { Clock } from '../domain/shared/clock.js';

/** The real clock, used only by the composition root. */
export const systemClock: Clock = { now: () => Date.now() };
