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
 * and lock the account for a while; a locked account refuses even the right password. Each
 * argon2 check is counted before it starts (`ReserveLoginAttemptCmd`), so guesses sent at once
 * get no more checks than guesses sent one after another.
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
    // a password that matched this hash before is no guess: it is neither counted nor checked again
    const counted = !this.remembered(user, password);
    if (counted) await this.countedCheck(user, password, address);
    else if (user.lockedUntil && user.lockedUntil > this.engine.environment.clock.now()) throw this.locked(user.lockedUntil);
    // a success starts the count again (a counted check has just raised it)
    if (counted || user.failedLogins > 0 || user.lockedUntil) await this.engine.commandExecutor.execute(new ClearFailedLoginsCmd(user.id));
    return user;
  }

  /** An argon2 check counted before it starts; a wrong password is audited, and the last one allowed locks the account. */
  private async countedCheck(user: UserEntity, password: string, address: string | null): Promise<void> {
    const attempt = await this.engine.commandExecutor.execute(new ReserveLoginAttemptCmd(user.id, this.settings));
    if (!attempt.allowed) throw attempt.lockedUntil ? this.locked(attempt.lockedUntil) : new AuthenticationError(WRONG_CREDENTIALS);
    if (await this.matches(user, password)) return;
    await this.engine.commandExecutor.execute(new AuditFailedLoginCmd(user.id, attempt.locks !== null), { actor: signInActor(user, address) });
    throw attempt.locks ? this.locked(attempt.locks) : new AuthenticationError(WRONG_CREDENTIALS);
  }

  /** Whether the user must choose a new password before anything else (handed to them, or too old), as of now. */
  changeRequired(user: UserEntity): boolean {
    return passwordChangeRequired(user, this.engine.environment.clock.now(), this.settings.passwordPolicy);
  }

  /** Whether this password matched the user's current hash before (in this process). */
  private remembered(user: UserEntity, password: string): boolean {
    const remembered = this.verified.get(user.id);
    return remembered !== undefined && remembered.passwordHash === user.passwordHash && timingSafeEqual(remembered.digest, this.digest(password));
  }

  /** The argon2 check; a match is remembered. */
  private async matches(user: UserEntity, password: string): Promise<boolean> {
    if (!(await passwordMatches(password, user.passwordHash))) return false;
    this.verified.set(user.id, { passwordHash: user.passwordHash as string, digest: this.digest(password) });
    return true;
  }

  private digest(password: string): Buffer {
    return createHmac('sha256', this.digestKey).update(password).digest();
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

/** Whether a password check may run and, when it is the last one allowed, until when its failure locks the account. */
type Attempt = { readonly allowed: true; readonly locks: Date | null } | { readonly allowed: false; readonly lockedUntil: Date | null };

/**
 * Counts a password check before it runs, in one conditional statement: the count goes up only
 * while the account is not locked, and the check that reaches the limit locks it (starting the
 * count again) — so guesses sent at once cannot all pass a lock check made before any of them was
 * counted. A success clears the lock it may have set (ClearFailedLoginsCmd). No revision bump, so
 * it never conflicts with an administrator editing the user.
 */
class ReserveLoginAttemptCmd implements Command<Attempt> {
  readonly name = 'ReserveLoginAttempt';

  constructor(
    private readonly userId: string,
    private readonly settings: Pick<AuthenticationSettings, 'maxFailedLogins' | 'lockoutMs'>,
  ) {}

  async execute(context: CommandContext): Promise<Attempt> {
    const now = context.now();
    const until = new Date(now.getTime() + this.settings.lockoutMs);
    // locked_until first: MariaDB evaluates SET assignments left to right, seeing the values already assigned
    const counted = await context.session.sql.execute(
      `UPDATE app_user SET
         locked_until = CASE WHEN failed_logins + 1 >= $1 THEN $2 ELSE locked_until END,
         failed_logins = CASE WHEN failed_logins + 1 >= $1 THEN 0 ELSE failed_logins + 1 END
       WHERE id = $3 AND (locked_until IS NULL OR locked_until <= $4)`,
      [this.settings.maxFailedLogins, formatTimestamp(until), this.userId, formatTimestamp(now)],
    );
    const user = await context.session.findById(USER, this.userId);
    if (counted === 0) return { allowed: false, lockedUntil: user?.lockedUntil ?? null };
    return { allowed: true, locks: user?.lockedUntil?.getTime() === until.getTime() ? until : null };
  }
}

/** A wrong password in the audit log: `auth.login-failed`, or `auth.account-locked` for the one that locked the account. */
class AuditFailedLoginCmd implements Command<void> {
  readonly name = 'AuditFailedLogin';

  constructor(
    private readonly userId: string,
    private readonly locked: boolean,
  ) {}

  async execute(context: CommandContext): Promise<void> {
    context.audit({ action: this.locked ? 'auth.account-locked' : 'auth.login-failed', objectType: 'user', objectId: this.userId });
  }
}

class ClearFailedLoginsCmd implements Command<void> {
  readonly name = 'ClearFailedLogins';

  constructor(private readonly userId: string) {}

  async execute(context: CommandContext): Promise<void> {
    context.session.addStatement('UPDATE app_user SET failed_logins = 0, locked_until = NULL WHERE id = $1', [this.userId]);
  }
}
