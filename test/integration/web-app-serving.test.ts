import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/build-app.js';
import { startTestApp, type TestApp } from './support/test-runtime.js';

describe('the web app served at /', () => {
  let t: TestApp;
  let app: FastifyInstance;
  const script = 'console.log("ballou");'.repeat(100);

  beforeAll(async () => {
    t = await startTestApp('sqlite');
    const webRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'ballou-web-'));
    fs.mkdirSync(path.join(webRoot, 'assets'));
    fs.writeFileSync(path.join(webRoot, 'index.html'), '<!doctype html><title>Ballou</title>');
    fs.writeFileSync(path.join(webRoot, 'assets', 'index-abc123.js'), script);
    fs.writeFileSync(path.join(webRoot, 'assets', 'index-abc123.js.br'), zlib.brotliCompressSync(script));
    app = await buildApp({ ctx: t.ctx, webRoot });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  it('serves the brotli copy of a hashed asset to a browser that accepts it, cached for good', async () => {
    const res = await app.inject({
      url: '/assets/index-abc123.js',
      headers: { 'accept-encoding': 'br, gzip' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(zlib.brotliDecompressSync(res.rawPayload).toString()).toBe(script);
    const plain = await app.inject({ url: '/assets/index-abc123.js' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(script);
  });

  it('answers a screen address with the app, and an unknown API address with problem+json', async () => {
    const screen = await app.inject({ url: '/incidents/some-id' });
    expect(screen.statusCode).toBe(200);
    expect(screen.headers['content-type']).toContain('text/html');
    expect(screen.body).toContain('<title>Ballou</title>');
    const api = await app.inject({ url: '/api/v1/no-such-thing' });
    expect(api.statusCode).toBe(404);
    expect(api.headers['content-type']).toContain('application/problem+json');
  });
});
