import { createHmac, randomBytes, scrypt, timingSafeEqual, type BinaryLike, type ScryptOptions } from 'node:crypto';
import type { Context, Next } from 'koa';
import type { Command, CommandContext } from '../../command/index.js';
import type { Logger } from '../../logging/index.js';
import type { ProcessEngine } from '../../services/index.js';

/** the seeded account's user id; `/user` lists it until the identity issue brings real users */
export const ADMIN_USER = 'admin';
const PASSWORD_PROPERTY = 'admin.password';
const SCRYPT = { N: 16384, r: 8, p: 1, keyLength: 32 } as const;

/** Who may call `/engine-rest`: checks a user's password. The identity issue brings real users. */
export interface Authenticator {
  verify(userId: string, password: string): Promise<boolean>;
}

/**
 * The seeded `admin` account that guards `/engine-rest` until the platform has its own users. Its
 * password comes from `YIWANG_ADMIN_PASSWORD`, or is generated once at first start and printed to
 * the console (never to the log); only an scrypt hash is stored.
 */
export class AdminAccount implements Authenticator {
  /**
   * An HMAC (random per-process key) of the password once it matched the hash: scrypt costs tens
   * of milliseconds of CPU, and workers send their Basic credentials with every request. Only the
   * right password is remembered, so guessing stays as slow as scrypt makes it.
   */
  private verifiedDigest: Buffer | null = null;
  private readonly digestKey = randomBytes(32);

  private constructor(private readonly storedHash: string) {}

  static async ensure(engine: ProcessEngine, configuredPassword: string | undefined, announce: (message: string) => void): Promise<AdminAccount> {
    const generated = configuredPassword ? null : randomBytes(12).toString('base64url');
    const candidate = await hashPassword(configuredPassword ?? (generated as string));
    const stored = await engine.commandExecutor.execute(new EnsureAdminPasswordCmd(candidate, configuredPassword !== undefined));
    if (generated && stored === candidate) {
      announce(`yiwang created the '${ADMIN_USER}' account for /engine-rest with the password: ${generated}  (set YIWANG_ADMIN_PASSWORD to choose one)`);
    }
    return new AdminAccount(stored);
  }

  async verify(userId: string, password: string): Promise<boolean> {
    if (userId !== ADMIN_USER) return false;
    const digest = createHmac('sha256', this.digestKey).update(password).digest();
    if (this.verifiedDigest && timingSafeEqual(digest, this.verifiedDigest)) return true;
    if (!(await passwordMatches(password, this.storedHash))) return false;
    this.verifiedDigest = digest;
    return true;
  }
}

/** Stores the candidate hash when none exists, or always when the password is configured; answers the hash in force. */
class EnsureAdminPasswordCmd implements Command<string> {
  readonly name = 'EnsureAdminPassword';

  constructor(
    private readonly candidateHash: string,
    private readonly replace: boolean,
  ) {}

  async execute(context: CommandContext): Promise<string> {
    const [row] = await context.session.sql.select('SELECT value FROM engine_property WHERE name = $1', [PASSWORD_PROPERTY]);
    const current = row?.value as string | undefined;
    if (current !== undefined && !this.replace) return current;
    if (current === undefined) {
      await context.session.sql.execute('INSERT INTO engine_property (name, value, rev) VALUES ($1, $2, 1)', [PASSWORD_PROPERTY, this.candidateHash]);
    } else {
      await context.session.sql.execute('UPDATE engine_property SET value = $1, rev = rev + 1 WHERE name = $2', [this.candidateHash, PASSWORD_PROPERTY]);
    }
    return this.candidateHash;
  }
}

async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(password, salt, SCRYPT.keyLength, SCRYPT);
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64'), hash.toString('base64')].join('$');
}

async function passwordMatches(password: string, stored: string): Promise<boolean> {
  const [scheme, N, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64'), expected.length, { N: Number(N), r: Number(r), p: Number(p) });
  return timingSafeEqual(actual, expected);
}

function scryptAsync(password: BinaryLike, salt: BinaryLike, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(password, salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key))));
}

/** Answers the user an API token acts for, or null for an unknown or expired token. */
export interface TokenVerifier {
  userOf(token: string): Promise<string | null>;
}

/**
 * HTTP Basic or an API token (`Authorization: Bearer`) on every `/engine-rest` route: 401 with a
 * `WWW-Authenticate` challenge otherwise, which is what makes Camunda Modeler ask for credentials.
 * The user id goes to `ctx.state.userId`.
 */
export function requireAuthentication(authenticator: Authenticator, tokens: TokenVerifier, logger: Logger) {
  return async (ctx: Context, next: Next): Promise<void> => {
    const userId = await authenticatedUser(ctx.get('Authorization'), authenticator, tokens);
    if (userId === null) {
      if (ctx.get('Authorization')) logger.info({ userId: basicCredentials(ctx.get('Authorization'))?.userId, path: ctx.path }, 'rejected /engine-rest credentials');
      ctx.status = 401;
      ctx.set('WWW-Authenticate', 'Basic realm="yiwang"');
      ctx.set('Content-Type', 'application/json');
      ctx.body = JSON.stringify({ type: 'AuthenticationException', message: 'Authentication required: HTTP Basic with a platform account, or a Bearer API token' });
      return;
    }
    ctx.state.userId = userId;
    await next();
  };
}

async function authenticatedUser(header: string, authenticator: Authenticator, tokens: TokenVerifier): Promise<string | null> {
  const bearer = /^Bearer\s+(\S+)$/i.exec(header.trim());
  if (bearer) return tokens.userOf(bearer[1] as string);
  const credentials = basicCredentials(header);
  if (!credentials) return null;
  return (await authenticator.verify(credentials.userId, credentials.password)) ? credentials.userId : null;
}

function basicCredentials(header: string): { userId: string; password: string } | null {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header.trim());
  if (!match) return null;
  const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? null : { userId: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
