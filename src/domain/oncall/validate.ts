import type { FieldError } from '../shared/domain-error.js';
import { DomainError } from '../shared/domain-error.js';
import type { OnCallRole, Override, Rotation, Unavailability } from './roster.js';
import { ON_CALL_ROLES } from './roster.js';

/** The longest shift a rotation may have: 28 days. */
export const MAX_SHIFT_HOURS = 24 * 28;

/** Instants the roster accepts (inside Temporal's range with room for a shift either side). */
const MAX_INSTANT_MS = 8.6e15;
const HANDOVER_PATTERN = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** An override as the API receives it, before it has an id and a creation order. */
export interface OverrideCandidate {
  /** Set when an existing override is being changed: it is not checked against itself. */
  id?: string;
  role: OnCallRole;
  engineerId: string;
  startMs: number;
  endMs: number;
}

/**
 * Parses a hand-over time `HH:MM` into minutes after local midnight, or null when it is malformed.
 * @example parseHandover('08:00') // 480
 */
export function parseHandover(text: unknown): number | null {
  const match = typeof text === 'string' ? HANDOVER_PATTERN.exec(text) : null;
  return match ? Number(match[1]) * 60 + Number(match[2]) : null;
}

/**
 * Checks a rotation and returns a normalised copy (handover and end as null when absent); throws one
 * VALIDATION_FAILED DomainError listing every bad field (`/role`, `/engineerIds/2`, `/start`,
 * `/shiftHours`, `/handover`, `/end`, prefixed by `path`). The same engineer may appear more than once
 * in `engineerIds` (to give them more turns, as PagerDuty layers allow); an empty list is refused.
 * @example validateRotation({ ...rotation, shiftHours: 12, handover: '08:00' }) // throws: /handover
 */
export function validateRotation(rotation: Rotation, path = ''): Rotation {
  const errors: FieldError[] = [];
  const fail = (field: string, message: string) => errors.push({ path: `${path}${field}`, message });
  if (typeof rotation.id !== 'string' || rotation.id === '') fail('/id', 'must be a non-empty string');
  if (!isRole(rotation.role)) fail('/role', 'must be primary or secondary');
  if (!Array.isArray(rotation.engineerIds) || rotation.engineerIds.length === 0) {
    fail('/engineerIds', 'must list at least one engineer');
  } else {
    rotation.engineerIds.forEach((id, i) => {
      if (typeof id !== 'string' || id === '') fail(`/engineerIds/${i}`, 'must be an engineer id');
    });
  }
  if (!isInstant(rotation.startMs)) fail('/start', 'must be an instant');
  const hours = rotation.shiftHours;
  const hoursOk = Number.isInteger(hours) && hours >= 1 && hours <= MAX_SHIFT_HOURS;
  if (!hoursOk) fail('/shiftHours', `must be a whole number of hours from 1 to ${MAX_SHIFT_HOURS}`);
  const handover = rotation.handover ?? null;
  if (handover !== null) {
    if (parseHandover(handover) === null) fail('/handover', 'must be a local time of day as HH:MM');
    else if (hoursOk && hours % 24 !== 0) {
      fail('/handover', 'needs shiftHours to be whole days (a multiple of 24)');
    }
  }
  const endMs = rotation.endMs ?? null;
  if (endMs !== null) {
    if (!isInstant(endMs)) fail('/end', 'must be an instant');
    else if (isInstant(rotation.startMs) && endMs <= rotation.startMs) fail('/end', 'must be after start');
  }
  throwIfAny(errors, 'invalid rotation');
  return { ...rotation, engineerIds: [...rotation.engineerIds], handover, endMs };
}

/**
 * Checks an override before it is stored: a role, an engineer, an interval that ends after it starts
 * (VALIDATION_FAILED naming `/role`, `/engineerId`, `/start`, `/end`), and no overlap with another
 * override of the same role for the same engineer (CONFLICT naming `/start` and `/end`). Overlapping
 * overrides of one role for different engineers are allowed: the later created wins.
 * @example checkOverride({ role: 'primary', engineerId: 'e1', startMs: 10, endMs: 10 }, []) // throws: /end
 */
export function checkOverride(candidate: OverrideCandidate, existing: readonly Override[], path = ''): void {
  const errors: FieldError[] = [];
  const fail = (field: string, message: string) => errors.push({ path: `${path}${field}`, message });
  if (!isRole(candidate.role)) fail('/role', 'must be primary or secondary');
  if (typeof candidate.engineerId !== 'string' || candidate.engineerId === '') {
    fail('/engineerId', 'must be an engineer id');
  }
  if (!isInstant(candidate.startMs)) fail('/start', 'must be an instant');
  if (!isInstant(candidate.endMs)) fail('/end', 'must be an instant');
  else if (isInstant(candidate.startMs) && candidate.endMs <= candidate.startMs) {
    fail('/end', 'must be after start');
  }
  throwIfAny(errors, 'invalid override');
  const clash = existing.find(
    (o) =>
      o.id !== candidate.id &&
      o.role === candidate.role &&
      o.engineerId === candidate.engineerId &&
      o.startMs < candidate.endMs &&
      candidate.startMs < o.endMs,
  );
  if (clash) {
    const message = `overlaps override ${clash.id} of the same engineer in the same role`;
    throw new DomainError('CONFLICT', `${message}`, [
      { path: `${path}/start`, message },
      { path: `${path}/end`, message },
    ]);
  }
}

/** Checks an unavailability interval (an engineer, an end after the start); VALIDATION_FAILED. */
export function checkUnavailability(entry: Unavailability, path = ''): void {
  const errors: FieldError[] = [];
  const fail = (field: string, message: string) => errors.push({ path: `${path}${field}`, message });
  if (typeof entry.engineerId !== 'string' || entry.engineerId === '') {
    fail('/engineerId', 'must be an engineer id');
  }
  if (!isInstant(entry.startMs)) fail('/start', 'must be an instant');
  if (!isInstant(entry.endMs)) fail('/end', 'must be an instant');
  else if (isInstant(entry.startMs) && entry.endMs <= entry.startMs) fail('/end', 'must be after start');
  throwIfAny(errors, 'invalid unavailability');
}

/** True for 'primary' and 'secondary'. */
export function isRole(value: unknown): value is OnCallRole {
  return (ON_CALL_ROLES as readonly unknown[]).includes(value);
}

/** True for an epoch-millisecond instant the roster can compute with. */
export function isInstant(value: unknown): value is number {
  return Number.isSafeInteger(value) && Math.abs(value as number) <= MAX_INSTANT_MS;
}

function throwIfAny(errors: FieldError[], what: string): void {
  if (errors.length > 0) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `${what}: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`,
      errors,
    );
  }
}
