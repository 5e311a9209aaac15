import { DEFAULT_PASSWORD_POLICY, type PasswordPolicy } from './passwords.js';

/** How sign-in behaves; every value has a default that 等级保护 (GB/T 22239) accepts. */
export interface AuthenticationSettings {
  /** how long an access token is good for: short, as a stolen one works until then */
  readonly accessTokenTtlMs: number;
  /** how long a refresh token is good for: the longest a session lasts without a sign-in */
  readonly refreshTokenTtlMs: number;
  /** failed password checks in a row after which the account locks */
  readonly maxFailedLogins: number;
  readonly lockoutMs: number;
  readonly passwordPolicy: PasswordPolicy;
}

export const DEFAULT_AUTHENTICATION_SETTINGS: AuthenticationSettings = {
  accessTokenTtlMs: 15 * 60_000,
  refreshTokenTtlMs: 7 * 86_400_000,
  maxFailedLogins: 5,
  lockoutMs: 15 * 60_000,
  passwordPolicy: DEFAULT_PASSWORD_POLICY,
};
