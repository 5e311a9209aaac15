/**
 * The password rules 等级保护 (GB/T 22239) expects: a minimum length, several character classes,
 * and optionally a maximum age after which the user must choose a new one.
 */
export interface PasswordPolicy {
  readonly minLength: number;
  /** how many of lower case, upper case, digits and other characters a password must mix */
  readonly minClasses: number;
  /** days after which a password must be changed; null: never */
  readonly maxAgeDays: number | null;
}

export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = { minLength: 10, minClasses: 3, maxAgeDays: 90 };

/**
 * How sign-in behaves; every value has a default that 等级保护 (GB/T 22239) accepts, and each can
 * be set from the environment (config/index.ts).
 */
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
