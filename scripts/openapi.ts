// Writes the OpenAPI document the server serves to docs/openapi.json, so API changes show up in review.
// A test (test/integration/openapi.test.ts) fails when the committed file drifts from the code.
import fs from 'node:fs';
import path from 'node:path';
import { renderOpenApi } from '../test/integration/support/openapi-document.js';

const target = path.resolve(import.meta.dirname, '../docs/openapi.json');
fs.writeFileSync(target, await renderOpenApi());
console.log(`wrote ${path.relative(process.cwd(), target)}`);
