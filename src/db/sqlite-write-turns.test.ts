import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { WriteTurns } from './sqlite-write-turns.js';

describe('turns at the SQLite write lock', () => {
  it('are given in the order they were asked for', async () => {
    const turns = new WriteTurns();
    const order: string[] = [];
    await turns.take(5_000);
    expect(turns.othersWaiting()).toBe(false);
    const waiting = ['b', 'c', 'd'].map((name) =>
      turns.take(5_000).then(() => {
        order.push(name);
        setTimeout(() => turns.give(), 5);
      }),
    );
    expect(turns.othersWaiting()).toBe(true);
    order.push('a');
    turns.give();
    await Promise.all(waiting);
    expect(order).toEqual(['a', 'b', 'c', 'd']);
  });

  it('wait across threads without blocking either, and wake the next at once', async () => {
    const turns = new WriteTurns();
    // Another thread takes the turn first and holds it for 150 ms.
    const thread = new Worker(
      `const { workerData, parentPort } = require('node:worker_threads');
       const cells = new Int32Array(workerData);
       const ticket = Atomics.add(cells, 0, 1);
       while (Atomics.load(cells, 1) !== ticket) Atomics.wait(cells, 1, Atomics.load(cells, 1));
       parentPort.postMessage('holding');
       setTimeout(() => { Atomics.add(cells, 1, 1); Atomics.notify(cells, 1); }, 150);`,
      { eval: true, workerData: turns.buffer },
    );
    await new Promise((resolve) => thread.once('message', resolve));
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 10);
    const started = performance.now();
    await turns.take(5_000);
    const waited = performance.now() - started;
    clearInterval(ticker);
    turns.give();
    await thread.terminate();
    expect(waited).toBeGreaterThan(100);
    expect(ticks).toBeGreaterThan(2); // this thread's event loop went on meanwhile
  });

  it('skip a turn whose holder never passes it on, after the timeout', async () => {
    const turns = new WriteTurns();
    await turns.take(5_000); // taken and never given: its thread died
    const started = performance.now();
    await turns.take(100);
    expect(performance.now() - started).toBeGreaterThanOrEqual(90);
    turns.give();
    await turns.take(100); // and the turns go on normally afterwards
    turns.give();
  });
});
