import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const EXAMPLES_FILE = path.resolve(ROOT, '../shared/spec/examples/pricing.json');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ballou-cli-'));

async function ballou(
  args: string[],
  input?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = run(path.join(ROOT, 'node_modules/.bin/tsx'), [path.join(ROOT, 'src/cli/main.ts'), ...args], {
    cwd: ROOT,
    env: { ...process.env, BALLOU_DATA_DIR: dataDir, BALLOU_DATABASE_URL: '' },
  });
  if (input !== undefined) {
    child.child.stdin?.end(input);
  }
  try {
    const { stdout, stderr } = await child;
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('the ballou CLI', () => {
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('token create prints a token and nothing else; a bad role exits 2', async () => {
    const ok = await ballou(['token', 'create', '--role', 'admin', '--name', 'test']);
    expect(ok.code).toBe(0);
    expect(ok.stdout.trim()).toMatch(/^bsa_[A-Za-z0-9_-]{43}$/);
    const bad = await ballou(['token', 'create', '--role', 'boss', '--name', 'x']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/role must be one of/);
  });

  it('price --input FILE prints the price objects of the worked examples', async () => {
    const res = await ballou(['price', '--input', EXAMPLES_FILE]);
    expect(res.code).toBe(0);
    const expected = JSON.parse(fs.readFileSync(EXAMPLES_FILE, 'utf8')) as Array<{
      expected: { totalOre: number };
    }>;
    expect((JSON.parse(res.stdout) as Array<{ totalOre: number }>).map((p) => p.totalOre)).toEqual(
      expected.map((e) => e.expected.totalOre),
    );
  });

  it('roster gaps prints the gaps as JSON and exits 3 when there are any', async () => {
    // An empty roster: every on-call minute of the period is a gap.
    const res = await ballou(['roster', 'gaps', '--from', '2026-12-01T17:00', '--to', '2026-12-02T08:00']);
    expect(res.code).toBe(3);
    const gaps = JSON.parse(res.stdout) as Array<{ start: string; end: string; kind: string }>;
    expect(gaps).toContainEqual(
      expect.objectContaining({
        start: '2026-12-01T17:00:00+01:00',
        end: '2026-12-02T08:00:00+01:00',
        kind: 'no-primary',
      }),
    );
    const bad = await ballou(['roster', 'gaps', '--from', '2026-12-02T00:00', '--to', '2026-12-01T00:00']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('/to');
  });

  it('price --input - reads standard input and exits 2 naming the field on bad input', async () => {
    const good = await ballou(
      ['price', '--input', '-'],
      JSON.stringify({ tier: 'hog', reportedAt: '2026-12-05T02:00:00+01:00', work: [] }),
    );
    expect(good.code).toBe(0);
    expect(JSON.parse(good.stdout)).toMatchObject({ callout: true, totalOre: 0 });
    const bad = await ballou(
      ['price', '--input', '-'],
      JSON.stringify({ tier: 'hog', reportedAt: '2026-10-25T02:30:00', work: [] }),
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('/reportedAt');
    expect(bad.stdout).toBe('');
    const notJson = await ballou(['price', '--input', '-'], '{oops');
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toMatch(/not valid JSON/);
  });
});
