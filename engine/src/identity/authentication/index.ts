export { API_KEY_PREFIX, ApiKeys, type ApiKeyQuery, type ApiKeyView, type CreatedApiKey, type NewApiKey } from './api-keys.js';
export { Authentication, type SignedIn } from './authentication.js';
export { Authenticator } from './authenticator.js';
export { ensurePlatformAdmin, PLATFORM_ADMIN_ROLE, PLATFORM_ADMIN_USER, ROOT_TENANT } from './bootstrap.js';
export { AccountLockedError, AuthenticationError } from './errors.js';
export { checkPasswordPolicy, DEFAULT_PASSWORD_POLICY, hashPassword, passwordExpired, passwordMatches, type PasswordPolicy } from './passwords.js';
export { type CallerProfile } from './profile.js';
export { secretHash } from './secrets.js';
export { DEFAULT_AUTHENTICATION_SETTINGS, type AuthenticationSettings } from './settings.js';
