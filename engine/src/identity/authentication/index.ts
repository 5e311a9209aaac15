export { API_KEY_PREFIX, ApiKeys, RevokeApiKeyCmd, type ApiKeyQuery, type ApiKeyView, type CreatedApiKey, type NewApiKey } from './api-keys.js';
export { Authentication, type SignedIn } from './authentication.js';
export { Authenticator } from './authenticator.js';
export { ensurePlatformAdmin, PLATFORM_ADMIN_ROLE, PLATFORM_ADMIN_USER, ROOT_TENANT } from './bootstrap.js';
export { AccountLockedError, AuthenticationError, PasswordChangeRequiredError } from './errors.js';
export { checkPasswordPolicy, hashPassword, passwordExpired, passwordMatches } from './passwords.js';
export { type CallerProfile } from './profile.js';
export { secretHash } from './secrets.js';
export { DEFAULT_AUTHENTICATION_SETTINGS, DEFAULT_PASSWORD_POLICY, type AuthenticationSettings, type PasswordPolicy } from './settings.js';
