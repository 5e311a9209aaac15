import { EngineError } from '../../errors/index.js';

/**
 * Credentials that prove nobody (HTTP 401). The message never says whether the user exists: an
 * unknown user and a wrong password read the same.
 */
export class AuthenticationError extends EngineError {
  readonly type: string = 'AuthenticationException';
  /** read by the HTTP error handler */
  readonly status: number = 401;
}

/** Too many failed sign-ins: the account refuses every password until `lockedUntil` (HTTP 423). */
export class AccountLockedError extends AuthenticationError {
  override readonly type = 'AccountLockedException';
  override readonly status = 423;

  constructor(readonly lockedUntil: Date, timeZone: string | undefined) {
    super(`账户已锁定，请于 ${localTime(lockedUntil, timeZone)} 后再试 (the account is locked after too many failed sign-ins until ${lockedUntil.toISOString()})`);
  }
}

/**
 * The caller signed in (or sent HTTP Basic) with a password they must change first: handed to
 * them, or older than the policy allows. Until they change it, only the routes that let them do
 * so answer (HTTP 403).
 */
export class PasswordChangeRequiredError extends EngineError {
  readonly type = 'PasswordChangeRequiredException';
  /** read by the HTTP error handler */
  readonly status = 403;

  constructor() {
    super(
      '请先修改密码 (change your password first: it was set for you or has expired; until it is changed with POST /api/auth/password, only /api/auth/me, /api/auth/password, /api/auth/logout and /api/auth/refresh answer)',
    );
  }
}

export const WRONG_CREDENTIALS = '用户名或密码错误 (wrong user name or password)';

/** `2026-05-01 10:15:00` in the engine's zone, as users there read a time. */
function localTime(date: Date, timeZone: string | undefined): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone, dateStyle: 'short', timeStyle: 'medium' }).format(date);
}
