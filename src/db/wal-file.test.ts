import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WalFile } from './wal-file.js';

/** Descriptors of this process that point at `file` (Linux: /proc/self/fd). */
const descriptorsOf = (file: string): number =>
  fs.readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return fs.readlinkSync(`/proc/self/fd/${fd}`) === file;
    } catch {
      return false;
    }
  }).length;

describe.runIf(process.platform === 'linux')('WalFile', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ballou-wal-'));
    file = path.join(dir, 'db.sqlite-wal');
    fs.writeFileSync(file, 'frames');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('flushes through one descriptor kept open, and closes it', async () => {
    const wal = new WalFile(file);
    for (let i = 0; i < 5; i++) await wal.flush();
    expect(descriptorsOf(file)).toBe(1);
    wal.close();
    expect(descriptorsOf(file)).toBe(0);
  });

  it('opens a recreated file afresh and lets go of the old one', async () => {
    const wal = new WalFile(file);
    await wal.flush();
    fs.rmSync(file);
    fs.writeFileSync(file, 'new frames');
    await wal.flush();
    expect(descriptorsOf(file)).toBe(1);
    expect(descriptorsOf(`${file} (deleted)`)).toBe(0);
    wal.close();
  });

  it('fails the flush when the file has vanished, so nothing is acknowledged', async () => {
    const wal = new WalFile(file);
    await wal.flush();
    fs.rmSync(file);
    await expect(wal.flush()).rejects.toThrow(/ENOENT/);
    wal.close();
  });
});
