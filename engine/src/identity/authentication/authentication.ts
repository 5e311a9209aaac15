import type { Actor } from '../../command/index.js';
import { BadUserRequestError } from '../../errors/index.js';
import type { Logger } from '../../logging/index.js';
import type { AuthSessionEntity } from '../../persistence/index.js';
import type { ProcessEngine } from '../../services/index.js';
import type { Principal } from '../access.js';
import type { Principals } from '../principals.js';
import { ApiKeys } from './api-keys.js';
import { Authenticator, bearerToken } from './authenticator.js';
import { AccountLockedError, AuthenticationError } from './errors.js';
import { PasswordCheck } from './password-check.js';
import { ChangePasswordCmd } from './password-change.js';
import { checkPasswordPolicy, hashPassword, passwordExpired } from './passwords.js';
import { callerProfile, type CallerProfile } from './profile.js';
import { Sessions, type IssuedTokens } from './sessions.js';
import { DEFAULT_AUTHENTICATION_SETTINGS, type AuthenticationSettings } from './settings.js';

/** What a sign-in or a refresh answers: the tokens (shown once) and what the app needs to know at once. */
export interface SignedIn {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly tokenType: 'Bearer';
  /** seconds the access token is good for */
  readonly expiresIn: number;
  /** seconds the refresh token is good for */
  readonly refreshExpiresIn: number;
  /** the app should have the user choose a new password before anything else */
  readonly mustChangePassword: boolean;
  /** the password is older than the policy allows */
  readonly passwordExpired: boolean;
  readonly user: { readonly id: string; readonly displayName: string; readonly tenantId: string };
}

/**
 * Everything that proves who a caller is: password sign-in with lockout, sessions (access and
 * refresh tokens), password changes, API keys, and the `Authenticator` that reads a request's
 * credentials. One per engine process; it keeps no session state, so processes agree.
 */
export class Authentication {
  readonly authenticator: Authenticator;
  readonly apiKeys: ApiKeys;
  private readonly passwords: PasswordCheck;
  private readonly sessions: Sessions;

  constructor(
    private readonly engine: ProcessEngine,
    principals: Principals,
    logger: Logger,
    readonly settings: AuthenticationSettings = DEFAULT_AUTHENTICATION_SETTINGS,
  ) {
    this.passwords = new PasswordCheck(engine, settings);
    this.sessions = new Sessions(engine, settings);
    this.apiKeys = new ApiKeys(engine, principals);
    this.authenticator = new Authenticator(principals, this.passwords, this.sessions, this.apiKeys, logger);
  }

  /** A new session for a user name and password; AuthenticationError (401) or AccountLockedError (423) otherwise. */
  async login(username: string, password: string, address: string | null): Promise<SignedIn> {
    const user = await this.passwords.verify(username, password, address);
    return this.signedIn(await this.sessions.start(user, address));
  }

  /** New tokens for a refresh token, which stops working; a refresh token used twice ends its session. */
  async refresh(refreshToken: string, address: string | null): Promise<SignedIn> {
    return this.signedIn(await this.sessions.refresh(refreshToken, address));
  }

  /** Ends the session whose access token the request carries. */
  async logout(authorization: string, actor: Actor): Promise<void> {
    const session = await this.sessionOfRequest(authorization);
    if (!session) throw new BadUserRequestError('只有登录会话可以退出 (only a signed-in session can sign out; this request used an API key or HTTP Basic)');
    await this.sessions.end(session.id, actor);
  }

  /**
   * The caller's new password, checked against the policy; the current one must be given. The
   * user's other sessions end. A wrong current password counts as a failed sign-in.
   */
  async changePassword(principal: Principal, actor: Actor, authorization: string, currentPassword: string, newPassword: string): Promise<void> {
    checkPasswordPolicy(newPassword, this.settings.passwordPolicy);
    if (newPassword === currentPassword) throw new BadUserRequestError('新密码不能与当前密码相同 (the new password must differ from the current one)');
    const user = await this.passwords.verify(principal.userId, currentPassword, actor.address).catch((error: unknown) => {
      if (error instanceof AuthenticationError && !(error instanceof AccountLockedError)) {
        throw new BadUserRequestError('当前密码不正确 (the current password is wrong)');
      }
      throw error;
    });
    const session = await this.sessionOfRequest(authorization);
    await this.engine.commandExecutor.execute(new ChangePasswordCmd(user.id, user.passwordHash, await hashPassword(newPassword), session?.id ?? null), { actor });
  }

  /** Who the caller is, for the apps. */
  profile(principal: Principal): Promise<CallerProfile> {
    return callerProfile(this.engine.database, principal);
  }

  private async sessionOfRequest(authorization: string): Promise<AuthSessionEntity | null> {
    const token = bearerToken(authorization);
    return token === null ? null : ((await this.sessions.sessionOf(token))?.session ?? null);
  }

  private signedIn(issued: IssuedTokens): SignedIn {
    const now = this.engine.environment.clock.now();
    const { user } = issued;
    return {
      accessToken: issued.accessToken,
      refreshToken: issued.refreshToken,
      tokenType: 'Bearer',
      expiresIn: secondsUntil(issued.accessExpires, now),
      refreshExpiresIn: secondsUntil(issued.refreshExpires, now),
      mustChangePassword: user.mustChangePassword,
      passwordExpired: passwordExpired(user.passwordChanged, now, this.settings.passwordPolicy),
      user: { id: user.id, displayName: user.displayName, tenantId: user.tenantId },
    };
  }
}

function secondsUntil(time: Date, now: Date): number {
  return Math.round((time.getTime() - now.getTime()) / 1000);
}
