import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { sendProblem } from './error-handler.js';

const NUL = '\u0000';
const pointer = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * Whether any text (string, key, form field) holds a NUL character: the walk every request pays, so it
 * builds no pointers. Iterative, so a deeply nested body cannot overflow the stack.
 */
function hasNul(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (v.includes(NUL)) return true;
    } else if (v instanceof URLSearchParams) {
      for (const [k, x] of v) if (k.includes(NUL) || x.includes(NUL)) return true;
    } else if (Array.isArray(v)) {
      for (const x of v) stack.push(x);
    } else if (v !== null && typeof v === 'object' && !Buffer.isBuffer(v)) {
      for (const k in v) {
        if (!Object.hasOwn(v, k)) continue;
        if (k.includes(NUL)) return true;
        stack.push((v as Record<string, unknown>)[k]);
      }
    }
  }
  return false;
}

/**
 * The JSON pointer of the first text that holds a NUL character, or undefined. Iterative, so a deeply
 * nested body cannot overflow the stack; pointers are only built once a NUL is known to be there.
 */
export function findNul(value: unknown, path: string): string | undefined {
  if (!hasNul(value)) return undefined;
  const stack: Array<[unknown, string]> = [[value, path]];
  while (stack.length > 0) {
    const [v, p] = stack.pop() as [unknown, string];
    if (typeof v === 'string') {
      if (v.includes(NUL)) return p || '/';
    } else if (v instanceof URLSearchParams) {
      for (const [k, x] of v) if (k.includes(NUL) || x.includes(NUL)) return `${p}/${pointer(k)}`;
    } else if (Array.isArray(v)) {
      v.forEach((x, i) => stack.push([x, `${p}/${i}`]));
    } else if (v !== null && typeof v === 'object' && !Buffer.isBuffer(v)) {
      for (const [k, x] of Object.entries(v)) {
        if (k.includes(NUL)) return `${p}/${pointer(k)}`;
        stack.push([x, `${p}/${pointer(k)}`]);
      }
    }
  }
  return undefined;
}

/**
 * Refuses a NUL character anywhere in path parameters, query string or body with a 400 naming the
 * field. PostgreSQL text cannot hold NUL (the query failed: a 500), SQLite would store it: no engine
 * should see it, and no field of ours has a use for it.
 */
export const textGuardPlugin = fp(async (app: FastifyInstance) => {
  app.addHook('preValidation', async (request, reply) => {
    const parts: Array<[string, unknown]> = [
      ['/params', request.params],
      ['/querystring', request.query],
      ['', request.body],
    ];
    for (const [prefix, value] of parts) {
      const path = findNul(value, prefix);
      if (path !== undefined) {
        const message = 'must not contain a NUL character';
        return sendProblem(reply, request, 400, 'VALIDATION_FAILED', `${path}: ${message}`, [
          { path, message },
        ]);
      }
    }
  });
});
