import { hash, verify } from '@node-rs/argon2';
import { BadUserRequestError } from '../../errors/index.js';
import type { UserEntity } from '../../persistence/index.js';
import { DEFAULT_PASSWORD_POLICY, type PasswordPolicy } from './settings.js';

/** Refuses a password the policy does not allow, saying which rule it breaks (zh-CN first, as users read it). */
export function checkPasswordPolicy(password: string, policy: PasswordPolicy = DEFAULT_PASSWORD_POLICY): void {
  if (password.length < policy.minLength) {
    throw new BadUserRequestError(`密码至少 ${policy.minLength} 位 (the password must have at least ${policy.minLength} characters)`);
  }
  if (password.length > 128) throw new BadUserRequestError('密码最多 128 位 (the password must have at most 128 characters)');
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((pattern) => pattern.test(password)).length;
  if (classes < policy.minClasses) {
    throw new BadUserRequestError(
      `密码须包含小写字母、大写字母、数字、符号中的至少 ${policy.minClasses} 类 (the password must mix at least ${policy.minClasses} of lower case, upper case, digits and symbols)`,
    );
  }
}

/** argon2id with the library's defaults (OWASP's recommended minimum), as a PHC string. */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function passwordMatches(password: string, stored: string | null): Promise<boolean> {
  if (!stored) return false;
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/** Whether a password set at `changed` is past the policy's maximum age at `now`. */
export function passwordExpired(changed: Date | null, now: Date, policy: PasswordPolicy = DEFAULT_PASSWORD_POLICY): boolean {
  if (policy.maxAgeDays === null || changed === null) return false;
  return now.getTime() - changed.getTime() > policy.maxAgeDays * 86_400_000;
}

/**
 * Whether a user must choose a new password before anything else: it was handed to them (generated,
 * reset by an administrator, imported) or it is older than the policy allows.
 */
export function passwordChangeRequired(user: Pick<UserEntity, 'mustChangePassword' | 'passwordChanged'>, now: Date, policy: PasswordPolicy): boolean {
  return user.mustChangePassword || passwordExpired(user.passwordChanged, now, policy);
}
