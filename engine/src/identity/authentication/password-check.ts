import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Command, CommandContext } from '../../command/index.js';
import { DbSession, formatTimestamp, USER, type UserEntity } from '../../persistence/index.js';
import type { ProcessEngine } from '../../services/index.js';
import { AccountLockedError, AuthenticationError, WRONG_CREDENTIALS } from './errors.js';
import { hashPassword, passwordChangeRequired, passwordMatches } from './passwords.js';
import { signInActor } from './sessions.js';
import type { AuthenticationSettings } from './settings.js';

/**
 * Checks a user's password, for sign-in and for HTTP Basic on every request: failures are counted
 * and lock the account for a while; a locked account refuses even the right password.
 */
export class PasswordCheck {
  /**
   * Per user, an HMAC (random per-process key) of the password that last matched their current
   * hash: argon2 costs tens of milliseconds, and workers send their Basic credentials with every
   * request. Only a password that matched is remembered, so guessing stays as slow as argon2.
   */
  private readonly verified = new Map<string, { readonly passwordHash: string; readonly digest: Buffer }>();
  private readonly digestKey = randomBytes(32);
  /** checked against when the user does not exist, so that costs the time a wrong password costs */
  private decoyHash: Promise<string> | null = null;

  constructor(
    private readonly engine: ProcessEngine,
    private readonly settings: Pick<AuthenticationSettings, 'maxFailedLogins' | 'lockoutMs' | 'passwordPolicy'>,
  ) {}

  /**
   * The user whose password this is, as stored: `userId` is matched ignoring case, so whatever
   * case it is typed in, the caller acts as the stored id. Unknown users, disabled users and wrong
   * passwords all get the same AuthenticationError; a locked account gets AccountLockedError.
   */
  async verify(userId: string, password: string, address: string | null): Promise<UserEntity> {
    const user = await this.engine.database.read((sql) => userSigningIn(new DbSession(sql), userId));
    if (!user || !user.enabled || !user.passwordHash) {
      await passwordMatches(password, await this.decoy());
      throw new AuthenticationError(WRONG_CREDENTIALS);
    }
    if (user.lockedUntil && user.lockedUntil > this.engine.environment.clock.now()) throw this.locked(user.lockedUntil);
    if (!(await this.matches(user, password))) {
      const lockedUntil = await this.engine.commandExecutor.execute(new RecordFailedLoginCmd(user.id, this.settings), { actor: signInActor(user, address) });
      throw lockedUntil ? this.locked(lockedUntil) : new AuthenticationError(WRONG_CREDENTIALS);
    }
    if (user.failedLogins > 0 || user.lockedUntil) await this.engine.commandExecutor.execute(new ClearFailedLoginsCmd(user.id));
    return user;
  }

  /** Whether the user must choose a new password before anything else (handed to them, or too old), as of now. */
  changeRequired(user: UserEntity): boolean {
    return passwordChangeRequired(user, this.engine.environment.clock.now(), this.settings.passwordPolicy);
  }

  private async matches(user: UserEntity, password: string): Promise<boolean> {
    const digest = createHmac('sha256', this.digestKey).update(password).digest();
    const remembered = this.verified.get(user.id);
    if (remembered && remembered.passwordHash === user.passwordHash && timingSafeEqual(remembered.digest, digest)) return true;
    if (!(await passwordMatches(password, user.passwordHash))) return false;
    this.verified.set(user.id, { passwordHash: user.passwordHash as string, digest });
    return true;
  }

  private decoy(): Promise<string> {
    this.decoyHash ??= hashPassword(randomBytes(16).toString('base64url'));
    return this.decoyHash;
  }

  private locked(until: Date): AccountLockedError {
    return new AccountLockedError(until, this.engine.environment.timeZone);
  }
}

/**
 * The user a sign-in names. Login ids are unique ignoring case, and a person may type theirs in
 * any case: MariaDB compares ids that way already, SQLite exactly, so a miss is looked up again by
 * the lower-case id (ids are ASCII, which LOWER folds alike on both databases).
 */
async function userSigningIn(session: DbSession, userId: string): Promise<UserEntity | null> {
  const exact = await session.findById(USER, userId);
  if (exact) return exact;
  const [folded] = await session.select(USER, 'LOWER(id) = $1', [userId.toLowerCase()]);
  return folded ?? null;
}

/**
 * Counts a failed password check; the last one allowed locks the account and starts the count
 * again. One statement, so concurrent guesses cannot lose a count, and no revision bump, so it
 * never conflicts with an administrator editing the user. Answers when the account is now locked
 * until, or null.
 */
class RecordFailedLoginCmd implements Command<Date | null> {
  readonly name = 'RecordFailedLogin';

  constructor(
    private readonly userId: string,
    private readonly settings: Pick<AuthenticationSettings, 'maxFailedLogins' | 'lockoutMs'>,
  ) {}

  async execute(context: CommandContext): Promise<Date | null> {
    const until = new Date(context.now().getTime() + this.settings.lockoutMs);
    // locked_until first: MariaDB evaluates SET assignments left to right, seeing the values already assigned
    await context.session.sql.execute(
      `UPDATE app_user SET
         locked_until = CASE WHEN failed_logins + 1 >= $1 THEN $2 ELSE locked_until END,
         failed_logins = CASE WHEN failed_logins + 1 >= $1 THEN 0 ELSE failed_logins + 1 END
       WHERE id = $3`,
      [this.settings.maxFailedLogins, formatTimestamp(until), this.userId],
    );
    const user = await context.session.findById(USER, this.userId);
    const lockedNow = user?.lockedUntil?.getTime() === until.getTime();
    context.audit({ action: lockedNow ? 'auth.account-locked' : 'auth.login-failed', objectType: 'user', objectId: this.userId });
    return lockedNow ? until : null;
  }
}

class ClearFailedLoginsCmd implements Command<void> {
  readonly name = 'ClearFailedLogins';

  constructor(private readonly userId: string) {}

  async execute(context: CommandContext): Promise<void> {
    context.session.addStatement('UPDATE app_user SET failed_logins = 0, locked_until = NULL WHERE id = $1', [this.userId]);
  }
}
