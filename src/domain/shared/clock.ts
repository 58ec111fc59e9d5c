/**
 * Time is an argument: domain code never reads the system clock. Use cases receive a Clock and pass
 * `now` (epoch milliseconds, UTC) down, so tests can freeze or move time.
 */
export interface Clock {
  /** The current instant as epoch milliseconds (UTC). */
  now(): number;
}

/** A clock that stands still until moved; for tests and simulations. */
export function fixedClock(startMs: number): Clock & { set(ms: number): void; advance(ms: number): void } {
  let current = startMs;
  return {
    now: () => current,
    set: (ms) => {
      current = ms;
    },
    advance: (ms) => {
      current += ms;
    },
  };
}
