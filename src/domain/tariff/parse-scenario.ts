import { parseInstant } from '../calendar/instant.js';
import type { ErrorCode, FieldError } from '../shared/domain-error.js';
import { DomainError } from '../shared/domain-error.js';
import type { Tier } from '../shared/tier.js';
import { TIERS, isTier } from '../shared/tier.js';
import type { IncidentScenario, WorkEntry } from './price-incident.js';

/**
 * The longest work entry a scenario may hold. Not the work log's 24-hour rule (SPEC.md section 8: the
 * pricing function prices the entries it is given); a guard against absurd input such as a wrong year.
 */
export const MAX_WORK_ENTRY_DAYS = 31;
const MS_PER_DAY = 86_400_000;

/** Collects every field error of one input before throwing once. */
class Problems {
  readonly errors: FieldError[] = [];
  readonly codes = new Set<ErrorCode>();

  add(path: string, message: string, code: ErrorCode = 'VALIDATION_FAILED'): void {
    this.errors.push({ path, message });
    this.codes.add(code);
  }

  instant(value: unknown, path: string): number | null {
    if (value === undefined) {
      this.add(path, 'is required');
      return null;
    }
    try {
      return parseInstant(value, path);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      for (const e of error.errors) this.add(e.path, e.message, error.code);
      return null;
    }
  }

  throwIfAny(): void {
    if (this.errors.length === 0) return;
    // A lone DST refusal keeps its precise code; any mix is a plain validation failure.
    const [only] = this.codes;
    const code = this.codes.size === 1 && only !== undefined ? only : 'VALIDATION_FAILED';
    const summary = this.errors.map((e) => `${e.path}: ${e.message}`).join('; ');
    throw new DomainError(code, summary, this.errors);
  }
}

/** A duration as `31 days 2 h 1 s`, leaving out zero parts (milliseconds dropped). */
function formatDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  const parts: [number, string][] = [
    [Math.floor(seconds / 86_400), ' days'],
    [Math.floor(seconds / 3600) % 24, ' h'],
    [Math.floor(seconds / 60) % 60, ' min'],
    [seconds % 60, ' s'],
  ];
  return parts
    .filter(([n]) => n > 0)
    .map(([n, unit]) => `${n}${unit}`)
    .join(' ');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// The readers note every problem and return a value that is only used when there were none.

function readScenario(json: unknown, at: string, problems: Problems): IncidentScenario {
  if (!isRecord(json)) {
    problems.add(at || '/', 'must be an object {tier, reportedAt, work}');
    return { tier: 'none', reportedAtMs: 0, work: [] };
  }
  const { tier, reportedAt, work } = json;
  if (tier === undefined) problems.add(`${at}/tier`, 'is required');
  else if (!isTier(tier)) problems.add(`${at}/tier`, `must be one of ${TIERS.join(', ')}`);
  const reportedAtMs = problems.instant(reportedAt, `${at}/reportedAt`);
  let entries: WorkEntry[] = [];
  if (work === undefined) problems.add(`${at}/work`, 'is required');
  else if (!Array.isArray(work)) problems.add(`${at}/work`, 'must be an array of work entries');
  else entries = work.map((item, index) => readWorkEntry(item, `${at}/work/${index}`, problems));
  return { tier: tier as Tier, reportedAtMs: reportedAtMs ?? 0, work: entries };
}

function readWorkEntry(json: unknown, at: string, problems: Problems): WorkEntry {
  if (!isRecord(json)) {
    problems.add(at, 'must be an object {start, end, engineer, withinResponsibility}');
    return { startMs: 0, endMs: 0, engineer: '', withinResponsibility: true };
  }
  const startMs = problems.instant(json.start, `${at}/start`);
  const endMs = problems.instant(json.end, `${at}/end`);
  if (startMs !== null && endMs !== null) {
    if (endMs < startMs) problems.add(`${at}/end`, 'must not be before start');
    else if (endMs - startMs > MAX_WORK_ENTRY_DAYS * MS_PER_DAY) {
      problems.add(
        `${at}/end`,
        `must be at most ${MAX_WORK_ENTRY_DAYS} days after start (it is ${formatDuration(endMs - startMs)} after)`,
      );
    }
  }
  const { engineer, withinResponsibility } = json;
  if (engineer === undefined) problems.add(`${at}/engineer`, 'is required');
  else if (typeof engineer !== 'string' || engineer.trim() === '') {
    problems.add(`${at}/engineer`, 'must be a non-empty string');
  }
  if (withinResponsibility === undefined) problems.add(`${at}/withinResponsibility`, 'is required');
  else if (typeof withinResponsibility !== 'boolean')
    problems.add(`${at}/withinResponsibility`, 'must be true or false');
  return {
    startMs: startMs ?? 0,
    endMs: endMs ?? 0,
    engineer: engineer as string,
    withinResponsibility: withinResponsibility as boolean,
  };
}

/**
 * Turns an API scenario (`{tier, reportedAt, work: [{start, end, engineer, withinResponsibility}]}`,
 * times as ISO 8601 text) into a priceable scenario. A time without offset is Stockholm wall-clock time;
 * one that the DST change makes ambiguous or nonexistent is refused, never guessed. A work entry must
 * not end before it starts nor last over MAX_WORK_ENTRY_DAYS. Unknown properties are ignored. Throws one
 * DomainError listing every problem with its path under `pathPrefix` (VALIDATION_FAILED, or
 * AMBIGUOUS_LOCAL_TIME / NONEXISTENT_LOCAL_TIME when those are the only problems).
 * @example parseScenario({ tier: 'gold' }, '/2') // throws; errors name /2/tier, /2/reportedAt, /2/work
 */
export function parseScenario(json: unknown, pathPrefix = ''): IncidentScenario {
  const problems = new Problems();
  const scenario = readScenario(json, pathPrefix, problems);
  problems.throwIfAny();
  return scenario;
}

/**
 * Reads what `ballou price` and `POST /price-quotes` accept: one scenario or an array of them
 * (errors then name `/index/...`). `many` says which, so the answer can take the same shape.
 * @example parseScenarios([s1, s2]).scenarios.length // 2
 */
export function parseScenarios(json: unknown): { many: boolean; scenarios: IncidentScenario[] } {
  if (!Array.isArray(json)) return { many: false, scenarios: [parseScenario(json)] };
  const problems = new Problems();
  const scenarios = json.map((item, index) => readScenario(item, `/${index}`, problems));
  problems.throwIfAny();
  return { many: true, scenarios };
}
