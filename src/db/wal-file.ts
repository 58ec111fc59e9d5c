import fs from 'node:fs';
import { promisify } from 'node:util';

const fdatasync = promisify(fs.fdatasync);

/**
 * SQLite's WAL file as the group-commit driver flushes it: `fdatasync` in libuv's thread pool, through a
 * descriptor kept open while the path still names the same file. Opening and closing it for every flush
 * cost two more trips through the thread pool each time (3 % of a busy thread's CPU). Before each flush
 * the path is checked (one stat): a WAL that was recreated is opened afresh, and a WAL that vanished fails
 * the flush, so nothing is acknowledged that is not on disk.
 */
export class WalFile {
  private fd: number | undefined;
  private identity = '';

  constructor(readonly path: string) {}

  async flush(): Promise<void> {
    const current = fs.statSync(this.path);
    if (this.fd === undefined || `${current.dev}:${current.ino}` !== this.identity) {
      this.close();
      const fd = fs.openSync(this.path, 'r+');
      const opened = fs.fstatSync(fd);
      this.fd = fd;
      this.identity = `${opened.dev}:${opened.ino}`;
    }
    await fdatasync(this.fd);
  }

  close(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    fs.closeSync(fd);
  }
}
