import type { Actor, Command, CommandContext } from '../../command/index.js';
import { AUTH_SESSION, DbSession, formatTimestamp, USER, type AuthSessionEntity, type UserEntity } from '../../persistence/index.js';
import type { ProcessEngine } from '../../services/index.js';
import { AuthenticationError } from './errors.js';
import { newSecret, secretHash } from './secrets.js';
import type { AuthenticationSettings } from './settings.js';

export const ACCESS_TOKEN_PREFIX = 'ywa_';
export const REFRESH_TOKEN_PREFIX = 'ywr_';

const REFRESH_REFUSED = '登录已失效，请重新登录 (the refresh token is not valid any more; sign in again)';

/** A session's tokens, shown to the client once; the database keeps their hashes. */
export interface IssuedTokens {
  readonly sessionId: string;
  readonly accessToken: string;
  readonly accessExpires: Date;
  readonly refreshToken: string;
  readonly refreshExpires: Date;
  /** who the session belongs to, as it stands now */
  readonly user: UserEntity;
}

/**
 * Signed-in sessions (AUTH_SESSION): an opaque short-lived access token and a refresh token.
 * Refreshing writes the new pair as a new row that carries the sign-in time (`created`) of the
 * session it continues, and revokes the old row; the rows of one sign-in are its user's rows with
 * that sign-in time. A refresh token used a second time means someone else holds a copy: every
 * row of that sign-in is revoked. Nothing is cached: a revoked session is refused at once by every
 * engine process.
 */
export class Sessions {
  constructor(
    private readonly engine: ProcessEngine,
    private readonly settings: Pick<AuthenticationSettings, 'accessTokenTtlMs' | 'refreshTokenTtlMs'>,
  ) {}

  /** A new session for a user whose password was just checked. */
  start(user: UserEntity, address: string | null): Promise<IssuedTokens> {
    const tokens = this.newTokens();
    return this.engine.commandExecutor.execute(new StartSessionCmd(user, tokens, this.settings), { actor: signInActor(user, address) });
  }

  /** New tokens for a refresh token, which then stops working. */
  async refresh(refreshToken: string, address: string | null): Promise<IssuedTokens> {
    const outcome = await this.engine.commandExecutor.execute(new RotateSessionCmd(secretHash(refreshToken), this.newTokens(), this.settings, address));
    if (outcome.kind === 'reused') {
      await this.engine.commandExecutor.execute(new RevokeSignInCmd(outcome.session), { actor: signInActor(outcome.user, address) });
    }
    if (outcome.kind !== 'rotated') throw new AuthenticationError(REFRESH_REFUSED);
    return outcome.tokens;
  }

  /**
   * The live session an access token belongs to, with its user as they are now (whether they must
   * change their password is read afresh on every request); null when the token is unknown,
   * expired or revoked, or its user disabled.
   */
  async sessionOf(accessToken: string): Promise<LiveSession | null> {
    const hash = secretHash(accessToken);
    // one round trip for both rows
    const [[session], [user]] = await this.engine.database.read((sql) =>
      new DbSession(sql).selectMany<[AuthSessionEntity, UserEntity]>([
        { table: AUTH_SESSION, where: 'access_hash = $1 AND revoked IS NULL', bind: [hash] },
        { table: USER, where: 'enabled = $1 AND id IN (SELECT user_id FROM auth_session WHERE access_hash = $2)', bind: [1, hash] },
      ]),
    );
    if (!session || !user || session.accessExpires <= this.engine.environment.clock.now()) return null;
    return { session, user };
  }

  /** Ends the session of an access token at once. */
  end(sessionId: string, actor: Actor): Promise<void> {
    return this.engine.commandExecutor.execute(new EndSessionCmd(sessionId), { actor });
  }

  private newTokens(): NewTokens {
    return { accessToken: newSecret(ACCESS_TOKEN_PREFIX), refreshToken: newSecret(REFRESH_TOKEN_PREFIX) };
  }
}

/** A session that is good for requests, and the user it belongs to. */
export interface LiveSession {
  readonly session: AuthSessionEntity;
  readonly user: UserEntity;
}

interface NewTokens {
  readonly accessToken: string;
  readonly refreshToken: string;
}

/**
 * The actor of what a person does while signing in, before any principal exists: who they claim
 * to be, unscoped, as far as the audit log goes.
 */
export function signInActor(user: Pick<UserEntity, 'id' | 'tenantId'>, address: string | null): Actor {
  return { userId: user.id, tenantId: user.tenantId, departmentId: null, address, scope: null };
}

