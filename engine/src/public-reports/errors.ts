import { BadUserRequestError, TooManyRequestsError } from '../errors/index.js';

/** A client passed one of the portal's limits (HTTP 429 with `retryAfterSeconds`; the routes add a `Retry-After` header). */
export class RateLimitExceededError extends TooManyRequestsError {
  override readonly type = 'RateLimitExceeded';
}

/** The captcha provider did not confirm the token (HTTP 400). */
export class CaptchaFailedError extends BadUserRequestError {
  override readonly type = 'CaptchaFailed';
}
