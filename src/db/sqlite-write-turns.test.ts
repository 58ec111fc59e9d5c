import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { clearWriteTurnFlag, sharedWriteTurnsMemory, WriteTurns } from './sqlite-write-turns.js';

/** A worker thread that adopts this thread's memory and does, in order, what `steps` posts it. */
function turnsThread(): { worker: Worker; next: () => Promise<string> } {
  const url = new URL('./sqlite-write-turns.ts', import.meta.url).href;
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    import('tsx/esm/api').then(async ({ register }) => {
      register();
      const { adoptSharedWriteTurns, WriteTurns } = await import(${JSON.stringify(url)});
      adoptSharedWriteTurns(workerData.memory);
      const turns = new WriteTurns();
      parentPort.on('message', async (step) => {
        if (step === 'raise') turns.waiting(true);
        if (step === 'lower') turns.waiting(false);
        if (step === 'wait-for-release') {
          // Read before it says so: a release from then on ends the wait, however late the wait begins.
          const seen = turns.releases();
          parentPort.postMessage('waiting');
          await turns.untilReleaseAfter(seen, 60_000);
        }
        if (step === 'release') turns.released();
        parentPort.postMessage(step + ' done');
      });
      parentPort.postMessage('ready');
    });`;
  const worker = new Worker(code, { eval: true, workerData: { memory: sharedWriteTurnsMemory() } });
  const inbox: string[] = [];
  const waiting: Array<(message: string) => void> = [];
  worker.on('message', (message: string) => {
    const take = waiting.shift();
    if (take) take(message);
    else inbox.push(message);
  });
  const next = () =>
    new Promise<string>((resolve) => {
      const message = inbox.shift();
      if (message !== undefined) resolve(message);
      else waiting.push(resolve);
    });
  return { worker, next };
}

describe('write turns between the threads of one process', () => {
  it("shows one thread's flag to the other, and wakes each at the other's release", async () => {
    const here = new WriteTurns();
    const { worker, next } = turnsThread();
    try {
      expect(await next()).toBe('ready');
      expect(here.othersWaiting()).toBe(false);

      worker.postMessage('raise');
      expect(await next()).toBe('raise done');
      expect(here.othersWaiting()).toBe(true);
      // This thread's own flag is not "another's".
      here.waiting(true);
      worker.postMessage('lower');
      expect(await next()).toBe('lower done');
      expect(here.othersWaiting()).toBe(false);
      here.waiting(false);

      // The worker waits up to a minute for a release: this thread's release ends it.
      worker.postMessage('wait-for-release');
      expect(await next()).toBe('waiting');
      here.released();
      expect(await next()).toBe('wait-for-release done');

      // And the other way round.
      const seen = here.releases();
      const woken = here.untilReleaseAfter(seen, 60_000);
      worker.postMessage('release');
      await woken;
      expect(here.releases()).toBeGreaterThan(seen);
    } finally {
      await worker.terminate();
    }
  });

  it('lowers the flag a thread left up when it ended, so nobody keeps yielding to it', async () => {
    const here = new WriteTurns();
    const { worker, next } = turnsThread();
    const { threadId } = worker;
    expect(await next()).toBe('ready');
    worker.postMessage('raise');
    expect(await next()).toBe('raise done');
    await worker.terminate();
    expect(here.othersWaiting()).toBe(true);
    clearWriteTurnFlag(threadId);
    expect(here.othersWaiting()).toBe(false);
  });

  it('lets a waiting thread go first until it lowers its flag', async () => {
    const waiter = new WriteTurns(21);
    const holder = new WriteTurns(22);
    waiter.waiting(true);
    let holderGoesOn = false;
    const yielding = holder.letOthersGo(60_000).then(() => (holderGoesOn = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(holderGoesOn).toBe(false);
    waiter.waiting(false);
    await yielding;
    expect(holder.othersWaiting()).toBe(false);
  });
});
