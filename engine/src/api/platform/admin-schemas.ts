import { CODE_PATTERN, LOGIN_ID_PATTERN } from '../../identity/organisation/rules.js';
import type { JsonSchema } from './routes.js';

/** JSON schemas the admin routes (organisation, roles, groups, audit log) share. */

/** A string matching `pattern`, at most `maxLength` long. */
export const matching = (pattern: RegExp, maxLength = 64): JsonSchema => ({ type: 'string', pattern: pattern.source, maxLength });
export const TENANT_ID: JsonSchema = matching(/^[0-9A-Za-z-]{1,32}$/, 32);
export const LOGIN_ID = matching(LOGIN_ID_PATTERN);
export const CODE = matching(CODE_PATTERN);
export const NAME: JsonSchema = { type: 'string', minLength: 1, maxLength: 255 };
export const DATE_TIME: JsonSchema = { type: 'string', format: 'date-time' };
/** `firstResult`, `maxResults` of a list */
export const PAGE: Record<string, JsonSchema> = { firstResult: { type: 'integer', minimum: 0 }, maxResults: { type: 'integer', minimum: 0, maximum: 1000 } };
export const sortBy = (...keys: string[]): Record<string, JsonSchema> => ({ sortBy: { type: 'string', enum: keys }, sortOrder: { type: 'string', enum: ['asc', 'desc'] } });
/** The body that sets a role's holders or a group's members. */
export const USER_IDS: JsonSchema = { type: 'object', required: ['userIds'], additionalProperties: false, properties: { userIds: { type: 'array', maxItems: 10_000, items: LOGIN_ID } } };
/** A user as a role's holders and a group's members list them. */
export const USER_REF: JsonSchema = { type: 'object', properties: { id: { type: 'string' }, displayName: { type: 'string' } } };
