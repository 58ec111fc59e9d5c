/**
 * A circuit breaker for a provider that stops answering. A hanging provider costs every page the whole
 * request timeout (10 s by default) before the fallback provider is tried; one that answers with an error
 * costs nothing, so only timeouts count here. After `timeoutsToOpen` timeouts in a row the provider is
 * skipped for `openMs` (pages go straight to the fallback); then one request tries it again (the probe)
 * while the others still skip it: an answer of any kind closes the breaker, another timeout opens it for
 * `openMs` more. Pure state, no I/O; one per provider and operation (SMS and calls fail separately).
 */
export interface HangBreakerOptions {
  /** Timeouts in a row that open the breaker. Default 2. */
  timeoutsToOpen?: number;
  /** How long an open breaker skips the provider, in ms. */
  openMs: number;
  now?: () => number;
  /** Called when the breaker opens (`open`: true, with the time it tries again) or closes. */
  onChange?: (change: { open: boolean; retryAtMs?: number; timeouts: number }) => void;
}

export interface BreakerDecision {
  /** Try the provider (false: skip it, go to the fallback). */
  attempt: boolean;
  /** This attempt is the one probe of an open breaker. */
  probe: boolean;
  /** When an open breaker lets the provider be tried again (when skipping). */
  retryAtMs?: number;
}

export class HangBreaker {
  private timeoutsInARow = 0;
  /** 0: closed. Otherwise the breaker is open until then, and half-open after. */
  private openUntilMs = 0;
  private probing = false;
  private readonly timeoutsToOpen: number;
  private readonly now: () => number;

  constructor(private readonly options: HangBreakerOptions) {
    this.timeoutsToOpen = Math.max(1, options.timeoutsToOpen ?? 2);
    this.now = options.now ?? Date.now;
  }

  get isOpen(): boolean {
    return this.openUntilMs !== 0;
  }

  decide(): BreakerDecision {
    if (this.openUntilMs === 0) return { attempt: true, probe: false };
    if (this.probing || this.now() < this.openUntilMs)
      return { attempt: false, probe: false, retryAtMs: this.openUntilMs };
    this.probing = true;
    return { attempt: true, probe: true };
  }

  /** The outcome of an attempt `decide` allowed: the provider timed out, or answered (success or not). */
  record(outcome: 'timeout' | 'answered', decision: BreakerDecision): void {
    if (decision.probe) this.probing = false;
    if (outcome === 'answered') {
      this.timeoutsInARow = 0;
      if (this.openUntilMs !== 0) {
        this.openUntilMs = 0;
        this.options.onChange?.({ open: false, timeouts: 0 });
      }
      return;
    }
    this.timeoutsInARow += 1;
    // A failed probe opens it again at once; a closed breaker opens after enough timeouts in a row. A
    // request that was already under way when the breaker opened does not extend it.
    if (decision.probe || (this.openUntilMs === 0 && this.timeoutsInARow >= this.timeoutsToOpen)) {
      this.openUntilMs = this.now() + this.options.openMs;
      this.options.onChange?.({ open: true, retryAtMs: this.openUntilMs, timeouts: this.timeoutsInARow });
    }
  }
}
