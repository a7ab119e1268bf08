import { ERROR_CODES, type ErrorCode } from './error-codes.ts';

export interface FieldError {
  /** JSON pointer or form field name of the offending value. */
  field: string;
  message: string;
}

/** The one error type: a stable code from the registry, its HTTP status and Chinese message. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly detail: string | undefined;
  readonly errors: FieldError[] | undefined;
  /** Where a browser asking for a page should be sent instead (login, step-up). */
  readonly location: string | undefined;

  constructor(code: ErrorCode, options: { detail?: string; errors?: FieldError[]; cause?: unknown; location?: string } = {}) {
    super(ERROR_CODES[code].message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = ERROR_CODES[code].status;
    this.detail = options.detail;
    this.errors = options.errors;
    this.location = options.location;
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}

// Connection-level failures from pg or the network mean "database unavailable", not a bug;
// so does a server out of connection slots (53300 too_many_connections, 53400 configuration_limit_exceeded).
const DB_DOWN_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', '57P01', '57P02', '57P03', '08000', '08003', '08006', '08001', '08004', '53300', '53400']);

export function isDatabaseUnavailable(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const e = err as { code?: unknown; message?: unknown };
  if (typeof e.code === 'string' && DB_DOWN_CODES.has(e.code)) return true;
  const msg = typeof e.message === 'string' ? e.message : '';
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Cannot use a pool after calling end/i.test(msg);
}
