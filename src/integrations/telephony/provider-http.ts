import { DeliveryError, type TelephonyProvider } from '../messaging.js';

/** What the telephony adapters need from `fetch`; tests may pass their own. */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface ProviderHttpOptions {
  /** Per request, including reading the answer. Default 10 s. */
  timeoutMs?: number;
  fetch?: FetchLike;
}

export const DEFAULT_TIMEOUT_MS = 10_000;

export interface FormPost {
  provider: TelephonyProvider;
  url: string;
  username: string;
  password: string;
  /** Undefined values are left out. */
  form: Record<string, string | undefined>;
  timeoutMs: number;
  fetch: FetchLike;
}

/**
 * Checks a provider base URL at start-up. Credentials inside the URL are refused: fetch would put the URL
 * (and so the password) into its error message.
 */
export function providerBaseUrl(provider: TelephonyProvider, raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`${provider} API URL is not a valid URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new Error(`${provider} API URL must be http(s)`);
  if (url.username !== '' || url.password !== '')
    throw new Error(`${provider} API URL must not contain credentials; configure them separately`);
  return raw.replace(/\/+$/, '');
}

export function basicAuthorization(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

/**
 * POSTs an `application/x-www-form-urlencoded` body (UTF-8) with HTTP Basic auth and returns the parsed
 * JSON answer of a 2xx response. Every failure becomes a DeliveryError whose message never contains the
 * credentials.
 */
export async function postForm(request: FormPost): Promise<unknown> {
  const { provider } = request;
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(request.form)) if (value !== undefined) body.append(name, value);

  let response: Response;
  let text: string;
  try {
    response = await request.fetch(request.url, {
      method: 'POST',
      headers: {
        authorization: basicAuthorization(request.username, request.password),
        'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
        accept: 'application/json',
      },
      body: body.toString(),
      signal: AbortSignal.timeout(request.timeoutMs),
      redirect: 'error',
    });
    text = await response.text();
  } catch (error) {
    throw transportError(provider, error, request.timeoutMs, [request.password]);
  }

  if (response.status >= 200 && response.status < 300) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new DeliveryError(`${provider} answered ${response.status} with a body that is not JSON`, {
        provider,
        code: 'BAD_RESPONSE',
        retryable: false,
        status: response.status,
      });
    }
  }
  throw httpError(provider, response, text, [request.password]);
}

/** 5xx, 429 (too many requests) and 408 (request timeout) may succeed later; other 4xx never will. */
export function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 429 || status === 408;
}

function httpError(
  provider: TelephonyProvider,
  response: Response,
  body: string,
  secrets: string[],
): DeliveryError {
  const status = response.status;
  const detail = errorDetail(body);
  const hint = status === 401 || status === 403 ? ' (check the API credentials)' : '';
  const retryAfter = Number(response.headers.get('retry-after'));
  return new DeliveryError(
    redact(`${provider} answered ${status}${hint}${detail === '' ? '' : `: ${detail}`}`, secrets),
    {
      provider,
      code: 'HTTP',
      retryable: isRetryableStatus(status),
      status,
      ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterSeconds: retryAfter } : {}),
    },
  );
}

/** Twilio answers `{"code", "message", …}`; 46elks answers plain text. */
function errorDetail(body: string): string {
  let detail = body;
  try {
    const parsed = JSON.parse(body) as unknown;
    if (parsed !== null && typeof parsed === 'object') {
      const { message, code } = parsed as { message?: unknown; code?: unknown };
      if (typeof message === 'string')
        detail = typeof code === 'number' || typeof code === 'string' ? `${message} (code ${code})` : message;
    }
  } catch {
    // not JSON: keep the text
  }
  // eslint-disable-next-line no-control-regex
  detail = detail.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return detail.length > 200 ? `${detail.slice(0, 200)}…` : detail;
}

function transportError(
  provider: TelephonyProvider,
  error: unknown,
  timeoutMs: number,
  secrets: string[],
): DeliveryError {
  const name = error instanceof Error ? error.name : '';
  if (name === 'TimeoutError' || name === 'AbortError')
    return new DeliveryError(`${provider} did not answer within ${timeoutMs} ms`, {
      provider,
      code: 'TIMEOUT',
      retryable: true,
    });
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  const reason =
    typeof cause?.code === 'string' ? cause.code : error instanceof Error ? error.message : 'unknown error';
  return new DeliveryError(redact(`${provider} could not be reached: ${reason}`, secrets), {
    provider,
    code: 'NETWORK',
    retryable: true,
  });
}

/** Belt and braces: no message we build should ever contain a credential, but make sure. */
export function redact(message: string, secrets: string[]): string {
  let result = message;
  for (const secret of secrets) if (secret.length >= 4) result = result.split(secret).join('[redacted]');
  return result;
}

/** Reads a string property of a provider's JSON answer. */
export function stringField(json: unknown, name: string): string | undefined {
  if (json === null || typeof json !== 'object') return undefined;
  const value = (json as Record<string, unknown>)[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

const E164 = /^\+[1-9]\d{6,14}$/;

/** `+` followed by 7–15 digits, the first not 0. */
export function isE164(phone: string): boolean {
  return E164.test(phone);
}

export function requireE164(provider: TelephonyProvider, phone: string): void {
  if (!isE164(phone))
    throw new DeliveryError(`${provider}: the number is not in E.164 form (+46…)`, {
      provider,
      code: 'INVALID_INPUT',
      retryable: false,
    });
}

export function requireText(provider: TelephonyProvider, what: string, text: string): void {
  if (text.trim() === '')
    throw new DeliveryError(`${provider}: ${what} is empty`, {
      provider,
      code: 'INVALID_INPUT',
      retryable: false,
    });
}
