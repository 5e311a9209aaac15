import type { Authentication } from '../../identity/authentication/index.js';
import { PUBLIC, SIGNED_IN, type ApiRoutes, type JsonSchema } from './routes.js';

/** What the sign-in routes need. */
export interface AuthRouteDeps {
  readonly authentication: Authentication;
}

const TOKEN: JsonSchema = { type: 'string', minLength: 1, maxLength: 200 };
/** longer than any password the policy allows, so the policy, not the schema, names the problem */
const PASSWORD: JsonSchema = { type: 'string', minLength: 1, maxLength: 256 };

const SIGNED_IN_ANSWER: JsonSchema = {
  type: 'object',
  properties: {
    accessToken: { type: 'string' },
    refreshToken: { type: 'string' },
    tokenType: { type: 'string', enum: ['Bearer'] },
    expiresIn: { type: 'integer', description: 'seconds the access token is good for' },
    refreshExpiresIn: { type: 'integer', description: 'seconds the refresh token is good for' },
    mustChangePassword: { type: 'boolean' },
    passwordExpired: { type: 'boolean' },
    user: { type: 'object', properties: { id: { type: 'string' }, displayName: { type: 'string' }, tenantId: { type: 'string' } } },
  },
};

const REFERENCE: JsonSchema = { type: 'object', properties: { id: { type: 'string' }, code: { type: 'string' }, name: { type: 'string' } } };

const PROFILE: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    displayName: { type: 'string' },
    tenant: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' }, level: { type: 'string' } } },
    departments: { type: 'array', items: REFERENCE, description: 'the primary department first' },
    roles: { type: 'array', items: REFERENCE },
    permissions: { type: 'array', items: { type: 'string' } },
    dataScope: { type: 'object', properties: { kind: { type: 'string' }, departmentIds: { type: 'array', items: { type: 'string' } } } },
    passwordChangeRequired: { type: 'boolean', description: 'every route but these under /api/auth answers 403 until the caller changes their password' },
  },
};

/** `/api/auth`: sign in and out, refresh, who am I, change my password; all of them answer a caller who must change their password first. */
export function registerAuthRoutes(routes: ApiRoutes, { authentication }: AuthRouteDeps): void {
  routes.add<unknown, { username: string; password: string }>({
    method: 'post',
    path: '/auth/login',
    tag: 'auth',
    summary: 'sign in with a user name and password',
    permission: PUBLIC,
    body: { type: 'object', required: ['username', 'password'], additionalProperties: false, properties: { username: { type: 'string', minLength: 1, maxLength: 64 }, password: PASSWORD } },
    response: SIGNED_IN_ANSWER,
    handle: ({ ctx, body }) => authentication.login(body.username, body.password, ctx.ip || null),
  });

  routes.add<unknown, { refreshToken: string }>({
    method: 'post',
    path: '/auth/refresh',
    tag: 'auth',
    summary: 'exchange a refresh token for new tokens',
    permission: PUBLIC,
    body: { type: 'object', required: ['refreshToken'], additionalProperties: false, properties: { refreshToken: TOKEN } },
    response: SIGNED_IN_ANSWER,
    handle: ({ ctx, body }) => authentication.refresh(body.refreshToken, ctx.ip || null),
  });

  routes.add({
    method: 'post',
    path: '/auth/logout',
    tag: 'auth',
    summary: 'end the session of this access token',
    permission: SIGNED_IN,
    allowedBeforePasswordChange: true,
    status: 204,
    handle: ({ ctx, actor }) => authentication.logout(ctx.get('Authorization'), actor),
  });

  routes.add({
    method: 'get',
    path: '/auth/me',
    tag: 'auth',
    summary: 'who the caller is: tenant, departments, roles, permissions, data scope',
    permission: SIGNED_IN,
    allowedBeforePasswordChange: true,
    response: PROFILE,
    handle: ({ principal }) => authentication.profile(principal),
  });

  routes.add<unknown, { currentPassword: string; newPassword: string }>({
    method: 'post',
    path: '/auth/password',
    tag: 'auth',
    summary: "change the caller's password (their other sessions end)",
    permission: SIGNED_IN,
    allowedBeforePasswordChange: true,
    body: { type: 'object', required: ['currentPassword', 'newPassword'], additionalProperties: false, properties: { currentPassword: PASSWORD, newPassword: PASSWORD } },
    status: 204,
    handle: ({ ctx, principal, actor, body }) => authentication.changePassword(principal, actor, ctx.get('Authorization'), body.currentPassword, body.newPassword),
  });
}
