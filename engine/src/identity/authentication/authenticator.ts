import type { RequestAuthenticator } from '../../api/authentication.js';
import type { Logger } from '../../logging/index.js';
import type { UserEntity } from '../../persistence/index.js';
import type { Principal } from '../access.js';
import type { Principals } from '../principals.js';
import { API_KEY_PREFIX, type ApiKeys } from './api-keys.js';
import { AccountLockedError, AuthenticationError } from './errors.js';
import type { PasswordCheck } from './password-check.js';
import type { Sessions } from './sessions.js';

/**
 * Who sent a request, from its `Authorization` header: `Bearer` with a session's access token or
 * an API key (`yw_...`), or HTTP Basic with a user's password (Camunda tooling and workers send
 * that). Sessions and keys are looked up on every request; a locked account is told so. A person
 * whose password must change first gets a principal flagged `passwordChangeRequired`; an API key,
 * a machine credential, never does.
 */
export class Authenticator implements RequestAuthenticator {
  constructor(
    private readonly principals: Principals,
    private readonly passwords: PasswordCheck,
    private readonly sessions: Sessions,
    private readonly apiKeys: ApiKeys,
    private readonly logger: Logger,
  ) {}

  async principalOf(authorization: string, address: string | null): Promise<Principal | null> {
    const token = bearerToken(authorization);
    if (token !== null) return token.startsWith(API_KEY_PREFIX) ? this.apiKeys.principalOf(token) : this.sessionPrincipal(token);
    const credentials = basicCredentials(authorization);
    return credentials ? this.passwordPrincipal(credentials.userId, credentials.password, address) : null;
  }

  private async sessionPrincipal(accessToken: string): Promise<Principal | null> {
    const live = await this.sessions.sessionOf(accessToken);
    return live && this.personPrincipal(live.user);
  }

  private async passwordPrincipal(userId: string, password: string, address: string | null): Promise<Principal | null> {
    try {
      return await this.personPrincipal(await this.passwords.verify(userId, password, address));
    } catch (error) {
      if (error instanceof AuthenticationError && !(error instanceof AccountLockedError)) {
        this.logger.info({ userId, address }, 'rejected HTTP Basic credentials');
        return null;
      }
      throw error;
    }
  }

  /**
   * The principal of a person proven by their password or session, under their stored id, held
   * back while they must change their password. That is decided from the user's row as read for
   * this request, not from the cached principal: once changed, the block lifts at once on every
   * engine process.
   */
  private async personPrincipal(user: UserEntity): Promise<Principal | null> {
    const principal = await this.principals.load(user.id);
    return principal && { ...principal, passwordChangeRequired: this.passwords.changeRequired(user) };
  }
}

/** The token of `Authorization: Bearer <token>`, or null for another scheme. */
export function bearerToken(authorization: string): string | null {
  return /^Bearer\s+(\S+)$/i.exec(authorization.trim())?.[1] ?? null;
}

function basicCredentials(authorization: string): { userId: string; password: string } | null {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(authorization.trim());
  if (!match) return null;
  const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? null : { userId: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
