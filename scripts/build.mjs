#!/usr/bin/env node
// Builds the server (tsc → dist/src) and the web app (vite → dist/web).
// With --if-stale it does nothing when dist is newer than every source file, so `npm start` is quick
// on the second run and still works straight after `npm ci` on a fresh clone. With --web-only it builds
// just the web app (the end-to-end tests' global setup: a fresh production build of web/).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const root = path.resolve(import.meta.dirname, '..');
const webOnly = process.argv.includes('--web-only');
const stamp = path.join(root, 'dist', webOnly ? '.web-build-stamp' : '.build-stamp');
const webSources = ['web/src', 'web/public', 'web/index.html', 'web/vite.config.ts', 'package-lock.json'];
const sources = webOnly
  ? webSources
  : [
      'src',
      'web/src',
      'web/public',
      'web/index.html',
      'web/vite.config.ts',
      'package-lock.json',
      'tsconfig.json',
      'tsconfig.build.json',
    ];

function newestMtime(p) {
  const full = path.join(root, p);
  if (!fs.existsSync(full)) return 0;
  const stat = fs.statSync(full);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(full)) newest = Math.max(newest, newestMtime(path.join(p, entry)));
  return newest;
}

if (process.argv.includes('--if-stale') && fs.existsSync(stamp)) {
  const built = fs.statSync(stamp).mtimeMs;
  if (sources.every((s) => newestMtime(s) <= built)) process.exit(0);
}

const bin = (name) => path.join(root, 'node_modules', '.bin', name);
if (!webOnly) {
  console.error('building server (tsc)…');
  fs.rmSync(path.join(root, 'dist', 'src'), { recursive: true, force: true });
  execFileSync(bin('tsc'), ['-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
}
console.error('building web app (vite)…');
execFileSync(bin('vite'), ['build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], {
  cwd: root,
  stdio: 'inherit',
  // Called from a test runner NODE_ENV is "test", which would bundle React's development build.
  env: { ...process.env, NODE_ENV: 'production' },
});
// Brotli and gzip copies of the text assets, served as they are by @fastify/static (preCompressed).
const webOut = path.join(root, 'dist', 'web');
for (const entry of fs.readdirSync(webOut, { recursive: true })) {
  const file = path.join(webOut, String(entry));
  if (!/\.(js|css|html|svg|json|webmanifest)$/.test(file) || fs.statSync(file).size < 1024) continue;
  const data = fs.readFileSync(file);
  fs.writeFileSync(`${file}.br`, zlib.brotliCompressSync(data));
  fs.writeFileSync(`${file}.gz`, zlib.gzipSync(data, { level: 9 }));
}
fs.mkdirSync(path.dirname(stamp), { recursive: true });
fs.writeFileSync(stamp, new Date().toISOString());
