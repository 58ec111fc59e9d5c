import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** For the web app's translation tests (web/src/i18n/*-messages.test.ts), which check the server's words. */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Every string literal the pattern's group (the first unless told) captures in the server's use cases,
 * routes and domain (src/app, src/server, src/domain; not their tests), sorted, once each.
 */
export function serverMessageLiterals(pattern: RegExp, group = 1): string[] {
  const found = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts'))
        for (const m of fs.readFileSync(full, 'utf8').matchAll(pattern))
          found.add((m[group] as string).replace(/\\'/g, "'"));
    }
  };
  for (const dir of ['src/app', 'src/server', 'src/domain']) walk(path.join(ROOT, dir));
  return [...found].sort();
}
