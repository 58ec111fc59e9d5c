import { threadId } from 'node:worker_threads';

/**
 * Turn-taking for SQLite's write lock between the threads of one process (the server thread and the job
 * thread each have a connection to the same file).
 *
 * SQLite itself only answers SQLITE_BUSY to the thread that asks while the other holds the lock, so the
 * loser used to sleep and retry (1, 2, 4 … 20 ms): under load the two threads spent a third to most of
 * each second asleep, and the busy server thread, which opens its next group in the same turn of the
 * event loop in which it committed the last, nearly always won the race. Here, in memory both threads
 * share:
 *
 * - every COMMIT or ROLLBACK of a write group bumps a release counter and wakes whoever waits on it, so a
 *   thread that met SQLITE_BUSY retries the moment the lock is free instead of after its pause;
 * - a thread that has waited `STARVING_AFTER_MS` raises its flag; the other then commits its open group at
 *   its next hand-over and, before it opens another, lets the waiter go first (for at most `YIELD_MS`).
 *
 * Other processes (the CLI) do not share the memory: against them the pause stays the bound.
 * The memory is per process; the job thread gets the server thread's through its workerData
 * (`adoptSharedWriteTurns`). Unrelated database files in one process (tests) only cost each other a
 * spurious wake-up or a polite pause.
 */

/**
 * Index of the release counter; then the counter of flag changes; then the flags: each cell holds the
 * thread id + 1 of a thread that waits (0: free), so a flag is exactly one thread's, whatever its id.
 */
const RELEASES = 0;
const FLAG_CHANGES = 1;
const FIRST_FLAG = 2;
const FLAGS = 16;
/** The longest a thread lets a waiting one go first: the waiter may have died with its flag up. */
export const YIELD_MS = 5;
/**
 * A thread raises its flag once it has waited this long. Sooner, and the two threads hand the lock to
 * each other after nearly every transaction: groups of one, a COMMIT and a flush each (intake fell by a
 * third); never, and a busy server thread can keep the job thread from paging for most of a second.
 */
export const STARVING_AFTER_MS = 20;

let memory: SharedArrayBuffer | undefined;

/** This process's shared memory for write turns, created on first use (hand it to worker threads). */
export function sharedWriteTurnsMemory(): SharedArrayBuffer {
  memory ??= new SharedArrayBuffer((FIRST_FLAG + FLAGS) * Int32Array.BYTES_PER_ELEMENT);
  return memory;
}

/** In a worker thread: take the spawning thread's memory, before the first database is opened. */
export function adoptSharedWriteTurns(shared: SharedArrayBuffer): void {
  memory = shared;
}

/** Lowers the flag a thread left up when it ended (the job runner calls it when its thread exits). */
export function clearWriteTurnFlag(ofThreadId: number): void {
  const view = new Int32Array(sharedWriteTurnsMemory());
  for (let i = FIRST_FLAG; i < FIRST_FLAG + FLAGS; i += 1)
    if (Atomics.compareExchange(view, i, ofThreadId + 1, 0) === ofThreadId + 1) bump(view, FLAG_CHANGES);
}

function bump(view: Int32Array, index: number): void {
  Atomics.add(view, index, 1);
  Atomics.notify(view, index);
}

export class WriteTurns {
  private readonly view = new Int32Array(sharedWriteTurnsMemory());
  /** What this thread's flag holds: its id + 1. */
  private readonly mark: number;
  /** The cell this thread's flag is up in, or -1. */
  private cell = -1;

  /** `id`: whose flag this is, this thread's by default (tests give two connections of one thread two). */
  constructor(id: number = threadId) {
    this.mark = id + 1;
  }

  /** The release counter now: read it before trying for the lock, wait on it after failing. */
  releases(): number {
    return Atomics.load(this.view, RELEASES);
  }

  /** This thread's write group ended (COMMIT or ROLLBACK): wakes a thread waiting for the lock. */
  released(): void {
    bump(this.view, RELEASES);
  }

  /** Waits until a release after `seen`, or `ms`. */
  async untilReleaseAfter(seen: number, ms: number): Promise<void> {
    const wait = Atomics.waitAsync(this.view, RELEASES, seen, ms);
    if (wait.async) await wait.value;
  }

  /** Raises or lowers this thread's flag: it waits for the write lock. */
  waiting(on: boolean): void {
    if (on === (this.cell !== -1)) return;
    if (on) {
      // A free cell; with every cell taken (more waiting threads than a process has) it waits unflagged.
      for (let i = FIRST_FLAG; i < FIRST_FLAG + FLAGS && this.cell === -1; i += 1)
        if (Atomics.compareExchange(this.view, i, 0, this.mark) === 0) this.cell = i;
      if (this.cell === -1) return;
    } else {
      Atomics.compareExchange(this.view, this.cell, this.mark, 0);
      this.cell = -1;
    }
    bump(this.view, FLAG_CHANGES);
  }

  /** Another thread of this process waits for the write lock. */
  othersWaiting(): boolean {
    for (let i = FIRST_FLAG; i < FIRST_FLAG + FLAGS; i += 1) {
      const flag = Atomics.load(this.view, i);
      if (flag !== 0 && flag !== this.mark) return true;
    }
    return false;
  }

  /** Lets the threads that wait take the lock first: returns once none waits, or after `ms`. */
  async letOthersGo(ms = YIELD_MS): Promise<void> {
    const deadline = performance.now() + ms;
    for (;;) {
      const changes = Atomics.load(this.view, FLAG_CHANGES);
      const left = deadline - performance.now();
      if (!this.othersWaiting() || left <= 0) return;
      const wait = Atomics.waitAsync(this.view, FLAG_CHANGES, changes, left);
      if (wait.async) await wait.value;
    }
  }
}
