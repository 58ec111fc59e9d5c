/**
 * Real HTTP for what app.inject cannot do: a server-sent-events stream never ends, so it is read for a
 * while over a socket and then dropped.
 */
import http from 'node:http';

export interface StreamRead {
  status: number;
  contentType: string | undefined;
  text(): string;
  close(): void;
}

/**
 * Opens `path` and keeps reading until close(); resolves once the status line has arrived, or with
 * status 0 when none came within `headerTimeoutMs`.
 */
export function openStream(
  base: string,
  path: string,
  headers: Record<string, string>,
  method = 'GET',
  headerTimeoutMs = 2_000,
): Promise<StreamRead> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      req.destroy();
      resolve({ status: 0, contentType: undefined, text: () => '', close: () => undefined });
    }, headerTimeoutMs);
    const req = http.request(`${base}${path}`, { method, headers }, (res) => {
      clearTimeout(timer);
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', () => undefined);
      resolve({
        status: res.statusCode ?? 0,
        contentType: res.headers['content-type'],
        text: () => Buffer.concat(chunks).toString('utf8'),
        close: () => {
          req.destroy();
          res.destroy();
        },
      });
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ECONNRESET') reject(error);
    });
    req.end();
  });
}
