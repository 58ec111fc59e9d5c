import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SERVE_NODE_FLAGS } from './serve-node-flags.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');
const flags = SERVE_NODE_FLAGS.join(' ');

describe('the flags ballou serve runs with', () => {
  it('are the ones npm start gives it', () => {
    const start = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts.start;
    expect(start).toContain(`node ${flags} dist/src/cli/main.js serve`);
  });

  it('are on the `ballou` command itself (the package bin), whose first line starts Node with them', () => {
    const bin = (JSON.parse(read('package.json')) as { bin: Record<string, string> }).bin.ballou as string;
    expect(bin).toBe('dist/src/cli/main.js');
    // tsc keeps the first line of src/cli/main.ts; `env -S` splits it into node and its flags.
    expect(read('src/cli/main.ts').split('\n')[0]).toBe(`#!/usr/bin/env -S node ${flags}`);
  });

  it('are the ones the deployment guide gives it, on the command line and in the systemd unit', () => {
    const guide = read('docs/deployment.md');
    expect(guide).toContain(`node ${flags} dist/src/cli/main.js serve`);
    expect(guide).toContain(`ExecStart=/usr/bin/node ${flags} dist/src/cli/main.js serve`);
    expect(guide).not.toMatch(/node dist\/src\/cli\/main\.js serve/);
  });
});