/** Writes a token pair as a session row and answers the tokens. */
function issue(
  context: CommandContext,
  user: UserEntity,
  tokens: NewTokens,
  settings: Pick<AuthenticationSettings, 'accessTokenTtlMs' | 'refreshTokenTtlMs'>,
  signedIn: Date,
  address: string | null,
): IssuedTokens {
  const now = context.now().getTime();
  const row = context.session.insert(AUTH_SESSION, {
    id: context.newId(),
    userId: user.id,
    accessHash: secretHash(tokens.accessToken),
    accessExpires: new Date(now + settings.accessTokenTtlMs),
    refreshHash: secretHash(tokens.refreshToken),
    refreshExpires: new Date(now + settings.refreshTokenTtlMs),
    created: signedIn,
    address,
    revoked: null,
  });
  return { sessionId: row.id, ...tokens, accessExpires: row.accessExpires, refreshExpires: row.refreshExpires, user };
}

class StartSessionCmd implements Command<IssuedTokens> {
  readonly name = 'StartSession';

  constructor(
    private readonly user: UserEntity,
    private readonly tokens: NewTokens,
    private readonly settings: Pick<AuthenticationSettings, 'accessTokenTtlMs' | 'refreshTokenTtlMs'>,
  ) {}

  async execute(context: CommandContext): Promise<IssuedTokens> {
    // rows whose refresh token has expired can prove nothing any more, not even a reuse
    context.session.addStatement('DELETE FROM auth_session WHERE user_id = $1 AND refresh_expires < $2', [this.user.id, formatTimestamp(context.now())]);
    const issued = issue(context, this.user, this.tokens, this.settings, context.now(), context.actor?.address ?? null);
    context.audit({ action: 'auth.login', objectType: 'user', objectId: this.user.id, detail: { session: issued.sessionId } });
    return issued;
  }
}

type Rotation =
  | { readonly kind: 'rotated'; readonly tokens: IssuedTokens }
  | { readonly kind: 'refused' }
  /** the token was refreshed before (or is being refreshed right now by someone else) */
  | { readonly kind: 'reused'; readonly session: AuthSessionEntity; readonly user: UserEntity };

class RotateSessionCmd implements Command<Rotation> {
  readonly name = 'RotateSession';

  constructor(
    private readonly refreshHash: string,
    private readonly tokens: NewTokens,
    private readonly settings: Pick<AuthenticationSettings, 'accessTokenTtlMs' | 'refreshTokenTtlMs'>,
    private readonly address: string | null,
  ) {}

  async execute(context: CommandContext): Promise<Rotation> {
    const [current] = await context.session.select(AUTH_SESSION, 'refresh_hash = $1', [this.refreshHash]);
    if (!current || current.refreshExpires <= context.now()) return { kind: 'refused' };
    const user = await context.session.findById(USER, current.userId);
    if (!user?.enabled) return { kind: 'refused' };
    // a conditional update rather than a read: of two concurrent refreshes with one token, exactly one wins it
    const won =
      current.revoked === null &&
      (await context.session.sql.execute('UPDATE auth_session SET revoked = $1 WHERE id = $2 AND revoked IS NULL', [formatTimestamp(context.now()), current.id])) === 1;
    if (!won) return { kind: 'reused', session: current, user };
    return { kind: 'rotated', tokens: issue(context, user, this.tokens, this.settings, current.created, this.address) };
  }
}

/** Revokes every row of the sign-in a reused refresh token belongs to: whoever holds its successor is signed out too. */
class RevokeSignInCmd implements Command<void> {
  readonly name = 'RevokeSignIn';

  constructor(private readonly session: AuthSessionEntity) {}

  async execute(context: CommandContext): Promise<void> {
    context.session.addStatement('UPDATE auth_session SET revoked = $1 WHERE user_id = $2 AND created = $3 AND revoked IS NULL', [
      formatTimestamp(context.now()),
      this.session.userId,
      formatTimestamp(this.session.created),
    ]);
    context.audit({ action: 'auth.refresh-token-reused', objectType: 'user', objectId: this.session.userId, detail: { session: this.session.id } });
  }
}

class EndSessionCmd implements Command<void> {
  readonly name = 'EndSession';

  constructor(private readonly sessionId: string) {}

  async execute(context: CommandContext): Promise<void> {
    context.session.updateById(AUTH_SESSION, this.sessionId, { revoked: context.now() });
    context.audit({ action: 'auth.logout', objectType: 'user', objectId: context.actor?.userId ?? null, detail: { session: this.sessionId } });
  }
}
