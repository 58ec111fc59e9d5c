import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import en from './en.json';
import sv from './sv.json';

type Tree = { [key: string]: string | Tree };

/** Every leaf key of a resource tree, dotted. */
function leafKeys(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) =>
    typeof v === 'string' ? [`${prefix}${k}`] : leafKeys(v, `${prefix}${k}.`),
  );
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

const SRC = path.resolve(import.meta.dirname, '..');
const files = sourceFiles(SRC).map((f) => ({
  file: path.relative(SRC, f),
  text: fs.readFileSync(f, 'utf8'),
}));
/** t('key') and t('key', …): static keys. */
const STATIC = /\bt\(\s*'([^']+)'/g;
/** t(`prefix.${…}`): a family of keys, which must exist as an object in both languages. */
const DYNAMIC = /\bt\(\s*`([^`$]*)\$\{/g;

const svKeys = new Set(leafKeys(sv as Tree));
const enKeys = new Set(leafKeys(en as Tree));

describe('translations', () => {
  it('has every key in both Swedish and English', () => {
    expect(
      [...svKeys].filter((k) => !enKeys.has(k)),
      'only in sv.json',
    ).toEqual([]);
    expect(
      [...enKeys].filter((k) => !svKeys.has(k)),
      'only in en.json',
    ).toEqual([]);
  });

  it('has every key the code uses', () => {
    const missing: string[] = [];
    for (const { file, text } of files)
      for (const match of text.matchAll(STATIC)) {
        const key = match[1] as string;
        // i18next plurals: t('x', { count }) reads x_one / x_other.
        const plural = svKeys.has(`${key}_one`) && svKeys.has(`${key}_other`);
        if (!svKeys.has(key) && !plural) missing.push(`${file}: ${key}`);
      }
    expect(missing).toEqual([]);
  });

  it('has the families of keys the code builds at run time', () => {
    const missing: string[] = [];
    for (const { file, text } of files)
      for (const match of text.matchAll(DYNAMIC)) {
        const prefix = match[1] as string;
        if (![...svKeys].some((k) => k.startsWith(prefix))) missing.push(`${file}: ${prefix}…`);
      }
    expect(missing).toEqual([]);
  });

  it('finds the keys in the code (the scan itself works)', () => {
    const used = files.flatMap(({ text }) => [...text.matchAll(STATIC)].map((m) => m[1]));
    expect(used).toContain('login.submit');
    expect(used.length).toBeGreaterThan(50);
  });

  it('uses the same {{placeholders}} in both languages', () => {
    const lookup = (tree: Tree, key: string) =>
      key
        .split('.')
        .reduce<string | Tree | undefined>(
          (node, k) => (typeof node === 'object' ? node[k] : undefined),
          tree,
        );
    const placeholders = (text: unknown) =>
      [...String(text).matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    const differ = [...svKeys].filter(
      (k) =>
        enKeys.has(k) &&
        JSON.stringify(placeholders(lookup(sv as Tree, k))) !==
          JSON.stringify(placeholders(lookup(en as Tree, k))),
    );
    expect(differ).toEqual([]);
  });
});
