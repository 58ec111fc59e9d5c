import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { keepAliveFetch } from './keep-alive-fetch.js';
import { postForm } from './provider-http.js';

type Handler = (req: http.IncomingMessage, body: string, res: http.ServerResponse) => void;

const servers: http.Server[] = [];

/** A local HTTP server; `sockets` counts the TCP connections it accepted. */
async function serve(handler: Handler): Promise<{ url: string; sockets: Socket[]; server: http.Server }> {
  const sockets: Socket[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => handler(req, body, res));
  });
  server.on('connection', (socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, sockets, server };
}

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

const form = { from: 'Ballou', to: '+46701234567', message: 'Larm på db1 – åäö' };

describe('the telephony adapters’ keep-alive fetch', () => {
  it('sends method, headers and the UTF-8 body, returns status, headers and text, and reuses the connection', async () => {
    const seen: Array<{ method?: string; type?: string; auth?: string; body: string }> = [];
    const { url, sockets } = await serve((req, body, res) => {
      seen.push({
        method: req.method,
        type: req.headers['content-type'],
        auth: req.headers.authorization,
        body,
      });
      res.setHeader('content-type', 'application/json');
      res.setHeader('x-request', String(seen.length));
      res.end(JSON.stringify({ id: `s${seen.length}`, status: 'created' }));
    });
    for (let i = 1; i <= 3; i++) {
      const answer = await postForm({
        provider: '46elks',
        url: `${url}/a1/sms`,
        username: 'u1',
        password: 'secret-pw',
        form,
        timeoutMs: 5_000,
        fetch: keepAliveFetch,
      });
      expect(answer).toEqual({ id: `s${i}`, status: 'created' });
    }
    expect(seen).toHaveLength(3);
    expect(seen[0]).toMatchObject({
      method: 'POST',
      type: 'application/x-www-form-urlencoded; charset=utf-8',
    });
    expect(seen[0]?.auth).toBe(`Basic ${Buffer.from('u1:secret-pw').toString('base64')}`);
    expect(new URLSearchParams(seen[0]?.body).get('message')).toBe(form.message);
    expect(sockets).toHaveLength(1);
    const raw = await keepAliveFetch(`${url}/x`, { method: 'POST', body: 'a=1' });
    expect(raw.status).toBe(200);
    expect(raw.headers.get('x-request')).toBe('4');
  });

  it('gives the answer of an error status to the adapter, Retry-After included', async () => {
    const { url } = await serve((_req, _body, res) => {
      res.writeHead(429, { 'retry-after': '7', 'content-type': 'text/plain' });
      res.end('Too many requests');
    });
    const error = await postForm({
      provider: '46elks',
      url,
      username: 'u1',
      password: 'secret-pw',
      form,
      timeoutMs: 5_000,
      fetch: keepAliveFetch,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'HTTP', status: 429, retryable: true, retryAfterSeconds: 7 });
  });

  it('times out a provider that does not answer, as a retryable TIMEOUT', async () => {
    const { url } = await serve(() => undefined); // never answers
    const error = await postForm({
      provider: 'twilio',
      url,
      username: 'AC1',
      password: 'secret-pw',
      form,
      timeoutMs: 100,
      fetch: keepAliveFetch,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TIMEOUT', retryable: true });
  });

  it('reports a refused connection by its system code, without the password', async () => {
    const { url, server } = await serve(() => undefined);
    await new Promise((resolve) => server.close(resolve));
    servers.splice(servers.indexOf(server), 1);
    const error = await postForm({
      provider: '46elks',
      url,
      username: 'u1',
      password: 'secret-pw',
      form,
      timeoutMs: 5_000,
      fetch: keepAliveFetch,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'NETWORK', retryable: true });
    expect(String((error as Error).message)).toContain('ECONNREFUSED');
    expect(String((error as Error).message)).not.toContain('secret-pw');
  });

  it('refuses to follow a redirect', async () => {
    const { url } = await serve((_req, _body, res) => {
      res.writeHead(302, { location: 'http://elsewhere.example/' });
      res.end();
    });
    await expect(keepAliveFetch(url, { method: 'POST', body: 'a=1', redirect: 'error' })).rejects.toThrow(
      TypeError,
    );
  });

  it('sends again on a fresh connection when the provider closed the idle one', async () => {
    let requests = 0;
    const { url, sockets } = await serve((_req, _body, res) => {
      requests += 1;
      res.end('{}');
    });
    await keepAliveFetch(url, { method: 'POST', body: 'a=1' });
    // The provider drops the kept-alive connection without telling (a reset, as idle timeouts do).
    for (const socket of sockets) socket.resetAndDestroy();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const again = await keepAliveFetch(url, { method: 'POST', body: 'a=2' });
    expect(again.status).toBe(200);
    expect(requests).toBe(2);
  });
});
