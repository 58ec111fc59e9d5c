import { Temporal } from 'temporal-polyfill';
import { DomainError, invalidField } from '../shared/domain-error.js';
import { formatLocalDate, ymdOfEpochDay } from './local-date.js';
import { STOCKHOLM, stockholmOffsetMs } from './zone.js';

const MS_PER_DAY = 86_400_000;
const MS_PER_MINUTE = 60_000;

// RFC 3339 / ISO 8601 extended date-time, seconds and milliseconds optional, offset optional.
// Finer fractions are refused rather than silently truncated; zone annotations are not accepted.
const DATE_TIME_PATTERN =
  /^(\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?)([Zz]|[+-]\d{2}:?\d{2})?$/;

/**
 * Parses an API time to epoch milliseconds. With an offset (`Z`, `+01:00`) it is that instant; without
 * one it is Stockholm wall-clock time, refused when the DST change makes it ambiguous
 * (AMBIGUOUS_LOCAL_TIME) or nonexistent (NONEXISTENT_LOCAL_TIME); anything else is VALIDATION_FAILED.
 * Every error names `path`.
 * @example parseInstant('2026-12-01T19:10:00+01:00', '/reportedAt') // 1796148600000
 * @example parseInstant('2026-10-25T02:30:00', '/reportedAt') // throws AMBIGUOUS_LOCAL_TIME
 */
export function parseInstant(text: unknown, path: string): number {
  if (typeof text !== 'string')
    invalidField(path, 'must be a date-time string, e.g. 2026-12-01T19:10:00+01:00');
  const match = DATE_TIME_PATTERN.exec(text);
  if (!match) invalidField(path, `not an ISO 8601 date-time: ${JSON.stringify(text)}`);
  try {
    if (match[2] !== undefined) return Temporal.Instant.from(text).epochMilliseconds;
    return stockholmWallClockToMs(Temporal.PlainDateTime.from(text), path);
  } catch (error) {
    if (error instanceof DomainError) throw error;
    return invalidField(path, `not a valid date-time: ${JSON.stringify(text)}`);
  }
}

function stockholmWallClockToMs(local: Temporal.PlainDateTime, path: string): number {
  try {
    return local.toZonedDateTime(STOCKHOLM, { disambiguation: 'reject' }).epochMilliseconds;
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    // 'reject' throws for both cases; an ambiguous time still reads the same on the clock when
    // resolved to its earlier instant, a nonexistent one does not.
    const earlier = local.toZonedDateTime(STOCKHOLM, { disambiguation: 'earlier' });
    const later = local.toZonedDateTime(STOCKHOLM, { disambiguation: 'later' });
    const shown = local.toString();
    if (Temporal.PlainDateTime.compare(earlier.toPlainDateTime(), local) === 0) {
      const message = `${shown} happens twice in Europe/Stockholm (clocks go back); give the offset: ${earlier.toString({ timeZoneName: 'never' })} or ${later.toString({ timeZoneName: 'never' })}`;
      throw new DomainError('AMBIGUOUS_LOCAL_TIME', `${path}: ${message}`, [{ path, message }]);
    }
    const message = `${shown} does not exist in Europe/Stockholm (clocks go forward); give a time with an offset`;
    throw new DomainError('NONEXISTENT_LOCAL_TIME', `${path}: ${message}`, [{ path, message }]);
  }
}

/**
 * Formats an instant as Stockholm local time with its offset, without fractional seconds when they
 * are zero and without a zone annotation (as Temporal's ZonedDateTime.toString would, but with
 * arithmetic on the cached offset; Temporal itself only for odd cases such as local mean time).
 * @example formatInstant(1796152800000) // '2026-12-01T20:20:00+01:00'
 */
export function formatInstant(ms: number): string {
  if (Number.isSafeInteger(ms)) {
    const offsetMs = stockholmOffsetMs(ms);
    const local = ms + offsetMs;
    const epochDay = Math.floor(local / MS_PER_DAY);
    const date = ymdOfEpochDay(epochDay);
    if (offsetMs % MS_PER_MINUTE === 0 && date.year >= 1 && date.year <= 9999) {
      let rest = local - epochDay * MS_PER_DAY;
      const millis = rest % 1000;
      rest = (rest - millis) / 1000;
      const time = `${two(Math.floor(rest / 3600))}:${two(Math.floor(rest / 60) % 60)}:${two(rest % 60)}`;
      const fraction = millis === 0 ? '' : `.${String(millis).padStart(3, '0').replace(/0+$/, '')}`;
      const offsetMinutes = Math.abs(offsetMs) / MS_PER_MINUTE;
      const offset = `${offsetMs < 0 ? '-' : '+'}${two(Math.floor(offsetMinutes / 60))}:${two(offsetMinutes % 60)}`;
      return `${formatLocalDate(date)}T${time}${fraction}${offset}`;
    }
  }
  return Temporal.Instant.fromEpochMilliseconds(ms)
    .toZonedDateTimeISO(STOCKHOLM)
    .toString({ timeZoneName: 'never', fractionalSecondDigits: 'auto' });
}

function two(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/**
 * The Stockholm calendar date (`YYYY-MM-DD`) of an instant.
 * @example localDateOfInstant(Date.UTC(2026, 10, 30, 23, 30)) // '2026-12-01' (00:30 local)
 */
export function localDateOfInstant(ms: number): string {
  return formatLocalDate(ymdOfEpochDay(Math.floor((ms + stockholmOffsetMs(ms)) / MS_PER_DAY)));
}
