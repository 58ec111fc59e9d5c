import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

/**
 * Two validators: bodies are checked strictly (a number where a string belongs is a 400, never
 * silently coerced; unknown fields are refused, not dropped), while query strings and path parameters
 * are text by nature and coerced to the declared types.
 */
export function makeValidatorCompiler(): FastifySchemaCompiler<unknown> {
  const common = { allErrors: true, strict: false, useDefaults: true, removeAdditional: false } as const;
  const bodyAjv = new Ajv({ ...common, coerceTypes: false });
  const textAjv = new Ajv({ ...common, coerceTypes: 'array' });
  addFormats.default(bodyAjv);
  addFormats.default(textAjv);
  return ({ schema, httpPart }) => {
    const ajv = httpPart === 'body' ? bodyAjv : textAjv;
    return ajv.compile(schema as object) as ReturnType<FastifySchemaCompiler<unknown>>;
  };
}
