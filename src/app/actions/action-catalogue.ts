import fs from 'node:fs';
import { appendAudit } from '../../db/repositories/audit.repository.js';
import {
  insertCatalogueEntry,
  listCatalogue,
  updateCatalogueEntry,
} from '../../db/repositories/action.repository.js';
import { toDbInstant } from '../../db/instant.js';
import type { ActionCatalogueRow } from '../../db/tables/action.table.js';
import {
  DEFAULT_ACTIONS,
  parseActionCatalogue,
  type ActionDefinition,
} from '../../domain/actions/catalogue.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { Principal } from '../../domain/shared/roles.js';
import type { AppContext } from '../app-context.js';

const CATALOGUE_ACTOR = { type: 'system', id: null, name: 'configuration' };

/** The action catalogue as the API shows it (API.md `GET /actions`). */
export interface ActionView {
  key: string;
  title: string;
  titleSv: string;
  titleEn: string;
  command: string;
  checkCommand: string | null;
  timeoutSeconds: number;
}

export function toActionView(row: ActionCatalogueRow): ActionView {
  return {
    key: row.key,
    title: row.title_sv,
    titleSv: row.title_sv,
    titleEn: row.title_en,
    command: row.command,
    checkCommand: row.check_command,
    timeoutSeconds: row.timeout_seconds,
  };
}

/** The configured catalogue: BALLOU_ACTIONS_FILE when set (a JSON array), else the built-in one. */
export function configuredCatalogue(actionsFile: string): ActionDefinition[] {
  if (!actionsFile) return [...DEFAULT_ACTIONS];
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(actionsFile, 'utf8'));
  } catch (error) {
    throw new Error(
      `BALLOU_ACTIONS_FILE ${actionsFile}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  try {
    return parseActionCatalogue(parsed);
  } catch (error) {
    if (error instanceof DomainError) {
      const detail = error.errors.map((e) => `${e.path} ${e.message}`).join('; ');
      throw new Error(`BALLOU_ACTIONS_FILE ${actionsFile}: ${detail || error.message}`, { cause: error });
    }
    throw error;
  }
}

const same = (row: ActionCatalogueRow, a: ActionDefinition) =>
  row.retired_at === null &&
  row.title_sv === a.titleSv &&
  row.title_en === a.titleEn &&
  row.command === a.command &&
  row.check_command === a.checkCommand &&
  row.timeout_seconds === a.timeoutSeconds;

/**
 * Makes the stored catalogue what the configuration says, at every start: new actions are added,
 * changed ones updated, and actions no longer configured retired (kept, because runs refer to them;
 * a retired action can be neither authorized nor run). Each change is audited. Runs keep the exact
 * command they ran, so a later change never rewrites history.
 */
export async function syncActionCatalogue(ctx: AppContext): Promise<void> {
  const wanted = configuredCatalogue(ctx.config.actionsFile);
  const nowMs = ctx.clock.now();
  const now = toDbInstant(nowMs);
  await ctx.db.transaction().execute(async (trx) => {
    const stored = new Map((await listCatalogue(trx)).map((r) => [r.key, r]));
    const audit = (action: string, key: string, data: Record<string, unknown>) =>
      appendAudit(trx, {
        atMs: nowMs,
        actor: CATALOGUE_ACTOR,
        action,
        entityType: 'action',
        entityId: key,
        data,
      });
    for (const a of wanted) {
      const row = stored.get(a.key);
      const fields = {
        title_sv: a.titleSv,
        title_en: a.titleEn,
        command: a.command,
        check_command: a.checkCommand,
        timeout_seconds: a.timeoutSeconds,
      };
      if (!row) {
        await insertCatalogueEntry(trx, {
          key: a.key,
          ...fields,
          created_at: now,
          retired_at: null,
          updated_at: now,
        });
        await audit('action_catalogue.added', a.key, { action: a });
      } else if (!same(row, a)) {
        await updateCatalogueEntry(trx, a.key, { ...fields, retired_at: null, updated_at: now });
        await audit('action_catalogue.changed', a.key, { before: toActionView(row), action: a });
      }
    }
    const keys = new Set(wanted.map((a) => a.key));
    for (const row of stored.values()) {
      if (!keys.has(row.key) && row.retired_at === null) {
        await updateCatalogueEntry(trx, row.key, { retired_at: now, updated_at: now });
        await audit('action_catalogue.retired', row.key, { action: toActionView(row) });
      }
    }
  });
}

/** GET /actions: the catalogue actions that can be authorized and run now. */
export async function listActions(ctx: AppContext, _principal: Principal): Promise<ActionView[]> {
  return (await listCatalogue(ctx.db)).filter((r) => r.retired_at === null).map(toActionView);
}
