import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ballou-actions-cli-'));

async function ballou(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(
      path.join(ROOT, 'node_modules/.bin/tsx'),
      [path.join(ROOT, 'src/cli/main.ts'), ...args],
      { cwd: ROOT, env: { ...process.env, BALLOU_DATA_DIR: dataDir, BALLOU_DATABASE_URL: '', ...env } },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

// The real CLI through tsx, on SQLite only (as cli.test.ts).
describe('ballou actions list', () => {
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('prints the configured catalogue; a broken catalogue file fails naming the field', async () => {
    const ok = await ballou(['actions', 'list']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).map((a: { key: string; command: string }) => [a.key, a.command])).toEqual([
      ['restart-db', 'sudo systemctl restart mariadb'],
      ['restart-php-fpm', 'sudo systemctl restart php-fpm'],
      ['restart-web', 'sudo systemctl restart nginx'],
    ]);
    const file = path.join(dataDir, 'actions.json');
    fs.writeFileSync(
      file,
      JSON.stringify([{ key: 'Bad Key', titleSv: 'x', titleEn: 'x', command: 'x', timeoutSeconds: 5 }]),
    );
    const bad = await ballou(['actions', 'list'], { BALLOU_ACTIONS_FILE: file });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/BALLOU_ACTIONS_FILE .*\/0\/key/);
  });
});
