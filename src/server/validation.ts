import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/** What Fastify hands the validator factory for each schema (route or shared). */
interface SchemaDefinition {
  schema: unknown;
  httpPart?: string;
}

/**
 * Two validators: bodies are checked strictly (a number where a string belongs is a 400, never
 * silently coerced; unknown fields are refused, not dropped), while query strings and path parameters
 * are text by nature and coerced to the declared types. Installed as Fastify's validator factory so
 * every plugin context, including ones that add shared schemas, uses it.
 */
export function buildValidator(
  externalSchemas: Record<string, unknown> = {},
): (definition: SchemaDefinition) => ValidateFunction {
  const common = { allErrors: true, strict: false, useDefaults: true, removeAdditional: false } as const;
  const bodyAjv = new Ajv({ ...common, coerceTypes: false });
  const textAjv = new Ajv({ ...common, coerceTypes: 'array' });
  for (const ajv of [bodyAjv, textAjv]) {
    addFormats.default(ajv);
    for (const schema of Object.values(externalSchemas)) ajv.addSchema(schema as object);
  }
  return ({ schema, httpPart }) => {
    const ajv = httpPart === 'body' ? bodyAjv : textAjv;
    return ajv.compile(schema as object);
  };
}
