import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { toDomainError } from '../../app/errors.js';
import type { ErrorCode, FieldError } from '../../domain/shared/domain-error.js';

/** The one table from error code to HTTP status (documenso's pattern). */
export const STATUS_OF: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  INVALID_TIME: 400,
  AMBIGUOUS_LOCAL_TIME: 400,
  NONEXISTENT_LOCAL_TIME: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  CSRF_FAILED: 403,
  NOT_FOUND: 404,
  CUSTOMER_NOT_FOUND: 404,
  SERVER_NOT_FOUND: 404,
  ENGINEER_NOT_FOUND: 404,
  CONTACT_NOT_FOUND: 404,
  TOKEN_NOT_FOUND: 404,
  USER_NOT_FOUND: 404,
  CONFLICT: 409,
  DUPLICATE: 409,
  TRANSITION_NOT_ALLOWED: 409,
  INTERNAL: 500,
};

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function sendProblem(
  reply: FastifyReply,
  request: FastifyRequest,
  status: number,
  code: string,
  detail: string,
  errors?: FieldError[],
): FastifyReply {
  return reply
    .code(status)
    .type('application/problem+json')
    .send({
      type: `urn:ballou:problem:${code.toLowerCase().replace(/_/g, '-')}`,
      title: TITLES[status] ?? 'Error',
      status,
      detail,
      code,
      instance: request.url.split('?')[0],
      requestId: request.id,
      ...(errors && errors.length > 0 ? { errors } : {}),
    });
}

interface AjvError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

/**
 * Ajv's raw errors, made readable: one message per field, the missing property's own path for
 * `required`, allowed values for enums, and a union's alternatives folded into one line.
 */
export function fieldErrors(validation: AjvError[], part: string): FieldError[] {
  const byPath = new Map<string, AjvError[]>();
  for (const e of validation) {
    const path =
      e.keyword === 'required'
        ? `${e.instancePath}/${String(e.params.missingProperty)}`
        : e.keyword === 'additionalProperties'
          ? `${e.instancePath}/${String(e.params.additionalProperty)}`
          : e.instancePath || '/';
    byPath.set(path, [...(byPath.get(path) ?? []), e]);
  }
  const prefix = part === 'body' ? '' : `/${part}`;
  return [...byPath.entries()].map(([path, errs]) => {
    const first = errs[0] as AjvError;
    let message: string;
    if (errs.some((e) => e.keyword === 'anyOf')) {
      const options = errs.flatMap((e) =>
        e.keyword === 'type'
          ? [String(e.params.type)]
          : e.keyword === 'const'
            ? [JSON.stringify(e.params.allowedValue)]
            : [],
      );
      message =
        options.length > 0 ? `must be ${[...new Set(options)].join(' or ')}` : 'has a wrong type or value';
    } else if (first.keyword === 'required') message = 'is required';
    else if (first.keyword === 'additionalProperties') message = 'is not a known field';
    else if (first.keyword === 'enum')
      message = `must be one of ${(first.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    else message = first.message ?? 'is invalid';
    return { path: `${prefix}${path}`, message };
  });
}

/**
 * Errors the router raises before any route or hook runs (an undecodable URL such as `/customers/%zz`,
 * an over-long path parameter): Fastify's `frameworkErrors` option, so they are problem+json too.
 */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH')
    sendProblem(reply, request, 414, 'URI_TOO_LONG', 'a path parameter is longer than allowed');
  else if (error.code === 'FST_ERR_BAD_URL')
    sendProblem(reply, request, 400, 'MALFORMED_URL', 'the URL could not be decoded');
  else sendProblem(reply, request, error.statusCode ?? 400, 'BAD_REQUEST', error.message);
}

export interface ErrorHandlerOptions {
  /** Told of a refused request (FORBIDDEN, CSRF_FAILED) before it is answered: the audit of refusals. */
  onAccessRefused?: (request: FastifyRequest, code: string) => Promise<unknown>;
}

/** Every error becomes application/problem+json (RFC 9457); nothing internal leaks to the client. */
export const errorHandlerPlugin = fp(async (app: FastifyInstance, options: ErrorHandlerOptions) => {
  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    if (error.validation) {
      const errors = fieldErrors(error.validation as AjvError[], error.validationContext ?? 'body');
      const detail = errors.map((e) => `${e.path}: ${e.message}`).join('; ');
      return sendProblem(reply, request, 400, 'VALIDATION_FAILED', detail, errors);
    }
    const domain = toDomainError(error);
    if (domain) {
      const status = STATUS_OF[domain.code];
      if (status >= 500) request.log.error({ err: error }, 'internal error');
      else if (
        domain.code === 'FORBIDDEN' ||
        domain.code === 'CSRF_FAILED' ||
        domain.code === 'UNAUTHENTICATED'
      ) {
        request.log.warn({ code: domain.code, url: request.url }, 'access refused');
        if (domain.code !== 'UNAUTHENTICATED') await options.onAccessRefused?.(request, domain.code);
      }
      return sendProblem(reply, request, status, domain.code, domain.message, domain.errors);
    }
    switch (error.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return sendProblem(reply, request, 413, 'BODY_TOO_LARGE', 'the request body is larger than allowed');
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return sendProblem(reply, request, 415, 'UNSUPPORTED_MEDIA_TYPE', 'send application/json');
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return sendProblem(reply, request, 400, 'VALIDATION_FAILED', 'the JSON body is empty', [
          { path: '/', message: 'a JSON body is required' },
        ]);
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
        return sendProblem(reply, request, 400, 'MALFORMED_JSON', 'the body is not valid JSON');
      default:
        break;
    }
    if (error instanceof SyntaxError || error.statusCode === 400) {
      return sendProblem(reply, request, 400, 'MALFORMED_REQUEST', 'the request could not be read');
    }
    if (error.statusCode === 429) {
      return sendProblem(
        reply,
        request,
        429,
        'RATE_LIMITED',
        'too many requests; wait a moment and try again',
      );
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return sendProblem(reply, request, error.statusCode, 'BAD_REQUEST', error.message);
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendProblem(
      reply,
      request,
      500,
      'INTERNAL',
      `something went wrong; quote request id ${request.id}`,
    );
  });
});
