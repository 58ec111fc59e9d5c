/**
 * One line of `npm run bench`'s table: the project's number, the ceiling measured in the same run (the
 * best this machine does at the same job without our code around it), their ratio, and the issue's target.
 * Each bench module (bench/*.ts) exports an async function returning its figures; bench/run.ts prints them
 * all in one table with `printFigures`.
 */
export interface Figure {
  /** What was measured, e.g. "intake: 46elks voice webhook". */
  name: string;
  value: number;
  /** "incidents/s", "ms", "MiB", "s", "×" … */
  unit: string;
  /** Whether a bigger number is better (throughput) or worse (latency, memory, duration). */
  better: 'higher' | 'lower';
  /** The ceiling measured in the same run, in the same unit, with what it was. */
  ceiling?: { value: number; label: string };
  /**
   * The issue's target. `ratio` targets are on value ÷ ceiling (e.g. at least 0.5 of the ceiling);
   * `absolute` targets are on the value itself (e.g. p99 at most 50 ms).
   */
  target?: { kind: 'absolute' | 'ratio'; value: number };
  /** A short note printed under the table (sizes, seeds, what was excluded). */
  note?: string;
}

/** True when the figure meets its target (figures without one always do). */
export function meetsTarget(f: Figure): boolean {
  if (!f.target) return true;
  const measured = f.target.kind === 'ratio' ? ratio(f) : f.value;
  if (measured === undefined) return false;
  // A ratio target is "at least this share of the ceiling" for throughput, "at most this multiple" for cost.
  return f.better === 'higher' ? measured >= f.target.value : measured <= f.target.value;
}

export function ratio(f: Figure): number | undefined {
  return f.ceiling && f.ceiling.value !== 0 ? f.value / f.ceiling.value : undefined;
}

function num(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

function targetText(f: Figure): string {
  if (!f.target) return '';
  const op = f.better === 'higher' ? '≥' : '≤';
  return f.target.kind === 'ratio'
    ? `ratio ${op} ${num(f.target.value)}`
    : `${op} ${num(f.target.value)} ${f.unit}`;
}

/** Prints the table and returns how many figures miss their target. */
export function printFigures(figures: readonly Figure[], log: (line: string) => void = console.log): number {
  const rows = figures.map((f) => {
    const r = ratio(f);
    return [
      f.name,
      `${num(f.value)} ${f.unit}`,
      f.ceiling ? `${num(f.ceiling.value)} ${f.unit} (${f.ceiling.label})` : '—',
      r === undefined ? '—' : num(r),
      targetText(f) || '—',
      f.target ? (meetsTarget(f) ? 'PASS' : 'BELOW') : '',
    ];
  });
  const header = ['figure', 'project', 'ceiling (same run)', 'ratio', 'target', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 1 || i === 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  log(line(header));
  log(widths.map((w) => '─'.repeat(w)).join('  '));
  for (const row of rows) log(line(row));
  const notes = figures.filter((f) => f.note);
  if (notes.length > 0) {
    log('');
    for (const f of notes) log(`  ${f.name}: ${f.note}`);
  }
  return figures.filter((f) => !meetsTarget(f)).length;
}
