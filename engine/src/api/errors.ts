import type { Context, Next } from 'koa';
import {
  BadUserRequestError,
  ConflictError,
  EngineError,
  ForbiddenError,
  NotFoundError,
  PayloadTooLargeError,
  TooManyRequestsError,
} from '../errors/index.js';
import type { Logger } from '../logging/index.js';

/** The one place errors become HTTP answers: `{ type, message }`, never a stack trace. */
export function errorHandler(logger: Logger) {
  return async (ctx: Context, next: Next): Promise<void> => {
    try {
      await next();
    } catch (error) {
      const status = statusOf(error);
      if (status >= 500) logger.error({ err: error, method: ctx.method, path: ctx.path }, 'request failed');
      ctx.status = status;
      ctx.set('Content-Type', 'application/json');
      // every 429 says when to come back, in the header as in the body
      if (error instanceof TooManyRequestsError) ctx.set('Retry-After', String(error.retryAfterSeconds));
      ctx.body = JSON.stringify(
        error instanceof EngineError
          ? { type: error.type, message: error.message, ...error.details() }
          : { type: 'ServerError', message: 'An internal error occurred; it has been logged' },
      );
    }
  };
}

function statusOf(error: unknown): number {
  if (error instanceof NotFoundError) return 404;
  if (error instanceof ConflictError) return 409;
  if (error instanceof ForbiddenError) return 403;
  if (error instanceof PayloadTooLargeError) return 413;
  if (error instanceof BadUserRequestError) return 400;
  const status = (error as { status?: unknown }).status;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : 500;
}
