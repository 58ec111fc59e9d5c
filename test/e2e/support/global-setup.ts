import { execFileSync } from 'node:child_process';
import path from 'node:path';

/**
 * A fresh production build of web/ before the browser tests, by the same script as `npm start`
 * (scripts/build.mjs), which does nothing when dist/web is newer than every web source.
 */
export default function setup(): void {
  const root = path.resolve(import.meta.dirname, '../../..');
  execFileSync(process.execPath, [path.join(root, 'scripts/build.mjs'), '--web-only', '--if-stale'], {
    cwd: root,
    stdio: 'inherit',
  });
}
