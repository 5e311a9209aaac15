import { createHash, randomBytes } from 'node:crypto';

/**
 * A new bearer secret: a prefix saying what it is (`yw_` API key, `ywa_` access token, `ywr_`
 * refresh token), then 32 random bytes in base64url. The prefix lets a request's token be looked
 * up in the one table it can be in, and lets secret scanners recognise a leaked one.
 */
export function newSecret(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

/** What the database keeps of a secret: its SHA-256 in hex, so a leaked table gives away no usable token. */
export function secretHash(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}
