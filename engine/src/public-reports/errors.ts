import { BadUserRequestError, EngineError, PayloadTooLargeError, TooManyRequestsError } from '../errors/index.js';
import type { FieldError } from '../forms/index.js';

/** A client passed one of the portal's limits (HTTP 429 with `retryAfterSeconds` and a `Retry-After` header). */
export class RateLimitExceededError extends TooManyRequestsError {
  override readonly type = 'RateLimitExceeded';
}

/** The captcha provider did not confirm the token (HTTP 400). */
export class CaptchaFailedError extends BadUserRequestError {
  override readonly type = 'CaptchaFailed';
}

/**
 * The channel's process cannot take a report now (gone, suspended, no none start event, or its
 * start failed): the citizen is told so in neutral words, the detail goes to the log (HTTP 503).
 */
export class ReportingUnavailableError extends EngineError {
  readonly type = 'ReportingUnavailable';
  readonly status = 503;
}

/**
 * A photo past the size limit: the body was no longer read (HTTP 413), refused in the words and
 * shape of the other refused fields (`errors: [{ field: 'photos[i]', label, rule: 'maxSize', message }]`).
 */
export class PhotoTooLargeError extends PayloadTooLargeError {
  constructor(readonly error: FieldError) {
    super(error.message);
  }

  override details(): Record<string, unknown> {
    return { errors: [this.error] };
  }
}
