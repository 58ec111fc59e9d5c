/**
 * The one error the alert parsers throw: every missing or invalid field of a webhook body, each named by
 * its JSON Pointer path (`/alerts/3/fingerprint`). It is a WebhookPayloadError (like the telephony
 * webhooks') and converts to a VALIDATION_FAILED DomainError for the problem+json answer.
 */
import { DomainError, type FieldError } from '../../domain/shared/domain-error.js';
import { WebhookPayloadError } from '../telephony/webhook-form.js';
import { safeText } from './text-safety.js';

/** A garbage body could produce thousands of problems; we report this many and count the rest. */
export const MAX_REPORTED_ERRORS = 50;

export class AlertPayloadError extends WebhookPayloadError {
  /** Each problem: `path` (JSON Pointer, `/` for the body itself) and a message for people. */
  readonly errors: FieldError[];

  constructor(source: string, errors: FieldError[]) {
    super(
      source,
      errors.map((e) => e.path),
      `${source}: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`,
    );
    this.name = 'AlertPayloadError';
    this.errors = errors;
  }

  /** The same problems as a VALIDATION_FAILED DomainError (400 problem+json with `errors`). */
  toDomainError(): DomainError {
    return new DomainError('VALIDATION_FAILED', this.message, this.errors);
  }
}

/** Collects problems while a body is read, so one answer names all of them. */
export class FieldIssues {
  readonly list: FieldError[] = [];
  private dropped = 0;

  add(path: string, message: string): void {
    if (this.list.length < MAX_REPORTED_ERRORS) this.list.push({ path, message });
    else this.dropped++;
  }

  get count(): number {
    return this.list.length + this.dropped;
  }

  /** Throws an AlertPayloadError when anything was added. */
  throwIfAny(source: string): void {
    if (this.count === 0) return;
    const errors = [...this.list];
    if (this.dropped > 0) errors.push({ path: '/', message: `and ${this.dropped} more problems` });
    throw new AlertPayloadError(source, errors);
  }
}

/**
 * A JSON Pointer (RFC 6901) one step below `base`. Keys come from the sender, so they are made safe for
 * display (they end up in logs and answers) and escaped (`~` → `~0`, `/` → `~1`).
 * @example pointer('/alerts/3', 'fingerprint') // '/alerts/3/fingerprint'
 */
export function pointer(base: string, key: string | number): string {
  const step =
    typeof key === 'number' ? String(key) : safeText(key, 100).replace(/~/g, '~0').replace(/\//g, '~1');
  return `${base === '/' ? '' : base}/${step}`;
}

/** A plain JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The object's own property `key` (never one inherited from Object.prototype). */
export function own(record: Readonly<Record<string, unknown>>, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
