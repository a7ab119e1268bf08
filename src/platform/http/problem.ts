// Every error leaves as application/problem+json (RFC 9457) with a stable code, or as a
// Chinese error page when a browser asked for a page.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, isAppError, isDatabaseUnavailable, type FieldError } from './errors.ts';
import { ERROR_CODES, type ErrorCode } from './error-codes.ts';

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail?: string;
  instance: string;
  requestId: string;
  errors?: FieldError[];
}

export type HtmlErrorRenderer = (req: FastifyRequest, reply: FastifyReply, problem: Problem) => Promise<string> | string;

export function problemType(code: ErrorCode): string {
  return `urn:yiwang:problem:${code}`;
}

function wantsHtml(req: FastifyRequest): boolean {
  if (req.url.startsWith('/api/')) return false;
  const accept = req.headers.accept ?? '';
  return accept.includes('text/html');
}

/** Fastify's own errors (validation, body parsing, limits) mapped onto our registry. */
function toAppError(err: FastifyError | Error): AppError {
  if (isAppError(err)) return err;
  const fe = err as FastifyError;
  if (fe.validation) {
    const errors = fe.validation.map((v) => ({
      field: (v.instancePath || '/' + String((v.params as { missingProperty?: string })?.missingProperty ?? '')).replace(/^\//, '') || fe.validationContext || '',
      message: v.message ?? '不符合要求',
    }));
    return new AppError('VALIDATION_FAILED', { errors, detail: `${fe.validationContext ?? 'request'} ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}` });
  }
  switch (fe.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('MALFORMED_JSON', { cause: err });
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('PAYLOAD_TOO_LARGE', { cause: err });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError('UNSUPPORTED_MEDIA_TYPE', { cause: err });
  }
  if (fe.statusCode === 429) return new AppError('RATE_LIMITED', { cause: err });
  if (isDatabaseUnavailable(err)) return new AppError('DATABASE_UNAVAILABLE', { cause: err });
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    return new AppError(fe.statusCode === 405 ? 'METHOD_NOT_ALLOWED' : 'VALIDATION_FAILED', { detail: fe.message, cause: err });
  }
  return new AppError('INTERNAL', { cause: err });
}

export function buildProblem(req: FastifyRequest, err: AppError): Problem {
  return {
    type: problemType(err.code),
    title: ERROR_CODES[err.code].message,
    status: err.status,
    code: err.code,
    ...(err.detail ? { detail: err.detail } : {}),
    instance: req.url,
    requestId: String(req.id),
    ...(err.errors ? { errors: err.errors } : {}),
  };
}

export async function sendProblem(req: FastifyRequest, reply: FastifyReply, err: AppError, renderHtml?: HtmlErrorRenderer) {
  const problem = buildProblem(req, err);
  // The rate limiter sets its own Retry-After (the rest of its window): keep that one.
  if ((err.code === 'RATE_LIMITED' || err.code === 'DATABASE_UNAVAILABLE' || err.code === 'SHUTTING_DOWN') && !reply.hasHeader('retry-after')) {
    reply.header('retry-after', '5');
  }
  if (err.location && wantsHtml(req) && (req.method === 'GET' || req.method === 'HEAD')) {
    return reply.redirect(err.location, 303);
  }
  if (renderHtml && wantsHtml(req)) {
    const html = await renderHtml(req, reply, problem);
    return reply.code(problem.status).type('text/html; charset=utf-8').send(html);
  }
  return reply.code(problem.status).type('application/problem+json; charset=utf-8').send(problem);
}

export function installProblemHandlers(app: FastifyInstance, renderHtml?: HtmlErrorRenderer): void {
  app.setErrorHandler(async (error: FastifyError | Error, req, reply) => {
    const appErr = toAppError(error);
    if (appErr.status >= 500) {
      req.log.error({ err: error, code: appErr.code }, 'request failed');
    } else {
      req.log.info({ code: appErr.code, detail: appErr.detail }, 'request rejected');
    }
    return sendProblem(req, reply, appErr, renderHtml);
  });
  app.setNotFoundHandler(async (req, reply) => sendProblem(req, reply, new AppError('ROUTE_NOT_FOUND'), renderHtml));
}
