import { DomainError, type FieldError } from '../shared/domain-error.js';

/**
 * One entry of the action catalogue (SPEC.md 7): a fixed command bound to a key. The command text comes
 * only from here (configuration), never from a customer, an alert or a request, and nothing is ever
 * interpolated into it.
 */
export interface ActionDefinition {
  key: string;
  titleSv: string;
  titleEn: string;
  command: string;
  /** Run after the command; its exit status and output are recorded (e.g. `systemctl is-active nginx`). */
  checkCommand: string | null;
  /** How long the command may run before it is stopped. */
  timeoutSeconds: number;
}

/** The longest an action may run: a run must finish well before anyone wonders whether it hangs. */
export const MAX_ACTION_TIMEOUT_SECONDS = 600;

/** The built-in catalogue, used when no catalogue file is configured. */
export const DEFAULT_ACTIONS: readonly ActionDefinition[] = [
  {
    key: 'restart-web',
    titleSv: 'Starta om webbservern',
    titleEn: 'Restart the web server',
    command: 'sudo systemctl restart nginx',
    checkCommand: 'systemctl is-active nginx',
    timeoutSeconds: 60,
  },
  {
    key: 'restart-db',
    titleSv: 'Starta om databasservern',
    titleEn: 'Restart the database server',
    command: 'sudo systemctl restart mariadb',
    checkCommand: 'systemctl is-active mariadb',
    timeoutSeconds: 120,
  },
  {
    key: 'restart-php-fpm',
    titleSv: 'Starta om PHP-FPM',
    titleEn: 'Restart PHP-FPM',
    command: 'sudo systemctl restart php-fpm',
    checkCommand: 'systemctl is-active php-fpm',
    timeoutSeconds: 60,
  },
];

const KEY = /^[a-z0-9][a-z0-9-]{0,62}$/;
// Printable, one line: a command is sent as the SSH exec request and matched by the server's wrapper.
const COMMAND = /^[\x20-\x7e]{1,1000}$/;

/**
 * Validates a catalogue read from configuration (a JSON array of `{key, titleSv, titleEn, command,
 * checkCommand?, timeoutSeconds}`). Throws VALIDATION_FAILED naming every bad field (`/0/command`, …).
 * @example parseActionCatalogue([{ key: 'restart-web', titleSv: 'Starta om', titleEn: 'Restart', command: 'sudo systemctl restart nginx', timeoutSeconds: 60 }])
 */
export function parseActionCatalogue(input: unknown): ActionDefinition[] {
  if (!Array.isArray(input)) {
    throw new DomainError('VALIDATION_FAILED', 'the action catalogue must be a JSON array', [
      { path: '', message: 'must be an array of actions' },
    ]);
  }
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  const actions: ActionDefinition[] = [];
  input.forEach((raw: unknown, i) => {
    const at = (field: string) => `/${i}/${field}`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      errors.push({ path: `/${i}`, message: 'must be an object' });
      return;
    }
    const o = raw as Record<string, unknown>;
    const known = ['key', 'titleSv', 'titleEn', 'command', 'checkCommand', 'timeoutSeconds'];
    for (const field of Object.keys(o)) {
      if (!known.includes(field)) errors.push({ path: at(field), message: 'is not a known field' });
    }
    const before = errors.length;
    if (typeof o.key !== 'string' || !KEY.test(o.key)) {
      errors.push({ path: at('key'), message: 'must be lower-case letters, digits and dashes' });
    } else if (seen.has(o.key)) {
      errors.push({ path: at('key'), message: `repeats the key ${o.key}` });
    }
    for (const field of ['titleSv', 'titleEn'] as const) {
      const v = o[field];
      if (typeof v !== 'string' || v.trim() === '' || v.length > 200) {
        errors.push({ path: at(field), message: 'must be a title of 1 to 200 characters' });
      }
    }
    if (typeof o.command !== 'string' || !COMMAND.test(o.command)) {
      errors.push({ path: at('command'), message: 'must be one printable line of at most 1000 characters' });
    }
    if (o.checkCommand !== undefined && o.checkCommand !== null) {
      if (typeof o.checkCommand !== 'string' || !COMMAND.test(o.checkCommand)) {
        errors.push({
          path: at('checkCommand'),
          message: 'must be one printable line of at most 1000 characters',
        });
      }
    }
    const timeout = o.timeoutSeconds;
    if (
      typeof timeout !== 'number' ||
      !Number.isInteger(timeout) ||
      timeout < 1 ||
      timeout > MAX_ACTION_TIMEOUT_SECONDS
    ) {
      errors.push({
        path: at('timeoutSeconds'),
        message: `must be a whole number of seconds from 1 to ${MAX_ACTION_TIMEOUT_SECONDS}`,
      });
    }
    if (errors.length > before) return;
    seen.add(o.key as string);
    actions.push({
      key: o.key as string,
      titleSv: (o.titleSv as string).trim(),
      titleEn: (o.titleEn as string).trim(),
      command: o.command as string,
      checkCommand: typeof o.checkCommand === 'string' ? o.checkCommand : null,
      timeoutSeconds: timeout as number,
    });
  });
  if (errors.length > 0) {
    const first = errors[0] as FieldError;
    throw new DomainError('VALIDATION_FAILED', `${first.path}: ${first.message}`, errors);
  }
  return actions;
}
