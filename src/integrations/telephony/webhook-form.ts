/**
 * Reading provider webhook forms. A body is what a form parser produced (`@fastify/formbody` gives an
 * object of strings, or arrays of strings for repeated names) or a URLSearchParams.
 */
export type WebhookForm = URLSearchParams | Readonly<Record<string, unknown>>;

/** A webhook body lacks fields we need; `missing` names them as the provider spells them. */
export class WebhookPayloadError extends Error {
  readonly source: string;
  readonly missing: string[];

  constructor(source: string, missing: string[], detail?: string) {
    super(detail ?? `${source}: missing field${missing.length === 1 ? '' : 's'} ${missing.join(', ')}`);
    this.name = 'WebhookPayloadError';
    this.source = source;
    this.missing = missing;
  }
}

/** The first non-empty value of a field, or undefined. */
export function formValue(form: WebhookForm, name: string): string | undefined {
  if (form instanceof URLSearchParams) {
    const value = form.get(name);
    return value === null || value === '' ? undefined : value;
  }
  const raw = form[name];
  const value = Array.isArray(raw) ? (raw as unknown[]).find((v) => typeof v === 'string') : raw;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Flattens a form to name → string | string[] (the shape the Twilio signature is computed over). */
export function formParams(form: WebhookForm): Record<string, string | string[]> {
  const params: Record<string, string | string[]> = {};
  if (form instanceof URLSearchParams) {
    for (const name of new Set(form.keys())) {
      const values = form.getAll(name);
      params[name] = values.length === 1 ? (values[0] ?? '') : values;
    }
    return params;
  }
  for (const [name, raw] of Object.entries(form)) {
    if (typeof raw === 'string') params[name] = raw;
    else if (Array.isArray(raw)) params[name] = (raw as unknown[]).filter((v) => typeof v === 'string');
  }
  return params;
}

/**
 * Reads the named fields; throws WebhookPayloadError naming every required one that is missing.
 * A required name like `callid|id` accepts the first present of its alternatives.
 */
export function readForm<R extends string, O extends string = never>(
  source: string,
  body: unknown,
  required: readonly R[],
  optional: readonly O[] = [],
): Record<R, string> & Partial<Record<O, string>> {
  if (
    !(body instanceof URLSearchParams) &&
    (body === null || typeof body !== 'object' || Array.isArray(body))
  )
    throw new WebhookPayloadError(source, [...required], `${source}: the body is not a form`);
  const form = body as WebhookForm;
  const result: Record<string, string> = {};
  const missing: string[] = [];
  for (const name of required) {
    const alternatives = name.split('|');
    const value = alternatives.map((alt) => formValue(form, alt)).find((v) => v !== undefined);
    if (value === undefined) missing.push(alternatives.join(' or '));
    else result[name] = value;
  }
  if (missing.length > 0) throw new WebhookPayloadError(source, missing);
  for (const name of optional) {
    const value = formValue(form, name);
    if (value !== undefined) result[name] = value;
  }
  return result as Record<R, string> & Partial<Record<O, string>>;
}
