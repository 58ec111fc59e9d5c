import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderOpenApi } from './support/openapi-document.js';

const COMMITTED = new URL('../../docs/openapi.json', import.meta.url);

describe('the OpenAPI document', () => {
  it('lists the public names of API.md', async () => {
    const doc = JSON.parse(await renderOpenApi()) as { paths: Record<string, Record<string, unknown>> };
    for (const [path, method] of [
      ['/api/v1/health', 'get'],
      ['/api/v1/customers', 'post'],
      ['/api/v1/customers', 'get'],
      ['/api/v1/customers/{id}', 'get'],
      ['/api/v1/customers/{id}/contacts', 'post'],
      ['/api/v1/customers/{id}/servers', 'post'],
      ['/api/v1/engineers', 'post'],
      ['/api/v1/price-quotes', 'post'],
    ] as const) {
      expect(doc.paths[path]?.[method], `${method.toUpperCase()} ${path}`).toBeDefined();
    }
  });

  it('matches the committed docs/openapi.json (run `npm run openapi` after changing the API)', async () => {
    expect(fs.readFileSync(COMMITTED, 'utf8')).toBe(await renderOpenApi());
  });
});
