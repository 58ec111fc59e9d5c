import path from 'node:path';

/** Atomics.waitAsync (Node 16+, V8), which this TypeScript lib does not declare yet. */
type WaitAsync = (
  cells: Int32Array,
  index: number,
  value: number,
  timeoutMs?: number,
) => { async: false; value: 'not-equal' | 'timed-out' } | { async: true; value: Promise<'ok' | 'timed-out'> };
const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

const NEXT = 0;
const SERVING = 1;

/**
 * Turns at SQLite's write lock for the threads of one process that write the same database file (the
 * server and its job thread), first come first served.
 *
 * SQLite itself only says "busy": a thread that finds the lock taken can only try again later, and the
 * thread holding it, whose next group starts the moment its last one commits, nearly always wins the
 * retry. Measured under intake load: the server thread's groups waited 15–50 ms for the job thread, and
 * every request behind them with it. A ticket lock in shared memory instead hands the turn to whoever
 * has waited longest, and wakes it at once (Atomics.waitAsync), without a busy loop.
 *
 * SQLite's lock stays the real guard: a group still begins with BEGIN IMMEDIATE, and other processes
 * (the CLI) are met with retries as before. If a turn is not passed on within the busy timeout (its
 * thread died holding it), the waiter takes the next turn anyway.
 */
export class WriteTurns {
  private readonly cells: Int32Array;

  constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(8)) {
    this.cells = new Int32Array(buffer);
  }

  /** Waits for this caller's turn: after everyone who asked before it has had theirs. */
  async take(timeoutMs: number): Promise<void> {
    const ticket = Atomics.add(this.cells, NEXT, 1);
    for (;;) {
      const serving = Atomics.load(this.cells, SERVING);
      // Ours, or already past ours (a turn skipped below); the int32 difference survives wrap-around.
      if (((serving - ticket) | 0) >= 0) return;
      const wait = waitAsync(this.cells, SERVING, serving, timeoutMs);
      const outcome = wait.async ? await wait.value : wait.value;
      // No turn passed on for the whole timeout: its holder is gone. Skip it (once, whoever comes first).
      if (outcome === 'timed-out') Atomics.compareExchange(this.cells, SERVING, serving, (serving + 1) | 0);
    }
  }

  /** Ends the caller's turn and wakes whoever is next. */
  give(): void {
    Atomics.add(this.cells, SERVING, 1);
    Atomics.notify(this.cells, SERVING);
  }

  /** Someone besides the holder is waiting for a turn. */
  othersWaiting(): boolean {
    return ((Atomics.load(this.cells, NEXT) - Atomics.load(this.cells, SERVING)) | 0) > 1;
  }
}

/** This thread's turns per database file; a worker thread adopts its parent's (adoptWriteTurns). */
const turnsByFile = new Map<string, WriteTurns>();

export function writeTurnsFor(file: string): WriteTurns {
  const key = path.resolve(file);
  let turns = turnsByFile.get(key);
  if (!turns) {
    turns = new WriteTurns();
    turnsByFile.set(key, turns);
  }
  return turns;
}

/** The shared memory of every file's turns, for a worker thread's workerData. */
export function exportWriteTurns(): Record<string, SharedArrayBuffer> {
  return Object.fromEntries([...turnsByFile].map(([file, turns]) => [file, turns.buffer]));
}

/** In a worker thread, before it opens a database: take part in the parent's turns. */
export function adoptWriteTurns(buffers: Record<string, SharedArrayBuffer>): void {
  for (const [file, buffer] of Object.entries(buffers)) turnsByFile.set(file, new WriteTurns(buffer));
}
