import { startTestApp } from './test-runtime.js';

/** The OpenAPI document as the server builds it, pretty-printed with a trailing newline. */
export async function renderOpenApi(): Promise<string> {
  const t = await startTestApp('sqlite');
  try {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    return `${JSON.stringify(res.json(), null, 2)}\n`;
  } finally {
    await t.close();
  }
}
