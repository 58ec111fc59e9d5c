import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The Swedish telephony prompts shipped in assets/audio/sv (see its README): 46elks has no Swedish
 * text-to-speech, so page calls and the greeting are recordings it fetches from us. 46elks caches audio
 * by URL, so each is served under a name carrying a hash of its content: a new recording gets a new URL.
 */
export const PROMPT_NAMES = ['page', 'acknowledged', 'greeting'] as const;
export type PromptName = (typeof PROMPT_NAMES)[number];

export interface Prompt {
  name: PromptName;
  /** `/audio/sv/page-1a2b3c4d5e6f.wav` */
  path: string;
  contentType: string;
  bytes: Buffer;
}

/** The folder that holds the prompts, from the source tree (src/app/audio) or the build (dist/src/app/audio). */
function findAssetDir(): string | undefined {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'assets', 'audio', 'sv');
    if (fs.existsSync(path.join(candidate, 'page.wav'))) return candidate;
    dir = path.dirname(dir);
  }
  return undefined;
}

let catalogue: Map<PromptName, Prompt> | undefined;

/** Every bundled prompt that is present, read once. */
export function bundledPrompts(): Map<PromptName, Prompt> {
  if (catalogue) return catalogue;
  const found = new Map<PromptName, Prompt>();
  const dir = findAssetDir();
  if (dir !== undefined) {
    for (const name of PROMPT_NAMES) {
      const file = path.join(dir, `${name}.wav`);
      if (!fs.existsSync(file)) continue;
      const bytes = fs.readFileSync(file);
      const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 12);
      found.set(name, { name, path: `/audio/sv/${name}-${hash}.wav`, contentType: 'audio/wav', bytes });
    }
  }
  catalogue = found;
  return found;
}

/** The prompt served at `requestPath` (exact name and hash), or undefined. */
export function promptAt(requestPath: string): Prompt | undefined {
  for (const prompt of bundledPrompts().values()) if (prompt.path === requestPath) return prompt;
  return undefined;
}

/** The absolute URL of a bundled prompt under our public address, or undefined when it is missing. */
export function bundledPromptUrl(publicUrl: string, name: PromptName): string | undefined {
  const prompt = bundledPrompts().get(name);
  return prompt ? new URL(prompt.path, publicUrl).toString() : undefined;
}
